"""What a run finds, in two shapes.

- ``Finding``: what a rule reports during the walk: the code, the libcst node
  it is about, the message, and for findings that reach through other
  functions, the chain of calls. Fixes and placement start from it.
- ``Diagnostic``: a finding with its place in the file (line and column), the
  one record every door reads (reporters, flake8, the cache, the editor).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional, Tuple


class ChainStep(NamedTuple):
    """One call on the way from a coroutine to what it reaches (ASL309, ASL405)."""

    name: str  # the function called, or the offending call at the end
    # The file of that call, '/'-separated: relative to the project root in a
    # Finding (as messages show it), to the reported file's directory in a
    # Diagnostic (so that it survives the cache and any working directory).
    path: str
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

    def chain_steps(self) -> Tuple[ChainStep, ...]:
        """The chain with each step's path written the way this diagnostic's path is."""
        base = os.path.dirname(self.path)
        return tuple(
            step._replace(path=os.path.normpath(os.path.join(base, step.path.replace("/", os.sep))))
            for step in self.chain
        )


def whole_file(path: str, code: str, message: str) -> Diagnostic:
    """A finding about a file as a whole, placed at line 1, column 1."""
    from asynclint.rules.base import REGISTRY, all_rules

    all_rules()
    return Diagnostic(path, 1, 1, code, message, REGISTRY[code].name, 1, 1)
