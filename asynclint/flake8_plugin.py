"""The flake8 plugin (entry point ``ASL``): a thin door into the same engine.

The findings, messages and positions are those of ``asynclint check``; flake8's
own select/ignore/per-file-ignores/noqa decide what is shown. Opt-in rules run
only when flake8's ``select``/``extend-select`` names them, or a prefix of them
longer than the bare ``ASL``. A file that does not parse is flake8's own E999,
and the plugin never raises.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from typing import Iterator, List, Tuple

from asynclint import __version__
from asynclint.config import ConfigError, Settings, find_pyproject, read_pyproject, settings_from_table
from asynclint.engine import lint_text
from asynclint.rules.base import all_rules

LOG = logging.getLogger(__name__)
PLUGIN_PREFIX = "ASL"
LEFT_TO_FLAKE8 = frozenset({"ASL001", "ASL002", "ASL003"})  # E999 / E902 are flake8's


class Flake8Plugin:
    name = "asynclint"
    version = __version__
    settings: Settings = Settings()
    projects = None  # what the rest of each file's project is, shared by the files of this process

    # flake8 runs a plugin once per file only if it takes ``tree``; the engine
    # works from the source lines, so the tree itself goes unused.
    def __init__(self, tree, filename: str, lines: List[str]) -> None:
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, parser) -> None:
        parser.add_option(
            "--asynclint-blocking-calls",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="asynclint: dotted names of calls that block (ASL308), comma-separated",
        )
        parser.add_option(
            "--asynclint-task-factories",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="asynclint: dotted names of helpers that spawn and return a task (ASL202), comma-separated",
        )

    @classmethod
    def parse_options(cls, options) -> None:
        selected = [code.upper() for code in (options.select or []) + (getattr(options, "extend_select", None) or [])]
        enabled = set()
        for rule in all_rules():
            if rule.code in LEFT_TO_FLAKE8:
                continue
            named = any(len(entry) > len(PLUGIN_PREFIX) and rule.code.startswith(entry) for entry in selected)
            if rule.default or named:
                enabled.add(rule.code)
        config = _pyproject_settings()
        blocking = [name for name in (options.asynclint_blocking_calls or []) if name]
        blocking += config.pop("blocking_calls", ())
        factories = [name for name in (options.asynclint_task_factories or []) if name]
        factories += config.pop("task_factories", ())
        settings = Settings(blocking_calls=tuple(blocking), task_factories=tuple(factories), **config)
        cls.settings = replace(settings, _enabled=frozenset(enabled))
        from asynclint.project import Projects

        cls.projects = Projects(cls.settings, cache_at_root=True)

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        try:
            project = self.projects.for_path(self.filename) if self.projects is not None else None
            diagnostics = lint_text("".join(self.lines), self.filename, self.settings, apply_noqa=False, project=project)
        except Exception as exc:  # never let a bug in asynclint stop a flake8 run
            LOG.warning("asynclint failed on %s: %s", self.filename, exc)
            yield 1, 0, f"ASL009 internal error in asynclint: {type(exc).__name__}: {exc}; please report it", type(self)
            return
        for d in diagnostics:
            if d.code not in LEFT_TO_FLAKE8:
                yield d.line, d.column - 1, f"{d.code} {d.message}", type(self)


# The [tool.asynclint] settings that change what a rule finds; selection stays flake8's.
_RULE_SETTINGS = ("blocking_calls", "task_factories")


def _pyproject_settings() -> dict:
    path = find_pyproject(os.getcwd())
    if path is None:
        return {}
    try:
        table = settings_from_table(read_pyproject(path), path)
    except ConfigError as exc:
        LOG.warning("asynclint: ignoring [tool.asynclint]: %s", exc)
        return {}
    return {key: table[key] for key in _RULE_SETTINGS if key in table}
