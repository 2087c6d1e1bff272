"""Every fixture file yields exactly its annotated (line, code) pairs."""

import json

import pytest

from asynclint.config import Selection, check_codes, load_settings, split_codes
from asynclint.engine import lint_path
from asynclint.project import Projects
from asynclint.rules.base import REGISTRY, all_rules
from conftest import FIXTURES, ROOT, run_cli
from fixture_expectations import (
    expectations,
    fixture_blocking_calls,
    fixture_files,
    fixture_select,
    fixture_task_factories,
)

FILES = fixture_files(FIXTURES)


def settings_for(path, text):
    """The settings a fixture is checked with: its project's config (fixture
    projects have their own pyproject.toml), then its own header lines."""
    select = fixture_select(text)
    cli = Selection(select=check_codes(split_codes(select), "fixture")) if select else None
    home = next((p for p in path.parents if (p / "pyproject.toml").exists()), ROOT)
    return load_settings(
        cwd=str(home),
        cli=cli,
        blocking_calls=fixture_blocking_calls(text),
        task_factories=fixture_task_factories(text),
    )


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture_exact(path):
    text = path.read_text(encoding="utf-8")
    expected = expectations(path)
    settings = settings_for(path, text)
    project = Projects(settings).for_path(str(path))
    found = {(d.cell, d.line, d.code) for d in lint_path(str(path), settings, project)}
    assert sorted(found - expected) == [], "unexpected findings (false positives)"
    assert sorted(expected - found) == [], "missed findings"


def test_every_rule_has_a_fixture():
    annotated = set()
    for path in FILES:
        annotated |= {code for _, _, code in expectations(path)}
    walking = {rule.code for rule in all_rules() if rule.walks}
    assert sorted(walking - annotated) == []


def test_cli_on_whole_fixture_tree_reports_exactly_the_default_annotations():
    """`asynclint check fixtures/` through the console script, default rules."""
    blocking = sorted({n for p in FILES for n in fixture_blocking_calls(p.read_text(encoding="utf-8"))})
    factories = sorted({n for p in FILES for n in fixture_task_factories(p.read_text(encoding="utf-8"))})
    result = run_cli(
        "check", "--format", "json", "--blocking-calls", ",".join(blocking), "--task-factories", ",".join(factories),
        str(FIXTURES), cwd=str(ROOT),
    )
    assert result.returncode == 1, result.stderr.decode()
    found = {(d["path"], d.get("cell"), d["line"], d["code"]) for d in json.loads(result.stdout)}
    expected = set()
    for path in FILES:
        for cell, line, code in expectations(path):
            if REGISTRY[code].default:
                expected.add((str(path), cell, line, code))
    assert sorted(found - expected) == []
    assert sorted(expected - found) == []
