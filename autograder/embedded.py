"""The ``student`` package as the generated setup cell embeds it: its modules' sources.

The setup cell of every student notebook (``setup_cell.setup_source``) carries these
modules as text and builds the package with ``exec``, so ``check()`` works in any
Jupyter or Colab with only the file. The jail builds the same package once, in its
zygote (``sandbox/inside/prebuilt.py``), and lends it to each worker whose setup cell
carries exactly these sources: :func:`prebuilt` is what it is given.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE = "student"
EMBEDDED_MODULES = ("messages", "compare", "codec", "checker")  # in import order
SUBMIT = "submit"  # added after them when the notebook can submit itself to a course server

Modules = tuple[tuple[str, str], ...]  # (module name, source), in the order they are built


def folder() -> Path:
    """Where the ``student`` package is, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the {PACKAGE!r} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def sources(submit: bool = False) -> dict[str, str]:
    """The modules the setup cell embeds, in the order it builds them; with ``submit``,
    also ``submit(token)`` for a course server."""
    names = (*EMBEDDED_MODULES, SUBMIT) if submit else EMBEDDED_MODULES
    return {name: (folder() / f"{name}.py").read_text(encoding="utf-8") for name in names}


def prebuilt() -> list[tuple[str, Modules]]:
    """What the jail builds once and lends to setup cells that embed the same: the
    package of a plain student notebook, and of one that can submit itself."""
    return [(PACKAGE, tuple(sources(submit).items())) for submit in (False, True)]
