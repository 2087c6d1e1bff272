"""Where the project is and what its modules are called.

- The project root is the directory of the ``pyproject.toml`` that configures
  the file (the nearest one with a ``[tool.asynclint]`` table); else the
  directory of the config file the run was given; else the nearest
  ``pyproject.toml`` at all (a project without an ``[tool.asynclint]`` table
  still has its own root); else the git work tree's root; else the common
  directory of the paths given.
- Source roots: config ``source-roots`` (relative to the root) when given, else
  the root itself and its ``src/`` directory when there is one.
- A file's module name is its path under the deepest source root holding it
  (``src/pkg/mod.py`` is ``pkg.mod``, ``pkg/__init__.py`` is ``pkg``).

Modules are found the way Python's path finder finds them, by looking for
``pkg/mod.py`` or ``pkg/mod/__init__.py`` under each source root, so knowing
the project never needs a walk of the whole tree. Directories the discovery
skips (virtualenvs, build output, caches) and excluded paths hold no modules.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional, Sequence, Tuple


def _is_identifier_path(parts: Sequence[str]) -> bool:
    return bool(parts) and all(part.isidentifier() for part in parts)


def find_root(paths: Iterable[str], config_path: Optional[str] = None, fallback: Optional[str] = None) -> str:
    """The project root for files given as ``paths`` (see the module doc);
    ``fallback``: the root when nothing marks one (see ``common_root``)."""
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    start = absolute[0] if os.path.isdir(absolute[0]) else os.path.dirname(absolute[0])
    configured = _nearest(start, lambda d: _configures(os.path.join(d, "pyproject.toml")))
    if configured is not None:
        return configured
    if config_path is not None:
        return os.path.dirname(os.path.abspath(config_path))
    for marker in ("pyproject.toml", ".git"):
        found = _nearest(start, lambda d: os.path.exists(os.path.join(d, marker)))
        if found is not None:
            return found
    return fallback if fallback is not None else common_root(absolute)


def common_root(paths: Iterable[str]) -> str:
    """The common directory of the paths given, above any package it is inside
    (``check site-packages/aiohttp`` names modules ``aiohttp.*``, as Python does)."""
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    common = os.path.commonpath(absolute)
    directory = common if os.path.isdir(common) else os.path.dirname(common)
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


def _nearest(start: str, test) -> Optional[str]:
    directory = start
    while True:
        if test(directory):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


_CONFIGURES: Dict[str, bool] = {}


def _configures(pyproject: str) -> bool:
    """Whether a pyproject.toml exists and has a [tool.asynclint] table."""
    found = _CONFIGURES.get(pyproject)
    if found is None:
        found = False
        if os.path.isfile(pyproject):
            from asynclint.config import ConfigError, has_asynclint_table

            try:
                found = has_asynclint_table(pyproject)
            except ConfigError:
                found = False
        _CONFIGURES[pyproject] = found
    return found


class Layout:
    """The project root, its source roots, and the module <-> path mapping."""

    def __init__(self, root: str, source_roots: Sequence[str] = (), excluded=None) -> None:
        self.root = os.path.abspath(root)
        if source_roots:
            roots = [os.path.normpath(os.path.join(self.root, r)) for r in source_roots]
        else:
            roots = [self.root]
            src = os.path.join(self.root, "src")
            if os.path.isdir(src):
                roots.append(src)
        # Deepest first: a file under src/ is named from src/.
        self.source_roots: List[str] = sorted(set(roots), key=len, reverse=True)
        self._excluded = excluded  # callable(path) -> bool, or None
        self._found: Dict[str, Optional[Tuple[str, bool]]] = {}
        self._namespaces: Dict[str, bool] = {}
        self._listings: Dict[str, Dict[str, bool]] = {}

    # -- names of files ---------------------------------------------------
    def module_name(self, path: str) -> Optional[Tuple[str, bool]]:
        """(dotted module name, is a package) of a file, or None outside the source roots."""
        absolute = os.path.abspath(path)
        if not absolute.endswith(".py"):
            return None
        for source_root in self.source_roots:
            if absolute.startswith(source_root + os.sep):
                rel = absolute[len(source_root) + 1 : -3]
                parts = rel.split(os.sep)
                package = parts[-1] == "__init__"
                if package:
                    parts = parts[:-1]
                if _is_identifier_path(parts):
                    return ".".join(parts), package
                return None
        return None

    def relative(self, path: str) -> str:
        """A path as shown in chains: relative to the root, '/'-separated."""
        absolute = os.path.abspath(path)
        if absolute.startswith(self.root + os.sep):
            return absolute[len(self.root) + 1 :].replace(os.sep, "/")
        return absolute.replace(os.sep, "/")

    # -- files of names -----------------------------------------------------
    def find(self, module: str) -> Optional[Tuple[str, bool]]:
        """(path, is a package) of a project module, or None if the project has none."""
        if module in self._found:
            return self._found[module]
        found = None
        parts = module.split(".")
        if _is_identifier_path(parts):
            for source_root in self.source_roots:
                directory = self._directory(source_root, parts[:-1])
                if directory is None:
                    continue
                last = parts[-1]
                entries = self._entries(directory)
                if entries.get(last) is True and self._entries(os.path.join(directory, last)).get("__init__.py") is False:
                    found = (os.path.join(directory, last, "__init__.py"), True)
                elif entries.get(last + ".py") is False:
                    found = (os.path.join(directory, last + ".py"), False)
                if found is not None and not self._usable(found[0], source_root):
                    found = None
                if found is not None:
                    break
        self._found[module] = found
        return found

    def is_namespace(self, module: str) -> bool:
        """A directory of modules without an __init__.py (a namespace package)."""
        found = self._namespaces.get(module)
        if found is None:
            found = self._namespaces[module] = self._is_namespace(module)
        return found

    def _is_namespace(self, module: str) -> bool:
        parts = module.split(".")
        if not _is_identifier_path(parts) or self.find(module) is not None:
            return False
        for source_root in self.source_roots:
            directory = self._directory(source_root, parts)
            if directory is not None and self._usable_dir(directory, source_root):
                return True
        return False

    def refresh(self) -> None:
        """Forget what was seen of the file system (a long-running server calls
        this when files appear or go)."""
        self._found.clear()
        self._namespaces.clear()
        self._listings.clear()

    def _directory(self, source_root: str, parts: Sequence[str]) -> Optional[str]:
        """``source_root/part/...`` if each step is a directory, else None."""
        directory = source_root
        for part in parts:
            if self._entries(directory).get(part) is not True:
                return None
            directory = os.path.join(directory, part)
        return directory

    def _entries(self, directory: str) -> Dict[str, bool]:
        """A directory's names (True for directories), listed once: one listing
        answers every lookup under it, where a stat per candidate file would not."""
        entries = self._listings.get(directory)
        if entries is None:
            entries = {}
            try:
                with os.scandir(directory) as listing:
                    for entry in listing:
                        try:
                            entries[entry.name] = entry.is_dir()
                        except OSError:
                            continue
            except OSError:
                pass
            self._listings[directory] = entries
        return entries

    def _usable(self, path: str, source_root: str) -> bool:
        if not self._usable_dir(os.path.dirname(path), source_root):
            return False
        return not (self._excluded is not None and self._excluded(path))

    def _usable_dir(self, directory: str, source_root: str) -> bool:
        """Not inside a directory the discovery skips (virtualenvs, build output...)."""
        from asynclint.discovery import SKIPPED_DIRS, is_virtualenv

        while len(directory) > len(source_root):
            name = os.path.basename(directory)
            if name in SKIPPED_DIRS or name.endswith(".egg-info") or is_virtualenv(directory):
                return False
            directory = os.path.dirname(directory)
        return True
