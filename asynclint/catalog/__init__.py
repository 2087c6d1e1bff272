"""The rule knowledge, kept as data: one entry a line in the ``*.txt`` files here.

- ``blocking.txt``: blocking calls with their family code and async alternative.
- ``constructors.txt``: calls, methods and annotations that give a known kind.
- ``coroutines.txt``: coroutine functions; ``tasks.txt``: task-creating calls.
- ``sync.txt``: synchronous callables whose result is never awaitable.
- ``threads.txt``: calls that run the function they are given in a thread.
- ``aliases.txt``: modules read as another (``httpx2`` is ``httpx``).

Adding a library is adding lines; the loader below is the only code.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))


def _lines(name: str) -> List[Tuple[int, str]]:
    with open(os.path.join(HERE, name), encoding="utf-8") as handle:
        return [
            (number, line.strip())
            for number, line in enumerate(handle, 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]


@dataclass(frozen=True)
class Blocking:
    code: str
    target: str  # "a.b.c" or "Kind#method" or "Kind#*"
    alternative: str
    except_methods: FrozenSet[str] = frozenset()

    @property
    def kind(self) -> Optional[str]:
        return self.target.split("#", 1)[0] if "#" in self.target else None

    @property
    def method(self) -> Optional[str]:
        return self.target.split("#", 1)[1] if "#" in self.target else None


@dataclass(frozen=True)
class Catalog:
    blocking_calls: Dict[str, Blocking]  # dotted callable -> entry
    blocking_methods: Dict[Tuple[str, str], Blocking]  # (kind, method) -> entry
    blocking_any_method: Dict[str, Blocking]  # kind -> entry for "Kind#*"
    constructors: Dict[str, str]  # dotted callable -> kind
    factories: Dict[Tuple[str, str], str]  # (kind, method) -> kind
    attributes: Dict[Tuple[str, str], str]  # (kind, attribute) -> kind
    chained_kinds: FrozenSet[str]  # kinds whose every attribute/item is the same kind
    annotations: Dict[str, str]  # annotation class -> kind
    tuple_factories: Dict[str, Tuple[str, ...]]  # awaited call -> kinds of its tuple items
    coroutines: FrozenSet[str]
    coroutine_methods: FrozenSet[Tuple[str, str]]
    tasks: FrozenSet[str]
    task_methods: FrozenSet[Tuple[str, str]]
    sync_calls: FrozenSet[str]
    sync_methods: FrozenSet[Tuple[str, str]]
    thread_calls: FrozenSet[str]  # run the function passed to them in a thread
    thread_methods: FrozenSet[str]  # the same, as a method on any receiver

    def blocking_call(self, qualname: str, configured: Tuple[str, ...] = ()) -> Optional[Blocking]:
        """The entry for a call of ``qualname`` (after import resolution), or None."""
        entry = self.blocking_calls.get(qualname)
        if entry is None and configured and is_configured(qualname, configured):
            entry = Blocking(CONFIGURED, qualname, "an async equivalent, or asyncio.to_thread")
        return entry

    def blocking_method(self, kind: str, method: str) -> Optional[Blocking]:
        """The entry for ``method`` called on a known instance of ``kind``, or None."""
        entry = self.blocking_methods.get((kind, method))
        if entry is None:
            any_method = self.blocking_any_method.get(kind)
            if any_method is not None and method not in any_method.except_methods:
                entry = any_method
        return entry


CONFIGURED = "ASL308"  # the code of calls listed in the blocking-calls setting


def is_configured(qualname: str, configured: Tuple[str, ...]) -> bool:
    """Whether a dotted name is listed in blocking-calls (exactly, or as ``mod.*``)."""
    for name in configured:
        if name == qualname or (name.endswith(".*") and qualname.startswith(name[:-1])):
            return True
    return False


@functools.lru_cache(maxsize=None)
def _aliases() -> Dict[str, str]:
    out = {}
    for _, line in _lines("aliases.txt"):
        module, same = (part.strip() for part in line.split("|"))
        out[module] = same
    return out


def canonical_import(dotted: str) -> str:
    """An imported dotted name with an aliased top-level module replaced
    (``httpx2.Client`` -> ``httpx.Client``); anything else as it is."""
    top, dot, rest = dotted.partition(".")
    same = _aliases().get(top)
    return same + dot + rest if same is not None else dotted


def _split_method(target: str) -> Tuple[str, str]:
    kind, method = target.split("#", 1)
    return kind, method


@functools.lru_cache(maxsize=None)
def load() -> Catalog:
    blocking_calls: Dict[str, Blocking] = {}
    blocking_methods: Dict[Tuple[str, str], Blocking] = {}
    blocking_any: Dict[str, Blocking] = {}
    for number, line in _lines("blocking.txt"):
        code, target, alternative = (part.strip() for part in line.split("|"))
        excepted: FrozenSet[str] = frozenset()
        if "!" in target:
            target, names = target.split("!", 1)
            excepted = frozenset(name.strip() for name in names.split(","))
        entry = Blocking(code, target, alternative, excepted)
        if "#" not in target:
            blocking_calls[target] = entry
        elif target.endswith("#*"):
            blocking_any[target[:-2]] = entry
        else:
            blocking_methods[_split_method(target)] = entry

    constructors: Dict[str, str] = {}
    factories: Dict[Tuple[str, str], str] = {}
    attributes: Dict[Tuple[str, str], str] = {}
    chained = set()
    annotations: Dict[str, str] = {}
    tuples: Dict[str, Tuple[str, ...]] = {}
    for number, line in _lines("constructors.txt"):
        if "->" in line:
            call, kinds = (part.strip() for part in line.split("->"))
            tuples[call] = tuple(kind.strip() for kind in kinds.split(","))
            continue
        source, kind = (part.strip() for part in line.split("|"))
        if source.startswith("@"):
            annotations[source[1:]] = kind
        elif "#" in source:
            factories[_split_method(source)] = kind
        elif source.endswith("."):
            chained.add(source[:-1])
        elif ":" in source:
            owner, attribute = source.split(":", 1)
            attributes[(owner, attribute)] = kind
        else:
            constructors[source] = kind

    def split(name: str):
        dotted, methods = set(), set()
        for _, line in _lines(name):
            (methods.add(_split_method(line)) if "#" in line else dotted.add(line))
        return frozenset(dotted), frozenset(methods)

    coroutines, coroutine_methods = split("coroutines.txt")
    tasks, task_methods = split("tasks.txt")
    thread_calls, thread_methods = split("threads.txt")
    sync_calls, sync_methods = split("sync.txt")
    return Catalog(
        blocking_calls=blocking_calls,
        blocking_methods=blocking_methods,
        blocking_any_method=blocking_any,
        constructors=constructors,
        factories=factories,
        attributes=attributes,
        chained_kinds=frozenset(chained),
        annotations=annotations,
        tuple_factories=tuples,
        coroutines=coroutines,
        coroutine_methods=coroutine_methods,
        tasks=tasks,
        task_methods=task_methods,
        sync_calls=sync_calls | frozenset(blocking_calls),
        sync_methods=sync_methods,
        thread_calls=thread_calls,
        thread_methods=frozenset(method for _, method in thread_methods),
    )
