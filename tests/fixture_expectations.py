"""Reading ``# expect: CODE[, CODE]`` annotations out of fixture files.

A fixture may start with ``# fixture-select: ASL`` (any codes or prefixes) to
be checked with that selection instead of the default rules, and with
``# fixture-blocking-calls: a.b, c.*`` to set the ``blocking-calls`` setting.
"""

import io
import re
import tokenize
from pathlib import Path
from typing import List, Optional, Set, Tuple

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>ASL\d{3}(?:\s*,\s*ASL\d{3})*)")
SELECT = re.compile(r"^#\s*fixture-select:\s*(?P<codes>[A-Z0-9, ]+)$", re.MULTILINE)
BLOCKING = re.compile(r"^#\s*fixture-blocking-calls:\s*(?P<names>.+)$", re.MULTILINE)


def expected_findings(text: str) -> Set[Tuple[int, str]]:
    expected = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            match = EXPECT.search(token.string)
            if match:
                for code in re.split(r"\s*,\s*", match.group("codes")):
                    expected.add((token.start[0], code))
    return expected


def fixture_select(text: str) -> Optional[str]:
    match = SELECT.search(text)
    return match.group("codes").strip() if match else None


def fixture_blocking_calls(text: str) -> Tuple[str, ...]:
    match = BLOCKING.search(text)
    return tuple(n.strip() for n in match.group("names").split(",")) if match else ()


def fixture_files(root: Path, suffixes=(".py",)) -> List[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in suffixes and "__pycache__" not in p.parts)
