"""Random multi-module projects: the project index never crashes or hangs, and
ASL309 agrees with a brute-force reading of RULES.md's may-block rule.

A generated project has a few modules of functions that call each other
across modules (import cycles included), some sync and some async, some
decorated, some making a blocking call directly, inside a nested def, or
passing a function uncalled. The reference below walks the generated call
graph naively; asynclint must report ASL309 exactly at the calls the reference
says reach a blocking call.
"""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.config import load_settings
from asynclint.engine import lint_path
from asynclint.project import Projects

# One statement of a function body, as data:
#   ("call", m, f)    call function f of module m
#   ("block",)        time.sleep(1)
#   ("nested", m, f)  a nested def that calls f (never runs here)
#   ("uncalled", m, f) threading.Thread(target=f)  (f passed, not called)
statement = st.one_of(
    st.tuples(st.just("call"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("block")),
    st.tuples(st.just("nested"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("uncalled"), st.integers(0, 3), st.integers(0, 3)),
)
function = st.fixed_dictionaries(
    {"async": st.booleans(), "decorated": st.booleans(), "body": st.lists(statement, max_size=4)}
)
projects = st.lists(st.lists(function, min_size=1, max_size=4), min_size=1, max_size=4)


def render(modules):
    """Source files for the generated project, and where each call lands."""
    files = {"pkg/__init__.py": ""}
    calls = []  # (path, line, caller (m, f), callee (m, f), caller is async)
    for m, functions in enumerate(modules):
        lines = ["import functools", "import threading", "import time", ""]
        lines += [f"from pkg import mod{n}" for n in range(len(modules)) if n != m]
        lines.append("")
        for f, spec in enumerate(functions):
            lines.append("")
            if spec["decorated"]:
                lines.append("@functools.lru_cache(maxsize=None)")
            lines.append(f"{'async ' if spec['async'] else ''}def f{f}():")
            for stmt in spec["body"]:
                kind = stmt[0]
                if kind == "block":
                    lines.append("    time.sleep(1)")
                    continue
                target_m = stmt[1] % len(modules)
                target_f = stmt[2] % len(modules[target_m])
                name = f"f{target_f}" if target_m == m else f"mod{target_m}.f{target_f}"
                if kind == "call":
                    lines.append(f"    {name}()")
                    calls.append((f"pkg/mod{m}.py", len(lines), (m, f), (target_m, target_f), spec["async"]))
                elif kind == "nested":
                    lines += ["    def inner():", f"        {name}()"]
                else:
                    lines.append(f"    threading.Thread(target={name})")
            lines.append("    return None")
        files[f"pkg/mod{m}.py"] = "\n".join(lines) + "\n"
    return files, calls


def may_block(modules, m, f, seen=frozenset()) -> bool:
    """RULES.md, read naively: a plain sync project function blocks when its own
    body calls time.sleep or a plain sync function that blocks (a cycle ends)."""
    spec = modules[m][f]
    if spec["async"] or spec["decorated"] or (m, f) in seen:
        return False
    for stmt in spec["body"]:
        if stmt[0] == "block":
            return True
        if stmt[0] == "call":
            target_m = stmt[1] % len(modules)
            target_f = stmt[2] % len(modules[target_m])
            if may_block(modules, target_m, target_f, seen | {(m, f)}):
                return True
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(projects)
def test_asl309_matches_the_reference(tmp_path_factory, modules):
    root = tmp_path_factory.mktemp("generated")
    files, calls = render(modules)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "pyproject.toml").write_text("[tool.asynclint]\n")
    lint_settings = load_settings(cwd=str(root))
    known = Projects(lint_settings)
    found = set()
    start = time.perf_counter()
    for name in files:
        path = root / name
        for d in lint_path(str(path), lint_settings, known.for_path(str(path))):
            assert d.code not in ("ASL009", "ASL001"), d
            if d.code == "ASL309":
                found.add((name, d.line))
    assert time.perf_counter() - start < 30, "indexing a small project must not take long"
    expected = {
        (path, line)
        for path, line, caller, callee, caller_async in calls
        if caller_async and may_block(modules, *callee)
    }
    assert found == expected
