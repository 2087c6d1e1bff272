"""ASL4xx: event-loop misuse."""

from __future__ import annotations

from typing import List, Tuple

from asynclint.lazy import libcst as cst

from asynclint.project.summary import ASYNC_TO_SYNC, LOOP_METHODS, RUN_FUNCTIONS
from asynclint.rules.base import Rule, register
from asynclint.scope import COMPREHENSION, MODULE, Scope

LOOP_KIND = "asyncio.AbstractEventLoop"
LEGACY_LOOP_FACTORIES = frozenset({"asyncio.get_event_loop", "asyncio.new_event_loop"})


@register
class NestedEventLoop(Rule):
    code = "ASL400"
    name = "nested-event-loop"
    summary = "Starting an event loop from inside a running one."
    explanation = """
        Flags, inside a coroutine body, `asyncio.run(...)`, any
        `.run_until_complete(...)` or `.run_forever()` call (whatever the
        receiver), `asyncio.Runner(...).run(...)`, `trio.run`, `anyio.run` and
        `asgiref.sync.async_to_sync(f)(...)`.

        Why: a coroutine runs inside an event loop, and a thread runs one loop
        at a time: `RuntimeError: asyncio.run() cannot be called from a running
        event loop` (or "This event loop is already running"). Common in web
        handlers and in code called from Jupyter.

        Bad:
            async def handler(request):
                return asyncio.run(fetch(request.url))

        Good:
            async def handler(request):
                return await fetch(request.url)
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.calls: List[Tuple[Scope, cst.Call]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.scope.in_coroutine:
            self.calls.append((self.ctx.scope, node))

    def finish(self) -> None:
        instances = self.ctx.instances
        for scope, call in self.calls:
            func = call.func
            qualname = scope.qualname(func)
            what = None
            if qualname in RUN_FUNCTIONS:
                what = qualname
            elif isinstance(func, cst.Attribute):
                if func.attr.value in LOOP_METHODS:
                    what = f"{self.ctx.source_of(func.value)}.{func.attr.value}"
                elif func.attr.value == "run" and instances.kind_of(func.value, scope) == "asyncio.Runner":
                    what = "asyncio.Runner.run"
            elif isinstance(func, cst.Call) and scope.qualname(func.func) in ASYNC_TO_SYNC:
                what = f"{self.ctx.source_of(func.func)}(...)(...)"
            if what is not None:
                self.report(
                    call,
                    f"'{what}' inside coroutine '{scope.function_name}' starts an event loop inside the running "
                    "one: RuntimeError at run time; 'await' the coroutine instead",
                )


@register
class GetEventLoopInCoroutine(Rule):
    code = "ASL401"
    name = "get-event-loop-in-coroutine"
    level = "warning"
    summary = "asyncio.get_event_loop() inside a coroutine."
    explanation = """
        Flags `asyncio.get_event_loop()` in a coroutine body.

        Why: inside a coroutine the running loop is what you want, and
        `asyncio.get_running_loop()` says so. `get_event_loop()` is deprecated
        for this use: it may warn, and its policy-based fallback can hand back
        (or create) a different loop than the one running your code.

        Bad:
            async def schedule(cb):
                asyncio.get_event_loop().call_later(1, cb)

        Good:
            async def schedule(cb):
                asyncio.get_running_loop().call_later(1, cb)
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.calls: List[Tuple[Scope, cst.Call]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.scope.in_coroutine:
            func = node.func
            if (isinstance(func, cst.Attribute) and func.attr.value == "get_event_loop") or (
                isinstance(func, cst.Name) and func.value == "get_event_loop"
            ):
                self.calls.append((self.ctx.scope, node))

    def finish(self) -> None:
        for scope, call in self.calls:
            if scope.qualname(call.func) == "asyncio.get_event_loop":
                self.report(
                    call,
                    f"asyncio.get_event_loop() inside coroutine '{scope.function_name}'; "
                    "use asyncio.get_running_loop(), which always returns the loop running this code",
                )


@register
class ManualLoopManagement(Rule):
    code = "ASL402"
    name = "manual-loop-management"
    level = "warning"
    summary = "Legacy loop.run_until_complete(main()) boilerplate; use asyncio.run."
    explanation = """
        Flags, in a sync scope, `.run_until_complete(...)` on a loop from
        `asyncio.get_event_loop()` or `asyncio.new_event_loop()` (a variable,
        or chained: `asyncio.get_event_loop().run_until_complete(main())`).
        Not flagged when the same scope does more with that loop (calls another
        method than `run_until_complete`/`close`, or passes the loop or one of
        its methods to a call): then the manual management may be needed.

        Why: `asyncio.run(main())` creates the loop, runs the coroutine,
        cancels what is left, shuts down async generators and the default
        executor, and closes the loop. The manual version usually forgets some
        of it, and `get_event_loop()` without a running loop is deprecated
        (a DeprecationWarning, an error in future Pythons).

        Bad:
            loop = asyncio.get_event_loop()
            loop.run_until_complete(main())

        Good:
            asyncio.run(main())
    """

    ALLOWED = frozenset({"run_until_complete", "close"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.candidates: List[Tuple[Scope, cst.Call]] = []
        self.methods: dict = {}  # (scope, name) -> methods called on it
        self.passed: set = set()  # (scope, name) passed to a call, or its bound method

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.scope
        if scope.in_coroutine:
            return
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            self.methods.setdefault((scope, func.value.value), set()).add(func.attr.value)
        if isinstance(func, cst.Attribute) and func.attr.value == "run_until_complete":
            self.candidates.append((scope, node))
        for arg in node.args:
            value = arg.value
            if isinstance(value, cst.Attribute):
                value = value.value
            if isinstance(value, cst.Name):
                self.passed.add((scope, value.value))

    def finish(self) -> None:
        for scope, call in self.candidates:
            receiver = call.func.value
            if isinstance(receiver, cst.Call):
                if scope.qualname(receiver.func) not in LEGACY_LOOP_FACTORIES:
                    continue
            elif isinstance(receiver, cst.Name):
                if not self._legacy_loop_name(receiver.value, scope):
                    continue
                key = (scope, receiver.value)
                if key in self.passed or self.methods.get(key, set()) - self.ALLOWED:
                    continue
            else:
                continue
            self.report(
                call,
                "manual event-loop management: use asyncio.run(main()), which also cancels leftover tasks, "
                "shuts down async generators and closes the loop",
            )

    @staticmethod
    def _legacy_loop_name(name: str, scope: Scope) -> bool:
        owner = scope.lookup(name)
        if owner is None:
            return False
        bindings = [b for b in owner.bindings[name] if b.kind != "declare"]
        return bool(bindings) and all(
            b.kind == "assign"
            and isinstance(b.value, cst.Call)
            and b.scope.qualname(b.value.func) in LEGACY_LOOP_FACTORIES
            for b in bindings
        )


@register
class AsyncioRunInLoop(Rule):
    code = "ASL403"
    name = "asyncio-run-in-loop"
    level = "note"
    default = False
    summary = "asyncio.run() called once per loop iteration."
    explanation = """
        Opt-in. Flags `asyncio.run(...)` inside the body of a `for`/`while`
        loop or inside a comprehension (not in the loop's `else:`, not in a def
        nested in the loop).

        Why: every `asyncio.run` creates and tears down a whole event loop; in
        a loop the work runs one item at a time with that overhead each time,
        and loop-bound objects (clients, locks) cannot be shared between
        iterations. Gather the work under one `asyncio.run`.

        Bad:
            for url in urls:
                pages.append(asyncio.run(fetch(url)))

        Good:
            async def fetch_all(urls):
                return await asyncio.gather(*(fetch(u) for u in urls))

            pages = asyncio.run(fetch_all(urls))
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.calls: List[Tuple[Scope, cst.Call, int]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append((self.ctx.scope, node, self.ctx.order))

    def finish(self) -> None:
        for scope, call, order in self.calls:
            if scope.qualname(call.func) != "asyncio.run":
                continue
            in_loop = scope.kind == COMPREHENSION or any(first <= order <= last for first, last in scope.loops)
            if in_loop:
                self.report(
                    call,
                    "asyncio.run() inside a loop starts a new event loop for every iteration; "
                    "gather the work in one coroutine and call asyncio.run once",
                )


@register
class AsyncioRunInNotebook(Rule):
    code = "ASL404"
    name = "asyncio-run-in-notebook"
    summary = "asyncio.run() in a Jupyter notebook cell, where a loop already runs."
    explanation = """
        Flags, in a `.ipynb` code cell, `asyncio.run(...)` anywhere outside a
        `def` or `lambda` (at the cell's top level, or under a top-level
        `if`/`for`/`with`).

        Why: Jupyter (IPython's kernel) already runs an event loop in the
        cell's thread, so `asyncio.run` raises `RuntimeError: asyncio.run()
        cannot be called from a running event loop`. Cells accept top-level
        `await` (and `async with`/`async for`): use it.

        Bad:
            results = asyncio.run(fetch_all(urls))

        Good:
            results = await fetch_all(urls)
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.calls: List[Tuple[Scope, cst.Call]] = []
        if not ctx.notebook:
            self.visit_Call = None  # only notebooks have this problem

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.scope.function is None:
            self.calls.append((self.ctx.scope, node))

    def finish(self) -> None:
        for scope, call in self.calls:
            if scope.qualname(call.func) == "asyncio.run":
                self.report(
                    call,
                    "asyncio.run() in a notebook cell: Jupyter already runs an event loop, so this raises "
                    "RuntimeError; use top-level 'await' instead",
                )


@register
class NestedEventLoopViaHelper(Rule):
    code = "ASL405"
    name = "nested-event-loop-via-helper"
    summary = "A coroutine calls a project function that starts an event loop."
    explanation = """
        Flags a call, in a coroutine body (or at a notebook cell's top level,
        where Jupyter's loop is running), of one of the project's own sync
        functions that runs an event loop: its body reaches, at any depth, what
        ASL400 flags (`asyncio.run`, `loop.run_until_complete`, `run_forever`,
        `asyncio.Runner(...).run`, `trio.run`, `anyio.run`,
        `async_to_sync(f)(...)`), outside `if __name__ == "__main__":`. The
        message names the chain of calls.

        Not flagged: the helper passed uncalled or run in a thread
        (`await asyncio.to_thread(fetch_sync)`), a loop call under
        `if __name__ == "__main__":`.

        Why: the same `RuntimeError: asyncio.run() cannot be called from a
        running event loop` as ASL400, raised from far away. Typical: a sync
        wrapper written for scripts, later called from async code.

        Bad:
            # client.py
            def fetch_sync(url):
                return asyncio.run(fetch(url))

            # handlers.py
            async def handler(request):
                return fetch_sync(request.url)

        Good:
            async def handler(request):
                return await fetch(request.url)
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.calls: List[Tuple[Scope, cst.Call]] = []
        if ctx.project is None:
            self.visit_Call = None  # nothing to ask without project knowledge

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.scope
        if scope.in_coroutine or (self.ctx.notebook and scope.runs_in.kind == MODULE):
            self.calls.append((scope, node))

    def finish(self) -> None:
        from asynclint.callables import project_callee
        from asynclint.project.effects import chain_text
        from asynclint.project.index import Class, Function

        if not self.calls:
            return
        index = self.ctx.project.index
        effects = index.effects(frozenset(), ())
        for scope, call in self.calls:
            callee = project_callee(call, scope, self.ctx.instances)
            if isinstance(callee, Class):
                callee = index.init_of(callee)
            if not isinstance(callee, Function):
                continue
            reached = effects.running_loop(callee)
            if reached is None:
                continue
            written = self.ctx.source_of(call.func)
            where = f"coroutine '{scope.function_name}'" if scope.in_coroutine else "a notebook cell"
            self.report(
                call,
                f"'{written}' inside {where} starts an event loop through project code "
                f"({chain_text(reached.chain)}): RuntimeError at run time, the loop is already running; "
                "await the coroutine it runs instead",
                reached.chain,
            )
