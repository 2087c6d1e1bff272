"""The project index: what a name, a call or a kind resolves to across the project.

It holds the summaries of the project's modules (loaded when first needed, from
the cache or by parsing the file) and answers, for the rules and for the
effects:

- ``resolve(dotted)``: the module, function, class or module-level instance an
  absolute dotted name stands for, following imports and package re-exports;
- ``kind(kindref)``: the kind a summary's kindref comes to (a catalog kind, or
  ``class:<dotted>`` for an instance of a project class);
- ``method(class, name)``: a method found through the bases in resolution order,
  or None where RULES.md says it is unknown;
- ``callee(target)``: what a summarised call calls.

Nothing here knows libcst; ``asynclint.project.lookup`` turns a libcst call
into the questions asked here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, List, NamedTuple, Optional, Tuple

from asynclint.catalog import load
from asynclint.project.layout import Layout

if TYPE_CHECKING:  # pragma: no cover
    from asynclint.project.effects import Effects

# Bases that define no methods a project calls: they never hide one.
TRANSPARENT_BASES = frozenset(
    {"object", "abc.ABC", "typing.Generic", "typing.Protocol", "typing_extensions.Protocol"}
)
# Class decorators that hand back the class itself.
CLASS_KEEPING_DECORATORS = frozenset(
    {
        "dataclasses.dataclass", "functools.total_ordering", "typing.final", "typing_extensions.final",
        "attr.s", "attr.attrs", "attr.define", "attr.frozen", "attr.mutable",
        "attrs.define", "attrs.frozen", "attrs.mutable",
    }
)
PROJECT_KIND = "class:"
_MAX_DEPTH = 24


class ModuleInfo:
    """A project module the index knows: where it is and its summary.

    A summary read from the store comes as its digest and refs (enough to tell
    what a cached result depends on) and the rest as text, decoded on first use:
    a run whose files all hit the cache never decodes a whole summary.
    """

    __slots__ = ("name", "path", "rel", "digest", "source_key", "refs", "_summary", "_body")

    def __init__(self, name, path, rel, summary=None, digest="", source_key="", refs=None, body=None):
        self.name = name
        self.path = path  # absolute
        self.rel = rel  # relative to the project root, '/'-separated (shown in chains)
        self.digest = digest
        self.source_key = source_key  # the summary store's key of the text it was made from
        self._summary = summary
        self._body = body
        self.refs = refs if refs is not None else summary["refs"]

    @property
    def summary(self) -> dict:
        if self._summary is None:
            import json

            try:
                self._summary = json.loads(self._body)
            except ValueError:  # a damaged store entry: known as nothing
                from asynclint.project.store import empty_summary

                self._summary = empty_summary(self.name, False)
            self._body = None
        return self._summary


class Function(NamedTuple):
    module: ModuleInfo
    qualname: str  # "f", or "Cls.m" for a method
    summary: dict

    @property
    def key(self) -> Tuple[str, str]:
        return (self.module.name, self.qualname)

    @property
    def dotted(self) -> str:
        return f"{self.module.name}.{self.qualname}"


class Class(NamedTuple):
    module: ModuleInfo
    name: str
    summary: dict

    @property
    def dotted(self) -> str:
        return f"{self.module.name}.{self.name}"


class Module(NamedTuple):
    name: str
    info: Optional[ModuleInfo]  # None for a namespace package


class Instance(NamedTuple):
    kind: str  # a catalog kind, or "class:<dotted>"


class CatalogMethod(NamedTuple):
    kind: str
    method: str


class External(NamedTuple):
    """A dotted name outside the project (a library, the standard library)."""

    dotted: str


_UNKNOWN_BASE = object()
_MISSING = object()


def summary_digest(summary: dict) -> str:
    from asynclint.project.store import summary_digest as digest

    return digest(summary)


SummaryLoader = Callable[[str, str, bool], Optional[dict]]  # (path, module, is package) -> summary


class ProjectIndex:
    def __init__(self, layout: Layout, loader: SummaryLoader, isolated: bool = False) -> None:
        self.layout = layout
        self.loader = loader
        # With isolated knowledge, only modules added explicitly are known.
        self.isolated = isolated
        self.catalog = load()
        self._modules: Dict[str, Optional[ModuleInfo]] = {}
        self._resolved: Dict[str, object] = {}
        self._kinds: Dict[str, Optional[str]] = {}
        self._methods: Dict[Tuple[str, str], Optional[Function]] = {}
        self._effects: Dict[tuple, "Effects"] = {}
        self.closure_digests: Dict[str, str] = {}  # module -> digest of what it reaches
        self.successors: Dict[str, List[str]] = {}  # module -> project modules it names
        self._prefixes: Dict[str, Optional[str]] = {}  # dotted -> its project module
        self.generation = 0  # bumped when modules are added explicitly

    # -- modules -------------------------------------------------------------
    def known(self, module: str) -> Optional[ModuleInfo]:
        """A module already loaded or added (no loading here)."""
        return self._modules.get(module)

    def add(self, path: str, module: str, summary: dict, source_key: str = "") -> ModuleInfo:
        """Make a module known from a summary in hand (a linted file, an editor buffer)."""
        return self._add(ModuleInfo(module, path, self.layout.relative(path), summary, summary_digest(summary), source_key))

    def add_stored(self, path: str, module: str, head: dict, body: str, source_key: str) -> ModuleInfo:
        """Make a module known from a stored summary (see SummaryStore.get_stored)."""
        rel = self.layout.relative(path)
        return self._add(ModuleInfo(module, path, rel, None, head["digest"], source_key, head["refs"], body))

    def _add(self, info: ModuleInfo) -> ModuleInfo:
        module = info.name
        known = self._modules.get(module)
        if known is None or (known.digest, known.path) != (info.digest, info.path):
            if known is not None or module in self._modules:
                self._forget()
            self._modules[module] = info
            return info
        return known

    def _forget(self) -> None:
        self._resolved.clear()
        self._kinds.clear()
        self._methods.clear()
        self._effects.clear()
        self.closure_digests.clear()
        self.successors.clear()
        self._prefixes.clear()
        self.generation += 1

    def module(self, name: str) -> Optional[ModuleInfo]:
        if name in self._modules:
            return self._modules[name]
        info = None
        if not self.isolated:
            found = self.layout.find(name)
            if found is not None:
                path, package = found
                summary = self.loader(path, name, package)
                if summary is not None:
                    info = ModuleInfo(name, path, self.layout.relative(path), summary, summary_digest(summary))
        self._modules[name] = info
        return info

    def loaded(self) -> List[ModuleInfo]:
        return [info for info in self._modules.values() if info is not None]

    def project_module_of(self, dotted: str) -> Optional[str]:
        """The longest prefix of ``dotted`` that is a project module (or namespace package)."""
        found = self._prefixes.get(dotted, _MISSING)
        if found is _MISSING:
            found = self._prefixes[dotted] = self._project_module_of(dotted)
        return found

    def _project_module_of(self, dotted: str) -> Optional[str]:
        head, dot, _ = dotted.rpartition(".")
        if self.module(dotted) is not None or (not self.isolated and self.layout.is_namespace(dotted)):
            return dotted
        return self.project_module_of(head) if dot else None

    # -- names -----------------------------------------------------------------
    def resolve(self, dotted: str, depth: int = 0):
        """What an absolute dotted name is in the project, or None (unknown or not the project's)."""
        if dotted in self._resolved:
            return self._resolved[dotted]
        self._resolved[dotted] = None  # an import cycle resolves to nothing
        result = self._resolve(dotted, depth) if depth < _MAX_DEPTH else None
        self._resolved[dotted] = result
        return result

    def _resolve(self, dotted: str, depth: int):
        name = self.project_module_of(dotted)
        if name is None:
            return None
        entity = Module(name, self.module(name))
        rest = dotted[len(name) + 1 :].split(".") if len(dotted) > len(name) else []
        for index, attr in enumerate(rest):
            entity = self._member(entity, attr, depth)
            if entity is None:
                return None
        return entity

    def _member(self, entity, attr: str, depth: int):
        if isinstance(entity, Module):
            info = entity.info
            binding = info.summary["names"].get(attr) if info is not None else None
            if binding is None:
                sub = f"{entity.name}.{attr}"
                if self.module(sub) is not None or (not self.isolated and self.layout.is_namespace(sub)):
                    return Module(sub, self.module(sub))
                return None
            kind = binding[0]
            if kind == "import":
                return self.resolve(binding[1], depth + 1)
            if kind == "def":
                summary = info.summary["functions"].get(attr)
                return Function(info, attr, summary) if summary is not None else None
            if kind == "class":
                summary = info.summary["classes"].get(attr)
                return Class(info, attr, summary) if summary is not None else None
            if kind == "instance":
                found = self.kind(binding[1], depth + 1)
                return Instance(found) if found is not None else None
            return None
        if isinstance(entity, Class):
            return self.method(entity, attr)
        if isinstance(entity, Instance):
            return self.instance_method(entity.kind, attr)
        return None

    def instance_method(self, kind: str, attr: str):
        if kind.startswith(PROJECT_KIND):
            cls = self.resolve(kind[len(PROJECT_KIND):])
            return self.method(cls, attr) if isinstance(cls, Class) else None
        return CatalogMethod(kind, attr)

    # -- kinds -----------------------------------------------------------------
    def kind(self, kindref: Optional[str], depth: int = 0) -> Optional[str]:
        """The kind a kindref (see asynclint.project.summary) comes to."""
        if kindref is None or depth > _MAX_DEPTH:
            return None
        if kindref in self._kinds:
            return self._kinds[kindref]
        self._kinds[kindref] = None
        found = self._kind(kindref, depth)
        self._kinds[kindref] = found
        return found

    def _kind(self, kindref: str, depth: int) -> Optional[str]:
        tag, value = kindref[:2], kindref[2:]
        if tag == "K:":
            return value
        if tag in ("C:", "A:"):
            if tag == "C:" and value in self.catalog.constructors:
                return self.catalog.constructors[value]
            entity = self.resolve(value, depth + 1)
            if isinstance(entity, Class) and self.keeps_class(entity):
                return PROJECT_KIND + entity.dotted
            return None
        if tag == "G:":
            entity = self.resolve(value, depth + 1)
            return entity.kind if isinstance(entity, Instance) else None
        if tag == "S:":
            owner, _, attr = value.partition("#")
            entity = self.resolve(owner, depth + 1)
            if isinstance(entity, Class):
                return self.kind(entity.summary["attr_kinds"].get(attr), depth + 1)
            return None
        if tag == "X:":
            called = self.kind(value, depth + 1)
            if called is not None and not called.startswith(PROJECT_KIND):
                return self.catalog.factories.get((called, "__call__"))
            return None
        return None

    def keeps_class(self, cls: Class) -> bool:
        """A class whose decorators, if any, hand back the class itself."""
        decorators = cls.summary.get("decorators", ())
        return all(d in CLASS_KEEPING_DECORATORS for d in decorators)

    # -- classes ---------------------------------------------------------------
    def mro(self, cls: Class) -> list:
        """The class and its bases, left to right and depth first, each once;
        ``_UNKNOWN_BASE`` where a base is not a project class."""
        out: list = []
        seen = set()

        def visit(entity: Class, depth: int) -> None:
            if entity.dotted in seen or depth > _MAX_DEPTH:
                return
            seen.add(entity.dotted)
            out.append(entity)
            for base in entity.summary["bases"]:
                if base in TRANSPARENT_BASES:
                    continue
                resolved = self.resolve(base) if base is not None else None
                if isinstance(resolved, Class):
                    visit(resolved, depth + 1)
                else:
                    out.append(_UNKNOWN_BASE)

        visit(cls, 0)
        return out

    def method(self, cls: Class, name: str) -> Optional[Function]:
        key = (cls.dotted, name)
        if key in self._methods:
            return self._methods[key]
        self._methods[key] = None
        chain = self.mro(cls)
        found = None
        for entry in chain:
            if entry is _UNKNOWN_BASE:
                break
            summary = entry.summary
            if name in summary["methods"]:
                found = Function(entry.module, f"{entry.name}.{name}", summary["methods"][name])
                break
            if name in summary["other"]:
                break
        if found is not None:
            # An attribute assigned through self, or a __getattribute__, anywhere in the
            # chain may replace the method per instance.
            for entry in chain:
                if entry is not _UNKNOWN_BASE and (
                    entry.summary["getattribute"] or name in entry.summary["self_attrs"]
                ):
                    found = None
                    break
        self._methods[key] = found
        return found

    def plain_class(self, cls: Class, depth: int = 0) -> bool:
        """No bases but object or such classes, no keywords, no decorators, no __await__:
        calling it gives an object that is never awaitable (ASL200)."""
        summary = cls.summary
        if summary["keywords"] or summary["decorated"] or summary["await"] or depth > _MAX_DEPTH:
            return False
        for base in summary["bases"]:
            if base == "object":
                continue
            resolved = self.resolve(base) if base is not None else None
            if not isinstance(resolved, Class) or not self.plain_class(resolved, depth + 1):
                return False
        return True

    # -- calls -----------------------------------------------------------------
    def callee(self, target: tuple):
        """What a summarised call target calls: a Function, a Class, a
        CatalogMethod, an External name, or None (unknown)."""
        if target[0] == "n":
            return self.named(target[1])
        kind = self.kind(target[1])
        if kind is None:
            return None
        return self.instance_method(kind, target[2])

    def named(self, dotted: str):
        """What calling an absolute dotted name calls (see ``callee``)."""
        if self.project_module_of(dotted) is None:
            return External(dotted)
        return self.resolve(dotted)

    def init_of(self, cls: Class) -> Optional[Function]:
        """The ``__init__`` a call of the class runs, if it is the project's."""
        if not self.keeps_class(cls):
            return None
        return self.method(cls, "__init__")

    # -- effects ---------------------------------------------------------------
    def effects(self, enabled_blocking: frozenset, configured: Tuple[str, ...]) -> "Effects":
        from asynclint.project.effects import Effects

        key = (enabled_blocking, configured)
        found = self._effects.get(key)
        if found is None:
            found = self._effects[key] = Effects(self, enabled_blocking, configured)
        return found

    # -- what a file's findings depend on ---------------------------------------
    def dependency_digest(self, module: str) -> str:
        """A digest of the summaries of every project module ``module`` reaches."""
        from asynclint.project.deps import closure_digest

        return closure_digest(self, module)
