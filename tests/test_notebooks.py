"""Notebooks: real nbformat files, cell positions in both formats, bad notebooks."""

import json

import nbformat
import pytest

from conftest import FIXTURES
from fixture_expectations import fixture_files, notebook_expected_findings

NOTEBOOKS = fixture_files(FIXTURES, suffixes=(".ipynb",))


def test_there_are_notebook_fixtures():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_fixture_notebooks_are_valid_nbformat(path):
    notebook = nbformat.read(str(path), as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_cells_in_text_and_json(cli, path):
    expected = notebook_expected_findings(path.read_bytes())
    as_json = json.loads(cli("check", "--format", "json", str(path)).stdout)
    assert {(d["cell"], d["line"], d["code"]) for d in as_json} == expected
    text = cli("check", str(path)).stdout.decode().splitlines()
    assert sorted(text) == sorted(
        f"{path}:cell_{d['cell']}:{d['line']}:{d['column']}: {d['code']} {d['message']}" for d in as_json
    )


def notebook_bytes(*cells, nbformat_version=4):
    return json.dumps(
        {
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": source, **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                for kind, source in cells
            ],
            "metadata": {},
            "nbformat": nbformat_version,
            "nbformat_minor": 5,
        }
    ).encode()


def test_invalid_notebooks_are_asl003(cli, tmp_path):
    (tmp_path / "not_json.ipynb").write_text("{not json")
    (tmp_path / "old.ipynb").write_bytes(notebook_bytes(("code", "x = 1"), nbformat_version=3))
    (tmp_path / "no_cells.ipynb").write_text('{"nbformat": 4}')
    (tmp_path / "good.ipynb").write_bytes(notebook_bytes(("code", "import asyncio\nasyncio.run(main())")))
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    found = sorted((d["path"], d["code"], d["line"], d["column"]) for d in json.loads(result.stdout))
    assert found == [
        ("good.ipynb", "ASL404", 2, 1),
        ("no_cells.ipynb", "ASL003", 1, 1),
        ("not_json.ipynb", "ASL003", 1, 1),
        ("old.ipynb", "ASL003", 1, 1),
    ]
    assert b"Traceback" not in result.stderr


def test_noqa_and_imports_across_cells(cli, tmp_path):
    (tmp_path / "n.ipynb").write_bytes(
        notebook_bytes(
            ("markdown", "# title"),
            ("code", "import asyncio as aio"),
            ("code", ["x = aio.run(main())  # noqa: ASL404\n", "y = aio.run(main())\n"]),
        )
    )
    result = cli("check", "--format", "json", "n.ipynb", cwd=tmp_path)
    assert [(d["cell"], d["line"], d["code"]) for d in json.loads(result.stdout)] == [(3, 2, "ASL404")]


def test_top_level_async_is_legal_only_in_notebooks(cli, tmp_path):
    source = "import asyncio\nawait asyncio.sleep(1)\nasync with lock:\n    pass\n"
    (tmp_path / "n.ipynb").write_bytes(notebook_bytes(("code", source)))
    (tmp_path / "m.py").write_text(source)
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert sorted((d["path"], d["code"]) for d in json.loads(result.stdout)) == [("m.py", "ASL100"), ("m.py", "ASL101")]
