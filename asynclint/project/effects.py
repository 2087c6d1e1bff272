"""Effects over the call graph: which project sync functions may block, which run
an event loop, and the shortest chain of calls to the offending one.

A node is a project sync function (plain: its decorators keep it what it is;
not a generator, whose body runs only when iterated). Its edges are the calls
of its own body that reach another node: a function, a method found through
the bases, a project class (its ``__init__``). It blocks directly when its
body makes a call that ASL300-ASL308 would flag in a coroutine body and whose
code is enabled; it runs a loop directly when its body makes a call ASL400
flags, outside ``if __name__ == "__main__":``.

The graph is explored lazily from the functions asked about, loading modules
as calls reach them; once explored, a node's successors never change, so
shortest distances are computed once per newly explored part (a Dijkstra pass
seeded by the already-known nodes). Cycles end, deep chains stay linear.
"""

from __future__ import annotations

import heapq
from typing import Dict, List, NamedTuple, Optional, Tuple

from asynclint.catalog import CONFIGURED, is_configured
from asynclint.diagnostic import ChainStep
from asynclint.project.index import CatalogMethod, Class, External, Function, ProjectIndex


class Node(NamedTuple):
    edges: List[Tuple[int, Function, str]]  # (line, callee, name shown in the chain)
    block: Optional[Tuple[int, str, str]]  # first enabled blocking call: (line, shown, code)
    loop: Optional[Tuple[int, str]]  # first loop-running call: (line, shown)


def is_node(function: Function) -> bool:
    summary = function.summary
    return not summary["async"] and summary["plain"] and not summary["gen"]


class Reached(NamedTuple):
    chain: Tuple[ChainStep, ...]
    code: str  # the code of the call at the end of the chain (ASL405 for loops)


class Effects:
    def __init__(self, index: ProjectIndex, enabled: frozenset, configured: Tuple[str, ...]) -> None:
        self.index = index
        self.enabled = enabled  # the blocking codes enabled for the asking file
        self.configured = configured
        self._nodes: Dict[tuple, Node] = {}
        self._blocking = _Distances(self, "block")
        self._looping = _Distances(self, "loop")

    def node(self, function: Function) -> Node:
        key = function.key
        found = self._nodes.get(key)
        if found is None:
            found = self._nodes[key] = self._build(function)
        return found

    def _build(self, function: Function) -> Node:
        index = self.index
        catalog = index.catalog
        edges: List[Tuple[int, Function, str]] = []
        block = None
        for line, target in function.summary["calls"]:
            if target[0] == "n" and self.configured and is_configured(target[1], self.configured):
                if block is None and CONFIGURED in self.enabled:
                    block = (line, target[1], CONFIGURED)
                continue
            callee = index.callee(target)
            entry = None
            if isinstance(callee, External):
                entry = catalog.blocking_call(callee.dotted)
                shown = callee.dotted
            elif isinstance(callee, CatalogMethod):
                entry = catalog.blocking_method(callee.kind, callee.method)
                shown = f"{callee.method} on a {callee.kind}"
            elif isinstance(callee, Function):
                if is_node(callee):
                    edges.append((line, callee, callee.qualname))
                continue
            elif isinstance(callee, Class):
                init = index.init_of(callee)
                if init is not None and is_node(init):
                    edges.append((line, init, f"{callee.name}()"))
                continue
            if entry is not None and block is None and entry.code in self.enabled:
                block = (line, shown, entry.code)
        loops = function.summary["loops"]
        return Node(edges, block, loops[0] if loops else None)

    def blocking(self, function: Function) -> Optional[Reached]:
        """The shortest chain from ``function`` to an enabled blocking call, if any."""
        return self._blocking.reach(function)

    def running_loop(self, function: Function) -> Optional[Reached]:
        """The shortest chain from ``function`` to a call that starts an event loop."""
        return self._looping.reach(function)


class _Distances:
    """Shortest number of calls from each explored node to a direct effect."""

    def __init__(self, effects: Effects, which: str) -> None:
        self.effects = effects
        self.which = which
        self.dist: Dict[tuple, Optional[int]] = {}
        self.next: Dict[tuple, Tuple[int, Function, str]] = {}

    def _direct(self, node: Node):
        return node.block if self.which == "block" else node.loop

    def reach(self, function: Function) -> Optional[Reached]:
        if not is_node(function):
            return None
        if function.key not in self.dist:
            self._explore(function)
        if self.dist[function.key] is None:
            return None
        return self._chain(function)

    def _explore(self, start: Function) -> None:
        effects = self.effects
        fresh: Dict[tuple, Tuple[Function, Node]] = {}
        stack = [start]
        while stack:
            function = stack.pop()
            key = function.key
            if key in self.dist or key in fresh:
                continue
            node = effects.node(function)
            fresh[key] = (function, node)
            stack.extend(callee for _, callee, _ in node.edges)
        best: Dict[tuple, int] = {}
        callers: Dict[tuple, List[tuple]] = {}
        for key, (function, node) in fresh.items():
            if self._direct(node) is not None:
                best[key] = 0
            for _, callee, _ in node.edges:
                known = self.dist.get(callee.key)
                if known is not None:
                    best[key] = min(best.get(key, known + 1), known + 1)
                elif callee.key in fresh:
                    callers.setdefault(callee.key, []).append(key)
        heap = [(d, key) for key, d in best.items()]
        heapq.heapify(heap)
        done = set()
        while heap:
            d, key = heapq.heappop(heap)
            if key in done:
                continue
            done.add(key)
            for caller in callers.get(key, ()):
                if caller not in done and d + 1 < best.get(caller, d + 2):
                    best[caller] = d + 1
                    heapq.heappush(heap, (d + 1, caller))
        for key in fresh:
            self.dist[key] = best.get(key)
        for key, (function, node) in fresh.items():
            d = self.dist[key]
            if not d:
                continue
            choices = [
                (line, callee, shown)
                for line, callee, shown in node.edges
                if self.dist.get(callee.key) == d - 1
            ]
            self.next[key] = min(choices, key=lambda c: c[0])

    def _chain(self, function: Function) -> Reached:
        steps = [ChainStep(function.qualname, function.module.rel, function.summary["line"])]
        current = function
        for _ in range(len(self.dist) + 1):
            node = self.effects.node(current)
            direct = self._direct(node)
            if self.dist[current.key] == 0:
                if self.which == "block":
                    line, shown, code = direct
                else:
                    (line, shown), code = direct, "ASL405"
                steps.append(ChainStep(shown, current.module.rel, line))
                return Reached(tuple(steps), code)
            line, callee, shown = self.next[current.key]
            steps.append(ChainStep(shown, current.module.rel, line))
            current = callee
        raise AssertionError("chain longer than the explored graph")  # pragma: no cover


# Messages show at most this many steps; the chain's data (JSON, SARIF, the
# editor) always has every step.
SHOWN_STEPS = 6


def chain_text(chain) -> str:
    """``save_report -> _write (reports/io.py:14) -> open (reports/io.py:22)``;
    a long chain keeps its first and last steps: ``a -> b (x.py:3) -> ... 12 more calls ... -> open (y.py:9)``."""
    first, *rest = chain
    steps = [f"{step.name} ({step.path}:{step.line})" for step in rest]
    if len(steps) > SHOWN_STEPS:
        hidden = len(steps) - (SHOWN_STEPS - 2)
        steps = steps[: SHOWN_STEPS - 3] + [f"... {hidden} more calls ..."] + steps[-1:]
    return " -> ".join([first.name] + steps)
