"""The libcst side of project knowledge: from a call or name in the file being
linted to the questions the project index answers.

A ``ProjectView`` is the index as one file sees it: the file's module name (for
relative imports and its own module-level names) and the index. Rules never
resolve across files themselves: they ask ``dotted``/``callee``, and
``asynclint.instances`` asks ``kind_of_dotted`` for kinds.
"""

from __future__ import annotations

from typing import Optional

from asynclint.lazy import libcst as cst

from asynclint.project.index import ProjectIndex
from asynclint.project.summary import absolute_import
from asynclint.scope import MODULE, Scope


def _chain(expr):
    """``a.b.c`` as ("a", ["b", "c"]), or None."""
    attrs = []
    while isinstance(expr, cst.Attribute):
        attrs.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        attrs.reverse()
        return expr.value, attrs
    return None


class ProjectView:
    def __init__(self, index: ProjectIndex, module: str, package: bool) -> None:
        self.index = index
        self.module = module
        self.package = package

    def absolute(self, qualname: Optional[str]) -> Optional[str]:
        """A name from this file's imports, with relative imports made absolute."""
        if qualname is None or not qualname.startswith("."):
            return qualname
        level = len(qualname) - len(qualname.lstrip("."))
        return absolute_import(self.module, self.package, level, qualname[level:] or None)

    def written(self, written: str, scope: Scope) -> Optional[str]:
        """A dotted name as written at ``scope`` (``"Repo"``, ``"models.Repo"``), made absolute."""
        root, _, rest = written.partition(".")
        base = self._root(root, scope)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def dotted(self, expr, scope: Scope) -> Optional[str]:
        """The absolute dotted name a name or attribute chain stands for, if any."""
        chain = _chain(expr)
        if chain is None:
            return None
        root, attrs = chain
        base = self._root(root, scope)
        if base is None:
            return None
        return ".".join([base] + attrs)

    def _root(self, name: str, scope: Scope) -> Optional[str]:
        qualname = scope.qualname(cst.Name(name))
        if qualname is not None:
            return self.absolute(qualname)
        owner = scope.lookup(name)
        if owner is not None and owner.kind == MODULE:
            return f"{self.module}.{name}"  # a module-level def, class or value of this file
        return None

    def callee(self, call, scope: Scope, instances):
        """What a call calls, as the index sees it (a Function, Class,
        CatalogMethod, External, or None)."""
        func = call.func
        dotted = self.dotted(func, scope)
        if dotted is not None:
            return self.index.named(dotted)
        if isinstance(func, cst.Attribute):
            kind = instances.kind_of(func.value, scope)
            if kind is not None:
                return self.index.instance_method(kind, func.attr.value)
        return None

    def kind_of_dotted(self, tag: str, dotted: str) -> Optional[str]:
        """The kind of ``C:``/``A:``/``G:`` + dotted (see asynclint.project.summary)."""
        return self.index.kind(f"{tag}{dotted}")
