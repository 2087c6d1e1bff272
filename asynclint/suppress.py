"""Suppression comments: ``# noqa`` on a finding's line, and file-level skips.

``# noqa`` alone silences every finding reported on its line; ``# noqa: ASL301,
ASL300`` only those codes (or codes starting with them, as in flake8).
``# asynclint: skip-file`` anywhere in a file skips the file.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Dict, FrozenSet, Iterable, List, Optional

SKIP_FILE = re.compile(r"#[ \t]*asynclint:[ \t]*skip-file\b")
NOQA = re.compile(
    r"#\s*noqa\b(?::\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)

ALL = frozenset({"*"})


def skips_file(text: str) -> bool:
    return "skip-file" in text and SKIP_FILE.search(text) is not None


def parse_noqa(comment: str) -> Optional[FrozenSet[str]]:
    """Codes a comment silences: ALL for a bare noqa, None for no noqa."""
    match = NOQA.search(comment)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return ALL
    return frozenset(code.upper() for code in CODE.findall(codes))


def noqa_by_line(text: str, lines: Iterable[int]) -> Dict[int, FrozenSet[str]]:
    """For the given 1-based lines, the codes their comments silence.

    Comments are found with the tokenizer, so ``"# noqa"`` inside a string
    does not count. Only called for files that have findings.
    """
    wanted = set(lines)
    source_lines = text.splitlines()
    if not any(
        0 < n <= len(source_lines) and "noqa" in source_lines[n - 1].lower() for n in wanted
    ):
        return {}
    found: Dict[int, FrozenSet[str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start[0] in wanted:
                codes = parse_noqa(token.string)
                if codes is not None:
                    found[token.start[0]] = codes
    except (tokenize.TokenError, SyntaxError):
        return found
    return found


def is_silenced(code: str, codes: Optional[FrozenSet[str]]) -> bool:
    if codes is None:
        return False
    return codes is ALL or any(code.startswith(prefix) for prefix in codes)


def filter_noqa(text: str, diagnostics: List) -> List:
    if not diagnostics:
        return diagnostics
    noqa = noqa_by_line(text, (d.line for d in diagnostics))
    if not noqa:
        return diagnostics
    return [d for d in diagnostics if not is_silenced(d.code, noqa.get(d.line))]
