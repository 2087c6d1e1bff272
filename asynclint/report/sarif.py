"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
import os
from typing import List

from asynclint import __version__
from asynclint.diagnostic import Diagnostic
from asynclint.rules.base import all_rules

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/asynclint/"


def _uri(path: str) -> str:
    return path.replace(os.sep, "/")


def format_diagnostics(diagnostics: List[Diagnostic]) -> str:
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "asynclint",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.explanation},
                "help": {"text": rule.explanation},
                "defaultConfiguration": {"level": rule.level, "enabled": rule.default},
            }
            for rule in rules
        ],
    }
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": rules[index[d.code]].level,
            "message": {"text": d.message if d.cell is None else f"cell {d.cell}: {d.message}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(d.path)},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        },
                    }
                }
            ],
        }
        if d.chain:
            # Each call of the chain, in order: where the finding comes from.
            result["relatedLocations"] = [
                {
                    "id": i,
                    "message": {"text": f"step {i + 1}: {step.name}"},
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(step.path)},
                        "region": {"startLine": step.line},
                    },
                }
                for i, step in enumerate(d.chain_steps())
            ]
        if d.cell is not None:
            result["properties"] = {"cell": d.cell}
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results, "columnKind": "unicodeCodePoints"}],
    }
    return json.dumps(log, indent=2) + "\n"
