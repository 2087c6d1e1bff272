"""Hostile trees and files: a clear diagnostic or a skip with a message, and the run goes on."""

import json
import os

import pytest

from asynclint import source
from asynclint.config import load_settings
from asynclint.discovery import discover
from asynclint.runner import lint_files

BAD = "import time\n\nasync def f():\n    time.sleep(1)\n"


def test_symlink_loops_and_dangling_links(cli, tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(BAD)
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")  # a directory loop
    os.symlink(tmp_path / "self.py", tmp_path / "self.py")  # a link to itself
    os.symlink(tmp_path / "missing.py", tmp_path / "dangling.py")
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert b"Traceback" not in result.stderr
    found = sorted((d["path"], d["code"]) for d in json.loads(result.stdout))
    assert found == [("dangling.py", "ASL002"), ("pkg/m.py", "ASL300"), ("self.py", "ASL002")]


def test_unreadable_directory_is_skipped_with_a_message(cli, tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "m.py").write_text(BAD)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "m.py").write_text(BAD)
    real_scandir = os.scandir

    def scandir(path="."):  # root reads anything, so refuse as a locked directory would
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    warnings = []
    files, missing = discover([str(tmp_path)], load_settings(cwd=str(tmp_path)), warnings)
    assert [os.path.basename(os.path.dirname(f)) for f in files] == ["open"]
    assert missing == [] and len(warnings) == 1 and "locked" in warnings[0] and "Permission denied" in warnings[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_unreadable_directory_through_the_cli(cli, tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "m.py").write_text(BAD)
    os.chmod(tmp_path / "locked", 0)
    try:
        result = cli("check", ".", cwd=tmp_path)
    finally:
        os.chmod(tmp_path / "locked", 0o755)
    assert b"cannot read directory" in result.stderr and b"Traceback" not in result.stderr


def test_file_deleted_between_discovery_and_reading(tmp_path):
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(BAD)
    settings = load_settings(cwd=str(tmp_path))
    files, _ = discover([str(tmp_path)], settings)
    os.remove(tmp_path / "b.py")
    results = lint_files(files, settings, jobs=1)
    codes = [[d.code for d in found] for found in results]
    assert codes == [["ASL300"], ["ASL002"], ["ASL300"]]
    assert "No such file" in results[1][0].message


def test_fifty_megabyte_file(cli, tmp_path):
    big = tmp_path / "generated.py"
    line = b"VALUE_%08d = 'x' * 32\n"
    with open(big, "wb") as handle:
        for i in range(50 * 2**20 // len(line % 0) + 1):
            handle.write(line % i)
    assert big.stat().st_size >= 50 * 2**20
    (tmp_path / "m.py").write_text(BAD)
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    found = {d["path"]: d for d in json.loads(result.stdout)}
    assert found["generated.py"]["code"] == "ASL002" and "limit" in found["generated.py"]["message"]
    assert found["m.py"]["code"] == "ASL300"


def test_notebook_with_a_hundred_megabyte_output(cli, tmp_path):
    output = {"output_type": "stream", "name": "stdout", "text": "x" * (100 * 2**20)}
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [output],
             "source": "import asyncio\nasyncio.run(main())\n"},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    (tmp_path / "big.ipynb").write_text(json.dumps(notebook))
    result = cli("check", "--format", "json", "big.ipynb", cwd=tmp_path)
    assert [(d["cell"], d["line"], d["code"]) for d in json.loads(result.stdout)] == [(1, 2, "ASL404")]


def test_file_name_that_is_not_utf8(cli, tmp_path):
    name = os.fsdecode(b"caf\xe9_\xff.py")
    (tmp_path / name).write_text(BAD)
    for fmt in ("text", "json", "github", "sarif"):
        result = cli("check", "--format", fmt, ".", cwd=tmp_path)
        assert result.returncode == 1, (fmt, result.stderr)
        assert b"Traceback" not in result.stderr
        assert b"ASL300" in result.stdout


def test_linted_code_is_never_run(cli, tmp_path):
    marker = tmp_path / "ran"
    (tmp_path / "evil.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "async def f():\n    pass\n"
        f"x = __import__('pathlib').Path({str(marker)!r}).touch()\n"
    )
    (tmp_path / "evil.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": f"open({str(marker)!r}, 'w')\nawait f()\n"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }))
    cli("check", ".", cwd=tmp_path)
    assert not marker.exists()


def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "MAX_SOURCE_BYTES", 10)
    (tmp_path / "m.py").write_text(BAD)
    assert "limit" in source.read_bytes(str(tmp_path / "m.py"))
