"""Findings on real-code shapes: one finding per place, messages."""

import textwrap

from asynclint.config import load_settings
from asynclint.engine import lint_text


def lint(source, **overrides):
    settings = load_settings(cwd="/", **overrides) if overrides else load_settings(cwd="/")
    return lint_text(textwrap.dedent(source), "mod.py", settings)


def test_one_finding_per_place_for_the_innermost_call():
    found = lint(
        """
        import tempfile
        async def f(p):
            open(p).readlines()
            tempfile.TemporaryFile().read()
        """
    )
    assert [(d.line, d.column, d.code) for d in found] == [(4, 5, "ASL303"), (5, 5, "ASL303")]
    assert "'open'" in found[0].message and "readlines" not in found[0].message
    assert "'tempfile.TemporaryFile'" in found[1].message and ".read" not in found[1].message


def test_two_codes_at_one_place_are_both_reported():
    found = lint(
        """
        import asyncio
        async def f():
            asyncio.get_event_loop().run_forever()
        """
    )
    assert sorted(d.code for d in found) == ["ASL400", "ASL401"]


def test_open_whose_reading_runs_in_a_thread_says_to_move_the_open_too():
    found = lint(
        """
        import asyncio
        async def f(p):
            with open(p) as fh:
                data = await asyncio.to_thread(fh.read)
            other = open(p)
            return data, other
        """
    )
    assert [d.line for d in found] == [4, 6]
    assert "move the open into that thread too" in found[0].message
    assert "use aiofiles" in found[1].message and "move the open" not in found[1].message


def test_thread_lock_advice_names_both_cases():
    found = lint(
        """
        import threading
        LOCK = threading.Lock()
        async def f():
            with LOCK:
                pass
            LOCK.acquire()
        """
    )
    assert len(found) == 2
    for d in found:
        assert "asyncio.Lock if only coroutines share it" in d.message
        assert "if threads share it too" in d.message and "asyncio.to_thread" in d.message


def test_task_factories_setting_is_validated(tmp_path):
    import pytest

    from asynclint.config import ConfigError

    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\ntask-factories = ["not a name"]\n')
    with pytest.raises(ConfigError, match="task-factories"):
        load_settings(cwd=str(tmp_path))
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\ntask-factories = ["app.utils.spawn"]\n')
    assert load_settings(cwd=str(tmp_path)).task_factories == ("app.utils.spawn",)


def test_task_factory_imported_without_project_knowledge():
    found = lint(
        """
        from app.utils import spawn
        async def f(coro):
            spawn(coro)
            _ = spawn(coro)
            kept = spawn(coro)
            return kept
        """,
        task_factories=("app.utils.spawn",),
    )
    assert [(d.line, d.code) for d in found] == [(4, "ASL202"), (5, "ASL202")]
    assert "'spawn'" in found[0].message and "to '_'" in found[1].message
