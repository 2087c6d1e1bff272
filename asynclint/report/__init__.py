"""Output formats. Each formatter takes the sorted diagnostics and returns text."""

from __future__ import annotations

from typing import Callable, Dict, List

from asynclint.diagnostic import Diagnostic
from asynclint.report import github, json_format, sarif, text

FORMATTERS: Dict[str, Callable[[List[Diagnostic]], str]] = {
    "text": text.format_diagnostics,
    "json": json_format.format_diagnostics,
    "github": github.format_diagnostics,
    "sarif": sarif.format_diagnostics,
}
