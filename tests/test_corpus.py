"""The no-crash run: every rule over the whole standard library and site-packages.

Marked ``corpus`` so it can be run alone (``pytest -m corpus -s`` prints the
numbers); it is part of the default run and of CI.
"""

import collections
import json
import site
import subprocess
import sysconfig
import time

import pytest

from conftest import console_script


@pytest.mark.corpus
def test_stdlib_and_site_packages_without_a_crash(tmp_path):
    roots = [sysconfig.get_paths()["stdlib"]] + site.getsitepackages()
    start = time.perf_counter()
    result = subprocess.run(
        [console_script(), "check", "--select", "ASL", "--no-cache", "--exit-zero", "--format", "json", *roots],
        cwd=tmp_path, capture_output=True, timeout=1800,
    )
    wall = time.perf_counter() - start
    stderr = result.stderr.decode(errors="replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    findings = json.loads(result.stdout)
    by_code = collections.Counter(d["code"] for d in findings)
    assert by_code["ASL009"] == 0, [d for d in findings if d["code"] == "ASL009"]
    checked = int(stderr.rsplit("(", 1)[1].split()[0])
    paths = {d["path"] for d in findings}
    assert checked > 1000
    print(f"\ncorpus: {checked} files, {len(findings)} findings in {len(paths)} files, {wall:.1f} s")
    print("by code:", dict(sorted(by_code.items())))
