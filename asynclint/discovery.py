"""Finding the files to lint under the paths given on the command line."""

from __future__ import annotations

import os
from typing import List, Tuple

from asynclint.config import Settings, path_matches, relative_to

SOURCE_SUFFIXES = (".py", ".ipynb")
# Never descended into: version control, caches, build output, environments.
SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", "build", "dist", ".tox", ".nox", "node_modules",
     ".mypy_cache", ".pytest_cache", ".ruff_cache", ".asynclint_cache", ".eggs",
     ".ipynb_checkpoints"}
)


def is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def discover(paths: List[str], settings: Settings, warnings: List[str] = None) -> Tuple[List[str], List[str]]:
    """The files to lint, in a stable order, and the paths that do not exist.

    Directories that cannot be listed are skipped with a line in ``warnings``.
    Symbolic links to directories are not followed (no loops, no escaping the
    tree); links to files are linted like files.
    """
    excludes = settings.excludes()
    files: List[str] = []
    missing: List[str] = []
    seen = set()
    if warnings is None:
        warnings = []
    for given in paths:
        if not os.path.lexists(given):
            missing.append(given)
            continue
        if os.path.isdir(given):
            found = _walk(given, settings, excludes, warnings)
        else:
            found = [given] if not _excluded(given, settings, excludes) else []
        for path in found:
            key = os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                files.append(path)
    return files, missing


def excluded(path: str, settings: Settings) -> bool:
    """Whether ``exclude``/``extend-exclude`` leave this path out."""
    return _excluded(path, settings, settings.excludes())


def _excluded(path: str, settings: Settings, excludes) -> bool:
    if not excludes:
        return False
    rel = relative_to(path, settings.root)
    return any(path_matches(pattern, rel) for pattern in excludes)


def _walk(top: str, settings: Settings, excludes, warnings: List[str]) -> List[str]:
    out = []

    def unreadable(error: OSError) -> None:
        warnings.append(f"cannot read directory {error.filename}: {error.strerror}")

    for directory, subdirs, filenames in os.walk(os.path.normpath(top), onerror=unreadable):
        subdirs[:] = sorted(
            d
            for d in subdirs
            if d not in SKIPPED_DIRS
            and not d.endswith(".egg-info")
            and not is_virtualenv(os.path.join(directory, d))
            and not _excluded(os.path.join(directory, d), settings, excludes)
        )
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                path = os.path.normpath(os.path.join(directory, name))
                if not _excluded(path, settings, excludes):
                    out.append(path)
    return out
