"""The flake8 plugin, tested by running the real flake8."""

import json
import re
import subprocess
import sys

from conftest import FIXTURES, ROOT, run_cli
from fixture_expectations import fixture_blocking_calls, fixture_files, fixture_task_factories

FLAKE8 = [sys.executable, "-m", "flake8"]
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>ASL\d{3}) (?P<message>.*)$")


def flake8(*args, cwd=None):
    return subprocess.run([*FLAKE8, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def parse(output, only_asl=False):
    found = set()
    for line in output.splitlines():
        match = LINE.match(line)
        if only_asl and match is None:
            continue  # flake8's own codes (F401...)
        assert match, line
        found.add((match["path"], int(match["line"]), int(match["col"]), match["code"], match["message"]))
    return found


def test_same_findings_as_asynclint_check_on_every_fixture():
    files = [str(p.relative_to(ROOT)) for p in fixture_files(FIXTURES, suffixes=(".py",))]
    blocking = ",".join(sorted({n for p in files for n in fixture_blocking_calls((ROOT / p).read_text())}))
    factories = ",".join(sorted({n for p in files for n in fixture_task_factories((ROOT / p).read_text())}))
    ours = run_cli(
        "check", "--format", "json", "--select", "ASL", "--blocking-calls", blocking, "--task-factories", factories,
        *files, cwd=str(ROOT),
    )
    expected = {(d["path"], d["line"], d["column"], d["code"], d["message"]) for d in json.loads(ours.stdout)}
    result = flake8(
        "--isolated", "--select", "ASL0,ASL1,ASL2,ASL3,ASL4,ASL5", f"--asynclint-blocking-calls={blocking}",
        f"--asynclint-task-factories={factories}", *files,
        cwd=str(ROOT),
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = parse(result.stdout)
    assert len(expected) > 100
    assert found == expected


SOURCE = """\
import asyncio
import requests


async def total(prices):
    return sum(prices)


async def fetch(url):
    return requests.get(url)  # noqa: ASL301


async def fetch_again(url):
    return requests.get(url)
"""


def codes(result):
    return sorted((code, line) for _, line, _, code, _ in parse(result.stdout, only_asl=True))


def test_opt_in_rules_only_when_named_in_flake8_config(tmp_path):
    (tmp_path / "m.py").write_text(SOURCE)
    assert codes(flake8("m.py", cwd=tmp_path)) == [("ASL301", 14)]
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = ASL\n")
    assert codes(flake8("m.py", cwd=tmp_path)) == [("ASL301", 14)]
    (tmp_path / "setup.cfg").write_text("[flake8]\nextend-select = ASL501\n")
    assert codes(flake8("m.py", cwd=tmp_path)) == [("ASL301", 14), ("ASL501", 5), ("ASL501", 9), ("ASL501", 13)]
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = ASL5,ASL3\n")
    assert codes(flake8("m.py", cwd=tmp_path)) == [("ASL301", 14), ("ASL501", 5), ("ASL501", 9), ("ASL501", 13)]


def test_noqa_and_ignore_are_flake8s(tmp_path):
    (tmp_path / "m.py").write_text(SOURCE)
    assert codes(flake8("--select", "ASL", "--disable-noqa", "m.py", cwd=tmp_path)) == [("ASL301", 10), ("ASL301", 14)]
    assert codes(flake8("--extend-ignore", "ASL301", "m.py", cwd=tmp_path)) == []
    assert codes(flake8("--per-file-ignores", "m.py:ASL3", "m.py", cwd=tmp_path)) == []


def test_blocking_calls_from_flake8_config_and_pyproject(tmp_path):
    (tmp_path / "m.py").write_text("import legacy\nimport vendor\n\n\nasync def f():\n    legacy.fetch()\n    vendor.get()\n")
    assert codes(flake8("m.py", cwd=tmp_path)) == []
    (tmp_path / "setup.cfg").write_text("[flake8]\nasynclint-blocking-calls = legacy.fetch\n")
    assert codes(flake8("m.py", cwd=tmp_path)) == [("ASL308", 6)]
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nblocking-calls = ["vendor.*"]\n')
    assert codes(flake8("m.py", cwd=tmp_path)) == [("ASL308", 6), ("ASL308", 7)]


def test_syntax_errors_are_flake8s_own_e999(tmp_path):
    (tmp_path / "bad.py").write_text("async def f(:\n    pass\n")
    (tmp_path / "binary.py").write_bytes(b"\x00\x01\x02")
    result = flake8("--select", "E9,ASL", "bad.py", "binary.py", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert "E999" in result.stdout and "ASL" not in result.stdout


def test_version_lists_asynclint():
    from asynclint import __version__

    assert f"asynclint: {__version__}" in flake8("--version").stdout
