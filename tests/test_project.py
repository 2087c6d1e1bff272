"""Project-wide knowledge through the installed console script: the cache keeps
only what is still true, settings decide which chains count, and the
switch that limits knowledge to the named files."""

import json
import subprocess
import sys

from conftest import run_cli

HELPER = '''import time


def wait(seconds):
    """Pause between polls."""
    return seconds


def poll():
    return wait(1)
'''

CALLER = '''from app.helpers import poll


async def handler():
    poll()
'''


def project(tmp_path, files, config="[tool.asynclint]\n"):
    root = tmp_path / "proj"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "pyproject.toml").write_text(config)
    return root


def imports_libcst(root, *args) -> bool:
    """Whether a run had to parse anything with libcst (a cached caller never is)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "asynclint", "check", *args],
        cwd=root, capture_output=True, text=True,
    )
    return any(" libcst" in line for line in result.stderr.splitlines() if "import time:" in line)


def findings(root, *args):
    result = run_cli("check", "--format", "json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return [(d["path"], d["line"], d["code"]) for d in json.loads(result.stdout)]


def test_cache_follows_the_summaries_a_file_depends_on(tmp_path):
    root = project(tmp_path, {"app/__init__.py": "", "app/helpers.py": HELPER, "app/views.py": CALLER})
    assert findings(root, ".") == []
    assert not imports_libcst(root, ".")  # warm: every file a hit
    # An edit that leaves the helper's summary as it was: the caller still hits.
    (root / "app/helpers.py").write_text(HELPER.replace("Pause between polls.", "Sleep a while."))
    assert not imports_libcst(root, ".")
    assert findings(root, ".") == []
    # Making the helper block changes its summary: the caller is linted again.
    (root / "app/helpers.py").write_text(HELPER.replace("    return seconds", "    time.sleep(seconds)"))
    assert findings(root, ".") == [("app/views.py", 5, "ASL309")]
    # Linting only the caller (the pre-commit case) still knows the helper.
    assert findings(root, "app/views.py") == [("app/views.py", 5, "ASL309")]
    # A deleted helper module turns the finding off.
    (root / "app/helpers.py").unlink()
    assert findings(root, "app/views.py") == []
    assert findings(root, ".") == []


def test_a_module_that_appears_is_seen(tmp_path):
    root = project(tmp_path, {"app/__init__.py": "", "app/views.py": CALLER})
    assert findings(root, "app/views.py") == []
    (root / "app/helpers.py").write_text(HELPER.replace("    return seconds", "    time.sleep(seconds)"))
    assert findings(root, "app/views.py") == [("app/views.py", 5, "ASL309")]


def test_chain_counts_only_when_its_last_code_is_enabled(tmp_path):
    helpers = (
        "import time\n\n\ndef save(path):\n    with open(path) as f:\n        return f.read()\n\n\n"
        "def nap():\n    time.sleep(1)\n\n\ndef both(path):\n    save(path)\n    nap()\n"
    )
    caller = (
        "from app.helpers import both, nap, save\n\n\nasync def handler(p):\n"
        "    save(p)\n    nap()\n    both(p)\n"
    )
    root = project(tmp_path, {"app/__init__.py": "", "app/helpers.py": helpers, "app/views.py": caller})
    assert findings(root, "--no-cache", ".") == [
        ("app/views.py", 5, "ASL309"), ("app/views.py", 6, "ASL309"), ("app/views.py", 7, "ASL309"),
    ]
    # With ASL303 off, chains ending in open() stop counting; 'both' still reaches time.sleep.
    assert findings(root, "--no-cache", "--ignore", "ASL303", ".") == [
        ("app/views.py", 6, "ASL309"), ("app/views.py", 7, "ASL309"),
    ]
    result = run_cli("check", "--no-cache", "--format", "json", "--ignore", "ASL303", "app/views.py", cwd=root)
    both = [d for d in json.loads(result.stdout) if d["line"] == 7][0]
    assert "both -> nap (app/helpers.py:15) -> time.sleep (app/helpers.py:10)" in both["message"]
    assert run_cli("check", "--no-cache", "--ignore", "ASL309", ".", cwd=root).returncode == 0


def test_exclude_and_source_roots_shape_the_project(tmp_path):
    helper = "import time\n\n\ndef slow():\n    time.sleep(1)\n"
    caller = "from lib.slow import slow\n\n\nasync def handler():\n    slow()\n"
    root = project(
        tmp_path,
        {"services/lib/__init__.py": "", "services/lib/slow.py": helper, "services/api.py": caller},
        config='[tool.asynclint]\nsource-roots = ["services"]\n',
    )
    assert findings(root, "--no-cache", ".") == [("services/api.py", 5, "ASL309")]
    (root / "pyproject.toml").write_text('[tool.asynclint]\nsource-roots = ["services"]\nexclude = ["slow.py"]\n')
    assert findings(root, "--no-cache", "services/api.py") == []


def test_no_project_knows_only_the_named_files(tmp_path):
    helper = "import time\n\n\ndef slow():\n    time.sleep(1)\n"
    caller = "from app.slow import slow\n\n\nasync def handler():\n    slow()\n"
    root = project(tmp_path, {"app/__init__.py": "", "app/slow.py": helper, "app/api.py": caller})
    assert findings(root, "--no-cache", "app/api.py") == [("app/api.py", 5, "ASL309")]
    assert findings(root, "--no-cache", "--no-project", "app/api.py") == []
    assert findings(root, "--no-cache", "--no-project", "app/api.py", "app/slow.py") == [("app/api.py", 5, "ASL309")]


def test_explain_the_project_rules(cli):
    for code, words in (("ASL309", "chain"), ("ASL405", "event loop")):
        result = cli("explain", code)
        assert result.returncode == 0
        assert code in result.stdout.decode() and words in result.stdout.decode()


def test_long_chains_are_shortened_in_messages_only():
    from asynclint.diagnostic import ChainStep
    from asynclint.project.effects import chain_text

    chain = tuple(ChainStep(f"f{i}", f"m{i}.py", i + 1) for i in range(12))
    text = chain_text(chain)
    assert text == "f0 -> f1 (m1.py:2) -> f2 (m2.py:3) -> f3 (m3.py:4) -> ... 7 more calls ... -> f11 (m11.py:12)"
    short = chain[:3]
    assert chain_text(short) == "f0 -> f1 (m1.py:2) -> f2 (m2.py:3)"
