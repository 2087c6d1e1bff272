"""ASL2xx: awaitables and coroutines.

Each rule collects candidates during the walk and decides in ``finish()``,
when every binding of the module is known (a def may follow its use).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from asynclint.lazy import libcst as cst

from asynclint.callables import coroutine_function, is_literal, sync_callable
from asynclint.catalog import is_configured
from asynclint.rules.base import Rule, register
from asynclint.scope import MODULE, Scope



def _displays():
    return (cst.List, cst.Tuple, cst.Set, cst.ListComp, cst.SetComp, cst.GeneratorExp)


def _called_coroutine(rule: Rule, call: cst.Call, scope: Scope) -> Optional[str]:
    return coroutine_function(call, scope, rule.ctx.instances)


@register
class AwaitNonAwaitable(Rule):
    code = "ASL200"
    name = "await-non-awaitable"
    summary = "'await' on a value that is provably not awaitable."
    explanation = """
        Flags `await X` where X can never be awaitable: a literal or display
        (number, string, None, list, dict, comprehension, lambda...); a call of
        a known synchronous function (`requests.get`, `time.sleep`, `json.loads`,
        `open`, `print`...); a call of a plain, undecorated module-level `def`
        of the same file whose every `return` gives nothing or a literal; a call
        of a plain class of the same file (no bases but `object`, no
        `__await__`); a synchronous method of a known asyncio object
        (`writer.write`, `event.set`, `lock.release`, `queue.put_nowait`,
        `future.set_result`, `loop.call_soon`...).

        Why: `await` needs an awaitable. At run time this raises `TypeError:
        object Response can't be used in 'await' expression` (or "'NoneType'
        object can't be awaited"), often after the synchronous call has already
        run, and blocked the event loop while doing it.

        Bad:
            async def fetch(url):
                response = await requests.get(url)
                writer.write(b"ping")
                await writer.write(b"ping")

        Good:
            async def fetch(url):
                async with httpx.AsyncClient() as client:
                    response = await client.get(url)
                writer.write(b"ping")
                await writer.drain()
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.awaits: List[Tuple[Scope, cst.Await]] = []

    def visit_Await(self, node: cst.Await) -> None:
        self.awaits.append((self.ctx.scope, node))

    def finish(self) -> None:
        instances = self.ctx.instances
        for scope, node in self.awaits:
            value = node.expression
            if is_literal(value):
                self.report(
                    node,
                    f"awaiting {_with_article(_literal_kind(value))} raises TypeError at run time "
                    "(it is not awaitable); remove the 'await'",
                )
            elif isinstance(value, cst.Call):
                called = sync_callable(value, scope, instances)
                if called is not None:
                    written = self.ctx.source_of(value.func)
                    resolved = "" if written == called else f" ({called})"
                    self.report(
                        node,
                        f"'{written}'{resolved} is synchronous and returns no awaitable: "
                        "'await' on its result raises TypeError at run time, after the call has run; "
                        "drop the 'await' or use an async API",
                    )


def _with_article(kind: str) -> str:
    return kind if kind in ("None", "True", "False") else f"a {kind}"


def _literal_kind(value: cst.BaseExpression) -> str:
    if isinstance(value, cst.Name):
        return value.value
    names = {
        cst.Integer: "number", cst.Float: "number", cst.Imaginary: "number", cst.SimpleString: "string",
        cst.ConcatenatedString: "string", cst.FormattedString: "string", cst.List: "list", cst.Dict: "dict",
        cst.Set: "set", cst.Tuple: "tuple", cst.ListComp: "list comprehension", cst.SetComp: "set comprehension",
        cst.DictComp: "dict comprehension", cst.GeneratorExp: "generator expression", cst.Lambda: "lambda",
    }
    return names[type(value)]


@register
class UnawaitedCoroutine(Rule):
    code = "ASL201"
    name = "unawaited-coroutine"
    summary = "A coroutine is created and dropped: it never runs."
    explanation = """
        Flags a call of a coroutine function whose result is thrown away: an
        expression statement, or an assignment to a name that is never read
        afterwards. Coroutine functions are the `async def`s of the same file
        (module functions, local functions, and `self.m()`/`cls.m()` for an
        `async def m` of the enclosing class) and known coroutine APIs
        (`asyncio.sleep`, `asyncio.wait_for`, `asyncio.open_connection`,
        `asyncio.to_thread`, `writer.drain()`...). Sync callers count too: a
        sync callback calling a coroutine function has the same bug.

        Why: calling a coroutine function only creates a coroutine object; its
        body runs when it is awaited or scheduled. Dropped, it never runs, and
        Python only warns "RuntimeWarning: coroutine '...' was never awaited"
        when it is garbage-collected, far from the cause.

        Bad:
            async def handle(user_id):
                notify_admins(user_id)        # async def notify_admins
                asyncio.sleep(1)

        Good:
            async def handle(user_id):
                await notify_admins(user_id)
                await asyncio.sleep(1)
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.dropped: List[Tuple[Scope, cst.Call]] = []
        self.assigned: List[Tuple[Scope, cst.Call, str, int]] = []

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self.dropped.append((self.ctx.scope, node.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        scope = self.ctx.scope
        if (
            scope.kind != MODULE
            and isinstance(node.value, cst.Call)
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
        ):
            self.assigned.append((scope, node.value, node.targets[0].target.value, self.ctx.order))

    def finish(self) -> None:
        for scope, call in self.dropped:
            name = _called_coroutine(self, call, scope)
            if name is not None:
                self.report(
                    call,
                    f"coroutine '{name}' is created but never awaited; it will never run "
                    "(add 'await', or schedule it with asyncio.create_task and keep the task)",
                )
        for scope, call, target, order in self.assigned:
            owner = scope.lookup(target)
            if owner is not scope or target in scope.global_names or target in scope.nonlocal_names:
                continue
            name = _called_coroutine(self, call, scope)
            if name is not None and not scope.read_after(target, order):
                self.report(
                    call,
                    f"coroutine '{name}' is assigned to '{target}' and never used: it will never run "
                    "(await it, or schedule it with asyncio.create_task and keep the task)",
                )


@register
class DanglingTask(Rule):
    code = "ASL202"
    name = "dangling-task"
    level = "warning"
    summary = "A task or future is created and its only reference dropped."
    explanation = """
        Flags `asyncio.create_task(...)`, `asyncio.ensure_future(...)`,
        `asyncio.gather(...)` or `loop.create_task(...)` (on a known event loop)
        used as a bare statement, the result thrown away, assigned to `_`, or
        assigned to a local name never read afterwards. The project's own
        task-spawning helpers count too when listed in config `task-factories`
        (`["app.utils.spawn"]`).

        Why: the event loop keeps only a weak reference to a task. With no other
        reference it can be garbage-collected before it finishes, and an
        exception it raises is never retrieved ("Task exception was never
        retrieved"). `tg.create_task(...)` on an `asyncio.TaskGroup` (or an
        anyio/trio task group) is fine: the group holds the task.

        Bad:
            async def on_message(msg):
                asyncio.create_task(store(msg))

        Good:
            background = set()

            async def on_message(msg):
                task = asyncio.create_task(store(msg))
                background.add(task)
                task.add_done_callback(background.discard)
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.dropped: List[Tuple[Scope, cst.Call]] = []
        self.assigned: List[Tuple[Scope, cst.Call, str, int]] = []

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self.dropped.append((self.ctx.scope, node.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        # A local that is never read afterwards (or "_") keeps the task no
        # better than dropping it. Module-level names live on: not these.
        scope = self.ctx.scope
        if (
            scope.kind != MODULE
            and isinstance(node.value, cst.Call)
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
        ):
            self.assigned.append((scope, node.value, node.targets[0].target.value, self.ctx.order))

    def finish(self) -> None:
        for scope, call in self.dropped:
            api = self._task_api(call, scope)
            if api is not None:
                self.report(call, f"the task returned by '{api}' is dropped: {self.CONSEQUENCE}")
        for scope, call, target, order in self.assigned:
            owner = scope.lookup(target)
            if owner is not scope or target in scope.global_names or target in scope.nonlocal_names:
                continue
            if scope.read_after(target, order):
                continue
            api = self._task_api(call, scope)
            if api is not None:
                where = "to '_'" if target == "_" else f"to '{target}', which is never read afterwards"
                self.report(call, f"the task returned by '{api}' is assigned {where}: {self.CONSEQUENCE}")

    CONSEQUENCE = (
        "the event loop keeps only a weak reference, so it can be garbage-collected mid-flight and its "
        "exception is lost; keep a reference (e.g. in a set, discarded when done) or use an asyncio.TaskGroup"
    )

    def _task_api(self, call: cst.Call, scope: Scope) -> Optional[str]:
        """The task-creating API a call is, as shown in the message, or None."""
        instances = self.ctx.instances
        catalog = instances.catalog
        func = call.func
        qualname = scope.qualname(func)
        if qualname in catalog.tasks:
            return qualname
        if instances.method_of(func, scope) in catalog.task_methods:
            return self.ctx.source_of(func)
        factories = self.ctx.settings.task_factories
        if factories:
            project = self.ctx.project
            names = {qualname}
            if project is not None:
                names.add(project.dotted(func, scope))
                callee = project.callee(call, scope, instances)
                names.add(getattr(callee, "dotted", None))
            if any(name is not None and is_configured(name, factories) for name in names):
                return self.ctx.source_of(func)
        return None


@register
class GatherIterable(Rule):
    code = "ASL203"
    name = "gather-iterable"
    summary = "asyncio.gather/wait given the wrong shape of argument."
    explanation = """
        Flags `asyncio.gather(X)` whose single positional argument is a list,
        tuple or set display, a comprehension or generator expression, or a
        name last bound in the same scope to one of those; `asyncio.wait(c)`
        with a single coroutine call; and `asyncio.wait([...])` holding calls of
        coroutine functions.

        Why: `gather` takes awaitables as separate arguments. Given one list it
        raises `TypeError: An asyncio.Future, a coroutine or an awaitable is
        required` and the coroutines inside are never awaited. `asyncio.wait`
        takes an iterable of tasks; since Python 3.11 it raises `TypeError:
        Passing coroutines is forbidden, use tasks explicitly`.

        Bad:
            results = await asyncio.gather([fetch(u) for u in urls])
            done, _ = await asyncio.wait([fetch(u) for u in urls])

        Good:
            results = await asyncio.gather(*[fetch(u) for u in urls])
            done, _ = await asyncio.wait([asyncio.create_task(fetch(u)) for u in urls])
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.calls: List[Tuple[Scope, cst.Call, int]] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        attr = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if attr in ("gather", "wait"):
            self.calls.append((self.ctx.scope, node, self.ctx.order))

    def finish(self) -> None:
        for scope, call, order in self.calls:
            qualname = scope.qualname(call.func)
            positional = [arg for arg in call.args if arg.keyword is None]
            if not positional or any(arg.star for arg in positional):
                continue
            first = positional[0].value
            if qualname == "asyncio.gather" and len(positional) == 1:
                shape = self._display_shape(first, scope, order)
                if shape is not None:
                    self.report(
                        call,
                        f"asyncio.gather() given a single {shape}: it takes awaitables as separate arguments "
                        "and raises TypeError at run time; unpack it: asyncio.gather(*...)",
                    )
            elif qualname == "asyncio.wait":
                self._check_wait(call, first, scope)

    def _display_shape(self, expr, scope: Scope, order: int) -> Optional[str]:
        if isinstance(expr, _displays()):
            return _literal_kind(expr)
        if isinstance(expr, cst.Name):
            owner = scope.lookup(expr.value)
            if owner is None or owner is not scope.runs_in:
                return None
            earlier = [b for b in owner.bindings[expr.value] if b.order < order]
            if earlier and earlier[-1].kind == "assign" and isinstance(earlier[-1].value, _displays()):
                return f"{_literal_kind(earlier[-1].value)} ('{expr.value}')"
        return None

    def _check_wait(self, call: cst.Call, first, scope: Scope) -> None:
        if isinstance(first, cst.Call) and _called_coroutine(self, first, scope):
            self.report(
                call,
                "asyncio.wait() given a single coroutine: it takes an iterable of tasks "
                "(TypeError at run time); use asyncio.wait_for(...) or wrap it in a task",
            )
            return
        if isinstance(first, (cst.List, cst.Tuple, cst.Set)):
            elements = [el.value for el in first.elements]
        elif isinstance(first, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            elements = [first.elt]
            scope = self.ctx.scope_of.get(first, scope)
        else:
            return
        if any(isinstance(el, cst.Call) and _called_coroutine(self, el, scope) for el in elements):
            self.report(
                call,
                "asyncio.wait() given coroutines: since Python 3.11 this raises TypeError "
                "(\"Passing coroutines is forbidden\"); wrap each in asyncio.create_task(...)",
            )


@register
class CoroutineInBooleanContext(Rule):
    code = "ASL204"
    name = "coroutine-in-boolean-context"
    summary = "A coroutine used as a condition: always true, never run."
    explanation = """
        Flags a call of a coroutine function (as in ASL201) used as a condition:
        the test of `if`, `elif`, `while`, a conditional expression or `assert`,
        or an operand of `and`, `or`, `not`.

        Why: a coroutine object is always truthy, so the condition is always
        true (or `not` always false), and the coroutine itself never runs
        ("coroutine ... was never awaited").

        Bad:
            if is_admin(user):        # async def is_admin
                grant()

        Good:
            if await is_admin(user):
                grant()
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.tests: List[Tuple[Scope, cst.Call]] = []

    def _add(self, expr) -> None:
        if isinstance(expr, cst.Call):
            self.tests.append((self.ctx.scope, expr))

    def visit_If(self, node: cst.If) -> None:
        self._add(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._add(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._add(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._add(node.test)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self._add(node.left)
        self._add(node.right)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self._add(node.expression)

    def finish(self) -> None:
        for scope, call in self.tests:
            name = _called_coroutine(self, call, scope)
            if name is not None:
                self.report(
                    call,
                    f"coroutine '{name}' used as a condition: a coroutine object is always true and "
                    "the call never runs; add 'await'",
                )
