"""ASL1xx: async syntax where it cannot run.

``ast.parse`` accepts all of these; CPython's compiler rejects them, so the
code fails at import time (or, in code loaded lazily, at the worst moment).
"""

from __future__ import annotations

from typing import List

from asynclint.lazy import libcst as cst

from asynclint.rules.base import Rule, register
from asynclint.scope import CLASS, COMPREHENSION, FUNCTION, LAMBDA, MODULE, Scope


def async_allowed(scope: Scope, notebook: bool) -> bool:
    """Whether ``await``/``async for`` may appear in code running in ``scope``.

    A generator expression anywhere between here and the owning function makes
    the expression an async generator, which any scope may create.
    """
    while scope.kind == COMPREHENSION:
        if scope.is_genexp:
            return True
        scope = scope.parent
    if scope.kind == FUNCTION:
        return scope.is_async
    if scope.kind == MODULE:
        return notebook
    return False


def describe(scope: Scope) -> str:
    """Where code is, in words: "in plain function 'load'", "in a lambda"..."""
    prefix = ""
    if scope.kind == COMPREHENSION:
        kind = {
            cst.ListComp: "list comprehension",
            cst.SetComp: "set comprehension",
            cst.DictComp: "dict comprehension",
            cst.GeneratorExp: "generator expression",
        }[type(scope.node)]
        prefix = f"in a {kind} "
        scope = scope.runs_in
    if scope.kind == FUNCTION:
        kind = "async function" if scope.is_async else "plain function"
        where = f"in {kind} '{scope.node.name.value}'"
    elif scope.kind == LAMBDA:
        where = "in a lambda"
    elif scope.kind == CLASS:
        where = f"in the body of class '{scope.node.name.value}'"
    else:
        where = "at module level"
    return prefix + where


@register
class AwaitOutsideAsync(Rule):
    code = "ASL100"
    name = "await-outside-async"
    summary = "'await' used where it cannot run: outside an async function."
    explanation = """
        Flags `await` in a plain `def`, a `lambda`, a class body, a list/set/dict
        comprehension outside an async function, or at a module's top level.

        Why: `ast.parse` accepts this, so flake8 and most editors stay quiet, but
        CPython's compiler rejects it: `SyntaxError: 'await' outside async
        function` (or "asynchronous comprehension outside of an asynchronous
        function") as soon as the module is imported. `await` inside a
        generator expression is legal anywhere (it makes an async generator),
        and a notebook cell may `await` at its top level.

        Bad:
            def load(client):
                return await client.get("/items")

        Good:
            async def load(client):
                return await client.get("/items")
    """

    def visit_Await(self, node: cst.Await) -> None:
        scope = self.ctx.scope
        if not async_allowed(scope, self.ctx.notebook):
            self.report(
                node,
                f"'await' {describe(scope)} is a SyntaxError when the module is compiled; "
                "make the enclosing function 'async def' (and await it) or drop the 'await'",
            )


@register
class AsyncWithOutsideAsync(Rule):
    code = "ASL101"
    name = "async-with-outside-async"
    summary = "'async with' used outside an async function."
    explanation = """
        Flags an `async with` statement in a plain `def`, a class body or at a
        module's top level.

        Why: CPython's compiler rejects it (`SyntaxError: 'async with' outside
        async function`) when the module is imported; `ast.parse` and most
        linters accept it.

        Bad:
            def handler(lock):
                async with lock:
                    ...

        Good:
            async def handler(lock):
                async with lock:
                    ...
    """

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None and not async_allowed(self.ctx.scope, self.ctx.notebook):
            self.report(
                node.asynchronous,
                f"'async with' {describe(self.ctx.scope)} is a SyntaxError when the module is compiled; "
                "make the enclosing function 'async def' or use a plain 'with'",
            )


SYNC_CONSUMERS = frozenset({"list", "tuple", "set", "dict", "sorted", "sum", "any", "all", "min", "max"})


@register
class AsyncForOutsideAsync(Rule):
    code = "ASL102"
    name = "async-for-outside-async"
    summary = "'async for' outside an async function, or an async generator consumed synchronously."
    explanation = """
        Flags an `async for` statement, or an `async for` clause of a
        list/set/dict comprehension, outside an async function; and, anywhere,
        an async generator expression (one with `async for` or `await` in it)
        handed straight to a synchronous consumer (`list(...)`, `tuple`, `set`,
        `dict`, `sorted`, `sum`, `any`, `all`, `min`, `max`, `str.join`) or
        iterated by a plain `for`.

        Why: the first is a `SyntaxError` when the module is compiled. The
        second compiles, then fails at run time: `TypeError: 'async_generator'
        object is not iterable`. Creating an async generator expression in a
        sync scope is legal; only consuming it needs `async for`.

        Bad:
            def names(rows):
                return [row.name async for row in rows]

            async def total(stream):
                return sum(x.size async for x in stream)

        Good:
            async def names(rows):
                return [row.name async for row in rows]

            async def total(stream):
                return sum([x.size async for x in stream])
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.async_genexps: set = set()  # ids of genexps that are async
        self.consumer_calls: List = []  # (scope, call, consumer name, genexp)

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None and not async_allowed(self.ctx.scope, self.ctx.notebook):
            self.report(
                node.asynchronous,
                f"'async for' {describe(self.ctx.scope)} is a SyntaxError when the module is compiled; "
                "make the enclosing function 'async def' or iterate with a plain 'for'",
            )

    def leave_For(self, node: cst.For) -> None:
        if node.asynchronous is None and id(node.iter) in self.async_genexps:
            self.report(
                node,
                "plain 'for' over an async generator expression raises TypeError at run time; "
                "use 'async for' inside an async def",
            )

    def visit_CompFor(self, node: cst.CompFor) -> None:
        scope = self.ctx.scope  # the comprehension's own scope
        if node.asynchronous is None:
            return
        self._mark_async_genexp(scope)
        if not async_allowed(scope, self.ctx.notebook):
            self.report(
                node.asynchronous,
                f"'async for' {describe(scope)} is a SyntaxError when the module is compiled; "
                "make the enclosing function 'async def' or use a generator expression",
            )

    def visit_Await(self, node: cst.Await) -> None:
        self._mark_async_genexp(self.ctx.scope)

    def _mark_async_genexp(self, scope: Scope) -> None:
        while scope.kind == COMPREHENSION:
            if scope.is_genexp:
                self.async_genexps.add(id(scope.node))
                return
            scope = scope.parent

    def leave_Call(self, node: cst.Call) -> None:
        positional = [arg.value for arg in node.args if arg.keyword is None and arg.star == ""]
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "join":
            if isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
                candidates = positional[:1]
                consumer = "str.join"
            else:
                candidates = positional[1:2]  # str.join(sep, iterable)
                consumer = "str.join"
            if candidates and id(candidates[0]) in self.async_genexps:
                self.consumer_calls.append((self.ctx.scope, node, consumer, candidates[0]))
            return
        if positional and isinstance(func, cst.Name) and func.value in SYNC_CONSUMERS:
            if id(positional[0]) in self.async_genexps:
                self.consumer_calls.append((self.ctx.scope, node, func.value, positional[0]))

    def finish(self) -> None:
        for scope, call, consumer, _genexp in self.consumer_calls:
            func = call.func
            if consumer == "str.join":
                if not isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
                    if scope.qualname(func) != "str.join":
                        continue
            elif scope.qualname(func) != consumer:
                continue  # shadowed: not the builtin
            self.report(
                call,
                f"async generator expression passed to {consumer}(), which iterates synchronously: "
                "TypeError at run time; build a list with an async comprehension first "
                "([x async for x in ...]) inside an async def",
            )


@register
class YieldFromInAsync(Rule):
    code = "ASL103"
    name = "yield-from-in-async"
    summary = "'yield from' inside an async function."
    explanation = """
        Flags `yield from` directly inside an `async def`.

        Why: async generators cannot delegate with `yield from`; CPython's
        compiler rejects it (`SyntaxError: 'yield from' inside async function`).

        Bad:
            async def stream(chunks):
                yield from chunks

        Good:
            async def stream(chunks):
                for chunk in chunks:
                    yield chunk
    """

    def visit_Yield(self, node: cst.Yield) -> None:
        scope = self.ctx.scope
        if isinstance(node.value, cst.From) and scope.kind == FUNCTION and scope.is_async:
            self.report(
                node,
                f"'yield from' in async function '{scope.node.name.value}' is a SyntaxError; "
                "loop and 'yield' each item (or 'async for' over an async iterable)",
            )


@register
class ReturnValueInAsyncGenerator(Rule):
    code = "ASL104"
    name = "return-value-in-async-generator"
    summary = "'return <value>' inside an async generator."
    explanation = """
        Flags `return <value>` (even `return None`) in an `async def` that also
        contains `yield` (directly, not in a nested function).

        Why: an async generator cannot return a value; CPython's compiler
        rejects it (`SyntaxError: 'return' with value in async generator`). A
        bare `return` ends the generator and is fine.

        Bad:
            async def pages(client):
                yield await client.first()
                return None

        Good:
            async def pages(client):
                yield await client.first()
                return
    """

    def leave_scope(self, scope: Scope) -> None:
        if scope.kind == FUNCTION and scope.is_async and scope.yields:
            for node in scope.returns:
                if node.value is not None:
                    self.report(
                        node,
                        f"'return' with a value in async generator '{scope.node.name.value}' is a SyntaxError; "
                        "use a bare 'return', or yield the value",
                    )


SYNC_PROTOCOL_METHODS = frozenset(
    {
        "__init__", "__new__", "__del__", "__enter__", "__exit__", "__iter__", "__next__",
        "__aiter__", "__len__", "__bool__", "__str__", "__repr__", "__hash__", "__eq__",
        "__contains__", "__getitem__", "__setitem__",
    }
)


@register
class AsyncSyncProtocolMethod(Rule):
    code = "ASL105"
    name = "async-sync-protocol-method"
    summary = "'async def' for a special method Python calls synchronously."
    explanation = """
        Flags `async def` for a method that Python calls synchronously and whose
        result it uses at once: `__init__`, `__new__`, `__del__`, `__enter__`,
        `__exit__`, `__iter__`, `__next__`, `__aiter__`, `__len__`, `__bool__`,
        `__str__`, `__repr__`, `__hash__`, `__eq__`, `__contains__`,
        `__getitem__`, `__setitem__`.

        Why: Python does not await them. `async def __init__` makes `Cls()`
        raise `TypeError: __init__() should return None, not 'coroutine'`;
        `async def __aiter__` makes `async for` fail with "'async for' received
        an object from __aiter__ that does not implement __anext__: coroutine";
        `async def __bool__`/`__len__`/`__eq__` return a coroutine object (always
        truthy, or a TypeError), and the body never runs.
        `__aenter__`, `__aexit__`, `__anext__` and `__call__` may be async.

        Bad:
            class Client:
                async def __init__(self, url):
                    self.conn = await connect(url)

        Good:
            class Client:
                def __init__(self, url):
                    self.url = url

                async def __aenter__(self):
                    self.conn = await connect(self.url)
                    return self
    """

    def leave_scope(self, scope: Scope) -> None:
        if scope.kind != FUNCTION or not scope.is_async or scope.enclosing_class is None:
            return
        name = scope.node.name.value
        if name not in SYNC_PROTOCOL_METHODS:
            return
        if name == "__aiter__" and scope.yields:
            return  # an async generator: calling it returns an async iterator, as required
        self.report(
            scope.node.asynchronous,
            f"'async def {name}' is never awaited: Python calls {name} synchronously "
            "and gets a coroutine object back; make it a plain def"
            + (" returning self, and make __anext__ async" if name == "__aiter__" else ""),
        )
