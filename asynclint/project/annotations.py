"""What class an annotation names, for known instances (RULES.md "known instance").

``T``, ``Optional[T]``, ``Union[T, None]``, ``T | None``, ``None | T``,
``Annotated[T, ...]`` and the same written as a string all name ``T``. A union
of two different classes names none, unless the catalog gives them one kind. Works on CPython's ``ast``; the libcst
side hands over the annotation's source text, so both sides read annotations
the same way.
"""

from __future__ import annotations

import ast
from typing import Callable, List, Optional

OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
UNION = frozenset({"typing.Union", "typing_extensions.Union"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})

Resolve = Callable[[str], Optional[str]]  # a dotted name as written -> absolute, or None


def _written(expr) -> Optional[str]:
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
        return ".".join(reversed(parts))
    return None


def annotation_targets(expr, resolve: Resolve, depth: int = 0) -> Optional[List[str]]:
    """The absolute names of the classes ``expr`` allows besides None (deduplicated),
    or None when the annotation is not one of the understood forms."""
    if depth > 8 or expr is None:
        return None
    if isinstance(expr, ast.Constant):
        if expr.value is None:
            return []
        if isinstance(expr.value, str):
            try:
                inner = ast.parse(expr.value.strip(), mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None
            return annotation_targets(inner, resolve, depth + 1)
        return None
    written = _written(expr)
    if written is not None:
        if written == "None":
            return []
        target = resolve(written)
        return [target] if target is not None else None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _union([expr.left, expr.right], resolve, depth)
    if isinstance(expr, ast.Subscript):
        base = _written(expr.value)
        origin = resolve(base) if base is not None else None
        args = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if origin in OPTIONAL and len(args) == 1:
            return annotation_targets(args[0], resolve, depth + 1)
        if origin in UNION:
            return _union(args, resolve, depth)
        if origin in ANNOTATED and args:
            return annotation_targets(args[0], resolve, depth + 1)
        # Generic[X], queue.Queue[int]: the class itself.
        return [origin] if origin is not None else None
    return None


def _union(members, resolve: Resolve, depth: int) -> Optional[List[str]]:
    found: List[str] = []
    for member in members:
        targets = annotation_targets(member, resolve, depth + 1)
        if targets is None:
            return None
        for target in targets:
            if target not in found:
                found.append(target)
    return found


def union_kind(targets: List[str], kinds) -> Optional[str]:
    """For a union of several classes: the one catalog kind they all give
    (``Union[io.TextIOWrapper, io.BufferedReader]`` is a file), else None (a
    union of two different kinds, or of a class the catalog does not know)."""
    found = {kinds.get(target) for target in targets}
    return found.pop() if len(found) == 1 and None not in found else None


def parse_annotation(source: str):
    """An annotation's source text as an ``ast`` expression (None if it does not parse)."""
    try:
        return ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
