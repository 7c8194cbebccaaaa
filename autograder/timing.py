"""Time limits that follow the reference's own time, so a hostile function costs seconds.

A reference ``relu`` takes microseconds; waiting ``call_timeout_s`` (10 s) for a
student's ``relu`` that never returns is waiting for nothing. So a call's limit is
``max(call_floor_s, reference_factor x the reference's time for the same call)``, at
most ``call_timeout_s`` (or a check's own ``timeout=``). A cell's limit follows the
master notebook the same way: ``max(cell_floor_s, reference_factor x the time the
master's cells take to run in the jail)``, at most ``cell_timeout_s``, except in a
notebook that imports a package the jail has not preloaded (a first import may take
seconds): it keeps ``cell_timeout_s``.

Determinism: the reference is timed in the grader, once per grading process and call
site, so a limit may differ a little from one run to the next, never from one
submission to the next within a run. The limits are rounded up to a few fixed steps
and kept far above what honest code needs (50 times the reference, and never under
a second), so only code that hangs or is thousands of times too slow can land on
either side of a limit; results of everything else do not depend on the machine.
"""

from __future__ import annotations

import ast
import copy
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from autograder.config import Limits, replace
from autograder.notebook import CodeCell, imported_modules, kept_per_text
from autograder.sandbox.values import RemoteObject, TensorValue
from autograder.steps import STEPS, step_up  # noqa: F401 -- STEPS: the steps, for readers of this module

TIMING_BUDGET_S = 0.5  # stop repeating a reference call once this much time went into it
REPEATS = 3


def follow(reference_s: float | None, floor_s: float, factor: float, ceiling_s: float) -> float:
    """The limit for something the reference does in ``reference_s`` (None: unknown)."""
    if reference_s is None or factor <= 0:
        return ceiling_s
    return min(ceiling_s, step_up(max(floor_s, factor * reference_s)))


def call_limit(reference_s: float | None, limits: Limits, ceiling_s: float | None = None) -> float:
    ceiling = limits.call_timeout_s if ceiling_s is None else ceiling_s
    return follow(reference_s, limits.call_floor_s, limits.reference_factor, ceiling)


def call_allowance(reference_s: float | None, limits: Limits) -> float | None:
    """A call's share of its question's time budget (``autograder/budget.py``): what its
    limit follows, ``reference_factor x the reference's time``, without the floor; None
    when that is unknown (the call's limit is then its share)."""
    if reference_s is None or limits.reference_factor <= 0:
        return None
    return limits.reference_factor * reference_s


def master_seconds(run: Callable[[Sequence[CodeCell]], float], cells: Sequence[CodeCell]) -> float | None:
    """What the master's cells take in the jail beyond starting a worker: their run less
    the run of an empty cell (``run`` runs cells and returns the wall time of the run).
    Once each: a master that trains a network at the top level takes a second or two."""
    if not cells:
        return None
    return max(0.0, run(cells) - run([CodeCell(cells[0].index, "pass\n")]))


EMBEDDED = ("student", "otter")  # built in sys.modules: by the setup cell (assign.py), the jail (inside/standins.py)


@kept_per_text()  # cells that every notebook of a batch shares are parsed once
def _cell_imports(source: str) -> tuple[str, ...]:
    """Top-level names a cell imports when it runs (not inside its functions or classes)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()  # the worker reports the cell; nothing of it runs
    return tuple(module.split(".")[0] for module in imported_modules(tree, when_run=True))


def imports_beyond(cells: Sequence[CodeCell], preloaded: Sequence[str]) -> list[str]:
    """Third-party packages the cells import as they run that the jail has not preloaded.

    A first import of a package can take seconds (PyTorch: 2.5 s here, 9 s on a busy
    machine), so a notebook with one keeps the full ``cell_timeout_s``. The standard
    library's modules import in milliseconds and do not count, nor does the package the
    notebook's own setup cell builds. (``ast.parse`` only reads the cell's text, as
    ``notebook.transform_ipython`` does; nothing of it runs here.)
    """
    ready = {name.split(".")[0] for name in preloaded} | set(sys.stdlib_module_names) | set(EMBEDDED)
    found: dict[str, None] = {}
    for cell in cells:
        found.update((name, None) for name in _cell_imports(cell.source) if name not in ready)
    return list(found)


def cell_limits(limits: Limits, master_s: float | None) -> Limits:
    """``limits`` with the cell time limit following the master notebook's run time."""
    cell = follow(master_s, limits.cell_floor_s, limits.reference_factor, limits.cell_timeout_s)
    return replace(limits, cell_timeout_s=cell)


class _NotHere(Exception):
    """An argument that exists only in the worker (a remote object): nothing to time."""


def _grader_side(value: Any) -> Any:
    """A copy of a call's argument that the reference can take, in this process."""
    if isinstance(value, RemoteObject):
        raise _NotHere
    if isinstance(value, TensorValue):
        import torch

        return torch.tensor(np.array(value.array), dtype=getattr(torch, value.dtype.removeprefix("torch.")),
                            requires_grad=value.requires_grad)
    if isinstance(value, (list, tuple)):
        return type(value)(_grader_side(v) for v in value)
    if isinstance(value, dict):
        return {k: _grader_side(v) for k, v in value.items()}
    return copy.deepcopy(value)


def reference_seconds(function: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any]
                      ) -> float | None:
    """The best of a few runs of the trusted ``function`` on copies of these arguments;
    None when they cannot be given to it here or it fails on them (no limit to follow)."""
    best: float | None = None
    spent = 0.0
    for _ in range(REPEATS):
        try:
            call_args = [_grader_side(a) for a in args]
            call_kwargs = {k: _grader_side(v) for k, v in kwargs.items()}
        except (_NotHere, TypeError, ValueError, AttributeError):
            return None
        started = time.perf_counter()
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                function(*call_args, **call_kwargs)
        except Exception:  # the reference cannot do this call: its time is unknown, not a fault
            return None
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
        spent += took
        if spent > TIMING_BUDGET_S:
            break
    return best


class CallLimits:
    """Per-call limits of one grading process, keyed by call site (check, name, ordinal).

    The reference's time for a call site is measured the first time it is needed and
    kept for every later submission, so each submission of a run gets the same limit.
    """

    def __init__(self, reference: Any) -> None:
        self.reference = reference
        self.seconds: dict[tuple[str, str, int], float | None] = {}

    def limit(self, site: tuple[str, str, int], args: Sequence[Any], kwargs: Mapping[str, Any],
              limits: Limits, ceiling_s: float | None = None) -> float:
        if site not in self.seconds:
            function = getattr(self.reference, site[1], None)
            self.seconds[site] = reference_seconds(function, args, kwargs) if callable(function) else None
        return call_limit(self.seconds[site], limits, ceiling_s)

    def allowance(self, site: tuple[str, str, int], limits: Limits) -> float | None:
        """The call's share of its question's time budget (:func:`call_allowance`);
        ask after :meth:`limit`."""
        return call_allowance(self.seconds.get(site), limits)
