"""What a rule is, and the registry every rule module adds itself to.

A rule is one class: its code, name, whether it is on by default, a one-line
summary, the explanation `asynclint explain` prints, and its check. The check
is a set of handlers the single walk calls:

- ``visit_<Node>(node)`` / ``leave_<Node>(node)`` for libcst node classes
  (``visit_Await``, ``leave_FunctionDef``). A visit runs before the walker
  enters the scope a node opens, so ``ctx.scope`` is the enclosing scope there;
  a leave runs after the walker has left it.
- ``enter_scope(scope)`` / ``leave_scope(scope)`` around every scope.
- ``finish()`` once the whole module has been walked, when every scope's
  bindings are complete (for checks that depend on names bound later).

Rules report through ``self.report(node, message)``. The walker, not the rule,
owns scopes, imports and name resolution (see ``asynclint.scope``).

Rules of one family that look at the same nodes (the blocking-call families)
name a ``collector``: the walker runs one instance of it per file, whatever the
number of its rules enabled, and hands it to each as ``self.collected``.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, ClassVar, Dict, List, Optional, Type

if TYPE_CHECKING:  # pragma: no cover
    from asynclint.walker import Context

REGISTRY: Dict[str, Type["Rule"]] = {}


class Collector:
    """Per-file state a family of rules gathers once during the walk.

    It has the same ``visit_``/``leave_``/``enter_scope``/``leave_scope``
    handlers as a rule, and ``finish()`` runs before the rules' own.
    """

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx

    def finish(self) -> None:
        """Called once after the walk, before the rules that use it finish."""


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    explanation: ClassVar[str]
    default: ClassVar[bool] = True
    # How bad a finding is, for SARIF and CI annotations: "error" (the code
    # fails), "warning" (it runs, badly), "note" (advice).
    level: ClassVar[str] = "error"
    # Rules that only look at notebooks or at files as a whole set this False:
    # the walker never instantiates them.
    walks: ClassVar[bool] = True
    # The family's collector class, if the rule shares one (see module doc).
    collector: ClassVar[Optional[Type[Collector]]] = None

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx
        self.collected: Optional[Collector] = None

    def report(self, node, message: str, chain=()) -> None:
        self.ctx.report(self.code, node, message, chain)

    def finish(self) -> None:
        """Called once after the walk; override for whole-module checks."""


def register(cls: Type[Rule]) -> Type[Rule]:
    if cls.code in REGISTRY:
        raise ValueError(f"duplicate rule code {cls.code}")
    cls.explanation = textwrap.dedent(cls.explanation).strip("\n")
    REGISTRY[cls.code] = cls
    return cls


def all_rules() -> List[Type[Rule]]:
    # Importing the families fills the registry.
    from asynclint.rules import advice, awaitables, blocking, event_loop, meta, syntax  # noqa: F401

    return [REGISTRY[code] for code in sorted(REGISTRY)]
