"""Benchmark asynclint against its peers on pinned real-world async code.

    python benchmarks/run.py [--repeat 3]

Builds benchmarks/.venv (asynclint from this checkout, plus the pinned corpus
projects, flake8 with flake8-async, and ruff), copies the corpus (aiohttp,
httpx, fastapi, starlette, sqlalchemy and the standard library's asyncio) into
benchmarks/.corpus, then times every command in turn, round after round, and
reports medians. Results go to benchmarks/RESULTS.md and to the README's
"Performance" section.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".venv"
CORPUS = HERE / ".corpus"
PACKAGES = ["aiohttp", "httpx", "fastapi", "starlette", "sqlalchemy"]
README = ROOT / "README.md"
TARGETS = {
    "flake8 + flake8-async / asynclint cold": (">=", 20.0),
    "asynclint in-process lint / libcst parse": ("<=", 2.0),
    "asynclint warm / ruff cold": ("<=", 3.0),
    "asynclint / flake8 + flake8-async, one 300-line file": ("<=", 0.5),
    "asynclint peak memory, MB": ("<", 200.0),
}


def bin_path(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def setup() -> None:
    if not VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [bin_path("python"), "-m", "pip", "install", "-q"]
    subprocess.run(pip + ["-r", str(HERE / "requirements.txt")], check=True)
    subprocess.run(pip + ["-e", str(ROOT)], check=True)


def build_corpus() -> None:
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    (CORPUS / "projects").mkdir(parents=True)
    query = "import asyncio, importlib, json, os; print(json.dumps({n: os.path.dirname(importlib.import_module(n).__file__) for n in %r + ['asyncio']}))"
    locations = json.loads(subprocess.run([bin_path("python"), "-c", query % PACKAGES], capture_output=True, text=True, check=True).stdout)
    for name, location in locations.items():
        shutil.copytree(location, CORPUS / "projects" / name, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.c", "*.pyx", "*.pxd", "*.h"))
    (CORPUS / "single").mkdir()
    (CORPUS / "single" / "handlers.py").write_text(single_file())


def single_file() -> str:
    """A 300-line async module of the kind pre-commit hands over one at a time."""
    lines = ['"""Request handlers."""', "import asyncio", "import json", "import time", "", "import httpx", "", ""]
    index = 0
    while len(lines) < 296:
        lines += [
            f"async def handler_{index}(client: httpx.AsyncClient, payload: dict) -> dict:",
            f"    response = await client.post('/items/{index}', json=payload)",
            "    data = response.json()",
            "    if data.get('retry'):",
            "        time.sleep(0.1)" if index % 7 == 0 else "        await asyncio.sleep(0.1)",
            "        data = (await client.get(f'/items/{data[\"id\"]}')).json()",
            "    return {'ok': True, 'data': json.dumps(data)}",
            "",
            "",
        ]
        index += 1
    return "\n".join(lines[:300]) + "\n"


def count_lines(root: Path) -> int:
    total = 0
    for path in root.rglob("*.py"):
        if ".asynclint_cache" not in path.parts:
            with open(path, "rb") as handle:
                total += handle.read().count(b"\n")
    return total


def timed(command, cwd):
    """Wall seconds and peak RSS (MB, the largest process of the run)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-setup", action="store_true", help="reuse benchmarks/.venv and .corpus")
    args = parser.parse_args()
    if not args.skip_setup:
        setup()
        build_corpus()
    projects, single = CORPUS / "projects", CORPUS / "single" / "handlers.py"
    lines = count_lines(projects)
    asynclint, flake8, ruff = bin_path("asynclint"), bin_path("flake8"), bin_path("ruff")
    commands = {
        "asynclint cold, default jobs": [asynclint, "check", "--no-cache", "-q", "--exit-zero", "."],
        "asynclint cold, --jobs 1": [asynclint, "check", "--no-cache", "-q", "--exit-zero", "--jobs", "1", "."],
        "asynclint warm": [asynclint, "check", "-q", "--exit-zero", "."],
        "flake8 + flake8-async": [flake8, "--select", "ASYNC", "--exit-zero", "."],
        "ruff cold": [ruff, "check", "--no-cache", "--select", "ASYNC,RUF006", "--exit-zero", "-q", "."],
    }
    single_commands = {
        "asynclint, one 300-line file": [asynclint, "check", "--no-cache", "-q", "--exit-zero", str(single)],
        "flake8 + flake8-async, one 300-line file": [flake8, "--select", "ASYNC", "--exit-zero", str(single)],
    }
    shutil.rmtree(projects / ".asynclint_cache", ignore_errors=True)
    timed(commands["asynclint warm"], projects)  # fills the cache
    walls = {name: [] for name in list(commands) + list(single_commands)}
    memory = {name: [] for name in walls}
    for round_number in range(args.repeat):
        for name, command in list(commands.items()) + list(single_commands.items()):
            cwd = projects if name in commands else CORPUS
            wall, rss = timed(command, cwd)
            walls[name].append(wall)
            memory[name].append(rss)
            print(f"round {round_number + 1}: {name}: {wall:.2f} s, {rss:.0f} MB", flush=True)
    inprocess = json.loads(
        subprocess.run([bin_path("python"), str(HERE / "inprocess.py"), str(projects), str(args.repeat)], capture_output=True, text=True, check=True).stdout
    )
    med = {name: statistics.median(values) for name, values in walls.items()}
    peak = max(max(memory["asynclint cold, default jobs"]), max(memory["asynclint cold, --jobs 1"]))
    ratios = {
        "flake8 + flake8-async / asynclint cold": med["flake8 + flake8-async"] / med["asynclint cold, default jobs"],
        "asynclint in-process lint / libcst parse": inprocess["lint"]["median"] / inprocess["parse"]["median"],
        "asynclint warm / ruff cold": med["asynclint warm"] / med["ruff cold"],
        "asynclint / flake8 + flake8-async, one 300-line file": med["asynclint, one 300-line file"] / med["flake8 + flake8-async, one 300-line file"],
        "asynclint peak memory, MB": peak,
    }
    report = render(lines, med, memory, inprocess, ratios, args.repeat)
    (HERE / "RESULTS.md").write_text(report)
    update_readme(report)
    print(report)


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tools_python = subprocess.run(
        [bin_path("python"), "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True
    ).stdout.strip()
    return f"{model}, {os.cpu_count()} cores, {platform.system()}, Python {tools_python}"


def render(lines, med, memory, inprocess, ratios, repeat) -> str:
    rows = [
        f"Corpus: aiohttp, httpx, fastapi, starlette, sqlalchemy (pinned in `benchmarks/requirements.txt`) and the "
        f"standard library's asyncio: {lines:,} lines. Machine: {machine()}. Medians of {repeat} interleaved runs, "
        "whole process unless noted.",
        "",
        "| Command | Wall (s) | Lines/s | Peak memory (MB) |",
        "|---|---:|---:|---:|",
    ]
    for name, wall in med.items():
        rate = f"{lines / wall:,.0f}" if "one 300-line file" not in name else "-"
        rows.append(f"| {name} | {wall:.2f} | {rate} | {max(memory[name]):.0f} |")
    rows.append(f"| libcst.parse_module alone (in process) | {inprocess['parse']['median']:.2f} | {lines / inprocess['parse']['median']:,.0f} | - |")
    rows.append(f"| asynclint lint, one job (in process) | {inprocess['lint']['median']:.2f} | {lines / inprocess['lint']['median']:,.0f} | - |")
    rows += ["", "| Ratio | Value | Target | Met |", "|---|---:|---:|:-:|"]
    for name, value in ratios.items():
        op, target = TARGETS[name]
        met = {">=": value >= target, "<=": value <= target, "<": value < target}[op]
        rows.append(f"| {name} | {value:.2f} | {op} {target:g} | {'yes' if met else 'no'} |")
    return "\n".join(rows) + "\n"


def update_readme(report: str) -> None:
    text = README.read_text()
    start, end = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        README.write_text(f"{before}{start}\n{report}{end}{after}")


if __name__ == "__main__":
    main()
