"""Parallel runs and the cache change nothing in the output."""

import os
import shutil
import sys
import subprocess
from pathlib import Path

from asynclint.config import load_settings
from conftest import FIXTURES, console_script


def corpus(tmp_path) -> Path:
    """Every fixture, three times over: enough files for worker processes."""
    root = tmp_path / "project"
    for copy in range(3):
        shutil.copytree(FIXTURES, root / f"copy{copy}")
    (root / "pyproject.toml").write_text("[tool.asynclint]\nblocking-calls = ['legacy_sdk.client.fetch', 'vendor_tools.*']\n")
    return root


def entries(root):
    """The cached results (not the module summaries beside them)."""
    return sorted(p for p in (root / ".asynclint_cache").glob("v*/**/*.json"))


def test_jobs_give_identical_output(cli, tmp_path):
    root = corpus(tmp_path)
    one = cli("check", "--no-cache", "--jobs", "1", "--select", "ASL", ".", cwd=root)
    two = cli("check", "--no-cache", "--jobs", "2", "--select", "ASL", ".", cwd=root)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stdout.count(b"\n") > 300


def test_warm_run_matches_cold_and_survives_damage(cli, tmp_path):
    root = corpus(tmp_path)
    cold = cli("check", "--no-cache", ".", cwd=root)
    assert not (root / ".asynclint_cache").exists()
    filling = cli("check", ".", cwd=root)
    assert filling.stdout == cold.stdout
    assert (root / ".asynclint_cache" / ".gitignore").read_text().strip().endswith("*")
    cached = entries(root)
    assert len(cached) > 20
    warm = cli("check", ".", cwd=root)
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode
    # Damaged entries are misses, then rewritten.
    cached[0].write_text("{not json")
    cached[1].write_bytes(b"\x00\xff")
    cached[2].write_text('[{"unexpected": 1}]')
    damaged = cli("check", ".", cwd=root)
    assert damaged.stdout == cold.stdout and b"Traceback" not in damaged.stderr
    assert cached[0].read_text().startswith("[")


def test_changes_miss_the_cache(cli, tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    (root / "m.py").write_text("import time\n\nasync def f():\n    time.sleep(1)\n")
    assert b"ASL300" in cli("check", "m.py", cwd=root).stdout
    (root / "m.py").write_text("import time\n\nasync def f():\n    pass\n")
    assert cli("check", "m.py", cwd=root).returncode == 0  # changed file: linted again
    (root / "m.py").write_text("import legacy\n\nasync def f():\n    legacy.call()\n")
    assert cli("check", "m.py", cwd=root).returncode == 0
    assert b"ASL308" in cli("check", "--blocking-calls", "legacy.call", "m.py", cwd=root).stdout  # changed setting
    assert cli("check", "--ignore", "ASL308", "--blocking-calls", "legacy.call", "m.py", cwd=root).returncode == 0


def test_all_hits_never_import_the_parser(cli, tmp_path):
    root = corpus(tmp_path)
    assert cli("check", ".", cwd=root).returncode == 1
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "asynclint", "check", "."],
        cwd=root, capture_output=True, text=True,
    )
    assert result.returncode == 1
    imported = [line for line in result.stderr.splitlines() if "import time:" in line and "libcst" in line]
    assert imported == []
    # A miss does import it (so the check above can fail).
    (root / "copy0" / "new.py").write_text("import time\n\nasync def f():\n    time.sleep(1)\n")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "asynclint", "check", "."],
        cwd=root, capture_output=True, text=True,
    )
    assert any("libcst" in line for line in result.stderr.splitlines() if "import time:" in line)


def test_unwritable_cache_is_not_an_error(cli, tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    (root / ".asynclint_cache").write_text("a file where the cache directory should be")
    (root / "m.py").write_text("import time\n\nasync def f():\n    time.sleep(1)\n")
    result = cli("check", "m.py", cwd=root)
    assert result.returncode == 1 and b"ASL300" in result.stdout and b"Traceback" not in result.stderr


def test_two_runs_at_once_leave_a_sound_cache(tmp_path):
    root = corpus(tmp_path)
    script = console_script()
    cold = subprocess.run([script, "check", "--no-cache", "."], cwd=root, capture_output=True)
    runs = [subprocess.Popen([script, "check", "--jobs", "2", "."], cwd=root, stdout=subprocess.PIPE) for _ in range(3)]
    outputs = [run.communicate()[0] for run in runs]
    assert all(out == cold.stdout for out in outputs)
    assert not [p for p in (root / ".asynclint_cache").rglob("*.tmp")]
    warm = subprocess.run([script, "check", "."], cwd=root, capture_output=True)
    assert warm.stdout == cold.stdout


def test_a_change_of_asynclint_itself_changes_every_cache_key(monkeypatch):
    import asynclint.cache as cache_module

    settings = load_settings()
    cache = cache_module.Cache(".", settings)
    target = cache_module.__file__
    before_stat = os.stat(target)
    monkeypatch.setattr(cache_module, "_code_digest", None)
    before = cache.key("m.py", b"x = 1\n")
    try:
        os.utime(target, ns=(before_stat.st_atime_ns, before_stat.st_mtime_ns + 1_000_000_000))
        monkeypatch.setattr(cache_module, "_code_digest", None)
        after = cache.key("m.py", b"x = 1\n")
    finally:
        os.utime(target, ns=(before_stat.st_atime_ns, before_stat.st_mtime_ns))
    assert before != after
    monkeypatch.setattr(cache_module, "_code_digest", None)
    assert cache.key("m.py", b"x = 1\n") == before
