"""ASL3xx: blocking calls inside a coroutine body.

One code per family, so a family can be turned off. The knowledge is the
catalog (``asynclint/catalog/blocking.txt``) plus the user's ``blocking-calls``.
The families share one collector (``BlockingCalls``): calls in coroutine bodies
are recorded and classified once per file, and each family reports its own.
A blocking function passed uncalled (``to_thread(time.sleep, 1)``) is not a
call, and a call in a nested def or lambda is not in the coroutine body.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from asynclint.lazy import libcst as cst

from asynclint.catalog import Blocking
from asynclint.diagnostic import Finding
from asynclint.rules.base import Collector, Rule, register
from asynclint.scope import Scope


class BlockingCalls(Collector):
    """Calls and sync ``with`` items in coroutine bodies, classified once per file."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.calls: List[Tuple[Scope, cst.Call]] = []
        self.withs: List[Tuple[Scope, cst.BaseExpression]] = []
        self.nonblocking: set = set()  # ids of calls guarded by "except BlockingIOError"
        self.found: List[Finding] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.scope.in_coroutine:
            self.calls.append((self.ctx.scope, node))

    def visit_Try(self, node: cst.Try) -> None:
        # Code that catches BlockingIOError around a call drives a non-blocking
        # socket or file descriptor: those calls return at once.
        if self.ctx.scope.in_coroutine and any(_catches_blocking_io(h.type) for h in node.handlers):
            self.nonblocking.update(id(n) for n in _calls_in(node.body))

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is None and self.ctx.scope.in_coroutine:
            for item in node.items:
                self.withs.append((self.ctx.scope, item.item))

    def finish(self) -> None:
        self.found = _classify(self.ctx, self)


class BlockingRule(Rule):
    family = ""  # "blocking HTTP call", used in messages
    level = "warning"  # the code works, but stalls every other task
    collector = BlockingCalls

    def finish(self) -> None:
        for finding in self.collected.found:
            if finding.code == self.code:
                self.report(finding.node, finding.message, finding.chain)


def _classify(ctx, collected: BlockingCalls) -> List[Finding]:
    from asynclint.rules.base import REGISTRY

    instances = ctx.instances
    catalog = instances.catalog
    configured = ctx.settings.blocking_calls
    via_helper = _ViaHelper(ctx) if ctx.project is not None and VIA_HELPER in ctx.codes else None
    threaded = _handed_to_threads(collected.calls, catalog)
    found = []
    for scope, call in collected.calls:
        if id(call) in collected.nonblocking:
            continue
        func = call.func
        qualname = scope.qualname(func)
        entry: Optional[Blocking] = catalog.blocking_call(qualname, configured) if qualname is not None else None
        if entry is None:
            known = instances.method_of(func, scope)
            if known is not None:
                entry = catalog.blocking_method(*known)
                if entry is not None:
                    qualname = f"{known[1]} on a {known[0]} instance"
        if entry is not None:
            advice = f"use {entry.alternative}"
            if entry.code == FILE_IO and threaded and _opened_for_a_thread(call, scope, threaded, catalog, qualname):
                advice = OPEN_FOR_A_THREAD
            message = _message(ctx, REGISTRY[entry.code], func, qualname, scope, advice)
            found.append(Finding(entry.code, call, message))
        elif via_helper is not None:
            finding = via_helper.check(call, scope)
            if finding is not None:
                found.append(finding)
    for scope, item in collected.withs:
        kind = instances.kind_of(item, scope)
        entry = catalog.blocking_methods.get((kind, "acquire")) if kind else None
        if entry is not None:
            written = ctx.source_of(item)
            found.append(
                Finding(
                    entry.code,
                    item,
                    f"'with {written}' on a {kind} inside coroutine '{scope.function_name}' blocks the event loop "
                    f"while it waits for the lock; use {entry.alternative}",
                )
            )
    return found


VIA_HELPER = "ASL309"
FILE_IO = "ASL303"
OPEN_FOR_A_THREAD = (
    "its reading or writing already runs in a thread: move the open into that thread too "
    "(one function that opens and reads, run with asyncio.to_thread)"
)


def _handed_to_threads(calls, catalog) -> set:
    """(function scope, name) for every ``name`` or ``name.method`` passed to a
    call that runs it in a thread (``to_thread(f.read)``, ``run_in_executor(None, f.write, data)``)."""
    out = set()
    for scope, call in calls:
        func = call.func
        if not (
            (isinstance(func, cst.Attribute) and func.attr.value in catalog.thread_methods)
            or scope.qualname(func) in catalog.thread_calls
        ):
            continue
        for arg in call.args:
            value = arg.value
            if isinstance(value, cst.Attribute):
                value = value.value
            if isinstance(value, cst.Name):
                out.add((id(scope.runs_in), value.value))
    return out


def _opened_for_a_thread(call, scope: Scope, threaded: set, catalog, qualname) -> bool:
    """Whether this file-opening call's result is bound to a name whose reading
    or writing the same coroutine already sends to a thread."""
    if catalog.constructors.get(qualname) != "file":
        return False
    owner = scope.runs_in
    for name, bindings in owner.bindings.items():
        if (id(owner), name) in threaded and any(b.value is call for b in bindings):
            return True
    return False
LEAF_CODES = ("ASL300", "ASL301", "ASL302", "ASL303", "ASL304", "ASL305", "ASL306", "ASL307", "ASL308")


class _ViaHelper:
    """ASL309: a call of a project sync function (or class) that may block."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        # A chain counts only when the code of the call at its end is enabled here.
        enabled = frozenset(code for code in LEAF_CODES if code in ctx.codes)
        self.effects = ctx.project.index.effects(enabled, tuple(ctx.settings.blocking_calls))

    def check(self, call: cst.Call, scope: Scope) -> Optional[Finding]:
        from asynclint.callables import project_callee
        from asynclint.project.effects import chain_text
        from asynclint.project.index import Class, Function
        from asynclint.rules.base import REGISTRY

        callee = project_callee(call, scope, self.ctx.instances)
        if isinstance(callee, Class):
            callee = self.ctx.project.index.init_of(callee)
        if not isinstance(callee, Function):
            return None
        reached = self.effects.blocking(callee)
        if reached is None:
            return None
        written = self.ctx.source_of(call.func)
        message = (
            f"'{written}' inside coroutine '{scope.function_name}' blocks the event loop through project code: "
            f"{chain_text(reached.chain)} ({REGISTRY[reached.code].name}); "
            f"run it in a thread: await asyncio.to_thread({written}, ...)"
        )
        return Finding(VIA_HELPER, call, message, reached.chain)


def _catches_blocking_io(handler_type) -> bool:
    if handler_type is None:
        return False
    names = handler_type.elements if isinstance(handler_type, cst.Tuple) else [handler_type]
    for element in names:
        expr = element.value if isinstance(element, cst.Element) else element
        if isinstance(expr, cst.Name) and expr.value == "BlockingIOError":
            return True
    return False


def _calls_in(node: cst.CSTNode):
    """Every Call in a (small, rare) subtree, nested defs excluded."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(current, cst.Call):
            yield current
        stack.extend(current.children)


def _message(ctx, rule, func, qualname: str, scope: Scope, advice: str) -> str:
    written = ctx.source_of(func)
    resolved = "" if written == qualname else f" ({qualname})"
    return (
        f"{rule.family} '{written}'{resolved} inside coroutine '{scope.function_name}' blocks the event loop; "
        f"{advice}"
    )


@register
class BlockingSleep(BlockingRule):
    code = "ASL300"
    name = "blocking-sleep"
    family = "blocking sleep"
    summary = "time.sleep inside a coroutine freezes the event loop."
    explanation = """
        Flags `time.sleep(...)` (however imported) inside a coroutine body.

        Why: a coroutine shares its thread with every other task on the event
        loop. `time.sleep` stops that thread: no other task runs, no timeout
        fires, no connection is served until it returns.

        Bad:
            async def poll(client):
                while True:
                    await client.check()
                    time.sleep(5)

        Good:
            async def poll(client):
                while True:
                    await client.check()
                    await asyncio.sleep(5)
    """


@register
class BlockingHttp(BlockingRule):
    code = "ASL301"
    name = "blocking-http"
    family = "blocking HTTP call"
    summary = "A synchronous HTTP client call inside a coroutine."
    explanation = """
        Flags synchronous HTTP calls inside a coroutine body: `requests.get/post/
        put/patch/delete/head/options/request` (and on a known
        `requests.Session`, plus `send`), `urllib.request.urlopen`,
        `urllib3.request` and `PoolManager`/`HTTPConnectionPool` requests,
        `httpx.get/...`/`httpx.stream` and a known `httpx.Client`, and
        `http.client` connections' `request`/`getresponse`.

        Why: the whole event loop waits for the network round trip: every
        other request your service is handling stalls behind it.

        Bad:
            async def fetch_page(url):
                return requests.get(url, timeout=10).text

        Good:
            async def fetch_page(url):
                async with httpx.AsyncClient() as client:
                    return (await client.get(url, timeout=10)).text
    """


@register
class BlockingSubprocess(BlockingRule):
    code = "ASL302"
    name = "blocking-subprocess"
    family = "blocking subprocess call"
    summary = "A synchronous subprocess call inside a coroutine."
    explanation = """
        Flags `subprocess.run/call/check_call/check_output/getoutput/
        getstatusoutput/Popen`, `.wait()`/`.communicate()` on a known `Popen`,
        `os.system`, `os.popen`, the `os.spawn*` and `os.posix_spawn*`
        functions and `os.wait*` inside a coroutine body.

        Why: the event loop is stuck until the child process finishes (or, for
        `Popen`, forks and execs in the loop's thread).

        Bad:
            async def convert(path):
                subprocess.run(["ffmpeg", "-i", path, "out.mp4"], check=True)

        Good:
            async def convert(path):
                proc = await asyncio.create_subprocess_exec("ffmpeg", "-i", path, "out.mp4")
                await proc.wait()
    """


@register
class BlockingFileIO(BlockingRule):
    code = "ASL303"
    name = "blocking-file-io"
    family = "blocking file I/O"
    summary = "Synchronous file I/O inside a coroutine."
    explanation = """
        Flags `open`, `io.open`, `os.fdopen`, `Path.read_text/read_bytes/
        write_text/write_bytes/open` on a known `Path`, `shutil.copy/copy2/
        copyfile/copytree/move/rmtree`, and `.read/.readline/.readlines/
        .write/.writelines/.flush` on a known file object, inside a coroutine
        body.

        Why: disk and network file systems can take milliseconds to seconds;
        the event loop serves nothing while it waits. When the file's reading
        already runs in a thread (`await asyncio.to_thread(handle.read)`), the
        `open` still blocks: move it into the thread too.

        Bad:
            async def save(report, path):
                with open(path, "w") as handle:
                    handle.write(report)

        Good:
            async def save(report, path):
                async with aiofiles.open(path, "w") as handle:
                    await handle.write(report)
    """


@register
class BlockingInput(BlockingRule):
    code = "ASL304"
    name = "blocking-input"
    family = "blocking input read"
    summary = "Reading the terminal synchronously inside a coroutine."
    explanation = """
        Flags `input()`, `getpass.getpass()` and `sys.stdin.read/readline/
        readlines()` inside a coroutine body.

        Why: the event loop waits for a human to type: every other task is
        frozen until they press Enter.

        Bad:
            async def repl(client):
                while True:
                    await client.send(input("> "))

        Good:
            async def repl(client):
                while True:
                    await client.send(await asyncio.to_thread(input, "> "))
    """


@register
class BlockingSocket(BlockingRule):
    code = "ASL305"
    name = "blocking-socket"
    family = "blocking socket call"
    summary = "Synchronous socket or DNS calls inside a coroutine."
    explanation = """
        Flags `socket.create_connection`, `socket.getaddrinfo/gethostbyname/
        gethostbyaddr`, `select.select`, and `.recv/.send/.sendall/.accept/
        .connect` on a known `socket.socket`, inside a coroutine body.

        Why: a blocking socket call (or a DNS lookup) parks the event loop's
        thread until the network answers.

        Bad:
            async def ping(host):
                sock = socket.create_connection((host, 80))
                sock.sendall(b"PING")

        Good:
            async def ping(host):
                reader, writer = await asyncio.open_connection(host, 80)
                writer.write(b"PING")
                await writer.drain()
    """


@register
class BlockingSyncPrimitive(BlockingRule):
    code = "ASL306"
    name = "blocking-sync-primitive"
    family = "blocking wait on a thread primitive"
    summary = "Waiting on a threading lock, event, queue or future inside a coroutine."
    explanation = """
        Flags `.acquire()` and `with x:` on a known `threading.Lock/RLock/
        Semaphore/Condition`, `.wait()` on `threading.Event` (or a
        `Condition`), `.get()/.put()` on `queue.Queue`, `.join()` on
        `threading.Thread`, `.result()` on a future from a known executor's
        `.submit(...)`, and `concurrent.futures.wait(...)`, inside a coroutine.

        Why: these wait for another thread while holding the event loop's
        thread; if that other thread needs the loop to progress, it deadlocks.
        A lock only coroutines share becomes an `asyncio.Lock`; one shared with
        threads cannot: run the code that holds it in a thread instead. A lock
        made in an enclosing function and reached through a closure is not
        known (it is usually shared with a thread started there).

        Bad:
            async def handler(job):
                future = EXECUTOR.submit(render, job)
                return future.result()

        Good:
            async def handler(job):
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(EXECUTOR, render, job)
    """


@register
class BlockingDbDriver(BlockingRule):
    code = "ASL307"
    name = "blocking-db-driver"
    family = "blocking database call"
    summary = "A synchronous database driver call inside a coroutine."
    explanation = """
        Flags `sqlite3/psycopg2/psycopg/pymysql/MySQLdb.connect`, and
        `execute/executemany/executescript/fetchone/fetchmany/fetchall/commit/
        rollback` on a known connection or cursor from them; any method of a
        known `redis.Redis` except `pipeline`, `pubsub`, `lock`, `close`; any
        call through a known `pymongo.MongoClient` (`client.db.users.find_one()`)
        except `get_database`, `get_collection`, `with_options`, `close`.
        Creating a `Redis` or `MongoClient` is not flagged: they connect lazily.

        Why: each query is a network round trip during which the event loop
        serves nothing.

        Bad:
            async def get_user(user_id):
                conn = sqlite3.connect("app.db")
                return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()

        Good:
            async def get_user(user_id):
                async with aiosqlite.connect("app.db") as conn:
                    cursor = await conn.execute("SELECT * FROM users WHERE id = ?", (user_id,))
                    return await cursor.fetchone()
    """


@register
class BlockingConfigured(BlockingRule):
    code = "ASL308"
    name = "blocking-configured"
    family = "blocking call"
    summary = "A call listed as blocking in the configuration."
    explanation = """
        Flags calls, inside a coroutine body, of the dotted names listed in the
        `blocking-calls` configuration (or `--blocking-calls`), matched after
        import resolution; `mylib.db.*` matches a whole module.

        Why: your own code and libraries block too; list them once and
        asynclint treats them like the built-in catalog.

        Bad:
            # pyproject.toml: blocking-calls = ["legacy.client.fetch"]
            async def handler():
                return legacy.client.fetch()

        Good:
            async def handler():
                return await asyncio.to_thread(legacy.client.fetch)
    """


@register
class BlockingViaHelper(BlockingRule):
    code = "ASL309"
    name = "blocking-via-helper"
    family = "blocking call through a helper"
    summary = "A coroutine calls a project function that blocks, one or more calls away."
    explanation = """
        Flags a call, in a coroutine body, of one of the project's own sync
        functions (or classes, for their `__init__`), in this module or another,
        that may block: its body makes a call that ASL300-ASL308 would flag in a
        coroutine, or calls another project sync function that does, at any
        depth. The message names the chain down to the blocking call, each step
        with its file and line. A chain counts only when the code of the call at
        its end is enabled for this file (`ignore = ["ASL303"]` also silences
        chains ending in `open`).

        Not flagged: the helper passed uncalled (`to_thread(helper)`); a helper
        whose blocking call is in a nested def or lambda, or passed uncalled; a
        decorated helper (the decorator may run it elsewhere); an `async def`
        helper (its own calls are reported where they are); a call that
        ASL300-ASL308 already flag.

        Why: the event loop is blocked just the same when the `open()` or
        `requests.get()` sits three calls down in a helper module; no other task
        runs until it returns.

        Bad:
            # reports/io.py
            def save_report(path, text):
                with open(path, "w") as handle:
                    handle.write(text)

            # handlers.py
            async def publish(report):
                save_report("out.txt", report.text)

        Good:
            async def publish(report):
                await asyncio.to_thread(save_report, "out.txt", report.text)
    """
