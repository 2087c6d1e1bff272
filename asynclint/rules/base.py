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
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, ClassVar, Dict, List, Type

if TYPE_CHECKING:  # pragma: no cover
    from asynclint.walker import Context

REGISTRY: Dict[str, Type["Rule"]] = {}


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

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx

    def report(self, node, message: str) -> None:
        self.ctx.report(self.code, node, message)

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
