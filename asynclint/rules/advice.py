"""ASL5xx: concurrency advice. All opt-in."""

from __future__ import annotations

from asynclint.lazy import libcst as cst

from asynclint.rules.base import Rule, register
from asynclint.scope import CLASS, FUNCTION, Scope


@register
class SequentialAwaitInLoop(Rule):
    code = "ASL500"
    name = "sequential-await-in-loop"
    default = False
    level = "note"
    summary = "A loop that awaits one call per item and only collects results."
    explanation = """
        Opt-in. Flags a plain `for` loop in a coroutine body whose body is a
        single statement that awaits one call and only collects its result
        (`results.append(await fetch(x))`, `out[k] = await fetch(k)`), with no
        `else:` clause. Reported at the `for`.

        Why: each iteration waits for the previous one to finish, so N
        independent requests take N round trips. When the calls are
        independent, run them concurrently.

        Bad:
            results = []
            for url in urls:
                results.append(await fetch(url))

        Good:
            results = await asyncio.gather(*(fetch(url) for url in urls))
    """

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or node.orelse is not None or not self.ctx.scope.in_coroutine:
            return
        body = node.body
        statements = body.body
        if isinstance(body, cst.IndentedBlock):
            if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
                return
            statements = statements[0].body
        if len(statements) != 1:
            return
        if _collects_one_await(statements[0]):
            self.report(
                node,
                "this loop awaits one call per iteration, one after another; if the calls are independent, "
                "run them concurrently with asyncio.gather(...) or an asyncio.TaskGroup",
            )


def _awaits_a_call(expr) -> bool:
    return isinstance(expr, cst.Await) and isinstance(expr.expression, cst.Call)


def _collects_one_await(statement) -> bool:
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        call = statement.value
        return (
            isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "append"
            and len(call.args) == 1
            and _awaits_a_call(call.args[0].value)
        )
    if isinstance(statement, cst.Assign):
        return (
            len(statement.targets) == 1
            and isinstance(statement.targets[0].target, cst.Subscript)
            and _awaits_a_call(statement.value)
        )
    return False


@register
class AsyncWithoutAwait(Rule):
    code = "ASL501"
    name = "async-without-await"
    default = False
    level = "note"
    summary = "An async def that never awaits."
    explanation = """
        Opt-in. Flags an `async def` with no `await`, `async for`, `async with`
        or `yield` in its own body (an `await` in a nested `async def` does not
        count). Decorated functions, and methods of classes with bases other
        than `object` (they may implement an async interface), are exempt.

        Why: callers must await it and pay a coroutine's cost, yet it never
        yields to the event loop; often a sign that a blocking call sits where
        an awaited one was meant, or that the function should be a plain def.

        Bad:
            async def total(prices):
                return sum(prices)

        Good:
            def total(prices):
                return sum(prices)
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.suspends: set = set()  # function scopes that await, async-iterate or yield

    def _mark(self) -> None:
        function = self.ctx.scope.function
        if function is not None:
            self.suspends.add(function)

    def visit_Await(self, node) -> None:
        self._mark()

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None:
            self._mark()

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None:
            self._mark()

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if node.asynchronous is not None:
            self._mark()

    def leave_scope(self, scope: Scope) -> None:
        if scope.kind != FUNCTION or not scope.is_async:
            return
        suspends = scope in self.suspends or scope.yields
        self.suspends.discard(scope)
        node = scope.node
        if suspends or node.decorators:
            return
        owner = scope.parent
        if owner.kind == CLASS:
            bases = owner.node.bases
            if any(not (isinstance(b.value, cst.Name) and b.value.value == "object") for b in bases):
                return
        self.report(
            node.asynchronous,
            f"async function '{node.name.value}' never awaits: callers pay for a coroutine that never "
            "yields to the event loop; make it a plain def, or await what it should",
        )
