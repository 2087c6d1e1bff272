"""The README stays true to the code: rule table, quick start, explanations."""

import re

from asynclint.cli import rules_markdown
from asynclint.rules.base import all_rules
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rule_table_matches_registry():
    block = README.split("<!-- rules-table:start -->")[1].split("<!-- rules-table:end -->")[0]
    # Regenerate with: asynclint rules --format markdown
    assert block.strip() == rules_markdown(all_rules()).strip()


def test_quick_start_is_two_commands():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert len(commands) == 2
    assert "fixtures/demo" in commands[0] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_every_rule_explains_itself():
    for rule in all_rules():
        text = rule.explanation
        assert rule.summary and text, rule.code
        assert "Bad:" in text and "Good:" in text, rule.code
        assert re.fullmatch(r"ASL\d{3}", rule.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
