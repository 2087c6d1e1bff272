"""Precision audit: findings on real async code must each have a verdict.

Lints the running Python's ``asyncio`` package and the pinned aiohttp, httpx,
httpcore, starlette, fastapi and anyio installed with the test extra, each as a
project of its own (its helpers and base classes known, other packages not). A finding that is
not in ``audit/verdicts.txt`` fails the test: judge it, then fix the rule (a
false positive) or record it with its verdict (a true one).
"""

import asyncio
import importlib
import os
from pathlib import Path

from asynclint.config import load_settings
from asynclint.discovery import discover
from asynclint.engine import lint_path
from asynclint.project import Project

PACKAGES = ["aiohttp", "httpx", "httpcore", "starlette", "fastapi", "anyio"]
VERDICTS = Path(__file__).parent / "audit" / "verdicts.txt"


def recorded():
    out = []
    for line in VERDICTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, code, message, verdict = (part.strip() for part in line.split("|", 3))
            out.append((path, code, message, verdict))
    return out


def test_every_finding_on_real_async_code_has_a_verdict():
    roots = [Path(asyncio.__file__).parent] + [Path(importlib.import_module(p).__file__).parent for p in PACKAGES]
    settings = load_settings()
    findings = []
    for root in roots:
        files, _ = discover([str(root)], settings)
        inside = str(root) + os.sep
        project = Project(str(root.parent), excluded=lambda p, inside=inside: not p.startswith(inside))
        for path in files:
            for d in lint_path(path, settings, project):
                rel = os.path.relpath(d.path, root.parent).replace(os.sep, "/")
                findings.append((rel, d.code, d.message))
    verdicts = recorded()
    unjudged = [f for f in findings if not any(f[0] == v[0] and f[1] == v[1] and f[2].startswith(v[2]) for v in verdicts)]
    assert unjudged == []
    assert all(v[3].startswith(("true", "false")) for v in verdicts)
    # Every recorded verdict on the pinned packages still matches a finding (the
    # standard library's asyncio differs between Python versions).
    stale = [v for v in verdicts if not v[0].startswith("asyncio/") and not any(f[0] == v[0] and f[1] == v[1] and f[2].startswith(v[2]) for f in findings)]
    assert stale == []
