"""Selection layering, prefixes and globs."""

import pytest

from asynclint.config import ConfigError, Selection, check_codes, path_matches, resolve_enabled


def test_defaults_and_prefixes():
    default = resolve_enabled(())
    assert "ASL100" in default and "ASL001" in default
    only_1xx = resolve_enabled([Selection(select=("ASL1",))])
    assert "ASL100" in only_1xx and "ASL001" in only_1xx  # the linter's own findings stay on
    assert resolve_enabled([Selection(ignore=("ASL",))]) == frozenset()


def test_specificity_and_layers():
    layers = [Selection(select=("ASL1",), ignore=("ASL10",), extend_select=("ASL100",))]
    assert {c for c in resolve_enabled(layers) if c.startswith("ASL1")} == {"ASL100"}
    # Same length: ignore wins.
    assert "ASL100" not in resolve_enabled([Selection(extend_select=("ASL100",), ignore=("ASL100",))])
    # A later layer (the command line) can re-enable what the config ignored.
    layers = [Selection(ignore=("ASL100",)), Selection(extend_select=("ASL100",))]
    assert "ASL100" in resolve_enabled(layers)


def test_unknown_codes_rejected():
    assert check_codes(["asl1", " ASL100 "], "x") == ("ASL1", "ASL100")
    for bad in ("ASL9999", "E501", "ASL990", "ASLX"):
        with pytest.raises(ConfigError):
            check_codes([bad], "x")


def test_path_globs():
    assert path_matches("tests/*", "tests/test_a.py")
    assert path_matches("tests", "pkg/tests/test_a.py")
    assert path_matches("*_pb2.py", "pkg/api_pb2.py")
    assert path_matches("pkg/legacy", "pkg/legacy/old/x.py")
    assert path_matches("**/gen/*.py", "gen/x.py")
    assert not path_matches("tests/*", "src/tests.py")
    assert not path_matches("legacy", "pkg/legacy_tools.py")
