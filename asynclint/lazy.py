"""libcst, loaded on first use.

Rule modules name libcst's node classes, and the registry imports every rule
module; yet a run where every file hits the cache never needs the parser.
``importlib.util.LazyLoader`` defers executing libcst until an attribute is
first used; after that the module is an ordinary module again.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:  # pragma: no cover - libcst is a dependency
        raise ImportError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


libcst = lazy_module("libcst")
