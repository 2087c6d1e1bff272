"""ASL100-ASL104 agree with CPython's compiler, statement by statement.

Each of these rules claims "the compiler rejects this". For every top-level
statement of their fixtures, and for a list of tricky snippets, asynclint must
report a compile-time finding exactly when ``compile()`` raises SyntaxError.
"""

import ast

import pytest

from asynclint.config import default_settings
from asynclint.engine import lint_text
from conftest import FIXTURES

COMPILE_TIME = ("ASL100", "ASL101", "ASL102", "ASL103", "ASL104")

SNIPPETS = [
    "def f():\n    return (await x for x in y)\n",
    "def f():\n    return [await x for x in y]\n",
    "def f():\n    return ([await x for x in y] for y in z)\n",
    "def f():\n    return (x async for x in y)\n",
    "def f():\n    return [x async for x in y]\n",
    "def f():\n    return [x for x in (y async for y in z)]\n",
    "async def f():\n    g = lambda: await x\n",
    "g = (await x for x in y)\n",
    "class A:\n    g = (await x for x in y)\n",
    "async with a:\n    pass\n",
    "async def f():\n    yield from x\n",
    "async def f():\n    yield 1\n    return None\n",
    "async def f():\n    yield 1\n    return\n",
    "def f():\n    return [x for x in y if await z]\n",
    "async def f():\n    return [[a async for a in b] for b in c]\n",
    "async def f(x=[await y]):\n    pass\n",
    "def f():\n    return (x for x in await y)\n",
    "async def f():\n    @dec(await y)\n    def g(): pass\n",
    "async def f():\n    class A:\n        x = await y\n",
    "async def f():\n    return {k: await v for k, v in d}\n",
    "async def f():\n    def g():\n        yield from x\n",
    "async def f():\n    async def g():\n        yield 1\n    return 3\n",
    "async def f():\n    x = [y async for y in z]\n    async for q in w:\n        await q\n",
    "def f():\n    async def g():\n        await x\n",
    "def f():\n    for x in y:\n        async with z:\n            pass\n",
    "async def f(a=lambda: (await x for x in y)):\n    pass\n",
]


def statements(path):
    text = path.read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        yield ast.get_source_segment(text, node, padded=True)


CASES = list(SNIPPETS)
for name in ("asl100", "asl101", "asl102", "asl103", "asl104"):
    for path in sorted((FIXTURES / "rules").glob(f"{name}_*.py")):
        CASES.extend(statements(path))


def compiles(source):
    try:
        compile(source, "<case>", "exec")
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("source", CASES)
def test_compile_time_findings_match_the_compiler(source):
    diagnostics = lint_text(source, "case.py", default_settings())
    flagged = [d for d in diagnostics if d.code in COMPILE_TIME and "SyntaxError" in d.message]
    assert bool(flagged) == (not compiles(source)), [d.message for d in diagnostics]
