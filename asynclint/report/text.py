"""``path:line:col: CODE message``, one finding a line (flake8's shape)."""

from __future__ import annotations

from typing import List

from asynclint.diagnostic import Diagnostic


def location(d: Diagnostic) -> str:
    if d.cell is not None:
        return f"{d.path}:cell_{d.cell}:{d.line}:{d.column}"
    return f"{d.path}:{d.line}:{d.column}"


def format_diagnostics(diagnostics: List[Diagnostic]) -> str:
    return "".join(f"{location(d)}: {d.code} {d.message}\n" for d in diagnostics)
