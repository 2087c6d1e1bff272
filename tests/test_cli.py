"""The CLI contract, driven through the installed console script."""

import json
import textwrap

from asynclint import __version__

BAD = textwrap.dedent(
    """\
    def load(client):
        return await client.get("/")
    """
)
GOOD = "async def load(client):\n    return await client.get('/')\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_exit_codes_and_text_format(cli, tmp_path):
    write(tmp_path, "bad.py", BAD)
    write(tmp_path, "good.py", GOOD)
    result = cli("check", "good.py", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == b""
    assert b"No problems found" in result.stderr

    result = cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines == [lines[0]]
    assert lines[0].startswith("bad.py:2:12: ASL100 ")
    assert b"Found 1 problem in 1 file" in result.stderr


def test_usage_error_exits_2_without_traceback(cli, tmp_path):
    for args in (["check", "--format", "xml"], ["check", "--select", "XYZ1"], ["check", "missing.py"], ["explain", "ASL999"]):
        result = cli(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert b"Traceback" not in result.stderr
        assert result.stderr.decode().count("\n") == 1, result.stderr


def test_json_keys(cli, tmp_path):
    write(tmp_path, "bad.py", BAD)
    result = cli("check", "--format", "json", "bad.py", cwd=tmp_path)
    assert result.returncode == 1
    (item,) = json.loads(result.stdout)
    assert set(item) == {"code", "name", "message", "path", "line", "column", "end_line", "end_column"}
    assert (item["code"], item["name"], item["path"], item["line"], item["column"]) == (
        "ASL100", "await-outside-async", "bad.py", 2, 12
    )
    assert (item["end_line"], item["end_column"]) == (2, 33)


def test_select_ignore_and_prefixes(cli, tmp_path):
    write(tmp_path, "m.py", BAD + "class A:\n    async def __init__(self):\n        pass\n")
    codes = lambda r: sorted(d["code"] for d in json.loads(r.stdout))
    assert codes(cli("check", "--format", "json", "m.py", cwd=tmp_path)) == ["ASL100", "ASL105"]
    assert codes(cli("check", "--format", "json", "--ignore", "ASL105", "m.py", cwd=tmp_path)) == ["ASL100"]
    assert codes(cli("check", "--format", "json", "--select", "ASL105", "m.py", cwd=tmp_path)) == ["ASL105"]
    assert codes(cli("check", "--format", "json", "--select", "ASL1", "--ignore", "ASL10", "--extend-select", "ASL100", "m.py", cwd=tmp_path)) == ["ASL100"]
    assert codes(cli("check", "--format", "json", "--ignore", "ASL1", "m.py", cwd=tmp_path)) == []
    result = cli("check", "--ignore", "ASL1", "m.py", cwd=tmp_path)
    assert result.returncode == 0


def test_config_file(cli, tmp_path):
    write(tmp_path, "pkg/bad.py", BAD)
    write(tmp_path, "pkg/legacy/old.py", BAD)
    write(tmp_path, "tests/test_x.py", BAD)
    write(
        tmp_path,
        "pyproject.toml",
        textwrap.dedent(
            """\
            [tool.asynclint]
            extend-exclude = ["legacy"]
            per-file-ignores = { "tests/*" = ["ASL100"] }
            """
        ),
    )
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert sorted(d["path"] for d in json.loads(result.stdout)) == ["pkg/bad.py"]
    # Run from a subdirectory: the nearest pyproject.toml upward still applies.
    result = cli("check", "--format", "json", "..", cwd=tmp_path / "tests")
    assert sorted(d["path"] for d in json.loads(result.stdout)) == ["../pkg/bad.py"]
    # The command line overrides the config's selection.
    result = cli("check", "--format", "json", "--select", "ASL105", ".", cwd=tmp_path)
    assert json.loads(result.stdout) == []


def test_bad_config_exits_2_naming_key_and_file(cli, tmp_path):
    write(tmp_path, "a.py", GOOD)
    cases = {
        "[tool.asynclint]\nslect = ['ASL1']\n": "slect",
        "[tool.asynclint]\nselect = 'ASL1'\nignore = 3\n": "ignore",
        "[tool.asynclint]\nselect = ['ASL777']\n": "ASL777",
        "[tool.asynclint\n": "invalid TOML",
        "[tool.asynclint]\nper-file-ignores = { 'x' = 5 }\n": "per-file-ignores",
    }
    for text, needle in cases.items():
        write(tmp_path, "pyproject.toml", text)
        result = cli("check", "a.py", cwd=tmp_path)
        err = result.stderr.decode()
        assert result.returncode == 2, text
        assert needle in err and "pyproject.toml" in err, err
        assert "Traceback" not in err


def test_explicit_config_path(cli, tmp_path):
    write(tmp_path, "a.py", BAD)
    write(tmp_path, "conf/custom.toml", "[tool.asynclint]\nignore = ['ASL100']\n")
    assert cli("check", "--config", "conf/custom.toml", "a.py", cwd=tmp_path).returncode == 0
    assert cli("check", "--config", "conf/nope.toml", "a.py", cwd=tmp_path).returncode == 2


def test_noqa(cli, tmp_path):
    text = (
        "def a(c):\n    return await c  # noqa\n"
        "def b(c):\n    return await c  # noqa: ASL100\n"
        "def d(c):\n    return await c  # noqa: ASL300\n"
        "def e(c):\n    return await c  # NOQA:ASL1\n"
        "def f(c):\n    return await c, '# noqa'\n"
    )
    write(tmp_path, "n.py", text)
    result = cli("check", "--format", "json", "n.py", cwd=tmp_path)
    assert sorted(d["line"] for d in json.loads(result.stdout)) == [6, 10]


def test_skip_file(cli, tmp_path):
    write(tmp_path, "s.py", "# asynclint: skip-file\n" + BAD)
    assert cli("check", "s.py", cwd=tmp_path).returncode == 0


def test_stdin(cli, tmp_path):
    result = cli("check", "-", "--stdin-filename", "app/handlers.py", cwd=tmp_path, stdin=BAD.encode())
    assert result.returncode == 1
    assert result.stdout.decode().startswith("app/handlers.py:2:12: ASL100")
    result = cli("check", "-", cwd=tmp_path, stdin=GOOD.encode())
    assert result.returncode == 0


def test_discovery_skips_environments_and_build_dirs(cli, tmp_path):
    for name in (".git/x.py", "build/x.py", "dist/x.py", ".tox/x.py", "node_modules/x.py", "__pycache__/x.py", "env/lib/x.py", "src/x.py"):
        write(tmp_path, name, BAD)
    write(tmp_path, "env/pyvenv.cfg", "home = /usr\n")
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert [d["path"] for d in json.loads(result.stdout)] == ["src/x.py"]
    # A file named explicitly is linted even inside a skipped directory.
    result = cli("check", "--format", "json", "build/x.py", cwd=tmp_path)
    assert [d["path"] for d in json.loads(result.stdout)] == ["build/x.py"]


def test_output_file_and_exit_zero(cli, tmp_path):
    write(tmp_path, "bad.py", BAD)
    result = cli("check", "--exit-zero", "--output-file", "out.txt", "bad.py", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == b""
    assert (tmp_path / "out.txt").read_text().startswith("bad.py:2:12: ASL100")


def test_rules_explain_version(cli):
    result = cli("rules", "--format", "json")
    rules = json.loads(result.stdout)
    codes = [r["code"] for r in rules]
    assert {"ASL001", "ASL002", "ASL100", "ASL101", "ASL102", "ASL103", "ASL104", "ASL105"} <= set(codes)
    assert codes == sorted(codes)
    text = cli("rules").stdout.decode()
    assert "ASL100  await-outside-async" in text
    explained = cli("explain", "asl100")
    assert explained.returncode == 0
    out = explained.stdout.decode()
    assert "await-outside-async" in out and "SyntaxError" in out and "Bad:" in out and "Good:" in out
    assert cli("--version").stdout.decode().strip() == f"asynclint {__version__}"


def test_implicit_check_and_python_m(cli, tmp_path):
    write(tmp_path, "bad.py", BAD)
    assert cli("bad.py", cwd=tmp_path).returncode == 1
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "asynclint", "check", "bad.py"], cwd=tmp_path, capture_output=True)
    assert result.returncode == 1 and b"ASL100" in result.stdout
