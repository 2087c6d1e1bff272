"""GitHub Actions workflow commands: findings appear inline on pull requests.

Every finding is an ``::error``: it fails the lint step (exit 1), and GitHub
shows it on the changed line.
"""

from __future__ import annotations

from typing import List

from asynclint.diagnostic import Diagnostic


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_diagnostics(diagnostics: List[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        title = f"{d.code} ({d.name})"
        message = f"cell {d.cell}: {d.message}" if d.cell is not None else d.message
        props = (
            f"file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"endLine={d.end_line},endColumn={d.end_column},title={_escape_property(title)}"
        )
        lines.append(f"::error {props}::{_escape_data(message)}\n")
    return "".join(lines)
