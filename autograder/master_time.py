"""The master notebook's run time in the jail, measured once per course version.

A cell's time limit follows the master's own run time (``timing.cell_limits``), and
measuring it runs the master's cells in the jail: 0.3 s of a one-notebook ``grade`` for
``activations``, 1 s for ``torch_xor``, on every command. The time is kept in a small
cache file (``$XDG_CACHE_HOME/autograder/master-seconds.json``), keyed by a hash of
everything it depends on: the master's cells, the limits, the preloaded modules, the
sandbox backend and the data files the cells read (names and sizes). A changed course
is measured again; a cache that cannot be read or written is measured around.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from autograder import caches
from autograder.atomic import write_atomic
from autograder.config import Limits, to_data
from autograder.notebook import CodeCell

FILE = "master-seconds.json"
KEPT = 256  # course versions remembered; the oldest is forgotten first


def cache_file() -> Path:
    return caches.folder() / FILE


def course_version(cells: Sequence[CodeCell], limits: Limits, preload: Sequence[str], backend: str,
                   data: Path | None) -> str:
    """The hash of what the master's run time depends on."""
    files = sorted((str(p.relative_to(data)), p.stat().st_size) for p in data.rglob("*") if p.is_file()) \
        if data is not None and data.is_dir() else []
    parts = {"cells": [(c.index, c.source) for c in cells], "limits": to_data(limits),
             "preload": list(preload), "backend": backend, "data": files}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def master_seconds(version: str, measure: Callable[[], float | None]) -> float | None:
    """The cached run time of this course version, or ``measure()`` (kept for next time)."""
    path = cache_file()
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    cached = known.get(version)
    if isinstance(cached, (int, float)) and not isinstance(cached, bool):
        return float(cached)
    measured = measure()
    if measured is None:
        return None
    known[version] = measured
    for old in list(known)[:-KEPT]:
        del known[old]
    try:
        write_atomic(path, json.dumps(known, indent=1) + "\n")
    except OSError:
        pass  # a read-only home: measured again by the next command
    return measured
