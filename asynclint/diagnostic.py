"""What a run finds, in two shapes.

- ``Finding``: what a rule reports during the walk: the code, the libcst node
  it is about, the message, and for findings that reach through other
  functions, the chain of calls. Fixes and placement start from it.
- ``Diagnostic``: a finding with its place in the file (line and column), the
  one record every door reads (reporters, flake8, the cache, the editor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Optional, Tuple


class ChainStep(NamedTuple):
    """One call on the way from a coroutine to what it reaches (ASL309, ASL405)."""

    name: str  # the function called, or the offending call at the end
    path: str  # the file of that call, relative to the project root ('/'-separated)
    line: int  # 1-based line of the call (of the def, for the first step)


Chain = Tuple[ChainStep, ...]


@dataclass
class Finding:
    code: str
    node: Any  # the libcst node the finding is reported at
    message: str
    chain: Chain = ()


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
    chain: Chain = ()

    def sort_key(self):
        return (self.path, self.cell or 0, self.line, self.column, self.code)


def whole_file(path: str, code: str, message: str) -> Diagnostic:
    """A finding about a file as a whole, placed at line 1, column 1."""
    from asynclint.rules.base import REGISTRY, all_rules

    all_rules()
    return Diagnostic(path, 1, 1, code, message, REGISTRY[code].name, 1, 1)
