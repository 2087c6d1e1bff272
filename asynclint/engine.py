"""The per-file pipeline: read, decode, check syntax, parse, walk, place, filter.

Cheap work comes first and a clean file stops as early as it can (libcst is
loaded only when a file must be parsed with it):
- CPython's own parser checks the syntax (ASL001). It is several times faster
  than libcst's, and it rejects pathological nesting cleanly where libcst's
  native parser can crash the process, so nothing reaches libcst unchecked.
- Every walking rule needs ``async`` or ``await`` in the file (``asyncio``
  counts), so files without either are never given to libcst.
- Positions are computed only for files that produced findings.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from dataclasses import replace
from typing import List, NamedTuple, Optional, Sequence

from asynclint.lazy import libcst as cst

from asynclint import notebook
from asynclint.notebook import is_notebook, notebook_source
from asynclint.config import Settings
from asynclint.diagnostic import Diagnostic, whole_file
from asynclint.rules.base import REGISTRY, all_rules
from asynclint.source import decode_source, read_bytes, unreadable
from asynclint.suppress import filter_noqa, skips_file
from asynclint.syntax_check import check_syntax, recursion_limit, syntax_tree  # noqa: F401  (re-exported)

all_rules()  # every rule module registers itself on import

# The walk recurses once per nesting level of the tree; CPython's parser has
# already bounded the nesting, this leaves room for long operator chains.
RECURSION_LIMIT = 8000
# For the rare file deeper than that (see analyse): a thread with this stack.
DEEP_RECURSION_LIMIT = 60000
DEEP_STACK_BYTES = 512 * 1024 * 1024
# No file may hold up a run: past this many seconds its analysis is stopped
# and reported (ASL009) instead of waited on.
FILE_TIME_LIMIT = 60.0


class AnalysisTimeout(BaseException):
    """Raised by the timer; a BaseException so no rule's error handling eats it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the block after ``seconds`` (main thread on Unix; elsewhere unbounded)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise AnalysisTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def lint_path(path: str, settings: Settings, project=None) -> List[Diagnostic]:
    """Lint one file on disk (``project``: an asynclint.project.Project, for
    what the rest of the project is)."""
    data = read_bytes(path)
    if isinstance(data, str):
        return unreadable(path, settings, data)
    return lint_bytes(data, path, settings, project)


def lint_bytes(data: bytes, path: str, settings: Settings, project=None, syntax_checked=False) -> List[Diagnostic]:
    """Lint a file's bytes (read from disk or stdin), shown as ``path``.

    ``syntax_checked``: CPython already accepted this source (``prepare`` ran).
    """
    try:
        with time_limit(FILE_TIME_LIMIT):
            if is_notebook(path):
                return lint_notebook(data, path, settings, project)
            return _lint_decoded(decode_source(data), path, settings, project, syntax_checked)
    except AnalysisTimeout:
        return _timed_out(path, settings)


def _timed_out(path: str, settings: Settings) -> List[Diagnostic]:
    if "ASL009" not in settings.codes_for(path):
        return []
    message = f"analysis stopped after {FILE_TIME_LIMIT:g} s: the file was not fully linted; please report it"
    return [whole_file(path, "ASL009", message)]


class Prepared(NamedTuple):
    """What the first pass over a file learned (see ``prepare``)."""

    summary_key: Optional[str]
    summary: Optional[dict]
    result: Optional[List[Diagnostic]]  # the whole result when no rule needs the walk


def prepare(data: bytes, path: str, settings: Settings, project) -> Prepared:
    """The first pass of a project run: decode, check the syntax, summarise.

    Cheap (CPython's parser only), and for most files the whole lint: a file
    that does not parse, is skipped, or has no ``async``/``await`` is done here.
    """
    try:
        with time_limit(FILE_TIME_LIMIT):
            return _prepare(data, path, settings, project)
    except AnalysisTimeout:
        return Prepared(None, None, _timed_out(path, settings))


def _prepare(data: bytes, path: str, settings: Settings, project) -> Prepared:
    if is_notebook(path):
        text = notebook_source(data)
        if text is None:
            return Prepared(None, None, None)
        module, package, summary = project.summarize(path, text)
        return Prepared(project.store.key(text, module, package), summary, None)
    decoded = decode_source(data)
    if decoded.error is not None:
        return Prepared(None, None, unreadable(path, settings, decoded.error))
    text = decoded.text
    codes = settings.codes_for(path)
    tree, syntax_error = syntax_tree(text, path)
    module, package, summary = project.summarize(path, text, tree)
    key = project.store.key(text, module, package)
    if skips_file(text):
        return Prepared(key, summary, [])
    if syntax_error is not None:
        return Prepared(key, summary, [syntax_error] if "ASL001" in codes else [])
    return Prepared(key, summary, None if needs_walk(text, codes) else [])


def lint_notebook(data: bytes, path: str, settings: Settings, project=None) -> List[Diagnostic]:
    """Lint a notebook's code cells as one module; positions come back per cell."""
    codes = settings.codes_for(path)
    try:
        cells = notebook.read_cells(data)
    except notebook.InvalidNotebook as exc:
        return [whole_file(path, "ASL003", f"invalid notebook: {exc}")] if "ASL003" in codes else []
    diagnostics: List[Diagnostic] = []
    kept = []
    for cell in cells:
        lines = notebook.python_lines(cell.source)
        if lines is None:
            continue
        source = "\n".join(lines)
        if skips_file(source):
            return []
        syntax_error = check_syntax(source, path)
        if syntax_error is not None:
            if "ASL001" in codes:
                diagnostics.append(replace(syntax_error, cell=cell.index))
            continue  # left out: the other cells are still linted
        kept.append((cell, lines))
    joined = notebook.join(kept)
    text = joined.text
    rule_classes = [REGISTRY[code] for code in sorted(codes) if REGISTRY[code].walks]
    if kept and rule_classes and ("async" in text or "await" in text):
        view = project.view(path, text) if project is not None else None
        found = filter_noqa(text, analyse(text, path, settings, rule_classes, codes, notebook=True, project=view))
        diagnostics.extend(notebook.relocate(d, joined) for d in found)
    return diagnostics


def _lint_decoded(decoded, path: str, settings: Settings, project=None, syntax_checked=False) -> List[Diagnostic]:
    if decoded.error is not None:
        return unreadable(path, settings, decoded.error)
    return lint_text(decoded.text, path, settings, project=project, syntax_checked=syntax_checked)


def lint_text(
    text: str, path: str, settings: Settings, apply_noqa: bool = True, project=None, syntax_checked=False
) -> List[Diagnostic]:
    """Lint decoded source. ``apply_noqa=False`` leaves ``# noqa`` to the caller (flake8)."""
    if skips_file(text):
        return []
    codes = settings.codes_for(path)
    if syntax_checked:
        return lint_checked(text, path, settings, codes, None, apply_noqa, project)
    tree, syntax_error = syntax_tree(text, path)
    if syntax_error is not None:
        return [syntax_error] if "ASL001" in codes else []
    return lint_checked(text, path, settings, codes, tree, apply_noqa, project)


def needs_walk(text: str, codes) -> bool:
    """Whether any walking rule is on and the file can concern one (``async``/``await``)."""
    return ("async" in text or "await" in text) and any(REGISTRY[code].walks for code in codes)


def lint_checked(text: str, path: str, settings: Settings, codes, tree, apply_noqa: bool = True, project=None):
    """Lint source that CPython has already accepted (``tree``: its ast, or None)."""
    if not needs_walk(text, codes):
        if project is not None:
            project.summarize(path, text, tree)  # its functions still serve other files
        return []
    rule_classes = [REGISTRY[code] for code in sorted(codes) if REGISTRY[code].walks]
    view = project.view(path, text, tree) if project is not None else None
    diagnostics = analyse(text, path, settings, rule_classes, codes, project=view)
    return filter_noqa(text, diagnostics) if apply_noqa else diagnostics


def parse(text: str, path: str):
    """The libcst module, or an ASL001 diagnostic if libcst cannot read it."""
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return whole_file(path, "ASL001", f"syntax not supported by asynclint's parser yet: {detail}")
    except (RecursionError, MemoryError):
        return whole_file(path, "ASL001", "syntax not supported by asynclint's parser yet: too deeply nested")
    except Exception as exc:  # libcst has raised odd errors ("Logic error!") on new syntax
        return whole_file(path, "ASL001", f"syntax not supported by asynclint's parser yet: {exc}")


def analyse(
    text: str,
    path: str,
    settings: Settings,
    rule_classes: Sequence[type],
    codes,
    notebook: bool = False,
    project=None,
) -> List[Diagnostic]:
    """Parse with libcst, walk once with the given rules, place the findings.

    The walk and libcst's position pass recurse once (or a few times) per level
    of nesting. CPython accepts some 3,000 levels of ``not not ...``, more than
    the main thread's stack is made for: such a file is analysed again in a
    thread with a large stack, where deep recursion cannot crash the process.
    """
    module = parse(text, path)
    if isinstance(module, Diagnostic):
        return [module]
    try:
        with recursion_limit(RECURSION_LIMIT):
            return _walk_and_place(module, path, settings, rule_classes, codes, notebook, project)
    except RecursionError:
        pass
    outcome: list = []

    def deep() -> None:
        try:
            with recursion_limit(DEEP_RECURSION_LIMIT):
                outcome.append(_walk_and_place(module, path, settings, rule_classes, codes, notebook, project))
        except RecursionError:
            pass

    previous = threading.stack_size(DEEP_STACK_BYTES)
    try:
        worker = threading.Thread(target=deep, name="asynclint-deep-file", daemon=True)
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join()  # interruptible: the file's time limit still applies
    if outcome:
        return outcome[0]
    if "ASL009" not in codes:
        return []
    return [whole_file(path, "ASL009", "internal error: file too deeply nested to analyse; please report it")]


def _walk_and_place(module, path, settings, rule_classes, codes, notebook, project=None) -> List[Diagnostic]:
    from asynclint.walker import Context, Walker

    ctx = Context(module, path, settings, notebook=notebook, project=project)
    walker = Walker(ctx, rule_classes)
    walker.run()
    findings = [f for f in ctx.findings if f.code not in walker.failed]
    if project is not None:
        findings = [_chain_from_file(f, project.index.layout.root, path) if f.chain else f for f in findings]
    diagnostics = place(module, path, findings)
    if "ASL009" in codes:
        for code, error in sorted(walker.failed.items()):
            rule = REGISTRY[code]
            diagnostics.append(
                whole_file(path, "ASL009", f"internal error in rule {code} ({rule.name}): {error}; please report it")
            )
    return diagnostics


def _chain_from_file(finding, root: str, path: str):
    """The finding with its chain's paths made relative to the linted file's directory."""
    here = os.path.dirname(os.path.abspath(path))
    steps = tuple(
        step._replace(path=os.path.relpath(os.path.join(root, step.path), here).replace(os.sep, "/"))
        for step in finding.chain
    )
    return replace(finding, chain=steps)


def place(module, path: str, findings) -> List[Diagnostic]:
    """Turn findings into positioned diagnostics, one per place (RULES.md): two
    findings with the same code starting at the same line and column
    (``open(p).readlines()`` is two calls there) are one, the innermost node's."""
    if not findings:
        return []
    from libcst.metadata import MetadataWrapper, PositionProvider

    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    innermost = {}
    for finding in findings:
        where = positions[finding.node]
        key = (finding.code, where.start.line, where.start.column)
        end = (where.end.line, where.end.column)
        if key not in innermost or end < innermost[key][0]:
            innermost[key] = (end, finding, where)
    out = []
    for _, finding, where in innermost.values():
        out.append(
            _diagnostic(
                path,
                finding.code,
                finding.message,
                where.start.line,
                where.start.column + 1,
                where.end.line,
                where.end.column + 1,
                finding.chain,
            )
        )
    return out


def _diagnostic(path, code, message, line, column, end_line, end_column, chain=()) -> Diagnostic:
    return Diagnostic(path, line, column, code, message, REGISTRY[code].name, end_line, end_column, chain=chain)

