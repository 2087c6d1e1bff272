"""Files that are not fine Python never stop a run, and never show a traceback."""

import json

from asynclint.source import decode_source


def test_mixed_bad_inputs_in_one_run(cli, tmp_path):
    (tmp_path / "broken.py").write_text("async def main(:\n    pass\n")
    (tmp_path / "binary.py").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    (tmp_path / "cookie.py").write_bytes(b"# -*- coding: no-such-codec -*-\nx = 1\n")
    (tmp_path / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\ndef f(c):\n    return await c  # caf\xe9\n")
    (tmp_path / "lying.py").write_bytes(b"x = '\xff\xfe'\n")
    (tmp_path / "empty.py").write_bytes(b"")
    body = ["import asyncio", ""]
    for i in range(2000):
        body += [f"async def handler_{i}(x):", f"    await asyncio.sleep({i})", f"    return x + {i}", "", ""]
    body += ["def sync_tail():", "    await asyncio.sleep(0)"]
    (tmp_path / "big.py").write_text("\n".join(body) + "\n")
    assert len(body) >= 10_000

    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    found = sorted((d["path"], d["code"], d["line"], d["column"]) for d in json.loads(result.stdout))
    assert found == [
        ("big.py", "ASL100", 10004, 5),
        ("binary.py", "ASL002", 1, 1),
        ("broken.py", "ASL001", 1, 16),
        ("cookie.py", "ASL002", 1, 1),
        ("latin.py", "ASL100", 3, 12),
        ("lying.py", "ASL002", 1, 1),
    ]
    messages = {d["path"]: d["message"] for d in json.loads(result.stdout)}
    assert messages["broken.py"] == "SyntaxError: invalid syntax"
    assert "NUL" in messages["binary.py"]
    assert "no-such-codec" in messages["cookie.py"]
    assert b"7 checked" in result.stderr


def test_syntax_error_message_is_cpythons(cli, tmp_path):
    (tmp_path / "e.py").write_text("x = (1,\nprint('hi')\n")
    expected = None
    try:
        compile((tmp_path / "e.py").read_text(), "e.py", "exec")
    except SyntaxError as exc:
        expected = (exc.lineno, exc.offset, exc.msg)
    result = cli("check", "--format", "json", "e.py", cwd=tmp_path)
    (item,) = json.loads(result.stdout)
    assert (item["line"], item["column"], item["message"]) == (expected[0], expected[1], f"SyntaxError: {expected[2]}")


def test_syntax_errors_in_files_without_async_are_still_reported(cli, tmp_path):
    (tmp_path / "plain.py").write_text("def f(:\n    return 1\n")
    result = cli("check", "plain.py", cwd=tmp_path)
    assert result.returncode == 1 and b"ASL001" in result.stdout


def test_deep_nesting_does_not_crash(cli, tmp_path):
    (tmp_path / "deep.py").write_text("x = " + "(" * 1300 + "1" + ")" * 1300 + "\nasync def f():\n    pass\n")
    # CPython itself gives up on this one (RecursionError building the AST).
    (tmp_path / "chain.py").write_text("async def f(a):\n    return " + " + ".join(["a"] * 3000) + "\n")
    # Long but valid: walked to the end, the await at its far end is found.
    (tmp_path / "long.py").write_text("def f(a):\n    return " + " + ".join(["a"] * 700) + " + await a\n")
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert b"Traceback" not in result.stderr
    found = {d["path"]: (d["code"], d["message"]) for d in json.loads(result.stdout)}
    assert found["deep.py"][0] == "ASL001"
    assert found["chain.py"] == ("ASL001", "SyntaxError: too deeply nested for the parser")
    assert found["long.py"][0] == "ASL100"
    assert len(found) == 3


def test_decoding():
    assert decode_source(b"\xef\xbb\xbfx = 1\n").text == "x = 1\n"
    assert decode_source("# coding: cp1252\nx = '\u20ac'\n".encode("cp1252")).text.endswith("'\u20ac'\n")
    assert decode_source(b"x = '\xff'\n").error is not None
    assert decode_source(b"\x00").error is not None
    assert decode_source(b"").text == ""


def test_syntax_error_column_in_a_latin1_file(cli, tmp_path):
    (tmp_path / "l.py").write_bytes(b"# -*- coding: latin-1 -*-\nx = '\xe9\xe9\xe9' +\n")
    result = cli("check", "--format", "json", "l.py", cwd=tmp_path)
    (item,) = json.loads(result.stdout)
    try:
        compile((tmp_path / "l.py").read_bytes().decode("latin-1"), "<s>", "exec")
    except SyntaxError as exc:
        assert (item["line"], item["column"]) == (exc.lineno, exc.offset)
