"""Running the engine over many files: the cache first, then processes.

The parent reads each file and looks it up in the cache; only the misses are
linted, in worker processes when there are enough files to pay for the
processes, in this process otherwise (the one-file pre-commit case). Results
come back in the order of the files, whatever the number of jobs. A run where
every file hits the cache never imports the parser.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import List, Optional, Sequence, Tuple

from asynclint.cache import Cache
from asynclint.config import Settings
from asynclint.diagnostic import Diagnostic
from asynclint.source import read_bytes, unreadable

# Below this many files to lint, starting processes costs more than it saves.
MIN_FILES_PER_PROCESS = 8

_worker_settings: Optional[Settings] = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def lint_files(
    paths: Sequence[str], settings: Settings, jobs: int = 0, cache: Optional[Cache] = None
) -> List[List[Diagnostic]]:
    """The diagnostics of each file, in the order given.

    Memory stays flat: a file's bytes and tree are dropped once it is done. In
    one process a miss is linted as soon as it is read; with workers, the
    parent only looks files up and each worker reads its own misses.
    """
    jobs = jobs or default_jobs()
    parallel = jobs > 1 and len(paths) >= MIN_FILES_PER_PROCESS * 2
    results: List[Optional[List[Diagnostic]]] = [None] * len(paths)
    misses: List[Tuple[int, str, Optional[str]]] = []
    for index, path in enumerate(paths):
        data = read_bytes(path)
        if isinstance(data, str):
            results[index] = unreadable(path, settings, data)
            continue
        key = cache.key(path, data) if cache is not None else None
        hit = cache.get(key, path) if key is not None else None
        if hit is not None:
            results[index] = hit
        elif parallel:
            misses.append((index, path, key))
        else:
            results[index] = _lint_and_store(data, path, settings, cache, key)
    if misses:
        from asynclint import engine  # noqa: F401  loaded once here, inherited by forked workers

        workers = max(1, min(jobs, len(misses) // MIN_FILES_PER_PROCESS))
        if workers == 1:
            linted = [_lint_path(path, settings) for _, path, _ in misses]
        else:
            linted = _in_processes([path for _, path, _ in misses], settings, workers)
        for (index, _, key), diagnostics in zip(misses, linted):
            results[index] = diagnostics
            if cache is not None and key is not None:
                cache.put(key, diagnostics)
    return [r if r is not None else [] for r in results]


def _lint_and_store(data: bytes, path: str, settings: Settings, cache, key) -> List[Diagnostic]:
    from asynclint import engine  # the parser is loaded only when something must be parsed

    diagnostics = engine.lint_bytes(data, path, settings)
    if cache is not None and key is not None:
        cache.put(key, diagnostics)
    return diagnostics


def _lint_path(path: str, settings: Settings) -> List[Diagnostic]:
    from asynclint import engine

    return engine.lint_path(path, settings)


def _in_processes(paths: List[str], settings: Settings, jobs: int) -> List[List[Diagnostic]]:
    chunksize = max(1, len(paths) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,)) as pool:
        return list(pool.map(_lint_one, paths, chunksize=chunksize))


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _lint_one(path: str) -> List[Diagnostic]:
    return _lint_path(path, _worker_settings)
