"""A finding with its place: what every reporter and integration consumes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    code: str
    message: str
    name: str
    end_line: int
    end_column: int
    cell: Optional[int] = None  # notebooks: 1-based cell index; line is within the cell

    def sort_key(self):
        return (self.path, self.cell or 0, self.line, self.column, self.code)


def whole_file(path: str, code: str, message: str) -> Diagnostic:
    """A finding about a file as a whole, placed at line 1, column 1."""
    from asynclint.rules.base import REGISTRY, all_rules

    all_rules()
    return Diagnostic(path, 1, 1, code, message, REGISTRY[code].name, 1, 1)
