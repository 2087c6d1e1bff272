"""Running the engine over many files: summaries, the cache, then processes.

With project knowledge a run has two passes:

1. Summaries. Each file's summary comes from the summary cache (by content
   and module name) or from a first pass that decodes the file, checks its
   syntax with CPython's parser and summarises it; for most files (no
   ``async``/``await``, a syntax error, skipped) that pass is the whole lint.
2. Findings. A file's cached result is reused only while the summaries of
   every project module it reaches are unchanged (its key holds their digest);
   the other files are linted with the index in hand.

Both passes run in worker processes when there are enough files to pay for
them, in this process otherwise (the one-file pre-commit case). Workers of the
second pass are started after the index is complete, so they inherit it.
Results come back in the order of the files, whatever the number of jobs. A
run where every file hits the cache never imports the parser.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import List, Optional, Sequence

from asynclint.cache import Cache
from asynclint.config import Settings
from asynclint.diagnostic import Diagnostic
from asynclint.source import decode_source, read_bytes, unreadable

# Below this many files to lint, starting processes costs more than it saves.
MIN_FILES_PER_PROCESS = 8

_worker = {}  # what a worker process lints with: settings, projects


def default_jobs() -> int:
    return os.cpu_count() or 1


def lint_files(
    paths: Sequence[str],
    settings: Settings,
    jobs: int = 0,
    cache: Optional[Cache] = None,
    projects=None,
) -> List[List[Diagnostic]]:
    """The diagnostics of each file, in the order given.

    ``projects``: an asynclint.project.Projects, for project-wide knowledge;
    None lints each file on its own.
    """
    jobs = jobs or default_jobs()
    results: List[Optional[List[Diagnostic]]] = [None] * len(paths)
    datas: List[Optional[bytes]] = [None] * len(paths)
    for index, path in enumerate(paths):
        data = read_bytes(path)
        if isinstance(data, str):
            results[index] = unreadable(path, settings, data)
        else:
            datas[index] = data
    if projects is None:
        _lint_alone(paths, datas, results, settings, jobs, cache)
    else:
        _lint_with_projects(paths, datas, results, settings, jobs, cache, projects)
    return [r if r is not None else [] for r in results]


def _parallel(jobs: int, count: int) -> int:
    """How many worker processes ``count`` files deserve (1: none)."""
    if jobs <= 1 or count < MIN_FILES_PER_PROCESS * 2:
        return 1
    return max(1, min(jobs, count // MIN_FILES_PER_PROCESS))


def _lint_alone(paths, datas, results, settings, jobs, cache) -> None:
    keys = {}
    misses = []
    for index, data in enumerate(datas):
        if data is None:
            continue
        key = cache.key(paths[index], data) if cache is not None else None
        hit = cache.get(key, paths[index]) if key is not None else None
        if hit is not None:
            results[index] = hit
        else:
            keys[index] = key
            misses.append(index)
    linted = _run(_lint_one, [(paths[i], datas[i], False) for i in misses], settings, None, jobs)
    for index, diagnostics in zip(misses, linted):
        results[index] = diagnostics
        if cache is not None and keys[index] is not None:
            cache.put(keys[index], diagnostics)


def _lint_with_projects(paths, datas, results, settings, jobs, cache, projects) -> None:
    from asynclint.notebook import is_notebook, notebook_source

    # Pass 1: every file's summary, from the cache or a first look at the file.
    unsummarised = []
    for index, data in enumerate(datas):
        if data is None:
            continue
        path = paths[index]
        project = projects.for_path(path)
        if is_notebook(path):
            text = notebook_source(data)
        else:
            decoded = decode_source(data)
            text = decoded.text
        if text is None:
            continue  # unreadable: the second pass reports it
        module, package = project.module_of(path)
        key = project.store.key(text, module, package)
        stored = project.store.get_stored(key)
        if stored is not None:
            project.add_stored(path, key, *stored)
        else:
            unsummarised.append(index)
    prepared = {}
    found = _run(_prepare_one, [(paths[i], datas[i]) for i in unsummarised], settings, projects, jobs)
    for index, outcome in zip(unsummarised, found):
        prepared[index] = outcome
        if outcome.summary is not None:
            projects.for_path(paths[index]).add_summary(paths[index], outcome.summary_key, outcome.summary)
    # Pass 2: cached results whose project knowledge is unchanged, else a lint.
    keys = {}
    misses = []
    for index, data in enumerate(datas):
        if data is None:
            continue
        path = paths[index]
        key = None
        if cache is not None:
            key = cache.key(path, data, projects.for_path(path).dependency_digest(path))
            hit = cache.get(key, path)
            if hit is not None:
                results[index] = hit
                continue
        outcome = prepared.get(index)
        if outcome is not None and outcome.result is not None:
            results[index] = outcome.result
            if key is not None:
                cache.put(key, outcome.result)
            continue
        keys[index] = key
        misses.append(index)
    work = [(paths[i], datas[i], i in prepared) for i in misses]
    linted = _run(_lint_one, work, settings, projects, jobs)
    for index, diagnostics in zip(misses, linted):
        results[index] = diagnostics
        if cache is not None and keys[index] is not None:
            cache.put(keys[index], diagnostics)


def _run(function, items, settings, projects, jobs) -> list:
    """``function(item)`` for every item, in worker processes when they pay."""
    if not items:
        return []
    from asynclint import engine  # noqa: F401  loaded once here, inherited by forked workers

    _worker.update(settings=settings, projects=projects)
    workers = _parallel(jobs, len(items))
    if workers == 1:
        return [function(item) for item in items]
    chunksize = max(1, len(items) // (workers * 8))
    # Forked workers inherit the index built so far; elsewhere they rebuild it
    # from the summary cache as they go.
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(settings, projects)
    ) as pool:
        return list(pool.map(function, items, chunksize=chunksize))


def _init_worker(settings: Settings, projects) -> None:
    _worker.update(settings=settings, projects=projects)


def _project(path: str):
    projects = _worker["projects"]
    return projects.for_path(path) if projects is not None else None


def _prepare_one(item):
    from asynclint import engine

    path, data = item
    return engine.prepare(data, path, _worker["settings"], _project(path))


def _lint_one(item) -> List[Diagnostic]:
    from asynclint import engine

    path, data, syntax_checked = item
    return engine.lint_bytes(data, path, _worker["settings"], _project(path), syntax_checked=syntax_checked)
