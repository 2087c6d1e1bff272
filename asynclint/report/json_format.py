"""A JSON list of findings, for tools."""

from __future__ import annotations

import json
from typing import List

from asynclint.diagnostic import Diagnostic


def as_dict(d: Diagnostic) -> dict:
    item = {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
    }
    if d.cell is not None:
        item["cell"] = d.cell
    if d.chain:
        item["chain"] = [{"name": s.name, "path": s.path, "line": s.line} for s in d.chain_steps()]
    return item


def format_diagnostics(diagnostics: List[Diagnostic]) -> str:
    return json.dumps([as_dict(d) for d in diagnostics], indent=2) + "\n"
