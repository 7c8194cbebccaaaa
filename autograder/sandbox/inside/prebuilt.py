"""Packages a notebook builds from source text, built once in the zygote and lent to
the workers whose notebooks build exactly the same.

Every student notebook's setup cell carries the ``student`` package (``check()``) as
source text and builds it with ``compile`` and ``exec``: about 15 ms of CPU in every
worker, the largest part of an ``activations`` submission's own run. The zygote builds
it once, from the sources the grader sends (``Jail``: the grader's own ``student``
package), and the setup cell's loader asks ``_autograder_prebuilt.lend(package,
sources)`` first. It gets the package only when its sources are, module for module and
in order, the very text it was built from, and only once per worker; otherwise (a
student who changed a line of the embedded package, a setup cell run twice, a notebook
made by another version) it builds its own, as written. Each worker is a fork, so the
package it gets is its own copy, never used before.

A build is made exactly as the loader makes one (an empty ``__path__``, each module in
``sys.modules`` before its code runs, compiled with no ``__future__`` flags of ours) and
kept only when it imported nothing the zygote had not: that import would otherwise move
out of the worker, where the student's limits count it.
"""

from __future__ import annotations

import __future__
import inspect
import sys
import types
from collections.abc import Sequence
from typing import Any

MODULE = "_autograder_prebuilt"
# the flags of a ``from __future__ import ...`` that changes anything in this Python: a
# loader compiled with one builds its modules with it (``compile`` inherits them)
_FUTURE_FLAGS = 0
for _feature in (getattr(__future__, name) for name in __future__.all_feature_names):
    if _feature.getMandatoryRelease() is None or _feature.getMandatoryRelease() > sys.version_info:
        _FUTURE_FLAGS |= _feature.compiler_flag

Modules = tuple[tuple[str, str], ...]


class _Refuse:
    """A meta path finder that refuses every import not already done, and notes it."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        self.refused.append(name)
        raise ImportError(f"{name} is not preloaded")


class Prebuilt:
    def __init__(self) -> None:
        self.built: dict[str, list[tuple[Modules, types.ModuleType, list[types.ModuleType]]]] = {}
        self.lent: dict[int, str] = {}  # the builds this process has handed out (a worker: once each)

    def build(self, package: str, modules: Sequence[Sequence[str]]) -> types.ModuleType | None:
        """Build ``package`` from ``modules`` ([name, source] pairs, in order) as the
        setup cell's loader would; the package when it was kept, else None."""
        sources: Modules = tuple((str(name), str(source)) for name, source in modules)
        saved = {key: sys.modules[key] for key in list(sys.modules) if key == package or
                 key.startswith(package + ".")}
        refuse = _Refuse()
        sys.meta_path.insert(0, refuse)
        made: list[types.ModuleType] = []
        try:
            root = types.ModuleType(package)
            root.__path__ = []
            sys.modules[package] = root
            for name, source in sources:
                module = types.ModuleType(f"{package}.{name}")
                module.__package__ = package
                sys.modules[module.__name__] = module
                setattr(root, name, module)
                exec(compile(source, f"<{package}/{name}.py>", "exec", dont_inherit=True), module.__dict__)
                made.append(module)
        except Exception:  # noqa: BLE001 - a build that fails is not kept: the worker's own build says why
            return None
        finally:
            sys.meta_path.remove(refuse)
            for key in [k for k in sys.modules if k == package or k.startswith(package + ".")]:
                del sys.modules[key]
            sys.modules.update(saved)
        if refuse.refused:
            return None
        self.built.setdefault(package, []).append((sources, root, made))
        return root

    def lend(self, package: Any, sources: Any) -> types.ModuleType | None:
        """``package`` built from exactly ``sources`` (a dict: module name -> source, in
        build order), put in ``sys.modules`` as the loader puts its own; None when there
        is no such build, it was lent already, or the caller compiles with ``__future__``
        flags (its own build would inherit them)."""
        if type(package) is not str or type(sources) is not dict:
            return None
        frame = inspect.currentframe()
        caller = frame.f_back if frame is not None else None
        if caller is None or caller.f_code.co_flags & _FUTURE_FLAGS:
            return None
        items = tuple(dict.items(sources))
        if not all(type(name) is str and type(source) is str for name, source in items):
            return None
        for built, root, made in self.built.get(package, []):
            if id(root) not in self.lent and built == items:
                self.lent[id(root)] = package
                sys.modules[package] = root
                for module in made:
                    sys.modules[module.__name__] = module
                return root
        return None


    def lent_here(self) -> tuple[str, ...]:
        """The packages lent so far in this process, in order (what a test can ask)."""
        return tuple(self.lent.values())


def install(prebuilt: Prebuilt) -> None:
    """Make ``prebuilt`` what the loaders find, as ``sys.modules[MODULE]``: ``lend`` for
    the loaders, ``lent()`` to say which packages were lent in this worker."""
    module = types.ModuleType(MODULE, "Packages built once by the grading jail (see the setup cell's loader).")
    module.lend = prebuilt.lend  # type: ignore[attr-defined]
    module.lent = prebuilt.lent_here  # type: ignore[attr-defined]
    sys.modules[MODULE] = module
