"""Benchmark what project-wide knowledge costs.

    python benchmarks/project.py [--repeat 3] [--baseline REV] [--skip-setup]

Needs the corpus and virtualenv of ``benchmarks/run.py`` (run that once, or
let this script build them). Measures, in interleaved rounds, medians:

- the benchmark corpus, cold and warm, with project knowledge against the
  same commands of asynclint at ``--baseline`` (the last commit before the
  project index; installed into benchmarks/.venv-baseline);
- one changed file in a 600-module generated application with a warm cache
  (the pre-commit case), and that its cross-module findings are reported;
- generated projects of 500, 1,000 and 2,000 modules with long import chains
  and cycles, cold: seconds per module (linear means flat).

Results go to benchmarks/PROJECT.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import run as main_benchmark  # noqa: E402  (the corpus and virtualenv live there)

BASELINE_VENV = HERE / ".venv-baseline"
GENERATED = HERE / ".generated"
# The last commit before project-wide knowledge: what "today" meant for its budget.
BEFORE_PROJECT_INDEX = "f4ef798"
TARGETS = {
    "cold with project / cold before": ("<=", 1.2),
    "warm with project / warm before": ("<=", 1.2),
    "one changed file, 600-module project, warm (s)": ("<=", 0.5),
}


def baseline_bin(name: str) -> str:
    return str(BASELINE_VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def setup_baseline(rev: str) -> None:
    if not BASELINE_VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BASELINE_VENV)], check=True)
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "src.tar"
        subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), rev], cwd=ROOT, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(Path(scratch) / "src")
        subprocess.run([baseline_bin("python"), "-m", "pip", "install", "-q", str(Path(scratch) / "src")], check=True)


# -- generated projects ------------------------------------------------------
def generate_app(root: Path, modules: int) -> Path:
    """A layered application: helpers that call each other down long import
    chains (every tenth module also imports one further back: cycles), a few of
    them blocking, and handler modules whose coroutines call them."""
    if root.exists():
        shutil.rmtree(root)
    package = root / "app"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.asynclint]\n")
    (package / "__init__.py").write_text('"""A generated application."""\n')
    for index in range(modules):
        lines = ['"""Helpers, layer %d."""' % index, "import json", "import time", ""]
        if index + 1 < modules:
            lines.append(f"from app import m{index + 1}")
        if index % 10 == 9:
            lines.append(f"from app import m{index - 9}")
        lines += ["", ""]
        lines += [f"def step_{index}(value):", "    data = json.dumps(value)"]
        if index + 1 < modules:
            lines.append(f"    return m{index + 1}.step_{index + 1}(data)")
        else:
            lines.append("    time.sleep(0.01)")
            lines.append("    return data")
        if index % 10 == 9:
            lines += ["", "", f"def back_{index}(value):", f"    return m{index - 9}.back_{index - 9}(value)"]
        else:
            lines += ["", "", f"def back_{index}(value):", "    return value"]
        lines += [
            "",
            "",
            f"class Service{index}:",
            "    def __init__(self, name):",
            "        self.name = name",
            "",
            "    def describe(self):",
            "        return {'name': self.name, 'layer': %d}" % index,
            "",
            "    async def refresh(self):",
            "        return self.describe()",
        ]
        if index % 25 == 0:
            lines += [
                "",
                "",
                f"async def handler_{index}(request):",
                f"    result = step_{index}(request)",
                f"    back_{index}(request)",
                f"    service = Service{index}(request)",
                "    service.refresh()",
                "    return result",
            ]
        (package / f"m{index}.py").write_text("\n".join(lines) + "\n")
    return root


def timed(command, cwd):
    return main_benchmark.timed(command, cwd)


def per_module(repeat: int) -> dict:
    """Cold seconds per module for generated projects of growing size."""
    asynclint = main_benchmark.bin_path("asynclint")
    out = {}
    for size in (500, 1000, 2000):
        root = generate_app(GENERATED / f"chain{size}", size)
        walls = []
        for _ in range(repeat):
            wall, _ = timed([asynclint, "check", "--no-cache", "-q", "--exit-zero", "."], root)
            walls.append(wall)
        out[size] = statistics.median(walls)
    return out


def changed_file(repeat: int) -> dict:
    """The pre-commit case: one file of a 600-module project edited, cache warm."""
    asynclint = main_benchmark.bin_path("asynclint")
    root = generate_app(GENERATED / "app600", 600)
    target = root / "app" / "m100.py"
    timed([asynclint, "check", "-q", "--exit-zero", "."], root)  # fills the cache
    walls = []
    for round_number in range(repeat):
        text = target.read_text()
        target.write_text(text + f"\n\n# edit {round_number}\n\n\nasync def added_{round_number}(request):\n    return step_100(request)\n")
        wall, _ = timed([asynclint, "check", "-q", "--exit-zero", "app/m100.py"], root)
        walls.append(wall)
    result = subprocess.run(
        [asynclint, "check", "--format", "json", "--exit-zero", "app/m100.py"], cwd=root, capture_output=True, text=True
    )
    findings = json.loads(result.stdout)
    return {
        "wall": statistics.median(walls),
        "files": sum(1 for _ in (root / "app").glob("*.py")),
        "codes": sorted({d["code"] for d in findings}),
        "chain_steps": max((d["message"].count(" -> ") for d in findings if d["code"] == "ASL309"), default=0),
    }


def corpus(repeat: int) -> dict:
    projects = main_benchmark.CORPUS / "projects"
    now, before = main_benchmark.bin_path("asynclint"), baseline_bin("asynclint")
    commands = {
        "cold with project": [now, "check", "--no-cache", "-q", "--exit-zero", "."],
        "cold before": [before, "check", "--no-cache", "-q", "--exit-zero", "."],
        "warm with project": [now, "check", "-q", "--exit-zero", "."],
        "warm before": [before, "check", "-q", "--exit-zero", "."],
    }
    shutil.rmtree(projects / ".asynclint_cache", ignore_errors=True)
    timed(commands["warm with project"], projects)
    timed(commands["warm before"], projects)
    walls = {name: [] for name in commands}
    memory = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            wall, rss = timed(command, projects)
            walls[name].append(wall)
            memory[name].append(rss)
    return {name: (statistics.median(values), max(memory[name])) for name, values in walls.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default=BEFORE_PROJECT_INDEX, help="git revision to compare with")
    parser.add_argument("--skip-setup", action="store_true")
    args = parser.parse_args()
    if not args.skip_setup:
        main_benchmark.setup()
        main_benchmark.build_corpus()
        setup_baseline(args.baseline)
    lines = main_benchmark.count_lines(main_benchmark.CORPUS / "projects")
    runs = corpus(args.repeat)
    change = changed_file(args.repeat)
    scaling = per_module(args.repeat)
    ratios = {
        "cold with project / cold before": runs["cold with project"][0] / runs["cold before"][0],
        "warm with project / warm before": runs["warm with project"][0] / runs["warm before"][0],
        "one changed file, 600-module project, warm (s)": change["wall"],
    }
    rows = [
        f"Corpus as in RESULTS.md ({lines:,} lines). Baseline: asynclint at `{args.baseline}` (before the project "
        f"index). Machine: {main_benchmark.machine()}. Medians of {args.repeat} interleaved runs.",
        "",
        "| Command | Wall (s) | Peak memory (MB) |",
        "|---|---:|---:|",
    ]
    rows += [f"| asynclint {name} | {wall:.2f} | {rss:.0f} |" for name, (wall, rss) in runs.items()]
    rows += [
        f"| one changed file of a {change['files']}-module project, warm | {change['wall']:.2f} | - |",
        "",
        f"The changed file's findings: {', '.join(change['codes'])}; its longest ASL309 chain has "
        f"{change['chain_steps']} steps.",
        "",
        "| Generated project, cold | Wall (s) | ms per module |",
        "|---|---:|---:|",
    ]
    rows += [f"| {size:,} modules | {wall:.2f} | {1000 * wall / size:.2f} |" for size, wall in scaling.items()]
    rows += ["", "| Ratio | Value | Target | Met |", "|---|---:|---:|:-:|"]
    for name, value in ratios.items():
        op, target = TARGETS[name]
        met = value <= target
        rows.append(f"| {name} | {value:.2f} | {op} {target:g} | {'yes' if met else 'no'} |")
    report = "\n".join(rows) + "\n"
    (HERE / "PROJECT.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
