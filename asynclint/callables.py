"""What a call site calls: a coroutine function, a provably synchronous one, or
something unknown. Shared by the awaitable rules (ASL2xx).

Decorators: ``staticmethod``, ``classmethod``, ``abc.abstractmethod``,
``typing(_extensions).override`` and ``functools.wraps(...)`` keep a function
what it was; any other decorator may wrap or replace it, so its calls are
unknown.
"""

from __future__ import annotations

import functools
from typing import Optional, Tuple

from asynclint.lazy import libcst as cst

from asynclint.instances import Instances
from asynclint.scope import CLASS, MODULE, Scope

KIND_KEEPING_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "abc.abstractmethod", "typing.override", "typing_extensions.override"}
)

@functools.lru_cache(maxsize=None)
def _literal_types() -> tuple:
    return (
        cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,
        cst.List, cst.Dict, cst.Set, cst.Tuple, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp,
        cst.Lambda,
    )

CONSTANT_NAMES = frozenset({"None", "True", "False"})


def is_literal(expr: cst.BaseExpression) -> bool:
    """A literal or display: its value can never be awaitable."""
    if isinstance(expr, _literal_types()):
        return True
    return isinstance(expr, cst.Name) and expr.value in CONSTANT_NAMES


def decorators_keep_kind(node, scope: Scope) -> bool:
    """Whether a def or class is still what it was written as (see module doc)."""
    for decorator in node.decorators:
        expr = decorator.decorator
        if isinstance(expr, cst.Call):
            if scope.qualname(expr.func) != "functools.wraps":
                return False
        elif scope.qualname(expr) not in KIND_KEEPING_DECORATORS:
            return False
    return True


def single_definition(name: str, scope: Scope, kind: str) -> Optional[Tuple[cst.CSTNode, Scope]]:
    """The one def/class ``name`` is bound to as seen from ``scope``, if only one."""
    owner = scope.lookup(name)
    if owner is None or owner.kind == CLASS:
        return None
    bindings = owner.bindings[name]
    if len(bindings) != 1 or bindings[0].kind != kind:
        return None
    return bindings[0].node, owner


def method_definition(func: cst.Attribute, scope: Scope) -> Optional[Tuple[cst.FunctionDef, Scope]]:
    """For ``self.m``/``cls.m`` in a method: the class's one ``def m``."""
    receiver = func.value
    function = scope.function
    if not isinstance(receiver, cst.Name) or function is None or function.self_name != receiver.value:
        return None
    if function.lookup(receiver.value) is not function:
        return None
    class_scope = function.enclosing_class
    bindings = class_scope.bindings.get(func.attr.value, ())
    if len(bindings) != 1 or bindings[0].kind != "def":
        return None
    if func.attr.value in class_scope.attr_bindings:
        return None  # also assigned through self: may be replaced per instance
    return bindings[0].node, class_scope


def coroutine_function(call: cst.Call, scope: Scope, instances: Instances) -> Optional[str]:
    """The name of the coroutine function ``call`` calls, or None if not known to be one."""
    func = call.func
    catalog = instances.catalog
    qualname = scope.qualname(func)
    if qualname is not None and qualname in catalog.coroutines:
        return qualname
    definition = None
    if isinstance(func, cst.Name):
        definition = single_definition(func.value, scope, "def")
    elif isinstance(func, cst.Attribute):
        if not _method_of_project_class(func, scope, instances):
            definition = method_definition(func, scope)
        if definition is None:
            method = instances.method_of(func, scope)
            if method is not None and method in catalog.coroutine_methods:
                return ".".join(method)
    if definition is not None:
        node, owner_scope = definition
        if node.asynchronous is not None and not _is_async_generator(node, instances) and decorators_keep_kind(
            node, owner_scope
        ):
            return node.name.value
        return None
    function = project_function(call, scope, instances)
    if function is not None:
        summary = function.summary
        if summary["async"] and summary["plain"] and not summary["gen"]:
            return function.qualname
    return None


def _method_of_project_class(func: cst.Attribute, scope: Scope, instances: Instances) -> bool:
    """``self.m`` in a method of a module-level class: the project index finds ``m``
    through the bases, so the class body alone does not decide."""
    function = scope.function
    return (
        instances.project is not None
        and isinstance(func.value, cst.Name)
        and function is not None
        and function.self_name == func.value.value
        and function.enclosing_class is not None
        and function.enclosing_class.parent.kind == MODULE
    )


def project_callee(call: cst.Call, scope: Scope, instances: Instances):
    """What the project index says ``call`` calls (see ProjectView.callee), or None."""
    project = instances.project
    return project.callee(call, scope, instances) if project is not None else None


def project_function(call: cst.Call, scope: Scope, instances: Instances):
    """The project function or method ``call`` calls (not a class), or None."""
    from asynclint.project.index import Function

    callee = project_callee(call, scope, instances)
    return callee if isinstance(callee, Function) else None


def _is_async_generator(node: cst.FunctionDef, instances: Instances) -> bool:
    # Calling an async generator function gives an async iterator, not a coroutine.
    scope = instances.scopes.get(node)
    return scope is not None and scope.yields


def sync_callable(call: cst.Call, scope: Scope, instances: Instances) -> Optional[str]:
    """The name of the synchronous callable ``call`` calls, if its result can never be awaitable."""
    func = call.func
    catalog = instances.catalog
    qualname = scope.qualname(func)
    if qualname is not None and qualname in catalog.sync_calls:
        return qualname
    if isinstance(func, cst.Name):
        definition = single_definition(func.value, scope, "def")
        if definition is not None:
            node, owner = definition
            if owner.kind == MODULE and node.asynchronous is None and decorators_keep_kind(node, owner):
                body = instances.scopes.get(node)
                if body is not None and all(r.value is None or is_literal(r.value) for r in body.returns):
                    return node.name.value
        definition = single_definition(func.value, scope, "class")
        if definition is not None:
            node, owner = definition
            if owner.kind == MODULE and _plain_class(node, owner):
                return node.name.value
            return None
    else:
        method = instances.method_of(func, scope)
        if method is not None and method in catalog.sync_methods:
            return ".".join(method)
    return _project_sync_callable(call, scope, instances)


def _project_sync_callable(call: cst.Call, scope: Scope, instances: Instances) -> Optional[str]:
    """A module-level sync def of another project module returning only literals,
    or a plain project class (ASL200)."""
    from asynclint.project.index import Class, Function

    if isinstance(call.func, cst.Name) and scope.lookup(call.func.value) is not None:
        binding_kinds = {b.kind for b in scope.bindings_of(call.func.value)}
        if binding_kinds != {"import"}:
            return None  # a local name: the file itself decided above
    callee = project_callee(call, scope, instances)
    if isinstance(callee, Function) and "." not in callee.qualname:
        summary = callee.summary
        if not summary["async"] and summary["plain"] and not summary["gen"] and summary["literal"]:
            return callee.qualname
    if isinstance(callee, Class) and instances.project.index.plain_class(callee):
        return callee.name
    return None


def _plain_class(node: cst.ClassDef, scope: Scope) -> bool:
    """A class with no bases but object, no metaclass, no __await__: its instances never await."""
    if node.keywords or node.decorators:
        return False
    for base in node.bases:
        if base.keyword is not None or scope.qualname(base.value) != "object":
            return False
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "__await__":
            return False
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    if any(isinstance(t, cst.Name) and t.value == "__await__" for t in targets):
                        return False
    return True
