"""Jupyter notebooks: code cells joined into one module, with a position map.

Cells are joined in order so that an import in one cell serves the next. IPython
syntax that is not Python never counts as a syntax error: a line magic, a shell
line (``%time f()``, ``!pip install x``, ``files = !ls``) or a help line
(``obj?``) reads as a blank line, and a cell that starts with a cell magic
(``%%timeit``) is skipped whole. A cell that still does not parse is reported
(ASL001 at its own line) and left out, so the other cells are linted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

MAGIC_LINE = re.compile(
    r"""^\s*(?:
        [%!]                                          # %magic, !shell
      | [A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]   # x = !ls, a, b = %sx cmd
      | \?{1,2}[\w.]+\s*$                             # ?obj
      | [\w.]+\?{1,2}\s*$                             # obj?  obj??
    )""",
    re.VERBOSE,
)


class InvalidNotebook(Exception):
    """Not JSON, or not an nbformat-4 notebook."""


@dataclass
class Cell:
    index: int  # 1-based among all cells, markdown included
    source: str


@dataclass
class JoinedNotebook:
    text: str  # the code cells, joined
    # joined line number (1-based) -> (cell index, line within the cell)
    line_map: List[Tuple[int, int]]

    def locate(self, line: int) -> Tuple[int, int]:
        if 1 <= line <= len(self.line_map):
            return self.line_map[line - 1]
        return self.line_map[-1] if self.line_map else (1, line)


def read_cells(data: bytes) -> List[Cell]:
    """The code cells of a notebook; raises InvalidNotebook."""
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidNotebook(f"not valid JSON: {exc}") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise InvalidNotebook("not a notebook: no list of cells")
    if notebook.get("nbformat") != 4:
        raise InvalidNotebook(f"unsupported nbformat {notebook.get('nbformat')!r}: only nbformat 4 is read")
    cells = []
    for index, cell in enumerate(notebook["cells"], 1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise InvalidNotebook(f"cell {index} is not a notebook cell")
        if cell["cell_type"] != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise InvalidNotebook(f"cell {index} has no text source")
        cells.append(Cell(index, source))
    return cells


def python_lines(source: str) -> Optional[List[str]]:
    """The cell's lines with IPython-only lines blanked; None for a cell magic cell."""
    lines = source.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if first.lstrip().startswith("%%"):
        return None
    return ["" if MAGIC_LINE.match(line) else line for line in lines]


def join(cells: List[Tuple[Cell, List[str]]]) -> JoinedNotebook:
    text_lines: List[str] = []
    line_map: List[Tuple[int, int]] = []
    for cell, lines in cells:
        if lines and lines[-1] == "":
            lines = lines[:-1]
        for number, line in enumerate(lines, 1):
            text_lines.append(line)
            line_map.append((cell.index, number))
    return JoinedNotebook("\n".join(text_lines) + "\n", line_map)


def relocate(diagnostic, joined: JoinedNotebook):
    """A diagnostic on the joined module, placed in its cell."""
    cell, line = joined.locate(diagnostic.line)
    end_cell, end_line = joined.locate(diagnostic.end_line)
    end_column = diagnostic.end_column
    if end_cell != cell:  # spans cells: end at the start line
        end_line, end_column = line, diagnostic.column
    return replace(diagnostic, cell=cell, line=line, end_line=end_line, end_column=end_column)


def is_notebook(path: str) -> bool:
    return path.endswith(".ipynb")


def notebook_source(data: bytes) -> Optional[str]:
    """A notebook's code cells joined as the linter reads them (cells that parse)."""
    from asynclint.syntax_check import check_syntax

    try:
        cells = read_cells(data)
    except InvalidNotebook:
        return None
    kept = []
    for cell in cells:
        lines = python_lines(cell.source)
        if lines is not None and check_syntax("\n".join(lines), "") is None:
            kept.append((cell, lines))
    return join(kept).text
