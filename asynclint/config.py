"""Settings: ``[tool.asynclint]`` in pyproject.toml, then the command line.

The nearest ``pyproject.toml`` from the current directory upward is read
(``--config`` names one). Its directory is the project root: globs in
``exclude`` and ``per-file-ignores`` are relative to it. Every problem (an
unknown key, a wrong type, an unknown code) is a ``ConfigError`` naming the key
and the file; the CLI turns it into exit status 2.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, replace
from typing import FrozenSet, Iterable, List, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11
    import tomli as tomllib

from asynclint.rules.base import all_rules

ALWAYS_ON_PREFIX = "ASL0"  # the linter's own findings
CODE_PATTERN = re.compile(r"^ASL[0-9]{0,3}$")


class ConfigError(Exception):
    """A problem with configuration; the message is shown as is."""


@dataclass(frozen=True)
class Selection:
    """One layer of select/extend-select/ignore (config file, then CLI)."""

    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    layers: Tuple[Selection, ...] = ()
    exclude: Tuple[str, ...] = ()
    extend_exclude: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    blocking_calls: Tuple[str, ...] = ()
    task_factories: Tuple[str, ...] = ()  # project helpers that spawn a task and return it (ASL202)
    source_roots: Tuple[str, ...] = ()  # where module names start, relative to root
    root: str = "."
    config_path: Optional[str] = None
    _enabled: FrozenSet[str] = field(default=frozenset(), compare=False, repr=False)

    @property
    def enabled(self) -> FrozenSet[str]:
        return self._enabled

    def codes_for(self, path: str) -> FrozenSet[str]:
        """The codes that apply to one file, after per-file-ignores."""
        if not self.per_file_ignores:
            return self._enabled
        rel = relative_to(path, self.root)
        ignored = [
            prefix for pattern, prefixes in self.per_file_ignores if path_matches(pattern, rel) for prefix in prefixes
        ]
        if not ignored:
            return self._enabled
        return frozenset(code for code in self._enabled if not code.startswith(tuple(ignored)))

    def rule_facts(self) -> str:
        """The settings besides the codes that change a file's findings (for the cache key)."""
        return "\0".join((",".join(self.blocking_calls), ",".join(self.task_factories)))

    def excludes(self) -> Tuple[str, ...]:
        return self.exclude + self.extend_exclude


def resolve_enabled(layers: Sequence[Selection]) -> FrozenSet[str]:
    """Apply the layers in order; in a layer, the most specific prefix wins.

    With no ``select`` anywhere, the default-on rules are on. A layer's
    ``select`` replaces what came before; ``ASL0xx`` stay on unless ignored.
    Between a selected and an ignored prefix of the same length, ignore wins.
    """
    rules = all_rules()
    enabled = {rule.code: rule.default for rule in rules}
    for layer in layers:
        for code in enabled:
            chosen = -1
            on = None
            if layer.select is not None:
                on = code.startswith(ALWAYS_ON_PREFIX)
            for prefix in (layer.select or ()) + layer.extend_select:
                if code.startswith(prefix) and len(prefix) > chosen:
                    chosen, on = len(prefix), True
            for prefix in layer.ignore:
                if code.startswith(prefix) and len(prefix) >= chosen:
                    chosen, on = len(prefix), False
            if on is not None:
                enabled[code] = on
    return frozenset(code for code, on in enabled.items() if on)


def check_codes(codes: Iterable[str], where: str) -> Tuple[str, ...]:
    known = [rule.code for rule in all_rules()]
    out = []
    for code in codes:
        code = code.strip().upper()
        if not code:
            continue
        if not CODE_PATTERN.match(code) or not any(k.startswith(code) for k in known):
            raise ConfigError(f"{where}: unknown rule code or prefix '{code}'")
        out.append(code)
    return tuple(out)


def split_codes(value: str) -> List[str]:
    return [part for part in re.split(r"[,\s]+", value) if part]


def relative_to(path: str, root: str) -> str:
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(root))
    except ValueError:  # another drive on Windows
        return absolute.replace(os.sep, "/")
    if rel.startswith(".."):
        return absolute.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def path_matches(pattern: str, rel_path: str) -> bool:
    """A glob without '/' matches any path component; with '/' the whole path."""
    from fnmatch import fnmatchcase

    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if "/" not in pattern:
        return any(fnmatchcase(part, pattern) for part in rel_path.split("/"))
    if fnmatchcase(rel_path, pattern):
        return True
    # "dir/sub" also covers everything below it; "**/x" also matches "x".
    if fnmatchcase(rel_path, pattern + "/*"):
        return True
    return pattern.startswith("**/") and path_matches(pattern[3:], rel_path)


# -- reading pyproject.toml ------------------------------------------------

KNOWN_KEYS = (
    "select", "extend-select", "ignore", "exclude", "extend-exclude", "per-file-ignores", "blocking-calls",
    "source-roots", "task-factories",
)
DOTTED = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(\.\*)?$")


def find_pyproject(start: str) -> Optional[str]:
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _string_list(table: dict, key: str, where: str) -> Tuple[str, ...]:
    value = table[key]
    if isinstance(value, str):
        value = split_codes(value) if key in ("select", "extend-select", "ignore") else [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def read_pyproject(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    section = tool.get("asynclint", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.asynclint] must be a table")
    return section


def has_asynclint_table(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    tool = data.get("tool")
    return isinstance(tool, dict) and "asynclint" in tool


def settings_from_table(section: dict, path: str) -> dict:
    """Validate ``[tool.asynclint]`` into keyword arguments for Settings."""
    where = f"{path}: [tool.asynclint]"
    for key in section:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(KNOWN_KEYS)})")
    out: dict = {}
    layer = Selection(
        select=check_codes(_string_list(section, "select", where), f"{where} select") if "select" in section else None,
        extend_select=check_codes(_string_list(section, "extend-select", where), f"{where} extend-select")
        if "extend-select" in section
        else (),
        ignore=check_codes(_string_list(section, "ignore", where), f"{where} ignore") if "ignore" in section else (),
    )
    out["layers"] = (layer,)
    if "exclude" in section:
        out["exclude"] = _string_list(section, "exclude", where)
    if "extend-exclude" in section:
        out["extend_exclude"] = _string_list(section, "extend-exclude", where)
    if "blocking-calls" in section:
        calls = _string_list(section, "blocking-calls", where)
        for call in calls:
            if not DOTTED.match(call):
                raise ConfigError(f"{where} blocking-calls: '{call}' is not a dotted name")
        out["blocking_calls"] = calls
    if "task-factories" in section:
        names = _string_list(section, "task-factories", where)
        for name in names:
            if not DOTTED.match(name):
                raise ConfigError(f"{where} task-factories: '{name}' is not a dotted name")
        out["task_factories"] = names
    if "source-roots" in section:
        out["source_roots"] = _string_list(section, "source-roots", where)
    if "per-file-ignores" in section:
        table = section["per-file-ignores"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob = [codes]")
        pairs = []
        for pattern, codes in table.items():
            if isinstance(codes, str):
                codes = split_codes(codes)
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise ConfigError(f"{where}: per-file-ignores '{pattern}' must be a list of codes")
            pairs.append((pattern, check_codes(codes, f"{where} per-file-ignores '{pattern}'")))
        out["per_file_ignores"] = tuple(pairs)
    return out


def load_settings(
    config_path: Optional[str] = None,
    cwd: Optional[str] = None,
    cli: Optional[Selection] = None,
    **overrides,
) -> Settings:
    """Settings from the config file, with command-line ``overrides`` on top.

    ``overrides`` take Settings field names; ``extend_exclude``,
    ``blocking_calls`` and ``task_factories`` given on the command line add to the config's.
    """
    cwd = cwd or os.getcwd()
    if config_path is not None:
        if not os.path.isfile(config_path):
            raise ConfigError(f"{config_path}: config file not found")
        path: Optional[str] = config_path
    else:
        path = find_pyproject(cwd)
    values: dict = {}
    if path is not None:
        values = settings_from_table(read_pyproject(path), path)
        values["root"] = os.path.dirname(os.path.abspath(path))
        values["config_path"] = path
    else:
        values["root"] = cwd
    layers = list(values.pop("layers", ()))
    if cli is not None:
        layers.append(cli)
    for key in ("extend_exclude", "blocking_calls", "task_factories"):
        if key in overrides:
            overrides[key] = tuple(values.get(key, ())) + tuple(overrides[key])
    values.update(overrides)
    settings = Settings(layers=tuple(layers), **values)
    return replace(settings, _enabled=resolve_enabled(settings.layers))


def default_settings() -> Settings:
    settings = Settings()
    return replace(settings, _enabled=resolve_enabled(()))
