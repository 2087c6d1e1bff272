"""Property tests and a fuzz target for the whole per-file pipeline.

Bounded for CI: ASYNCLINT_FUZZ_EXAMPLES scales the number of examples.
"""

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from asynclint.config import Selection, load_settings
from asynclint.diagnostic import Diagnostic
from asynclint.engine import lint_bytes, lint_text
from asynclint.rules.base import REGISTRY
from asynclint.runner import lint_files
from conftest import FIXTURES

hypothesmith = pytest.importorskip("hypothesmith")

SCALE = int(os.environ.get("ASYNCLINT_FUZZ_EXAMPLES", "1"))
EVERY_RULE = load_settings(cli=Selection(select=("ASL",)))
SEEDS = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.py"))]
BOUNDED = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def check_output(diagnostics):
    assert isinstance(diagnostics, list)
    for d in diagnostics:
        assert isinstance(d, Diagnostic) and d.code in REGISTRY
        assert d.line >= 1 and d.column >= 1
        assert d.code != "ASL009", d.message


@settings(max_examples=150 * SCALE, **BOUNDED)
@given(hypothesmith.from_grammar())
def test_generated_valid_programs(source):
    first = lint_text(source, "generated.py", EVERY_RULE)
    check_output(first)
    assert not [d for d in first if d.code == "ASL001"], source
    assert lint_text(source, "generated.py", EVERY_RULE) == first  # deterministic


@settings(max_examples=100 * SCALE, **BOUNDED)
@given(hypothesmith.from_node())
def test_generated_programs_from_libcst_nodes(source):
    check_output(lint_text(source, "generated.py", EVERY_RULE))


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        position = rng.randint(0, len(data))
        if choice < 0.4 and data:
            del data[position : position + rng.randint(1, 16)]
        elif choice < 0.7:
            data[position:position] = rng.choice([b"async ", b"await ", b"(", b")", b"\n    ", b":", b"\xff", b"\x00", b"yield from ", b"lambda: ", b"#", b'"""'])
        else:
            start = rng.randint(0, max(0, len(data) - 1))
            data[position:position] = data[start : start + rng.randint(1, 64)]
    return bytes(data)


@settings(max_examples=400 * SCALE, **BOUNDED)
@given(st.sampled_from(range(len(SEEDS))), st.integers(0, 2**32))
def test_fuzz_mutated_fixtures(seed_index, seed):
    data = mutate(SEEDS[seed_index], random.Random(seed))
    for name in ("fuzz.py", "fuzz.ipynb"):
        check_output(lint_bytes(data, name, EVERY_RULE))


def statements_of(data: bytes):
    import ast

    text = data.decode("utf-8")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    return [ast.get_source_segment(text, node, padded=True) for node in tree.body]


STATEMENTS = [segment for seed in SEEDS for segment in statements_of(seed) if segment]
WRAPPERS = ["async def wrapper():", "def wrapper():", "class Wrapper:", "for item in items:", "with manager:",
            "async def outer():\n    async def inner():", "if __name__ == '__main__':", "lambda_ = lambda: None\ntry:"]


def recombine(rng: random.Random) -> str:
    """Whole statements from different fixtures, nested in random wrappers: valid, and odd."""
    parts = []
    for _ in range(rng.randint(2, 10)):
        segment = rng.choice(STATEMENTS)
        if rng.random() < 0.6:
            wrapper = rng.choice(WRAPPERS)
            indent = "    " * (wrapper.count(":\n") + 1)
            body = "\n".join(indent + line if line.strip() else line for line in segment.splitlines())
            tail = "\nexcept Exception:\n    pass" if wrapper.endswith("try:") else ""
            segment = f"{wrapper}\n{body}{tail}"
        parts.append(segment)
    return "\n\n".join(parts) + "\n"


@settings(max_examples=300 * SCALE, **BOUNDED)
@given(st.integers(0, 2**32))
def test_fuzz_recombined_statements(seed):
    import ast

    source = recombine(random.Random(seed))
    try:
        ast.parse(source)
    except SyntaxError:
        return  # a wrapper that does not fit (rare): covered by the byte fuzzers
    diagnostics = lint_text(source, "recombined.py", EVERY_RULE)
    check_output(diagnostics)
    assert not [d for d in diagnostics if d.code == "ASL001"], source


@settings(max_examples=300 * SCALE, **BOUNDED)
@given(st.binary(max_size=4096))
def test_fuzz_raw_bytes(data):
    for name in ("fuzz.py", "fuzz.ipynb"):
        check_output(lint_bytes(data, name, EVERY_RULE))


@settings(max_examples=25 * SCALE, **BOUNDED)
@given(st.integers(50, 3200), st.sampled_from(["()", "[]", "{}", "not ", "-", "await ", "lambda: ", "x if y else "]))
def test_deep_nesting_never_crashes_the_process(depth, pair):
    if len(pair) == 2 and pair[0] in "([{":
        body = pair[0] * depth + "1" + pair[1] * depth
    else:
        body = pair * depth + "1"
    source = f"async def f():\n    return {body}\n"
    check_output(lint_text(source, "deep.py", EVERY_RULE))


@settings(max_examples=3 * SCALE, **BOUNDED)
@given(st.lists(hypothesmith.from_grammar(), min_size=20, max_size=24))
def test_jobs_and_cache_do_not_change_results(tmp_path_factory, sources):
    from asynclint.cache import Cache

    root = tmp_path_factory.mktemp("programs")
    paths = []
    for index, source in enumerate(sources):
        path = root / f"p{index}.py"
        path.write_text("import asyncio\n" + source, encoding="utf-8")
        paths.append(str(path))
    one = lint_files(paths, EVERY_RULE, jobs=1)
    assert lint_files(paths, EVERY_RULE, jobs=2) == one
    cache = Cache(str(root), EVERY_RULE)
    assert lint_files(paths, EVERY_RULE, jobs=1, cache=cache) == one  # cold, filling
    assert lint_files(paths, EVERY_RULE, jobs=2, cache=cache) == one  # warm
