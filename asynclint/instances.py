"""Known instances: what kind of object an expression holds, when we can know.

A kind comes from a known constructor or factory (``requests.Session()``,
``open(...)``, ``conn.cursor()``), reached through a name every one of whose
bindings in its scope gives the same kind, a parameter annotated with a known
class, or ``self.x``/``cls.x`` when every assignment of ``x`` in the class gives
the same kind. Anything else is unknown (None): rules stay silent on unknowns.

Call these from a rule's ``finish()``, when every binding has been recorded.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from asynclint.lazy import libcst as cst

from asynclint.catalog import load
from asynclint.scope import Binding, Scope

_MAX_DEPTH = 12  # name -> value -> name ... chains longer than this are unknown


class Instances:
    def __init__(self, scopes: Dict[cst.CSTNode, Scope]) -> None:
        self.catalog = load()
        self.scopes = scopes  # scope-opening node -> its scope (from the walk)
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
        if isinstance(expr, cst.Call):
            func = expr.func
            qualname = scope.qualname(func)
            if qualname is not None and qualname in catalog.constructors:
                return catalog.constructors[qualname]
            if isinstance(func, cst.Attribute):
                owner = self.kind_of(func.value, scope, depth + 1)
                if owner is not None:
                    return catalog.factories.get((owner, func.attr.value))
            return None
        if isinstance(expr, cst.Name):
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
                return None
            if owner in catalog.chained_kinds:
                return owner
            return catalog.attributes.get((owner, expr.attr.value))
        if isinstance(expr, cst.Subscript):
            owner = self.kind_of(expr.value, scope, depth + 1)
            return owner if owner in catalog.chained_kinds else None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
            left = self.kind_of(expr.left, scope, depth + 1)
            return left if left == "pathlib.Path" else None
        return None

    def _name_kind(self, name: str, scope: Scope, depth: int) -> Optional[str]:
        owner = scope.lookup(name)
        if owner is None:
            return None
        return self._same_kind(owner.bindings[name], depth)

    def _attribute_kind(self, class_scope: Optional[Scope], attr: str, depth: int) -> Optional[str]:
        if class_scope is None:
            return None
        bindings = list(class_scope.attr_bindings.get(attr, ())) + list(class_scope.bindings.get(attr, ()))
        return self._same_kind(bindings, depth)

    def _same_kind(self, bindings, depth: int) -> Optional[str]:
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

    def _binding_kind(self, binding: Binding, depth: int) -> Optional[str]:
        scope = binding.scope
        if binding.kind in ("assign", "with") and binding.value is not None:
            return self.kind_of(binding.value, scope, depth + 1)
        if binding.kind == "param":
            annotation = binding.node.annotation
            if annotation is None or scope.parent is None:
                return None
            qualname = scope.parent.qualname(annotation.annotation)
            return self.catalog.annotations.get(qualname) if qualname else None
        if binding.kind == "unpack":
            value = binding.value
            if isinstance(value, cst.Await) and isinstance(value.expression, cst.Call):
                qualname = scope.qualname(value.expression.func)
                kinds = self.catalog.tuple_factories.get(qualname) if qualname else None
                index = int(binding.qualname)
                if kinds and index < len(kinds):
                    return kinds[index]
        return None
