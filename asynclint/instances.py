"""Known instances: what kind of object an expression holds, when we can know.

A kind comes from a known constructor or factory (``requests.Session()``,
``open(...)``, ``conn.cursor()``), reached through a name every one of whose
bindings in its scope gives the same kind, an annotation (of a parameter, a
local, an attribute) naming a known class, or ``self.x``/``cls.x`` when every
assignment of ``x`` in the class gives the same kind. With project knowledge,
instances of the project's own classes (kind ``class:<dotted>``) and
module-level instances imported from project modules count too. Anything else
is unknown (None): rules stay silent on unknowns.

Call these from a rule's ``finish()``, when every binding has been recorded.
"""

from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple

from asynclint.lazy import libcst as cst

from asynclint.catalog import load
from asynclint.project.annotations import annotation_targets, parse_annotation, union_kind
from asynclint.scope import FUNCTION, LAMBDA, MODULE, Binding, Scope

_MAX_DEPTH = 12  # name -> value -> name ... chains longer than this are unknown


class Instances:
    def __init__(self, scopes: Dict[cst.CSTNode, Scope], source_of: Callable = None, project=None) -> None:
        self.catalog = load()
        self.scopes = scopes  # scope-opening node -> its scope (from the walk)
        self.source_of = source_of  # node -> its source text (for annotations)
        self.project = project  # a ProjectView, or None without project knowledge
        self._memo: Dict[int, Optional[str]] = {}

    def kind_of(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> Optional[str]:
        key = id(expr)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # a cycle (x = x.copy()) ends as unknown
        kind = self._kind_of(expr, scope, depth) if depth < _MAX_DEPTH else None
        self._memo[key] = kind
        return kind

    def method_of(self, func: cst.BaseExpression, scope: Scope) -> Optional[Tuple[str, str]]:
        """For a callee ``x.m`` where ``x`` is a known instance: (its kind, "m")."""
        if not isinstance(func, cst.Attribute):
            return None
        kind = self.kind_of(func.value, scope)
        return (kind, func.attr.value) if kind is not None else None

    def _kind_of(self, expr, scope: Scope, depth: int) -> Optional[str]:
        catalog = self.catalog
        project = self.project
        if isinstance(expr, cst.Call):
            func = expr.func
            qualname = scope.qualname(func)
            if qualname is not None and qualname in catalog.constructors:
                return catalog.constructors[qualname]
            if project is not None:
                dotted = project.dotted(func, scope)
                kind = project.kind_of_dotted("C:", dotted) if dotted is not None else None
                if kind is not None:
                    return kind  # an instance of a project class
            if isinstance(func, cst.Attribute):
                owner = self.kind_of(func.value, scope, depth + 1)
                if owner is not None:
                    return catalog.factories.get((owner, func.attr.value))
                return None
            called = self.kind_of(func, scope, depth + 1)  # calling an instance
            return catalog.factories.get((called, "__call__")) if called is not None else None
        if isinstance(expr, cst.Name):
            function = scope.function
            if function is not None and function.self_name == expr.value and function.lookup(expr.value) is function:
                return self._self_kind(function)
            return self._name_kind(expr.value, scope, depth)
        if isinstance(expr, cst.Attribute):
            receiver = expr.value
            if isinstance(receiver, cst.Name):
                function = scope.function
                if function is not None and function.self_name == receiver.value:
                    if function.lookup(receiver.value) is function:
                        return self._attribute_kind(function.enclosing_class, expr.attr.value, depth)
            owner = self.kind_of(receiver, scope, depth + 1)
            if owner is None:
                if project is not None:
                    dotted = project.dotted(expr, scope)  # mod.SESSION, a module-level instance elsewhere
                    if dotted is not None:
                        return project.kind_of_dotted("G:", dotted)
                return None
            if owner in catalog.chained_kinds:
                return owner
            if owner.startswith("class:") and project is not None:
                return project.index.kind(f"S:{owner[6:]}#{expr.attr.value}")
            return catalog.attributes.get((owner, expr.attr.value))
        if isinstance(expr, cst.Subscript):
            owner = self.kind_of(expr.value, scope, depth + 1)
            return owner if owner in catalog.chained_kinds else None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
            left = self.kind_of(expr.left, scope, depth + 1)
            return left if left == "pathlib.Path" else None
        return None

    def _self_kind(self, function: Scope) -> Optional[str]:
        """``self``/``cls`` in a method of a module-level class: an instance of it."""
        class_scope = function.enclosing_class
        if self.project is None or class_scope is None or class_scope.parent.kind != MODULE:
            return None
        return self.project.kind_of_dotted("A:", f"{self.project.module}.{class_scope.node.name.value}")

    def _name_kind(self, name: str, scope: Scope, depth: int) -> Optional[str]:
        owner = scope.lookup(name)
        if owner is None:
            return None
        if owner.kind in (FUNCTION, LAMBDA) and owner is not scope.function:
            # A closure over an enclosing function's local: that object may be
            # shared with threads or other code; only the same function scope
            # (or the module) makes a known instance.
            return None
        return self._same_kind(owner.bindings[name], depth)

    def _attribute_kind(self, class_scope: Optional[Scope], attr: str, depth: int) -> Optional[str]:
        if class_scope is None:
            return None
        bindings = list(class_scope.attr_bindings.get(attr, ())) + list(class_scope.bindings.get(attr, ()))
        return self._same_kind(bindings, depth)

    def _same_kind(self, bindings, depth: int) -> Optional[str]:
        # An annotation says what the name holds, whatever it is assigned from.
        annotated = [b for b in bindings if b.kind in ("assign", "declare") and b.node is not None]
        if annotated and all(b.kind in ("assign", "declare") for b in bindings):
            kinds = {self.annotation_kind(b.node.annotation, b.scope) for b in annotated}
            if len(kinds) == 1 and None not in kinds:
                return kinds.pop()
        found = None
        assigned = False
        for binding in bindings:
            if binding.kind == "declare":
                continue
            kind = self._binding_kind(binding, depth)
            if kind is None or (found is not None and kind != found):
                return None
            found = kind
            assigned = True
        return found if assigned else None

    def annotation_kind(self, annotation, scope: Scope) -> Optional[str]:
        """The kind an annotation gives (RULES.md "known instance"), or None."""
        if self.source_of is None or scope is None:
            return None
        expr = parse_annotation(self.source_of(annotation))
        if expr is None:
            return None
        project = self.project

        def resolve(written: str) -> Optional[str]:
            if project is not None:
                return project.written(written, scope)
            root, _, rest = written.partition(".")
            base = scope.qualname(cst.Name(root))
            return f"{base}.{rest}" if base and rest else base

        targets = annotation_targets(expr, resolve)
        if not targets:
            return None
        if len(targets) > 1:
            return union_kind(targets, self.catalog.annotations)
        target = targets[0]
        kind = self.catalog.annotations.get(target)
        if kind is None and project is not None:
            kind = project.kind_of_dotted("A:", target)
        return kind

    def _binding_kind(self, binding: Binding, depth: int) -> Optional[str]:
        scope = binding.scope
        if binding.kind in ("assign", "with") and binding.value is not None:
            return self.kind_of(binding.value, scope, depth + 1)
        if binding.kind == "param":
            annotation = binding.node.annotation
            if annotation is None or scope.parent is None:
                return None
            # Evaluated where the def statement runs (a class body, for a method).
            return self.annotation_kind(annotation.annotation, scope.parent)
        if binding.kind == "import" and self.project is not None:
            dotted = self.project.absolute(binding.qualname)
            return self.project.kind_of_dotted("G:", dotted) if dotted else None
        if binding.kind == "unpack":
            value = binding.value
            if isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
                qualname = scope.qualname(value.expression.func)
                kinds = self.catalog.tuple_factories.get(qualname) if qualname else None
                index = int(binding.qualname)
                if kinds and index < len(kinds):
                    return kinds[index]
        return None
