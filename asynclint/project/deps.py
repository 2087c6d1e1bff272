"""What a file's findings depend on: the summaries of every project module it reaches.

Module A reaches module B when a dotted name in A's summary (an import, a call,
a base, a kind) falls in B, the longest project-module prefix of that name.
The digest of a module's closure changes when any reached summary changes,
when a reached module disappears, and when a name starts to fall in a module
that did not exist before; it stays the same for edits that keep every reached
summary as it was. Strongly connected modules (import cycles) share one digest,
computed once (Tarjan), so the cost is linear in the module graph.
"""

from __future__ import annotations

import hashlib
from typing import Dict, List

from asynclint.project.index import ProjectIndex


def successors(index: ProjectIndex, module: str) -> List[str]:
    known = index.successors.get(module)
    if known is not None:
        return known
    info = index.module(module)
    found = set()
    for ref in info.refs if info is not None else ():
        target = index.project_module_of(ref)
        if target is not None and target != module and index.module(target) is not None:
            found.add(target)
    known = index.successors[module] = sorted(found)
    return known


def closure_digest(index: ProjectIndex, start: str) -> str:
    memo: Dict[str, str] = index.closure_digests
    if start in memo:
        return memo[start]
    # Iterative Tarjan over the modules reachable from ``start``.
    order: Dict[str, int] = {}
    low: Dict[str, int] = {}
    on_stack = set()
    stack: List[str] = []
    work = [(start, iter(successors(index, start)))]
    order[start] = low[start] = 0
    stack.append(start)
    on_stack.add(start)
    counter = 1
    while work:
        node, children = work[-1]
        advanced = False
        for child in children:
            if child in memo:
                continue
            if child not in order:
                order[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(successors(index, child))))
                advanced = True
                break
            if child in on_stack:
                low[node] = min(low[node], order[child])
        if advanced:
            continue
        work.pop()
        if work:
            parent = work[-1][0]
            low[parent] = min(low[parent], low[node])
        if low[node] == order[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            digest = hashlib.sha256()
            outside = set()
            for member in sorted(members):
                info = index.module(member)
                digest.update(f"{member}\0{info.rel if info else ''}\0{info.digest if info else '-'}\n".encode("utf-8", "surrogateescape"))
                outside.update(s for s in successors(index, member) if s not in members)
            for other in sorted(outside):
                digest.update(f">{memo[other]}\n".encode())
            value = digest.hexdigest()[:32]
            for member in members:
                memo[member] = value
    return memo[start]
