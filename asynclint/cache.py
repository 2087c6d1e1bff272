"""The result cache: one entry per file content, settings and version.

Entries live under ``.asynclint_cache/`` at the project root (with its own
``.gitignore``). The key hashes the file's bytes, what settings apply to that
file, whether it is a notebook, asynclint's version and Python's, and a digest
of asynclint's own files (so that an upgrade or a local change of the linter
never serves findings of the code that was there before). An entry is
written to a temporary file and renamed into place, so two runs at once never
see a half-written entry; an entry that cannot be read or parsed is treated as
a miss and rewritten. Nothing here imports the parser.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import asdict
from typing import List, Optional

from asynclint import __version__
from asynclint.config import Settings
from asynclint.diagnostic import ChainStep, Diagnostic

CACHE_DIR = ".asynclint_cache"

_code_digest: Optional[str] = None


def code_digest() -> str:
    """A digest of the installed asynclint files' names, sizes and modification
    times: a few dozen stats once per process, no reading."""
    global _code_digest
    if _code_digest is None:
        package = os.path.dirname(os.path.abspath(__file__))
        digest = hashlib.sha256()
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json", ".toml", ".txt")):
                    try:
                        info = os.stat(os.path.join(folder, name))
                    except OSError:
                        continue
                    rel = os.path.relpath(os.path.join(folder, name), package)
                    digest.update(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        _code_digest = digest.hexdigest()
    return _code_digest


class Cache:
    def __init__(self, root: str, settings: Settings) -> None:
        base = os.path.join(root, CACHE_DIR)
        self.base = base
        self.dir = os.path.join(base, f"v{__version__}-py{sys.version_info[0]}{sys.version_info[1]}")
        self.settings = settings
        self._ready = False

    def key(self, path: str, data: bytes, depends: str = "") -> str:
        """``depends``: a digest of what else the file's findings depend on (the project)."""
        digest = hashlib.sha256(data)
        digest.update(depends.encode())
        digest.update(code_digest().encode())
        codes = ",".join(sorted(self.settings.codes_for(path)))
        facts = f"\0{os.path.splitext(path)[1]}\0{codes}\0{self.settings.rule_facts()}"
        digest.update(facts.encode())
        return digest.hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key[2:] + ".json")

    def get(self, key: str, path: str) -> Optional[List[Diagnostic]]:
        try:
            with open(self._entry(key), encoding="utf-8") as handle:
                items = json.load(handle)
            out = []
            for item in items:
                item["chain"] = tuple(ChainStep(*step) for step in item.get("chain", ()))
                out.append(Diagnostic(path=path, **item))
            return out
        except (OSError, ValueError, TypeError, AttributeError):
            return None  # missing or damaged: a miss, rewritten after linting

    def put(self, key: str, diagnostics: List[Diagnostic]) -> None:
        items = []
        for d in diagnostics:
            item = asdict(d)
            del item["path"]  # the same bytes lint the same under any name
            items.append(item)
        target = self._entry(key)
        try:
            self._prepare(os.path.dirname(target))
            fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(items, handle)
            os.replace(temporary, target)
        except OSError:
            pass  # a read-only tree or a full disk: lint without caching

    def _prepare(self, directory: str) -> None:
        if not self._ready:
            os.makedirs(self.base, exist_ok=True)
            ignore = os.path.join(self.base, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# Created by asynclint: this directory is a cache.\n*\n")
            self._ready = True
        os.makedirs(directory, exist_ok=True)
