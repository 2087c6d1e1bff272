"""Project-wide knowledge: what the rest of the project is, for every file linted.

- ``layout``: the project root, source roots, module names (``layout.py``);
- ``summary``: a module's summary from CPython's tree (``summary.py``), cached by
  content (``store.py``);
- ``index``: resolution of names, classes, bases and kinds across modules
  (``index.py``), effects with their chains (``effects.py``), and what a file's
  findings depend on (``deps.py``);
- ``lookup``: the libcst side, how a rule asks about a call (``lookup.py``).
"""

from __future__ import annotations

import hashlib
import os
from typing import Optional, Sequence, Tuple

from asynclint.project.index import ProjectIndex
from asynclint.project.layout import Layout, common_root as common_root_of, find_root
from asynclint.project.store import SummaryStore

__all__ = ["Project", "find_root"]


class Project:
    """One project root: its layout, its summaries and its index."""

    def __init__(
        self,
        root: str,
        cache_dir: Optional[str] = None,
        source_roots: Sequence[str] = (),
        excluded=None,
        isolated: bool = False,
    ) -> None:
        self.layout = Layout(root, source_roots, excluded)
        self.store = SummaryStore(cache_dir)
        self.index = ProjectIndex(self.layout, self.store.load, isolated)

    @property
    def root(self) -> str:
        return self.layout.root

    def module_of(self, path: str) -> Tuple[str, bool]:
        """The file's module name and whether it is a package; files outside the
        source roots (or not named like modules) get a private name of their own."""
        found = self.layout.module_name(path) if path.endswith(".py") else None
        if found is not None:
            return found
        digest = hashlib.sha1(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:12]
        return f"__asynclint_file_{digest}__", False

    def summarize(self, path: str, text: str, tree=None) -> Tuple[str, bool, dict]:
        """The module name, package flag and summary of a file's text, now known to the index."""
        module, package = self.module_of(path)
        absolute = os.path.abspath(path)
        key = self.store.key(text, module, package)
        known = self.index.known(module)
        if known is not None and known.source_key == key and known.path == absolute:
            return module, package, known.summary
        summary = self.store.summary_for_text(text, module, package, tree, key=key)
        self.index.add(absolute, module, summary, key)
        return module, package, summary

    def add_summary(self, path: str, text_key: str, summary: dict) -> None:
        """Make a summary computed elsewhere (a worker process) known."""
        module, _ = self.module_of(path)
        self.index.add(os.path.abspath(path), module, summary, text_key)

    def add_stored(self, path: str, text_key: str, head: dict, body: str) -> None:
        """Make a summary read from the store known, its body decoded only if used."""
        module, _ = self.module_of(path)
        self.index.add_stored(os.path.abspath(path), module, head, body, text_key)

    def dependency_digest(self, path: str) -> str:
        """A digest of what the file at ``path`` (already summarised) may know of the project."""
        module, _ = self.module_of(path)
        return f"{module}:{self.index.dependency_digest(module)}"

    def view(self, path: str, text: str, tree=None):
        """The index as the file at ``path`` (with this text) sees it."""
        from asynclint.project.lookup import ProjectView

        module, package, _ = self.summarize(path, text, tree)
        return ProjectView(self.index, module, package)


class Projects:
    """The projects of one run, one per project root, each made on first use.

    ``isolated``: know only the files the run names (``--no-project``).
    """

    def __init__(
        self, settings, cache_dir: Optional[str] = None, isolated: bool = False, cache_at_root=False, paths=()
    ) -> None:
        from asynclint.project.layout import common_root

        self.settings = settings
        # The root when no pyproject.toml or git work tree marks one.
        self.fallback_root = common_root(paths) if paths else None
        self.cache_dir = cache_dir
        self.cache_at_root = cache_at_root  # summaries in each root's own cache directory
        self.isolated = isolated
        self._by_root: dict = {}
        self._root_of_dir: dict = {}

    def root_for(self, path: str) -> str:
        directory = os.path.dirname(os.path.abspath(path))
        root = self._root_of_dir.get(directory)
        if root is None:
            fallback = self.fallback_root or common_root_of(directory)
            root = self._root_of_dir[directory] = find_root([directory], self.settings.config_path, fallback)
        return root

    def for_path(self, path: str) -> Project:
        root = self.root_for(path)
        project = self._by_root.get(root)
        if project is None:
            from asynclint.discovery import excluded

            settings = self.settings
            cache_dir = self.cache_dir
            if cache_dir is None and self.cache_at_root:
                from asynclint.cache import CACHE_DIR

                cache_dir = os.path.join(root, CACHE_DIR)
            project = self._by_root[root] = Project(
                root,
                cache_dir,
                getattr(settings, "source_roots", ()),
                lambda p: excluded(p, settings),
                self.isolated,
            )
        return project

    def all(self):
        return list(self._by_root.values())
