"""A module's summary: what other files may know about it, from CPython's tree.

The summary is built from the ``ast`` tree the syntax check already made, so a
file that never reaches libcst (no ``async``/``await``) costs one extra walk of
its function bodies and nothing more. It is plain data (dicts, lists, tuples,
strings, ints, bools) so it pickles, hashes and caches by content.

Shape (``SUMMARY_VERSION`` changes whenever it does)::

    {"module": "pkg.mod", "package": False, "star": False,
     "names": {name: binding},        # module-level names others can use
     "functions": {name: function},
     "classes": {name: class},
     "refs": [dotted, ...]}           # every absolute dotted name used (module graph)

    binding:  ("import", "abs.dotted") | ("def",) | ("class",)
              | ("instance", kindref) | ("unknown",)
    function: {"line", "async", "gen" (yields), "plain" (decorators keep it what
               it is), "static", "literal" (every return gives nothing or a
               literal), "calls": [(line, target)], "loops": [(line, what)]}
    class:    {"line", "bases": [dotted or None], "keywords", "decorated", "decorators",
               "methods": {name: function}, "other": [names bound otherwise],
               "self_attrs": [attrs assigned through self], "attr_kinds": {attr: kindref},
               "getattribute", "await"}
    target:   ("n", "abs.dotted")       a call of a name (project or not)
              ("m", kindref, "method")  a method of a value of known kind

A kindref says what kind of object an expression holds, as far as this file
can tell; the project index finishes the job:
``K:kind`` a catalog kind, ``C:dotted`` whatever calling ``dotted`` returns (an
instance, when it is a project class), ``A:dotted`` an annotation naming
``dotted``, ``G:dotted`` the module-level value ``dotted``, ``S:cls#attr`` the
attribute ``attr`` of instances of the project class ``cls``, ``X:kindref`` the
result of calling a value of that kind.

Calls count as a function's own when they run in its body: not in nested
``def``/``lambda``/``class`` bodies (their decorators, defaults and bases do
run), not under ``if TYPE_CHECKING:``, not in a ``try`` body whose handlers
catch ``BlockingIOError`` (non-blocking I/O). Each distinct target is kept once,
at its first line: that is all a chain needs.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Sequence, Tuple

from asynclint.catalog import canonical_import, load
from asynclint.project.annotations import annotation_targets, union_kind

SUMMARY_VERSION = 2

KIND_KEEPING_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "abc.abstractmethod", "typing.override", "typing_extensions.override"}
)
OVERLOAD = frozenset({"typing.overload", "typing_extensions.overload"})
RUN_FUNCTIONS = frozenset({"asyncio.run", "trio.run", "anyio.run"})
LOOP_METHODS = frozenset({"run_until_complete", "run_forever"})
ASYNC_TO_SYNC = frozenset({"asgiref.sync.async_to_sync", "asgiref.sync.AsyncToSync"})

_NONBLOCKING = 1  # in a try body that catches BlockingIOError
_TYPE_CHECKING = 2  # under "if TYPE_CHECKING:"
_MAIN = 4  # under 'if __name__ == "__main__":'

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LITERALS = (
    ast.Constant, ast.JoinedStr, ast.List, ast.Tuple, ast.Set, ast.Dict,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda,
)
_TRY = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)


def summarize(tree: ast.Module, module: str, package: bool) -> dict:
    """The summary of a module whose source parsed to ``tree``."""
    return _Module(module, package).build(tree)


def absolute_import(module: str, package: bool, level: int, target: Optional[str]) -> Optional[str]:
    """The absolute name ``from <dots><target> import ...`` refers to in ``module``."""
    if level == 0:
        return target
    parts = module.split(".") if module else []
    if not package:
        parts = parts[:-1]
    if level - 1 > len(parts):
        return None
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    base = ".".join(parts)
    if target:
        return f"{base}.{target}" if base else target
    return base or None


def _dotted(expr) -> Optional[Tuple[str, List[str]]]:
    """``a.b.c`` as ("a", ["b", "c"]); None for anything but names and attributes."""
    attrs = []
    while isinstance(expr, ast.Attribute):
        attrs.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        attrs.reverse()
        return expr.id, attrs
    return None


def _catches_blocking_io(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any(isinstance(n, ast.Name) and n.id == "BlockingIOError" for n in names)


def _is_type_checking(test) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_main_guard(test) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


class _Module:
    def __init__(self, module: str, package: bool) -> None:
        self.module = module
        self.package = package
        self.catalog = load()
        self.raw: Dict[str, List[tuple]] = {}  # name -> raw bindings at module level
        self.star = False
        self.functions: Dict[str, dict] = {}
        self.classes: Dict[str, dict] = {}
        self.defs: List[Tuple[ast.AST, Optional[str]]] = []  # (def or class node, binding name)
        self.refs: set = set()
        self._binding_memo: Dict[str, tuple] = {}

    # -- module level ------------------------------------------------------
    def build(self, tree: ast.Module) -> dict:
        self._statements(tree.body)
        built = []
        for node, name in self.defs:
            if isinstance(node, ast.ClassDef):
                built.append((name, self.classes, _Class(self, node).build()))
            else:
                built.append((name, self.functions, _Function(self, node, None).build()))
        # Functions may rebind module names (global X), so names are decided last.
        names = {name: self._binding(name) for name in self.raw}
        for name, table, summary in built:
            if names.get(name) == (("class",) if table is self.classes else ("def",)):
                table[name] = summary
        return {
            "module": self.module,
            "package": self.package,
            "star": self.star,
            "names": names,
            "functions": self.functions,
            "classes": self.classes,
            "refs": sorted(self.refs),
        }

    def _bind(self, name: str, binding: tuple) -> None:
        self.raw.setdefault(name, []).append(binding)

    def _statements(self, body: Sequence[ast.stmt]) -> None:
        for node in body:
            kind = type(node)
            if kind in _FUNCTIONS:
                if self._is_overload(node):
                    continue
                self._bind(node.name, ("def",))
                self.defs.append((node, node.name))
            elif kind is ast.ClassDef:
                self._bind(node.name, ("class",))
                self.defs.append((node, node.name))
            elif kind is ast.Import:
                for alias in node.names:
                    if alias.asname:
                        self._bind(alias.asname, ("import", canonical_import(alias.name)))
                    else:
                        top = alias.name.split(".", 1)[0]
                        self._bind(top, ("import", canonical_import(top)))
                    self.refs.add(alias.name)
            elif kind is ast.ImportFrom:
                base = absolute_import(self.module, self.package, node.level, node.module)
                for alias in node.names:
                    if alias.name == "*":
                        self.star = True
                        if base:
                            self.refs.add(base)
                        continue
                    target = f"{base}.{alias.name}" if base else None
                    local = alias.asname or alias.name
                    self._bind(local, ("import", canonical_import(target)) if target else ("other",))
                    if target:
                        self.refs.add(target)
            elif kind is ast.Assign:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self._bind(target.id, ("value", node.value))
                    else:
                        self._other_targets(target)
            elif kind is ast.AnnAssign:
                if isinstance(node.target, ast.Name):
                    self._bind(node.target.id, ("annotated", node.annotation, node.value))
            elif kind is ast.AugAssign:
                self._other_targets(node.target)
            elif kind in (ast.For, ast.AsyncFor):
                self._other_targets(node.target)
                self._statements(node.body)
                self._statements(node.orelse)
            elif kind is ast.While:
                self._statements(node.body)
                self._statements(node.orelse)
            elif kind is ast.If:
                self._statements(node.body)
                self._statements(node.orelse)
            elif kind in (ast.With, ast.AsyncWith):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name):
                        self._bind(item.optional_vars.id, ("with", item.context_expr))
                    elif item.optional_vars is not None:
                        self._other_targets(item.optional_vars)
                self._statements(node.body)
            elif kind in _TRY:
                self._statements(node.body)
                for handler in node.handlers:
                    if handler.name:
                        self._bind(handler.name, ("other",))
                    self._statements(handler.body)
                self._statements(node.orelse)
                self._statements(node.finalbody)
            elif kind is ast.Delete:
                for target in node.targets:
                    self._other_targets(target)
            elif hasattr(ast, "Match") and kind is ast.Match:
                for case in node.cases:
                    for sub in ast.walk(case.pattern):
                        name = getattr(sub, "name", None) or getattr(sub, "rest", None)
                        if isinstance(name, str):
                            self._bind(name, ("other",))
                    self._statements(case.body)
            elif hasattr(ast, "TypeAlias") and kind is ast.TypeAlias:
                self._bind(node.name.id, ("other",))

    def _other_targets(self, target) -> None:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                self._bind(sub.id, ("other",))

    def _is_overload(self, node) -> bool:
        return any(self.decorator_name(d) in OVERLOAD for d in node.decorator_list)

    def decorator_name(self, expr) -> Optional[str]:
        return self.resolve_global(expr)

    def rebind_from_function(self, name: str) -> None:
        """``global NAME`` and an assignment in a function: the module's NAME is rebound."""
        self._bind(name, ("other",))
        self._binding_memo.pop(name, None)

    # -- what module-level names hold ---------------------------------------
    def _binding(self, name: str) -> tuple:
        memo = self._binding_memo.get(name)
        if memo is not None:
            return memo
        self._binding_memo[name] = ("unknown",)  # a cycle (X = X()) stays unknown
        result = self._decide(self.raw.get(name, ()))
        self._binding_memo[name] = result
        return result

    def _decide(self, raw: Sequence[tuple]) -> tuple:
        if not raw:
            return ("unknown",)
        annotated = [b for b in raw if b[0] == "annotated"]
        if annotated and all(b[0] in ("annotated", "value") for b in raw):
            kinds = {self.annotation_kind(b[1], None) for b in annotated}
            if len(kinds) == 1 and None not in kinds:
                return ("instance", kinds.pop())
        if len(raw) == 1 and raw[0][0] in ("def", "class"):
            return raw[0][:1]
        if all(b[0] == "import" for b in raw) and len({b[1] for b in raw}) == 1:
            return raw[0]
        kinds = set()
        for binding in raw:
            if binding[0] == "annotated" and binding[2] is not None:
                binding = ("value", binding[2])
            if binding[0] not in ("value", "with"):
                return ("unknown",)
            kinds.add(self.kind_of(binding[1], None))
        if len(kinds) == 1 and None not in kinds:
            return ("instance", kinds.pop())
        return ("unknown",)

    def resolve_global(self, expr) -> Optional[str]:
        """The absolute dotted name a module-level name or attribute chain stands for."""
        dotted = _dotted(expr)
        if dotted is None:
            return None
        root, attrs = dotted
        base = self.global_name(root)
        if base is None:
            return None
        return ".".join([base] + attrs)

    def global_name(self, name: str) -> Optional[str]:
        raw = self.raw.get(name)
        if raw:
            if all(b[0] == "import" for b in raw) and len({b[1] for b in raw}) == 1:
                return raw[0][1]
            return f"{self.module}.{name}" if self.module else None
        if self.star:
            return None
        if name in BUILTINS:
            return name
        return None

    # -- kinds ---------------------------------------------------------------
    def annotation_kind(self, annotation, function: Optional["_Function"]) -> Optional[str]:
        resolve = function.resolve if function is not None else self.resolve_written
        targets = annotation_targets(annotation, resolve)
        if not targets:
            return None
        if len(targets) > 1:
            kind = union_kind(targets, self.catalog.annotations)
            return f"K:{kind}" if kind is not None else None
        target = targets[0]
        kind = self.catalog.annotations.get(target)
        self.refs.add(target)
        return f"K:{kind}" if kind is not None else f"A:{target}"

    def resolve_written(self, written: str) -> Optional[str]:
        root, _, rest = written.partition(".")
        base = self.global_name(root)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def kind_of(self, expr, function: Optional["_Function"], depth: int = 0) -> Optional[str]:
        """The kindref of what ``expr`` evaluates to, or None."""
        if depth > 12:
            return None
        catalog = self.catalog
        if isinstance(expr, ast.Call):
            func = expr.func
            dotted = function.resolve_expr(func) if function is not None else self.resolve_global(func)
            if dotted is not None:
                kind = catalog.constructors.get(dotted)
                if kind is not None:
                    return f"K:{kind}"
                self.refs.add(dotted)
                return f"C:{dotted}"
            if isinstance(func, ast.Attribute):
                owner = self.kind_of(func.value, function, depth + 1)
                if owner is not None and owner.startswith("K:"):
                    kind = catalog.factories.get((owner[2:], func.attr))
                    return f"K:{kind}" if kind is not None else None
                return None
            owner = self.kind_of(func, function, depth + 1)
            return f"X:{owner}" if owner is not None else None
        if isinstance(expr, ast.Name):
            if function is not None and expr.id == function.self_name and function.is_local(expr.id):
                return f"A:{function.owner_class}"  # self, cls: an instance of the class
            if function is not None and function.is_local(expr.id):
                return function.local_kind(expr.id, depth + 1)
            dotted = self.global_name(expr.id)
            if dotted is None:
                return None
            self.refs.add(dotted)
            return f"G:{dotted}"
        if isinstance(expr, ast.Attribute):
            receiver = expr.value
            if (
                function is not None
                and isinstance(receiver, ast.Name)
                and receiver.id == function.self_name
                and function.is_local(receiver.id)
            ):
                return f"S:{function.owner_class}#{expr.attr}"
            owner = self.kind_of(receiver, function, depth + 1)
            if owner is None or not owner.startswith("K:"):
                if owner is not None and owner.startswith("G:"):
                    return f"G:{owner[2:]}.{expr.attr}"
                return None
            kind = owner[2:]
            if kind in catalog.chained_kinds:
                return owner
            found = catalog.attributes.get((kind, expr.attr))
            return f"K:{found}" if found is not None else None
        if isinstance(expr, ast.Subscript):
            owner = self.kind_of(expr.value, function, depth + 1)
            return owner if owner is not None and owner[2:] in catalog.chained_kinds else None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left = self.kind_of(expr.left, function, depth + 1)
            return left if left == "K:pathlib.Path" else None
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            return None
        return None

    def keeps_kind(self, decorators) -> bool:
        for decorator in decorators:
            if isinstance(decorator, ast.Call):
                if self.resolve_global(decorator.func) != "functools.wraps":
                    return False
            elif self.resolve_global(decorator) not in KIND_KEEPING_DECORATORS:
                return False
        return True


BUILTINS = frozenset(__import__("builtins").__dict__)


class _Function:
    """One function's body: its locals, its calls, its returns."""

    def __init__(self, module: _Module, node, owner_class: Optional[str]) -> None:
        self.m = module
        self.node = node
        self.owner_class = owner_class  # dotted name of the enclosing project class
        self.locals: Dict[str, List[tuple]] = {}
        self.globals: set = set()
        self.nonlocals: set = set()
        self.calls: List[Tuple[ast.Call, int]] = []
        self.returns: List[Optional[ast.expr]] = []
        self.yields = False
        self.self_attrs: Dict[str, List[tuple]] = {}  # attr -> bindings through self
        self.self_name: Optional[str] = None
        self._kind_memo: Dict[str, Optional[str]] = {}
        decorators = [module.resolve_global(d) for d in node.decorator_list]
        self.static = "staticmethod" in decorators
        args = node.args
        positional = list(args.posonlyargs) + list(args.args)
        if owner_class is not None and positional and not self.static:
            self.self_name = positional[0].arg
        for arg in positional + list(args.kwonlyargs):
            self.locals.setdefault(arg.arg, []).append(("param", arg.annotation))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                self.locals.setdefault(arg.arg, []).append(("other",))

    # -- scanning ----------------------------------------------------------
    def scan(self) -> None:
        """One pass over the function's own body (see the module doc for what counts)."""
        stack: List[Tuple[ast.AST, int]] = [(stmt, 0) for stmt in reversed(self.node.body)]
        locals_ = self.locals
        special = _SPECIAL
        known_fields = _FIELDS
        Name, Load, Constant, Call = ast.Name, ast.Load, ast.Constant, ast.Call
        while stack:
            node, flags = stack.pop()
            kind = node.__class__
            if kind is Call:
                self.calls.append((node, flags))
            elif kind in special:
                if special[kind](self, node, flags, stack):
                    continue
            fields = known_fields.get(kind)
            if fields is None:
                fields = _child_fields(kind)
            for field in fields:
                value = getattr(node, field)
                if value is None:
                    continue
                if value.__class__ is list:
                    for item in reversed(value):
                        cls = item.__class__
                        if cls is Constant or (cls is Name and item.ctx.__class__ is Load):
                            continue  # leaves: nothing to find below
                        if isinstance(item, ast.AST):
                            stack.append((item, flags))
                else:
                    cls = value.__class__
                    if cls is Constant or (cls is Name and value.ctx.__class__ is Load):
                        continue
                    if isinstance(value, ast.AST):
                        stack.append((value, flags))

    # Handlers for the nodes that bind names, open nested scopes or set flags.
    # Each returns True when it has pushed what must still be looked at itself.
    def _scan_name(self, node, flags, stack) -> bool:
        if node.ctx.__class__ is not ast.Load:
            self.locals.setdefault(node.id, []).append(("other",))
        return True

    def _scan_def(self, node, flags, stack) -> bool:
        self.locals.setdefault(node.name, []).append(("other",))
        outer = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            outer += node.bases + [k.value for k in node.keywords]
        else:
            outer += [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
        stack.extend((n, flags) for n in reversed(outer))
        return True

    def _scan_lambda(self, node, flags, stack) -> bool:
        stack.extend((d, flags) for d in node.args.defaults + node.args.kw_defaults if d is not None)
        return True

    def _scan_assign(self, node, flags, stack) -> bool:
        for target in node.targets:
            self._assigned(target, ("value", node.value))
            if not isinstance(target, ast.Name):
                stack.append((target, flags))
        stack.append((node.value, flags))
        return True

    def _scan_ann_assign(self, node, flags, stack) -> bool:
        self._assigned(node.target, ("annotated", node.annotation, node.value))
        if node.value is not None:
            stack.append((node.value, flags))
        return True

    def _scan_with(self, node, flags, stack) -> bool:
        for item in node.items:
            stack.append((item.context_expr, flags))
            if isinstance(item.optional_vars, ast.Name):
                self.locals.setdefault(item.optional_vars.id, []).append(("with", item.context_expr))
            elif item.optional_vars is not None:
                stack.append((item.optional_vars, flags))
        stack.extend((s, flags) for s in reversed(node.body))
        return True

    def _scan_import(self, node, flags, stack) -> bool:
        for alias in node.names:
            local = alias.asname or alias.name.split(".", 1)[0]
            target = alias.name if alias.asname else local
            self.locals.setdefault(local, []).append(("import", canonical_import(target)))
            self.m.refs.add(alias.name)
        return True

    def _scan_import_from(self, node, flags, stack) -> bool:
        base = absolute_import(self.m.module, self.m.package, node.level, node.module)
        for alias in node.names:
            if alias.name == "*":
                continue
            target = f"{base}.{alias.name}" if base else None
            self.locals.setdefault(alias.asname or alias.name, []).append(
                ("import", canonical_import(target)) if target else ("other",)
            )
            if target:
                self.m.refs.add(target)
        return True

    def _scan_global(self, node, flags, stack) -> bool:
        self.globals.update(node.names)
        return True

    def _scan_nonlocal(self, node, flags, stack) -> bool:
        self.nonlocals.update(node.names)
        return True

    def _scan_return(self, node, flags, stack) -> bool:
        self.returns.append(node.value)
        return False

    def _scan_yield(self, node, flags, stack) -> bool:
        self.yields = True
        return False

    def _scan_try(self, node, flags, stack) -> bool:
        guarded = any(h.type is not None and _catches_blocking_io(h) for h in node.handlers)
        body_flags = flags | _NONBLOCKING if guarded else flags
        rest = list(node.handlers) + node.orelse + node.finalbody
        stack.extend((n, flags) for n in reversed(rest))
        stack.extend((n, body_flags) for n in reversed(node.body))
        return True

    def _scan_handler(self, node, flags, stack) -> bool:
        if node.name:
            self.locals.setdefault(node.name, []).append(("other",))
        return False

    def _scan_if(self, node, flags, stack) -> bool:
        body_flags = flags
        if _is_type_checking(node.test):
            body_flags |= _TYPE_CHECKING
        elif _is_main_guard(node.test):
            body_flags |= _MAIN
        stack.extend((n, flags) for n in reversed(node.orelse))
        stack.extend((n, body_flags) for n in reversed(node.body))
        stack.append((node.test, flags))
        return True

    def _scan_capture(self, node, flags, stack) -> bool:
        """Match patterns that bind a name (``case x``, ``case [*rest]``, ``case {**rest}``)."""
        for name in (getattr(node, "name", None), getattr(node, "rest", None)):
            if isinstance(name, str):
                self.locals.setdefault(name, []).append(("other",))
        return False

    def _assigned(self, target, binding: tuple) -> None:
        if isinstance(target, ast.Name):
            self.locals.setdefault(target.id, []).append(binding)
        elif (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == self.self_name
        ):
            self.self_attrs.setdefault(target.attr, []).append(binding)

    # -- names ---------------------------------------------------------------
    def is_local(self, name: str) -> bool:
        return name in self.locals and name not in self.globals

    def resolve(self, written: str) -> Optional[str]:
        """A dotted name as written in this function, made absolute (None if local)."""
        root, _, rest = written.partition(".")
        if self.is_local(root):
            bindings = self.locals[root]
            if len(bindings) == 1 and bindings[0][0] == "import" and bindings[0][1]:
                base = bindings[0][1]
                return f"{base}.{rest}" if rest else base
            return None
        return self.m.resolve_written(written)

    def resolve_expr(self, expr) -> Optional[str]:
        dotted = _dotted(expr)
        if dotted is None:
            return None
        root, attrs = dotted
        return self.resolve(".".join([root] + attrs))

    def local_kind(self, name: str, depth: int) -> Optional[str]:
        if name in self._kind_memo:
            return self._kind_memo[name]
        self._kind_memo[name] = None
        bindings = self.locals.get(name, ())
        kind = self.m_kinds(bindings, depth)
        self._kind_memo[name] = kind
        return kind

    def m_kinds(self, bindings, depth: int) -> Optional[str]:
        """The one kind every binding gives (annotations first), or None."""
        annotated = [b for b in bindings if b[0] == "annotated" or (b[0] == "param" and b[1] is not None)]
        if annotated:
            # A parameter's annotation is evaluated where the def runs (module or
            # class level); a local's in the function.
            kinds = {self.m.annotation_kind(b[1], self if b[0] == "annotated" else None) for b in annotated}
            if len(kinds) == 1 and None not in kinds and all(b[0] in ("annotated", "value", "param") for b in bindings):
                return kinds.pop()
        kinds = set()
        for binding in bindings:
            if binding[0] == "annotated":
                if binding[2] is None:
                    continue
                binding = ("value", binding[2])
            if binding[0] not in ("value", "with"):
                return None
            kinds.add(self.m.kind_of(binding[1], self, depth))
        if len(kinds) == 1 and None not in kinds:
            return kinds.pop()
        return None

    # -- building ----------------------------------------------------------
    def build(self) -> dict:
        self.scan()
        for name in self.globals:
            if name in self.locals:
                self.m.rebind_from_function(name)
        m = self.m
        calls: Dict[tuple, int] = {}
        loops: List[Tuple[int, str]] = []
        for call, flags in self.calls:
            if flags & (_NONBLOCKING | _TYPE_CHECKING):
                continue
            func = call.func
            chain = _dotted(func)
            dotted = self._absolute(chain) if chain is not None else None
            if not flags & _MAIN:
                what = self._loop_call(call, dotted)
                if what is not None:
                    loops.append((call.lineno, what))
            target = self._target(func, chain, dotted)
            if target is not None and target not in calls:
                calls[target] = call.lineno
        literal = all(v is None or isinstance(v, _LITERALS) for v in self.returns)
        node = self.node
        return {
            "line": node.lineno,
            "async": isinstance(node, ast.AsyncFunctionDef),
            "gen": self.yields,
            "plain": m.keeps_kind(node.decorator_list),
            "static": self.static,
            "literal": literal,
            "calls": sorted(((line, target) for target, line in calls.items()), key=lambda c: c[0]),
            "loops": sorted(set(loops)),
        }

    def _absolute(self, chain) -> Optional[str]:
        root, attrs = chain
        return self.resolve(".".join([root] + attrs) if attrs else root)

    def _target(self, func, chain, absolute) -> Optional[tuple]:
        if chain is not None:
            root = chain[0]
            if not self.is_local(root) or (
                len(self.locals[root]) == 1 and self.locals[root][0][0] == "import"
            ):
                if absolute is not None:
                    self.m.refs.add(absolute)
                    return ("n", absolute)
                return None
        if isinstance(func, ast.Attribute):
            kind = self.m.kind_of(func.value, self)
            if kind is not None:
                return ("m", kind, func.attr)
        return None

    def _loop_call(self, call: ast.Call, dotted: Optional[str]) -> Optional[str]:
        func = call.func
        if dotted in RUN_FUNCTIONS:
            return dotted
        if isinstance(func, ast.Attribute):
            if func.attr in LOOP_METHODS:
                receiver = self.resolve_expr(func.value) if _dotted(func.value) else None
                shown = receiver.rsplit(".", 1)[-1] if receiver else "loop"
                if isinstance(func.value, ast.Name):
                    shown = func.value.id
                return f"{shown}.{func.attr}"
            if func.attr == "run" and self.m.kind_of(func.value, self) == "K:asyncio.Runner":
                return "asyncio.Runner.run"
        if isinstance(func, ast.Call) and self.resolve_expr(func.func) in ASYNC_TO_SYNC:
            return "async_to_sync(...)(...)"
        return None


_SPECIAL = {
    ast.Name: _Function._scan_name,
    ast.FunctionDef: _Function._scan_def,
    ast.AsyncFunctionDef: _Function._scan_def,
    ast.ClassDef: _Function._scan_def,
    ast.Lambda: _Function._scan_lambda,
    ast.Assign: _Function._scan_assign,
    ast.AnnAssign: _Function._scan_ann_assign,
    ast.With: _Function._scan_with,
    ast.AsyncWith: _Function._scan_with,
    ast.Import: _Function._scan_import,
    ast.ImportFrom: _Function._scan_import_from,
    ast.Global: _Function._scan_global,
    ast.Nonlocal: _Function._scan_nonlocal,
    ast.Return: _Function._scan_return,
    ast.Yield: _Function._scan_yield,
    ast.YieldFrom: _Function._scan_yield,
    ast.ExceptHandler: _Function._scan_handler,
    ast.If: _Function._scan_if,
}
for _try in _TRY:
    _SPECIAL[_try] = _Function._scan_try
for _pattern in ("MatchAs", "MatchStar", "MatchMapping"):
    if hasattr(ast, _pattern):
        _SPECIAL[getattr(ast, _pattern)] = _Function._scan_capture

# Fields that never hold a node worth visiting: names, contexts, operators.
_NOT_CHILDREN = frozenset(
    {"ctx", "op", "ops", "id", "attr", "name", "arg", "asname", "module", "level", "type_comment",
     "kind", "conversion", "is_async", "names", "rest", "simple"}
)
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _child_fields(kind: type) -> Tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(f for f in kind._fields if f not in _NOT_CHILDREN)
    return fields



class _Class:
    def __init__(self, module: _Module, node: ast.ClassDef) -> None:
        self.m = module
        self.node = node
        self.dotted = f"{module.module}.{node.name}"

    def build(self) -> dict:
        m = self.m
        node = self.node
        raw: Dict[str, List[tuple]] = {}
        defs: List[ast.AST] = []
        for statement in node.body:
            if isinstance(statement, _FUNCTIONS):
                if m._is_overload(statement):
                    continue
                raw.setdefault(statement.name, []).append(("def",))
                defs.append(statement)
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        raw.setdefault(target.id, []).append(("value", statement.value))
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                raw.setdefault(statement.target.id, []).append(
                    ("annotated", statement.annotation, statement.value)
                )
            elif isinstance(statement, ast.ClassDef):
                raw.setdefault(statement.name, []).append(("other",))
            else:
                for sub in ast.walk(statement):
                    if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                        raw.setdefault(sub.id, []).append(("other",))
        methods: Dict[str, dict] = {}
        self_attrs: Dict[str, List[tuple]] = {}
        owners: Dict[str, List[_Function]] = {}
        for statement in defs:
            function = _Function(m, statement, self.dotted)
            summary = function.build()
            if raw.get(statement.name) == [("def",)]:
                methods[statement.name] = summary
            for attr, bindings in function.self_attrs.items():
                self_attrs.setdefault(attr, []).extend(bindings)
                owners.setdefault(attr, []).append(function)
        attr_kinds: Dict[str, str] = {}
        for attr in set(self_attrs) | {n for n, b in raw.items() if b[0][0] in ("value", "annotated")}:
            kind = self._attr_kind(raw.get(attr, ()), owners.get(attr, ()), attr)
            if kind is not None:
                attr_kinds[attr] = kind
        other = sorted(name for name, bindings in raw.items() if bindings != [("def",)])
        bases = []
        for base in node.bases:
            expr = base.value if isinstance(base, ast.Subscript) else base
            dotted = m.resolve_global(expr)
            if dotted is not None:
                m.refs.add(dotted)
            bases.append(dotted)
        return {
            "line": node.lineno,
            "bases": bases,
            "keywords": bool(node.keywords),
            "decorated": bool(node.decorator_list),
            "decorators": [m.resolve_global(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list],
            "methods": methods,
            "other": other,
            "self_attrs": sorted(self_attrs),
            "attr_kinds": attr_kinds,
            "getattribute": "__getattribute__" in raw,
            "await": "__await__" in raw,
        }

    def _attr_kind(self, class_bindings, functions, attr: str) -> Optional[str]:
        """The kind every assignment of ``attr`` (class body and through self) gives."""
        kinds = set()
        annotated = set()
        for binding in class_bindings:
            if binding[0] == "annotated":
                annotated.add(self.m.annotation_kind(binding[1], None))
                if binding[2] is not None:
                    kinds.add(self.m.kind_of(binding[2], None))
            elif binding[0] == "value":
                kinds.add(self.m.kind_of(binding[1], None))
            else:
                return None
        for function in functions:
            for binding in function.self_attrs.get(attr, ()):
                if binding[0] == "annotated":
                    annotated.add(self.m.annotation_kind(binding[1], None))
                    if binding[2] is not None:
                        kinds.add(self.m.kind_of(binding[2], function))
                else:
                    kinds.add(self.m.kind_of(binding[1], function))
        if annotated:
            return annotated.pop() if len(annotated) == 1 and None not in annotated else None
        if len(kinds) == 1 and None not in kinds:
            return kinds.pop()
        return None
