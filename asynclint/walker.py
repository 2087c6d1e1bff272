"""The single walk over a module: scopes, bindings, and dispatch to rules.

The walk follows only the fields of a node that can hold statements or
expressions (``CHILDREN``), never whitespace, commas or parentheses: most of a
libcst tree is formatting, and skipping it makes the walk several times cheaper
than a generic visitor. Nodes that open a scope or bind names are handled by
dedicated methods, so every rule sees the same scope stack and bindings.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple, Type

import libcst as cst

from asynclint.catalog import canonical_import
from asynclint.diagnostic import Chain, Finding
from asynclint.rules.base import Collector, Rule
from asynclint.scope import CLASS, COMPREHENSION, FUNCTION, LAMBDA, MODULE, Binding, Scope

# Fields worth following, in evaluation order, for nodes without a dedicated
# handler below. A node class missing here has no children worth visiting.
CHILDREN: Dict[type, Tuple[str, ...]] = {
    cst.SimpleStatementLine: ("body",),
    cst.SimpleStatementSuite: ("body",),
    cst.IndentedBlock: ("body",),
    cst.Expr: ("value",),
    cst.Raise: ("exc", "cause"),
    cst.From: ("item",),
    cst.Assert: ("test", "msg"),
    cst.If: ("test", "body", "orelse"),
    cst.Else: ("body",),
    cst.Try: ("body", "handlers", "orelse", "finalbody"),
    cst.Finally: ("body",),
    cst.Match: ("subject", "cases"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.MatchValue: ("value",),
    cst.MatchClass: ("cls", "patterns", "kwds"),
    cst.MatchKeywordElement: ("pattern",),
    cst.MatchList: ("patterns",),
    cst.MatchTuple: ("patterns",),
    cst.MatchSequenceElement: ("value",),
    cst.MatchMappingElement: ("key", "pattern"),
    cst.MatchOr: ("patterns",),
    cst.MatchOrElement: ("pattern",),
    cst.Attribute: ("value",),
    cst.Await: ("expression",),
    cst.BinaryOperation: ("left", "right"),
    cst.BooleanOperation: ("left", "right"),
    cst.UnaryOperation: ("expression",),
    cst.Comparison: ("left", "comparisons"),
    cst.ComparisonTarget: ("comparator",),
    cst.Call: ("func", "args"),
    cst.Arg: ("value",),
    cst.ConcatenatedString: ("left", "right"),
    cst.FormattedString: ("parts",),
    cst.FormattedStringExpression: ("expression", "format_spec"),
    cst.IfExp: ("test", "body", "orelse"),
    cst.List: ("elements",),
    cst.Tuple: ("elements",),
    cst.Set: ("elements",),
    cst.Dict: ("elements",),
    cst.Element: ("value",),
    cst.StarredElement: ("value",),
    cst.DictElement: ("key", "value"),
    cst.StarredDictElement: ("value",),
    cst.Subscript: ("value", "slice"),
    cst.SubscriptElement: ("slice",),
    cst.Index: ("value",),
    cst.Slice: ("lower", "upper", "step"),
    cst.Decorator: ("decorator",),
    cst.Annotation: ("annotation",),
}
if hasattr(cst, "TryStar"):
    CHILDREN[cst.TryStar] = ("body", "handlers", "orelse", "finalbody")
if hasattr(cst, "TypeAlias"):
    CHILDREN[cst.TypeAlias] = ("value",)
if hasattr(cst, "TemplatedString"):
    CHILDREN[cst.TemplatedString] = ("parts",)
    CHILDREN[cst.TemplatedStringExpression] = ("expression", "format_spec")


class Context:
    """What rules can see while the walk runs: the current scope and more."""

    def __init__(self, module: cst.Module, path: str, settings, notebook: bool = False, project=None) -> None:
        self.module = module
        self.path = path
        self.settings = settings
        self.notebook = notebook  # top-level await is legal in a notebook cell
        self.scope: Optional[Scope] = None
        self.module_scope: Optional[Scope] = None
        self.order = 0
        self.project = project  # a ProjectView: what the rest of the project is (or None)
        self.codes = settings.codes_for(path)  # the codes enabled for this file
        self.findings: List[Finding] = []
        self.scope_of: Dict[cst.CSTNode, Scope] = {}  # scope-opening node -> its scope
        self._instances = None

    def report(self, code: str, node: cst.CSTNode, message: str, chain: Chain = ()) -> None:
        self.findings.append(Finding(code, node, message, chain))

    @property
    def instances(self):
        """Known-instance resolution, shared by every rule of this file."""
        if self._instances is None:
            from asynclint.instances import Instances

            self._instances = Instances(self.scope_of, self.source_of, self.project)
        return self._instances

    def source_of(self, node: cst.CSTNode) -> str:
        """The code of a (small) node as the user wrote it."""
        return self.module.code_for_node(node)


class RuleFailure(Exception):
    """Raised out of a rule handler; carries the rule for ASL009."""


class Walker:
    def __init__(self, ctx: Context, rule_classes: Sequence[Type[Rule]]) -> None:
        self.ctx = ctx
        self.rules: List[Rule] = [cls(ctx) for cls in rule_classes if cls.walks]
        self.failed: Dict[str, str] = {}  # rule code -> error text
        self._visits: Dict[type, List[Tuple[object, Callable]]] = {}
        self._leaves: Dict[type, List[Tuple[object, Callable]]] = {}
        self._enter_scope: List[Tuple[object, Callable]] = []
        self._leave_scope: List[Tuple[object, Callable]] = []
        # One collector per family, however many of its rules are enabled.
        self.collectors: Dict[type, Collector] = {}
        self._users: Dict[Collector, List[Rule]] = {}
        for rule in self.rules:
            if rule.collector is not None:
                collector = self.collectors.get(rule.collector)
                if collector is None:
                    collector = self.collectors[rule.collector] = rule.collector(ctx)
                    self._subscribe(collector)
                rule.collected = collector
                self._users.setdefault(collector, []).append(rule)
            self._subscribe(rule)
        self._special: Dict[type, Callable[[cst.CSTNode], None]] = {
            cst.Module: self._module,
            cst.FunctionDef: self._function_def,
            cst.Lambda: self._lambda,
            cst.ClassDef: self._class_def,
            cst.ListComp: self._comprehension,
            cst.SetComp: self._comprehension,
            cst.GeneratorExp: self._comprehension,
            cst.DictComp: self._comprehension,
            cst.Import: self._import,
            cst.ImportFrom: self._import_from,
            cst.Global: self._global,
            cst.Nonlocal: self._nonlocal,
            cst.Name: self._name,
            cst.Assign: self._assign,
            cst.AnnAssign: self._ann_assign,
            cst.AugAssign: self._aug_assign,
            cst.NamedExpr: self._named_expr,
            cst.Del: self._del,
            cst.For: self._for,
            cst.With: self._with,
            cst.ExceptHandler: self._except_handler,
            cst.MatchAs: self._match_as,
            cst.MatchStar: self._match_star,
            cst.MatchMapping: self._match_mapping,
            cst.Return: self._return,
            cst.Yield: self._yield,
            cst.While: self._while,
        }
        if hasattr(cst, "ExceptStarHandler"):
            self._special[cst.ExceptStarHandler] = self._except_handler

    def _subscribe(self, owner) -> None:
        """Register a rule's or collector's ``visit_<Node>``/``leave_<Node>`` handlers."""
        for attr in dir(type(owner)):
            if attr.startswith("visit_") or attr.startswith("leave_"):
                kind, _, node_name = attr.partition("_")
                if node_name == "scope":  # enter_scope/leave_scope, below
                    continue
                handler = getattr(owner, attr)
                if handler is None:  # an instance may switch a handler off
                    continue
                node_cls = getattr(cst, node_name)
                target = self._visits if kind == "visit" else self._leaves
                target.setdefault(node_cls, []).append((owner, handler))
        if hasattr(owner, "enter_scope"):
            self._enter_scope.append((owner, owner.enter_scope))
        if hasattr(owner, "leave_scope"):
            self._leave_scope.append((owner, owner.leave_scope))

    # -- running ---------------------------------------------------------
    def run(self) -> None:
        self._walk(self.ctx.module)
        for collector in self.collectors.values():
            if collector in self._users:
                self._call(collector, collector.finish)
        for rule in self.rules:
            if rule.code not in self.failed:
                self._call(rule, rule.finish)

    def _call(self, owner, handler: Callable, *args) -> None:
        try:
            handler(*args)
        except RecursionError:
            raise
        except Exception as exc:  # a bug in a rule must not stop the others
            self._fail(owner, exc)

    def _fail(self, owner, exc: Exception) -> None:
        """Switch off a failed rule, or every rule of a failed collector."""
        owners = {owner}
        if isinstance(owner, Collector):
            for rule in self._users.pop(owner, ()):
                owners.add(rule)
                self.failed[rule.code] = f"{type(exc).__name__}: {exc}"
        else:
            self.failed[owner.code] = f"{type(exc).__name__}: {exc}"
        for table in (self._visits, self._leaves):
            for node_cls, handlers in list(table.items()):
                table[node_cls] = [h for h in handlers if h[0] not in owners]
        self._enter_scope = [h for h in self._enter_scope if h[0] not in owners]
        self._leave_scope = [h for h in self._leave_scope if h[0] not in owners]

    def _walk(self, node: cst.CSTNode) -> None:
        cls = node.__class__
        self.ctx.order += 1
        visits = self._visits.get(cls)
        if visits:
            for rule, handler in visits:
                self._call(rule, handler, node)
        special = self._special.get(cls)
        if special is not None:
            special(node)
        else:
            fields = CHILDREN.get(cls)
            if fields:
                for field in fields:
                    value = getattr(node, field)
                    if value is None:
                        continue
                    if isinstance(value, (tuple, list)):
                        for item in value:
                            self._walk(item)
                    elif isinstance(value, cst.CSTNode):
                        self._walk(value)
        leaves = self._leaves.get(cls)
        if leaves:
            for rule, handler in leaves:
                self._call(rule, handler, node)

    def _walk_all(self, nodes) -> None:
        for node in nodes:
            self._walk(node)

    def _push(self, kind: str, node: cst.CSTNode, is_async: bool = False) -> Scope:
        scope = Scope(kind, node, self.ctx.scope, is_async)
        self.ctx.scope = scope
        self.ctx.scope_of[node] = scope
        for rule, handler in self._enter_scope:
            self._call(rule, handler, scope)
        return scope

    def _pop(self) -> None:
        scope = self.ctx.scope
        for rule, handler in self._leave_scope:
            self._call(rule, handler, scope)
        self.ctx.scope = scope.parent

    def _bind(self, name: str, binding: Binding) -> None:
        binding.order = self.ctx.order
        binding.scope = self.ctx.scope
        self.ctx.scope.bind(name, binding)

    # -- scopes ----------------------------------------------------------
    def _module(self, node: cst.Module) -> None:
        self.ctx.module_scope = self._push(MODULE, node)
        self._walk_all(node.body)
        self._pop()

    def _walk_param_outer_parts(self, params: cst.Parameters) -> None:
        """Defaults and annotations are evaluated where the def statement runs."""
        for param in _all_params(params):
            if param.default is not None:
                self._walk(param.default)
        for param in _all_params(params):
            if param.annotation is not None:
                self._walk(param.annotation)

    def _bind_params(self, params: cst.Parameters) -> None:
        for param in _all_params(params):
            self._bind(param.name.value, Binding("param", node=param))

    def _function_def(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            self._walk(decorator)
        self._walk_param_outer_parts(node.params)
        if node.returns is not None:
            self._walk(node.returns)
        self._bind(node.name.value, Binding("def", node=node))
        scope = self._push(FUNCTION, node, is_async=node.asynchronous is not None)
        if scope.enclosing_class is not None:
            positional = list(node.params.posonly_params) + list(node.params.params)
            if positional:
                scope.self_name = positional[0].name.value
        self._bind_params(node.params)
        self._walk(node.body)
        self._pop()

    def _lambda(self, node: cst.Lambda) -> None:
        self._walk_param_outer_parts(node.params)
        self._push(LAMBDA, node)
        self._bind_params(node.params)
        self._walk(node.body)
        self._pop()

    def _class_def(self, node: cst.ClassDef) -> None:
        for decorator in node.decorators:
            self._walk(decorator)
        for arg in node.bases:
            self._walk(arg)
        for arg in node.keywords:
            self._walk(arg)
        self._push(CLASS, node)
        self._walk(node.body)
        self._pop()
        self._bind(node.name.value, Binding("class", node=node))

    def _comprehension(self, node) -> None:
        first = node.for_in
        # The first iterable is evaluated in the enclosing scope.
        self._walk(first.iter)
        self._push(COMPREHENSION, node)
        comp_for = first
        is_first = True
        while comp_for is not None:
            visits = self._visits.get(cst.CompFor)
            if visits:
                for rule, handler in visits:
                    self._call(rule, handler, comp_for)
            if not is_first:
                self._walk(comp_for.iter)
            self._bind_target(comp_for.target, lambda: Binding("other"))
            for comp_if in comp_for.ifs:
                self._walk(comp_if.test)
            comp_for = comp_for.inner_for_in
            is_first = False
        if isinstance(node, cst.DictComp):
            self._walk(node.key)
            self._walk(node.value)
        else:
            self._walk(node.elt)
        self._pop()

    # -- imports and declarations ----------------------------------------
    def _import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None:
                local = alias.asname.name.value
                self._bind(local, Binding("import", node=node, qualname=canonical_import(dotted)))
            else:
                top = dotted.split(".", 1)[0]
                self._bind(top, Binding("import", node=node, qualname=canonical_import(top)))

    def _import_from(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        base = "." * len(node.relative) + (_dotted(node.module) if node.module is not None else "")
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else _dotted(alias.name)
            local = alias.asname.name.value if alias.asname is not None else name
            qualname = f"{base}.{name}" if base and not base.endswith(".") else f"{base}{name}"
            self._bind(local, Binding("import", node=node, qualname=canonical_import(qualname)))

    def _global(self, node: cst.Global) -> None:
        for item in node.names:
            self.ctx.scope.global_names.add(item.name.value)

    def _nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self.ctx.scope.nonlocal_names.add(item.name.value)

    # -- names and bindings ------------------------------------------------
    def _name(self, node: cst.Name) -> None:
        self.ctx.scope.loads.setdefault(node.value, []).append(self.ctx.order)

    def _bind_target(self, target: cst.BaseExpression, make: Callable[[], Binding]) -> None:
        """Bind every name in an assignment target; walk what it reads."""
        if isinstance(target, cst.Name):
            self._bind(target.value, make())
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, lambda: Binding("other"))
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, lambda: Binding("other"))
        elif isinstance(target, cst.Attribute):
            self._walk(target.value)
            self._bind_attribute(target, make)
        else:  # subscripts and anything else: only reads
            self._walk(target)

    def _bind_attribute(self, target: cst.Attribute, make: Callable[[], Binding]) -> None:
        """``self.x = ...`` in a method binds attribute ``x`` of the class."""
        scope = self.ctx.scope
        function = scope.function
        if function is None or function.self_name is None:
            return
        if isinstance(target.value, cst.Name) and target.value.value == function.self_name:
            binding = make()
            binding.order = self.ctx.order
            binding.scope = scope
            function.enclosing_class.attr_bindings.setdefault(target.attr.value, []).append(binding)

    def _assign(self, node: cst.Assign) -> None:
        self._walk(node.value)
        value = node.value
        for assign_target in node.targets:
            target = assign_target.target
            if isinstance(target, (cst.Tuple, cst.List)):
                self._bind_unpacking(target, value)
            else:
                self._bind_target(target, lambda: Binding("assign", value=value))

    def _bind_unpacking(self, target, value) -> None:
        """``a, b = x, y`` pairs names with values; ``r, w = f()`` keeps the index."""
        elements = target.elements
        if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(elements) and not any(
            isinstance(e, cst.StarredElement) for e in list(value.elements) + list(elements)
        ):
            for element, source in zip(elements, value.elements):
                self._bind_target(element.value, lambda s=source: Binding("assign", value=s.value))
            return
        if any(isinstance(e, cst.StarredElement) for e in elements):
            self._bind_target(target, lambda: Binding("other"))
            return
        for index, element in enumerate(elements):
            self._bind_target(
                element.value,
                lambda i=index: Binding("unpack", value=value, qualname=str(i)),
            )

    def _ann_assign(self, node: cst.AnnAssign) -> None:
        # The annotation rides on the binding (``node``): it says the name's kind.
        self._walk(node.annotation)
        annotation = node.annotation
        if node.value is not None:
            self._walk(node.value)
            value = node.value
            self._bind_target(node.target, lambda: Binding("assign", node=annotation, value=value))
        elif isinstance(node.target, (cst.Name, cst.Attribute)):
            # ``x: int`` makes x local without assigning it.
            self._bind_target(node.target, lambda: Binding("declare", node=annotation))
        else:
            self._walk(node.target)

    def _aug_assign(self, node: cst.AugAssign) -> None:
        self._walk(node.target)
        self._walk(node.value)
        self._bind_target(node.target, lambda: Binding("other"))

    def _named_expr(self, node: cst.NamedExpr) -> None:
        self._walk(node.value)
        value = node.value
        # A walrus inside a comprehension binds in the enclosing function.
        scope = self.ctx.scope
        owner = scope.runs_in
        if isinstance(node.target, cst.Name):
            binding = Binding("assign", value=value)
            binding.order = self.ctx.order
            binding.scope = scope
            owner.bind(node.target.value, binding)

    def _del(self, node: cst.Del) -> None:
        self._bind_target(node.target, lambda: Binding("other"))

    def _for(self, node: cst.For) -> None:
        self._walk(node.iter)
        first = self.ctx.order
        self._bind_target(node.target, lambda: Binding("other"))
        self._walk(node.body)
        self.ctx.scope.loops.append((first, self.ctx.order))
        if node.orelse is not None:
            self._walk(node.orelse)

    def _while(self, node: cst.While) -> None:
        first = self.ctx.order
        self._walk(node.test)
        self._walk(node.body)
        self.ctx.scope.loops.append((first, self.ctx.order))
        if node.orelse is not None:
            self._walk(node.orelse)

    def _return(self, node: cst.Return) -> None:
        self.ctx.scope.returns.append(node)
        if node.value is not None:
            self._walk(node.value)

    def _yield(self, node: cst.Yield) -> None:
        self.ctx.scope.yields = True
        if node.value is not None:
            self._walk(node.value)

    def _with(self, node: cst.With) -> None:
        for item in node.items:
            self._walk(item.item)
            if item.asname is not None:
                value = item.item
                self._bind_target(item.asname.name, lambda v=value: Binding("with", value=v))
        self._walk(node.body)

    def _except_handler(self, node) -> None:
        if node.type is not None:
            self._walk(node.type)
        if node.name is not None:
            self._bind_target(node.name.name, lambda: Binding("other"))
        self._walk(node.body)

    def _match_as(self, node: cst.MatchAs) -> None:
        if node.pattern is not None:
            self._walk(node.pattern)
        if node.name is not None:
            self._bind(node.name.value, Binding("other"))

    def _match_star(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self._bind(node.name.value, Binding("other"))

    def _match_mapping(self, node: cst.MatchMapping) -> None:
        self._walk_all(node.elements)
        if node.rest is not None:
            self._bind(node.rest.value, Binding("other"))


def _all_params(params: cst.Parameters):
    yield from params.posonly_params
    yield from params.params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    yield from params.kwonly_params
    if params.star_kwarg is not None:
        yield params.star_kwarg


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""
