"""Every catalog entry is exercised: flagged in a coroutine, silent in a sync def."""

import pytest

from asynclint.catalog import load
from asynclint.config import load_settings
from asynclint.engine import lint_text

CATALOG = load()


def construct(kind, depth=0):
    """Source lines that give a known ``kind``: module-level ``OBJ = ...`` lines
    and None, or the import lines and a parameter annotation for it."""
    for call, made in CATALOG.constructors.items():
        if made == kind:
            imports = [f"import {call.split('.')[0]}"] if "." in call else []
            return imports + [f"OBJ = {call}()"], None
    for (owner, method), made in CATALOG.factories.items():
        if made == kind and depth < 3:
            try:
                lines, param = construct(owner, depth + 1)
            except AssertionError:
                continue
            if param is None:
                # Rename the owner: one name bound to two kinds is unknown by design.
                owner_lines = [line.replace("OBJ", f"OWNER{depth}") for line in lines]
                return owner_lines + [f"OBJ = OWNER{depth}.{method}()"], None
    for annotation, annotated_kind in CATALOG.annotations.items():
        if annotated_kind == kind:
            return [f"import {annotation.split('.')[0]}"], f"obj: {annotation}"
    raise AssertionError(f"no way to construct a {kind} in the catalog")


def probe_source(target, method_name=None):
    """A module calling ``target`` in a coroutine (line 'HERE') and in a sync def."""
    if "#" not in target:
        imports = [f"import {target.split('.')[0]}"] if "." in target else []
        call = f"{target}()"
        param = ""
    else:
        kind, method = target.split("#", 1)
        lines, annotation = construct(kind)
        imports = [line for line in lines if line.startswith("import")]
        setup = [line for line in lines if not line.startswith("import")]
        if annotation is not None:
            call, param = f"obj.{method_name or method}()", annotation
        else:
            imports += setup
            call, param = f"OBJ.{method_name or method}()", ""
    body = imports + [
        "",
        f"async def probe({param}):",
        f"    {call}  # HERE",
        "    await something()",
        "",
        f"def sync_probe({param}):",
        f"    {call}",
    ]
    return "\n".join(body) + "\n"


def entries():
    for target, entry in CATALOG.blocking_calls.items():
        yield pytest.param(target, entry, None, id=target)
    for (kind, method), entry in CATALOG.blocking_methods.items():
        yield pytest.param(f"{kind}#{method}", entry, None, id=f"{kind}#{method}")
    for kind, entry in CATALOG.blocking_any_method.items():
        yield pytest.param(f"{kind}#*", entry, "some_method", id=f"{kind}#*")


@pytest.mark.parametrize("target,entry,method_name", list(entries()))
def test_blocking_entry_flagged_in_coroutine_only(target, entry, method_name):
    source = probe_source(target, method_name)
    here = source.splitlines().index(next(l for l in source.splitlines() if l.endswith("# HERE"))) + 1
    found = {(d.line, d.code) for d in lint_text(source, "probe.py", load_settings()) if d.code.startswith("ASL3")}
    assert found == {(here, entry.code)}, source


@pytest.mark.parametrize("kind,entry", sorted(CATALOG.blocking_any_method.items()))
def test_any_method_exceptions_not_flagged(kind, entry):
    for method in entry.except_methods:
        source = probe_source(f"{kind}#{method}")
        assert [d for d in lint_text(source, "probe.py", load_settings()) if d.code.startswith("ASL3")] == []


@pytest.mark.parametrize("name", sorted(CATALOG.coroutines))
def test_coroutine_entry_dropped_is_flagged(name):
    source = f"import {name.split('.')[0]}\n\nasync def f():\n    {name}()\n"
    assert [(d.line, d.code) for d in lint_text(source, "c.py", load_settings())] == [(4, "ASL201")]


@pytest.mark.parametrize("name", sorted(CATALOG.tasks))
def test_task_entry_dropped_is_flagged(name):
    source = f"import {name.split('.')[0]}\n\nasync def f(c):\n    {name}(c)\n"
    assert [(d.line, d.code) for d in lint_text(source, "t.py", load_settings())] == [(4, "ASL202")]


@pytest.mark.parametrize("name", sorted(CATALOG.sync_calls))
def test_sync_entry_awaited_is_flagged(name):
    imports = f"import {name.split('.')[0]}\n" if "." in name else ""
    source = f"{imports}\nasync def f():\n    return await {name}()\n"
    codes = {d.code for d in lint_text(source, "s.py", load_settings())}
    assert "ASL200" in codes


@pytest.mark.parametrize(
    "target", sorted(f"{k}#{m}" for k, m in CATALOG.sync_methods | CATALOG.coroutine_methods | CATALOG.task_methods)
)
def test_method_entries_have_a_constructible_kind(target):
    kind = target.split("#")[0]
    assert construct(kind)
