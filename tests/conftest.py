import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def console_script() -> str:
    """The installed ``asynclint`` script of the environment running the tests."""
    name = "asynclint.exe" if os.name == "nt" else "asynclint"
    script = Path(sys.executable).parent / name
    if not script.exists():
        pytest.fail(f"asynclint console script not installed at {script}; pip install -e '.[test]'")
    return str(script)


def run_cli(*args, cwd=None, stdin=None, env=None):
    return subprocess.run(
        [console_script(), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=300,
    )


@pytest.fixture
def cli():
    return run_cli
