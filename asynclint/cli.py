"""The ``asynclint`` command: arguments -> Settings -> engine -> reporter.

Exit status: 0 no findings, 1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List, Optional

from asynclint import __version__
from asynclint.config import ConfigError, Selection, check_codes, load_settings, split_codes
from asynclint.rules.base import REGISTRY, all_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("check", "rules", "explain")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        self.exit(EXIT_ERROR, f"asynclint: error: {message} (see 'asynclint --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="asynclint",
        description="A linter for async Python: finds the asyncio bugs the interpreter only shows at run time.",
    )
    parser.add_argument("--version", action="version", version=f"asynclint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="lint files and directories (the default command)")
    check.add_argument("paths", nargs="*", default=["."], help="files or directories; '-' reads stdin")
    check.add_argument(
        "--format", choices=("text", "json", "github", "sarif"), default="text", help="output format"
    )
    check.add_argument("--select", help="comma-separated codes or prefixes to enable (replaces the config's)")
    check.add_argument("--extend-select", help="codes or prefixes to enable on top of the selection")
    check.add_argument("--ignore", help="codes or prefixes to disable")
    check.add_argument("--exclude", help="comma-separated globs to skip (replaces the config's exclude)")
    check.add_argument("--extend-exclude", help="globs to skip on top of exclude")
    check.add_argument("--blocking-calls", help="comma-separated dotted names that block (ASL308)")
    check.add_argument(
        "--task-factories", help="comma-separated dotted names of helpers that spawn and return a task (ASL202)"
    )
    check.add_argument("--config", help="pyproject.toml to read instead of the nearest one")
    check.add_argument("--stdin-filename", help="the name to report for source read from '-'")
    check.add_argument("--output-file", help="write the report to this file instead of stdout")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    check.add_argument(
        "--no-project",
        action="store_true",
        help="know only the files named, not the rest of the project (imports of other modules stay unknown)",
    )
    check.add_argument(
        "-j", "--jobs", type=int, default=0, help="worker processes (default: the number of CPUs; 1: no processes)"
    )
    check.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    explain = sub.add_parser("explain", help="explain a rule")
    explain.add_argument("code", help="a rule code, e.g. ASL300")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    # File names need not be valid UTF-8; never let printing one crash the run.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "check")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "explain":
            return cmd_explain(args)
        if args.command == "check":
            return cmd_check(args)
        parser.print_help()
        return EXIT_ERROR
    except (ConfigError, UsageError) as exc:
        print(f"asynclint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``asynclint check | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_CLEAN


def cmd_rules(args) -> int:
    rules = all_rules()
    if args.format == "json":
        data = [
            {"code": r.code, "name": r.name, "default": "on" if r.default else "opt-in", "summary": r.summary}
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_CLEAN
    if args.format == "markdown":
        sys.stdout.write(rules_markdown(rules))
        return EXIT_CLEAN
    width = max(len(r.name) for r in rules)
    for r in rules:
        default = "on" if r.default else "opt-in"
        sys.stdout.write(f"{r.code}  {r.name:<{width}}  {default:<6}  {r.summary}\n")
    return EXIT_CLEAN


def rules_markdown(rules) -> str:
    rows = ["| Code | Name | Default | What it finds |", "|---|---|---|---|"]
    rows += [f"| {r.code} | {r.name} | {'on' if r.default else 'opt-in'} | {r.summary} |" for r in rules]
    return "\n".join(rows) + "\n"


def cmd_explain(args) -> int:
    all_rules()
    code = args.code.strip().upper()
    rule = REGISTRY.get(code)
    if rule is None:
        raise UsageError(f"unknown rule code '{args.code}' (see 'asynclint rules')")
    default = "on by default" if rule.default else "opt-in (enable with --select or extend-select)"
    sys.stdout.write(f"{rule.code} ({rule.name}), {default}\n\n{rule.summary}\n\n{rule.explanation}\n")
    return EXIT_CLEAN


def _codes(value: Optional[str], option: str):
    return check_codes(split_codes(value), option) if value is not None else None


def _globs(value: Optional[str]):
    return tuple(part.strip() for part in value.split(",") if part.strip()) if value is not None else None


def cmd_check(args) -> int:
    from asynclint.cache import Cache
    from asynclint.discovery import discover
    from asynclint.report import FORMATTERS
    from asynclint.runner import lint_files

    cli = Selection(
        select=_codes(args.select, "--select"),
        extend_select=_codes(args.extend_select, "--extend-select") or (),
        ignore=_codes(args.ignore, "--ignore") or (),
    )
    overrides = {}
    if args.exclude is not None:
        overrides["exclude"] = _globs(args.exclude)
    if args.extend_exclude is not None:
        overrides["extend_exclude"] = _globs(args.extend_exclude)
    if args.blocking_calls is not None:
        overrides["blocking_calls"] = _globs(args.blocking_calls)
    if args.task_factories is not None:
        overrides["task_factories"] = _globs(args.task_factories)
    settings = load_settings(config_path=args.config, cli=cli, **overrides)

    diagnostics = []
    stdin_requested = "-" in args.paths
    paths = [p for p in args.paths if p != "-"]
    warnings: List[str] = []
    files, missing = discover(paths, settings, warnings) if paths else ([], [])
    if missing:
        raise UsageError("no such file or directory: " + ", ".join(missing))
    for warning in warnings:
        print(f"asynclint: warning: {warning}; skipped", file=sys.stderr)
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per CPU) or more")
    from asynclint.project import Projects

    cache = None if args.no_cache else Cache(settings.root, settings)
    projects = Projects(
        settings, cache.base if cache is not None else None, isolated=args.no_project, paths=paths or ["."]
    )
    if stdin_requested:
        from asynclint.engine import lint_bytes

        name = args.stdin_filename or "-"
        diagnostics.extend(lint_bytes(sys.stdin.buffer.read(), name, settings, projects.for_path(name)))
    for found in lint_files(files, settings, jobs=args.jobs, cache=cache, projects=projects):
        diagnostics.extend(found)

    diagnostics.sort(key=lambda d: d.sort_key())
    report = FORMATTERS[args.format](diagnostics)
    if args.output_file:
        with open(args.output_file, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(report)
    else:
        sys.stdout.write(report)
        sys.stdout.flush()
    if not args.quiet:
        checked = len(files) + (1 if stdin_requested else 0)
        with_findings = len({d.path for d in diagnostics})
        print(summary(len(diagnostics), with_findings, checked), file=sys.stderr)
    if diagnostics and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary(problems: int, files_with: int, checked: int) -> str:
    if problems == 0:
        return f"No problems found ({_plural(checked, 'file')} checked)."
    return f"Found {_plural(problems, 'problem')} in {_plural(files_with, 'file')} ({checked} checked)."
