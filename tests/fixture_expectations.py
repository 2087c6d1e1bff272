"""Reading ``# expect: CODE[, CODE]`` annotations out of fixture files.

A fixture may start with ``# fixture-select: ASL`` (any codes or prefixes) to
be checked with that selection instead of the default rules, and with
``# fixture-blocking-calls: a.b, c.*`` to set the ``blocking-calls`` setting
(``# fixture-task-factories: a.spawn`` the ``task-factories`` one).
"""

import io
import json
import re
import tokenize
from pathlib import Path
from typing import List, Optional, Set, Tuple

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>ASL\d{3}(?:\s*,\s*ASL\d{3})*)")
SELECT = re.compile(r"^#\s*fixture-select:\s*(?P<codes>[A-Z0-9, ]+)$", re.MULTILINE)
BLOCKING = re.compile(r"^#\s*fixture-blocking-calls:\s*(?P<names>.+)$", re.MULTILINE)
TASK_FACTORIES = re.compile(r"^#\s*fixture-task-factories:\s*(?P<names>.+)$", re.MULTILINE)


def expected_findings(text: str) -> Set[Tuple[int, str]]:
    expected = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            match = EXPECT.search(token.string)
            if match:
                for code in re.split(r"\s*,\s*", match.group("codes")):
                    expected.add((token.start[0], code))
    return expected


def notebook_expected_findings(data: bytes) -> Set[Tuple[int, int, str]]:
    """(cell, line, code) for every ``# expect:`` in a notebook's code cells."""
    notebook = json.loads(data)
    expected = set()
    for index, cell in enumerate(notebook["cells"], 1):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for number, line in enumerate(source.split("\n"), 1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group("codes")):
                    expected.add((index, number, code))
    return expected


def expectations(path: Path) -> Set[Tuple[Optional[int], int, str]]:
    """(cell or None, line, code) for any fixture file."""
    if path.suffix == ".ipynb":
        return notebook_expected_findings(path.read_bytes())
    return {(None, line, code) for line, code in expected_findings(path.read_text(encoding="utf-8"))}


def fixture_select(text: str) -> Optional[str]:
    match = SELECT.search(text)
    return match.group("codes").strip() if match else None


def fixture_blocking_calls(text: str) -> Tuple[str, ...]:
    match = BLOCKING.search(text)
    return tuple(n.strip() for n in match.group("names").split(",")) if match else ()


def fixture_task_factories(text: str) -> Tuple[str, ...]:
    match = TASK_FACTORIES.search(text)
    return tuple(n.strip() for n in match.group("names").split(",")) if match else ()


def fixture_files(root: Path, suffixes=(".py", ".ipynb")) -> List[Path]:
    """The fixture files, as discovery finds them (skipped directories such as
    ``build/`` hold modules that must stay outside every fixture project)."""
    from asynclint.discovery import SKIPPED_DIRS

    return sorted(
        p for p in root.rglob("*") if p.suffix in suffixes and not SKIPPED_DIRS.intersection(p.relative_to(root).parts)
    )
