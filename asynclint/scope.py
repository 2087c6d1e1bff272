"""Scopes, bindings and the resolution of names to dotted names.

The walker builds one ``Scope`` per module, class, function, lambda and
comprehension, and records every binding in it (imports, defs, classes,
parameters, assignments...). Resolution follows Python's own rules: a name
bound anywhere in a function is local to all of it, class scopes are invisible
to the functions nested in them, ``global``/``nonlocal`` redirect.

Because a binding may come after the use (a loop, a late import), rules that
resolve names should do so in their ``finish()``, when every scope is complete.
"""

from __future__ import annotations

import builtins
from typing import Dict, List, Optional, Sequence

from asynclint.lazy import libcst as cst

BUILTIN_NAMES = frozenset(dir(builtins))

MODULE = "module"
CLASS = "class"
FUNCTION = "function"
LAMBDA = "lambda"
COMPREHENSION = "comprehension"


class Binding:
    """One place a name is bound.

    ``kind`` is one of: ``import`` (``qualname`` holds the dotted target),
    ``def`` (``node`` is the FunctionDef), ``class`` (the ClassDef), ``param``
    (the Param), ``assign`` (``value`` is the assigned expression, or None when
    it is not a plain one-to-one assignment), ``with`` (``value`` is the
    context-manager expression), ``other`` (for targets, except names, del...).
    """

    __slots__ = ("kind", "node", "value", "qualname", "order", "scope")

    def __init__(self, kind, node=None, value=None, qualname=None, order=0):
        self.kind = kind
        self.node = node
        self.value = value
        self.qualname = qualname  # for "unpack": the index of the item, as text
        self.order = order  # walk order, to tell "before" from "after"
        self.scope: Optional["Scope"] = None  # where the bound value is evaluated


class Scope:
    __slots__ = (
        "kind",
        "node",
        "parent",
        "is_async",
        "in_coroutine",
        "is_genexp",
        "bindings",
        "global_names",
        "nonlocal_names",
        "loads",
        "attr_bindings",
        "self_name",
        "children",
        "returns",
        "yields",
        "loops",
    )

    def __init__(self, kind: str, node: cst.CSTNode, parent: Optional["Scope"], is_async=False):
        self.kind = kind
        self.node = node
        self.parent = parent
        self.is_async = is_async
        self.is_genexp = isinstance(node, cst.GeneratorExp)
        if kind == FUNCTION:
            self.in_coroutine = is_async
        elif kind == COMPREHENSION:
            self.in_coroutine = parent.in_coroutine
        else:
            self.in_coroutine = False
        self.bindings: Dict[str, List[Binding]] = {}
        self.global_names: set = set()
        self.nonlocal_names: set = set()
        # name -> walk order of every read of it in this scope
        self.loads: Dict[str, List[int]] = {}
        # class scopes only: attribute name -> bindings via self.X / cls.X
        self.attr_bindings: Dict[str, List[Binding]] = {}
        # methods only: the name of the first parameter (self / cls)
        self.self_name: Optional[str] = None
        self.children: List["Scope"] = []
        if parent is not None:
            parent.children.append(self)
        # functions: their own return statements and whether they yield
        self.returns: List[cst.Return] = []
        self.yields = False
        # (first, last) walk order of each for/while statement in this scope
        self.loops: List[tuple] = []

    # -- structure -------------------------------------------------------
    @property
    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    @property
    def function(self) -> Optional["Scope"]:
        """The nearest enclosing function or lambda scope (self included)."""
        scope = self
        while scope is not None and scope.kind == COMPREHENSION:
            scope = scope.parent
        return scope if scope is not None and scope.kind in (FUNCTION, LAMBDA) else None

    @property
    def runs_in(self) -> "Scope":
        """The scope whose code this is: self, or for a comprehension its owner."""
        scope = self
        while scope.kind == COMPREHENSION:
            scope = scope.parent
        return scope

    @property
    def function_name(self) -> str:
        """The name of the def whose code this is ("?" at module or class level, or in a lambda)."""
        node = self.runs_in.node
        return node.name.value if isinstance(node, cst.FunctionDef) else "?"

    @property
    def enclosing_class(self) -> Optional["Scope"]:
        """For a method's scope: the class scope it is defined in."""
        if self.kind == FUNCTION and self.parent is not None and self.parent.kind == CLASS:
            return self.parent
        return None

    # -- bindings --------------------------------------------------------
    def bind(self, name: str, binding: Binding) -> None:
        target = self
        if name in self.global_names:
            target = self.module
        elif name in self.nonlocal_names:
            target = self._nonlocal_owner(name) or self
        target.bindings.setdefault(name, []).append(binding)

    def _nonlocal_owner(self, name: str) -> Optional["Scope"]:
        scope = self.parent
        while scope is not None and scope.kind != MODULE:
            if scope.kind != CLASS and name in scope.bindings and name not in scope.nonlocal_names:
                return scope
            scope = scope.parent
        return None

    def lookup(self, name: str) -> Optional["Scope"]:
        """The scope that owns ``name`` as seen from here, or None if unbound."""
        if name in self.global_names:
            scope = self.module
            return scope if name in scope.bindings else None
        scope: Optional[Scope] = self
        first = True
        while scope is not None:
            if scope.kind == CLASS and not first:
                scope = scope.parent
                continue
            if name in scope.bindings and name not in scope.nonlocal_names:
                return scope
            if name in scope.global_names:
                module = scope.module
                return module if name in module.bindings else None
            first = False
            scope = scope.parent
        return None

    def bindings_of(self, name: str) -> Sequence[Binding]:
        owner = self.lookup(name)
        return owner.bindings[name] if owner is not None else ()

    def qualname(self, expr: cst.BaseExpression) -> Optional[str]:
        """The dotted name ``expr`` stands for after this file's imports.

        ``r.get`` with ``import requests as r`` is ``requests.get``; a builtin
        that nothing shadows is its bare name (``open``). Anything else, a
        local variable or a call result, is None.
        """
        if isinstance(expr, cst.Name):
            name = expr.value
            owner = self.lookup(name)
            if owner is None:
                return name if name in BUILTIN_NAMES else None
            found = None
            for binding in owner.bindings[name]:
                if binding.kind != "import":
                    return None
                if found is not None and binding.qualname != found:
                    return None
                found = binding.qualname
            if found is not None and found.startswith("builtins."):
                return found[len("builtins."):]
            return found
        if isinstance(expr, cst.Attribute):
            base = self.qualname(expr.value)
            if base is None:
                return None
            dotted = f"{base}.{expr.attr.value}"
            return dotted[len("builtins."):] if dotted.startswith("builtins.") else dotted
        return None

    def read_after(self, name: str, order: int) -> bool:
        """Whether ``name``, bound here at walk position ``order``, may be read later.

        A read later in the scope, a read anywhere in the same loop, a read from
        a nested scope (a closure may run at any time) or a call of ``locals()``
        or ``vars()`` all count.
        """
        if "locals" in self.loads or "vars" in self.loads:
            return True
        reads = self.loads.get(name, ())
        if any(read > order for read in reads):
            return True
        for first, last in self.loops:
            if first <= order <= last and any(first <= read <= last for read in reads):
                return True
        return any(child._reads_from(name, self) for child in self.children)

    def _reads_from(self, name: str, owner: "Scope") -> bool:
        if name in self.loads and self.lookup(name) is owner:
            return True
        return any(child._reads_from(name, owner) for child in self.children)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Scope {self.kind} {type(self.node).__name__}>"
