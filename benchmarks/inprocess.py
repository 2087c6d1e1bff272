"""In-process timing: asynclint's whole lint (one job, no cache) against the floor,
a bare ``libcst.parse_module`` of the same files. Run by run.py in the benchmark's
virtualenv; prints JSON."""

import json
import statistics
import sys
import time
from pathlib import Path

import libcst

from asynclint.config import load_settings
from asynclint.runner import lint_files


def parse_floor(paths):
    for path in paths:
        try:
            libcst.parse_module(path.read_bytes())
        except Exception:  # a file libcst cannot parse still cost its parse
            pass


def main():
    root, repeat = Path(sys.argv[1]), int(sys.argv[2])
    paths = sorted(p for p in root.rglob("*.py") if ".asynclint_cache" not in p.parts)
    settings = load_settings(cwd=str(root))
    times = {"parse": [], "lint": []}
    for _ in range(repeat):  # interleaved, so drift hits both alike
        start = time.perf_counter()
        parse_floor(paths)
        times["parse"].append(time.perf_counter() - start)
        start = time.perf_counter()
        lint_files([str(p) for p in paths], settings, jobs=1, cache=None)
        times["lint"].append(time.perf_counter() - start)
    print(json.dumps({k: {"median": statistics.median(v), "runs": v} for k, v in times.items()}))


if __name__ == "__main__":
    main()
