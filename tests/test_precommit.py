"""The pre-commit hook, tested by running the real pre-commit on a temporary repo.

pre-commit installs the hook from this checkout's current commit into its own
environment, as it would on a user's machine (it needs PyPI for libcst).
"""

import os
import subprocess
import sys

import pytest

from conftest import ROOT

BLOCKING = "import time\n\n\nasync def poll():\n    time.sleep(5)\n"
FIXED = "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(5)\n"


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def test_pre_commit_hook_fails_then_passes(tmp_path):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.fail("the project checkout has no commit for pre-commit to install")
    tracked = subprocess.run(["git", "cat-file", "-e", f"{head.stdout.strip()}:.pre-commit-hooks.yaml"], cwd=ROOT)
    assert tracked.returncode == 0, ".pre-commit-hooks.yaml is not committed"
    repo = tmp_path / "user-repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    git("config", "user.email", "user@example.com", cwd=repo)
    git("config", "user.name", "User", cwd=repo)
    (repo / "poll.py").write_text(BLOCKING)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head.stdout.strip()}\n    hooks:\n      - id: asynclint\n"
    )
    git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files"]

    failed = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "poll.py:5:5: ASL300 blocking sleep 'time.sleep'" in failed.stdout

    (repo / "poll.py").write_text(FIXED)
    git("add", ".", cwd=repo)
    passed = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "asynclint" in passed.stdout and "Passed" in passed.stdout


HELPER = "import time\n\n\ndef pause(seconds):\n    time.sleep(seconds)\n"
VIEW = "from app.helpers import pause\n\n\nasync def handler():\n    return 1\n"
VIEW_CALLING = "from app.helpers import pause\n\n\nasync def handler():\n    pause(1)\n"
VIEW_FIXED = "import asyncio\n\nfrom app.helpers import pause\n\n\nasync def handler():\n    await asyncio.to_thread(pause, 1)\n"


def test_pre_commit_on_one_changed_file_knows_the_unchanged_helper(tmp_path):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    repo = tmp_path / "user-repo"
    (repo / "app").mkdir(parents=True)
    git("init", "-q", cwd=repo)
    git("config", "user.email", "user@example.com", cwd=repo)
    git("config", "user.name", "User", cwd=repo)
    (repo / "pyproject.toml").write_text("[tool.asynclint]\n")
    (repo / "app" / "__init__.py").write_text("")
    (repo / "app" / "helpers.py").write_text(HELPER)
    (repo / "app" / "views.py").write_text(VIEW)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: asynclint\n"
    )
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "start", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    command = [sys.executable, "-m", "pre_commit", "run", "--verbose"]

    (repo / "app" / "views.py").write_text(VIEW_CALLING)
    git("add", "app/views.py", cwd=repo)
    failed = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "app/views.py:5:5: ASL309 'pause' inside coroutine 'handler'" in failed.stdout
    assert "pause -> time.sleep (app/helpers.py:5)" in failed.stdout
    assert "1 checked" in failed.stdout  # only the changed file was passed

    (repo / "app" / "views.py").write_text(VIEW_FIXED)
    git("add", "app/views.py", cwd=repo)
    passed = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr
