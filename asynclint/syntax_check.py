"""CPython's verdict on a source file: its ``ast`` tree, or the ASL001 it earns.

No libcst here: the first pass of a run (summaries) and every file without
``async``/``await`` need only this.
"""

from __future__ import annotations

import ast
import contextlib
import sys
import warnings
from typing import Optional

from asynclint.diagnostic import Diagnostic, whole_file


def check_syntax(text: str, path: str) -> Optional[Diagnostic]:
    """CPython's verdict on the source, as ASL001, or None if it parses."""
    return syntax_tree(text, path)[1]


def syntax_tree(text: str, path: str):
    """(CPython's tree, None) for source that parses, else (None, its ASL001)."""
    try:
        # As a fresh `python -m py_compile` would judge it: CPython's depth
        # limit on building the tree counts the caller's frames too.
        with warnings.catch_warnings(), recursion_limit(sys.getrecursionlimit() + _stack_depth()):
            warnings.simplefilter("ignore")  # invalid escape sequences and the like
            # No real filename: CPython would re-read the error line from that file
            # to place the column, wrong for notebooks and non-UTF-8 sources.
            tree = ast.parse(text)
    except SyntaxError as exc:
        line = exc.lineno or 1
        column = exc.offset or 1
        end_line = getattr(exc, "end_lineno", None) or line
        end_column = getattr(exc, "end_offset", None) or column
        if end_line < line or (end_line == line and end_column < column):
            end_line, end_column = line, column
        message = f"{type(exc).__name__}: {exc.msg}"
        return None, _syntax_diagnostic(path, message, line, max(column, 1), end_line, max(end_column, 1))
    except (RecursionError, MemoryError):
        return None, whole_file(path, "ASL001", "SyntaxError: too deeply nested for the parser")
    except ValueError as exc:  # e.g. source code string cannot contain null bytes
        return None, whole_file(path, "ASL001", f"SyntaxError: {exc}")
    return tree, None


def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


@contextlib.contextmanager
def recursion_limit(limit: int):
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)



def _syntax_diagnostic(path, message, line, column, end_line, end_column) -> Diagnostic:
    from asynclint.rules.base import REGISTRY, all_rules

    all_rules()
    return Diagnostic(path, line, column, "ASL001", message, REGISTRY["ASL001"].name, end_line, end_column)
