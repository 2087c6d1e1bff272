"""Summaries by content: computed once, cached as JSON next to the results.

A summary's key is the file's bytes plus its module name (relative imports
depend on it) and the summary format; the value is canonical JSON, so a summary
read back from the cache is equal, digest included, to one just computed.
JSON, not pickle: a cache directory inside a linted project must never be able
to run code. A file that cannot be read or parsed has an empty summary.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import tempfile
import warnings
from typing import Optional, Tuple

from asynclint import __version__
from asynclint.cache import code_digest
from asynclint.project.summary import SUMMARY_VERSION, summarize
from asynclint.source import decode_source, read_bytes


def empty_summary(module: str, package: bool) -> dict:
    return {"module": module, "package": package, "star": True, "names": {}, "functions": {}, "classes": {}, "refs": []}


def canonical(summary: dict) -> str:
    return json.dumps(summary, sort_keys=True, separators=(",", ":"))


def summary_of_source(text: Optional[str], module: str, package: bool, tree: Optional[ast.Module] = None) -> dict:
    """The summary of decoded source (``tree``: CPython's tree of it, when already built)."""
    if tree is None and text is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
    if tree is None:
        return empty_summary(module, package)
    try:
        summary = summarize(tree, module, package)
    except RecursionError:  # a pathologically deep file: known as nothing
        return empty_summary(module, package)
    text = canonical(summary)
    summary = json.loads(text)  # plain JSON types, as the store gives it back
    summary["digest"] = digest_of_canonical(text)  # computed once, kept with it
    return summary


def summary_digest(summary: dict) -> str:
    """What changes when the summary does (kept in summaries made here)."""
    known = summary.get("digest")
    return known if known is not None else digest_of_canonical(canonical(summary))


def digest_of_canonical(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class SummaryStore:
    def __init__(self, cache_dir: Optional[str]) -> None:
        self.dir = os.path.join(cache_dir, f"summaries-v{SUMMARY_VERSION}-{__version__}") if cache_dir else None
        self.computed = 0  # summaries made in this process (for tests and benchmarks)

    @staticmethod
    def key(text: str, module: str, package: bool) -> str:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
        digest.update(f"\0{module}\0{package}\0{code_digest()}".encode())
        return digest.hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key[2:] + ".json")

    def get(self, key: str) -> Optional[dict]:
        stored = self.get_stored(key)
        if stored is None:
            return None
        try:
            summary = json.loads(stored[1])
        except ValueError:
            return None
        return summary if isinstance(summary, dict) and "names" in summary else None

    def get_stored(self, key: str) -> Optional[Tuple[dict, str]]:
        """(head, body) of a stored summary: the head (digest and refs, all that a
        run whose files all hit needs) decoded, the body left as text until used."""
        if self.dir is None:
            return None
        try:
            with open(self._entry(key), encoding="utf-8") as handle:
                head_text, _, body = handle.read().partition("\n")
            head = json.loads(head_text)
        except (OSError, ValueError):
            return None
        if not (isinstance(head, dict) and isinstance(head.get("digest"), str) and isinstance(head.get("refs"), list)):
            return None
        return head, body

    def put(self, key: str, summary: dict) -> None:
        if self.dir is None:
            return
        target = self._entry(key)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                head = {"digest": summary_digest(summary), "refs": summary["refs"]}
                handle.write(json.dumps(head, separators=(",", ":")) + "\n")
                handle.write(json.dumps(summary, separators=(",", ":")))
            os.replace(temporary, target)
        except OSError:
            pass  # read-only tree, full disk: summaries are recomputed next time

    def summary_for_text(self, text: str, module: str, package: bool, tree=None, key=None) -> dict:
        key = key or self.key(text, module, package)
        summary = self.get(key)
        if summary is None:
            summary = summary_of_source(text, module, package, tree)
            self.computed += 1
            self.put(key, summary)
        return summary

    def load(self, path: str, module: str, package: bool) -> Optional[dict]:
        """The index's loader: a project module's summary, from the cache or its file."""
        data = read_bytes(path)
        if isinstance(data, str):
            return empty_summary(module, package)
        decoded = decode_source(data)
        if decoded.error is not None:
            return empty_summary(module, package)
        return self.summary_for_text(decoded.text, module, package)
