"""The calls a solution notebook makes to its own questions, recorded in the jail.

``autograder new --from`` runs the solution notebook once, in the jail like any
submission, with a recorder installed after every cell: each question's function,
and each method of a question's class, is wrapped so that its first calls are kept
(their arguments and, for a method, the object's attributes before the call, deep
copies); a class that is a question itself (one with only a constructor, ``Car``)
has its constructor's calls kept as its own. Calls the notebook's cells make
themselves come first; calls made from inside other code (``fit`` calling
``forward_pass``) are kept for questions the cells never call directly, sampled early
and late (the 1st, 3rd, 10th, 30th...: a training loop's first call often sees zero
weights, which tell few answers apart). Only plain data comes back to the grader
(NumPy arrays, tensors, numbers, strings and lists, tuples and dicts of those): a call
with anything else among its inputs is dropped in the jail.

A method may need what other methods stored first (a seminar's ``car.set_cost(1000)``
before ``car.new_cost(2)``): every method of a question's class is wrapped too, and
the calls the cells make on an object, in order, come back with each recorded call on
it, so the object can be made again as the notebook made it (:mod:`.cases`).

Besides those few calls, the shapes of every call's arguments are counted (by
parameter name: ``{"y": ("array", (40, 1)), "y_pred": ("array", (40, 1))}``, each
distinct set once): :mod:`.equivalents` reads them to tell a mutant that measures
one argument for another (``len(y_pred)`` for ``len(y)``) from a wrong answer.

The recorder is code of ours that runs beside the solution in the jail; nothing the
notebook produced is imported or run here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.config import Limits
from autograder.notebook import CodeCell, plain_code

KEPT_PER_QUESTION = 4  # of each kind (from a cell, from inside other code)
KEPT_HISTORY = 16  # calls on one object kept to make it again; an object with more is not made again
LIMITS = Limits(cell_timeout_s=600, call_timeout_s=60, run_timeout_s=1800, cpu_s=3600, memory_mb=4096,
                output_kb=16)

_RECORDER = r'''
def _autograder_recorder(kept, largest, kept_history):
    import copy, functools, inspect, sys
    calls, inits = {}, {}

    def plain(value, depth=0):
        """Whether value is data the grader takes (and not too much of it)."""
        if depth > 6:
            return False
        if value is None or type(value) in (bool, int, float, str):
            return True
        module = type(value).__module__
        if module == "numpy":
            kind = getattr(getattr(value, "dtype", None), "kind", "")
            return kind in "biuf" and getattr(value, "size", 1) <= largest
        if module == "torch" and type(value).__name__ in ("Tensor", "Parameter"):
            return not value.dtype.is_complex and value.numel() <= largest
        if type(value) in (list, tuple):
            return len(value) <= largest and all(plain(v, depth + 1) for v in value)
        if type(value) is dict:
            return all(type(k) is str and plain(v, depth + 1) for k, v in value.items())
        return False

    def from_cell():
        caller = sys._getframe(2).f_code  # a cell's own top-level code, not a function it defines
        return caller.co_name == "<module>" and caller.co_filename.startswith("<cell ")

    counts = {}
    shapes, overflow = {}, set()

    def measure(value):
        """(kind, shape) of an array, tensor, DataFrame or list; None for anything else."""
        if type(value) in (list, tuple):
            return ("list", (len(value),))
        shape = getattr(value, "shape", None)
        if type(value).__module__.split(".")[0] not in ("numpy", "torch", "pandas") or shape is None:
            return None
        try:
            return ("array", tuple(int(d) for d in shape))
        except Exception:
            return None

    def sized(question, names, args, kwargs):
        """Keep the shapes of this call's arguments by name (each distinct set once)."""
        if question in overflow:
            return
        found = {}
        for name, value in [*zip(names, args), *kwargs.items()]:
            size = measure(value)
            if size is not None:
                found[name] = size
        known = shapes.setdefault(question, set())
        known.add(tuple(sorted(found.items())))
        if len(known) > 64:  # too many to tell: no rule may rely on them
            overflow.add(question)
            del shapes[question]

    def parameters(original, skip):
        code = getattr(original, "__code__", None)
        return code.co_varnames[skip:code.co_argcount] if code is not None else ()

    spread = {1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000}

    def keep(question, entry, top):
        found = calls.setdefault(question, [])
        counts[question, top] = number = counts.get((question, top), 0) + 1
        if sum(1 for e in found if e["top"] == top) >= kept:
            return
        if not top and number not in spread:  # a training loop's calls: early and late ones
            return
        try:
            entry = copy.deepcopy(entry)
        except Exception:
            return
        if plain(entry):
            entry["top"] = top
            found.append(entry)

    def function(question, original):
        names = parameters(original, 0)

        @functools.wraps(original)
        def recorded(*args, **kwargs):
            sized(question, names, args, kwargs)
            keep(question, {"args": list(args), "kwargs": kwargs}, from_cell())
            return original(*args, **kwargs)
        recorded._autograder_recorded = True
        return recorded

    def history(self):
        """The calls the cells made on this object since its constructor (None: unknown)."""
        return inits[id(self)][2] if id(self) in inits and inits[id(self)][0] is self else None

    def noted(self, name, args, kwargs, top, ended):
        """After a method's call: the cells' own calls join the object's history, to be
        made again on a new object (``car.set_cost(1000)`` before ``car.new_cost(2)``)."""
        calls = history(self)
        if calls is None or not top:
            return
        try:
            call = copy.deepcopy([name, list(args), dict(kwargs)])
        except Exception:
            call = None
        if not ended or call is None or not plain(call) or len(calls) >= kept_history:
            inits[id(self)] = (self, inits[id(self)][1], None)  # not something to make again
        else:
            calls.append(call)

    def method(question, original, name):
        """``question``: the method's question, or None for another method of the class
        (its calls only join the object's history)."""
        names = parameters(original, 1)

        @functools.wraps(original)
        def recorded(self, *args, **kwargs):
            top = from_cell()
            if question is not None:
                sized(question, names, args, kwargs)
                state = getattr(self, "__dict__", None)
                entry = {"args": list(args), "kwargs": kwargs, "state": dict(state) if type(state) is dict else None}
                if id(self) in inits and inits[id(self)][0] is self:
                    entry["init"] = inits[id(self)][1]
                    before = history(self)
                    entry["before"] = before if plain(before, 1) else None
                keep(question, entry, top)
            ended = False
            try:
                result = original(self, *args, **kwargs)
                ended = True
                return result
            finally:
                noted(self, name, args, kwargs, top, ended)
        recorded._autograder_recorded = True
        return recorded

    def constructor(cls, original, question):
        names = parameters(original, 1)

        @functools.wraps(original)
        def recorded(self, *args, **kwargs):
            if question is not None:  # the class is a question itself: its constructor's calls are its cases
                sized(question, names, args, kwargs)
                keep(question, {"args": list(args), "kwargs": kwargs}, from_cell())
            original(self, *args, **kwargs)
            try:
                bound = inspect.signature(original).bind(self, *args, **kwargs)
                bound.apply_defaults()
                given = {k: v for k, v in list(bound.arguments.items())[1:]}
                inits[id(self)] = (self, copy.deepcopy(given) if plain(given) else None, [])
            except Exception:
                pass
        recorded._autograder_recorded = True
        return recorded

    def install(namespace, questions):
        for question in questions:
            owner, _, name = question.rpartition(".")
            cls = namespace.get(owner or name)
            if owner and isinstance(cls, type):
                for other, found in list(vars(cls).items()):  # the question's and the others of its class
                    asked = f"{owner}.{other}"
                    wrappable = callable(found) if other == name else inspect.isfunction(found)
                    if other.startswith("__") or not wrappable or getattr(found, "_autograder_recorded", False):
                        continue
                    setattr(cls, other, method(asked if asked in questions else None, found, other))
            if isinstance(cls, type):
                init = vars(cls).get("__init__")
                if callable(init) and not getattr(init, "_autograder_recorded", False):
                    cls.__init__ = constructor(cls, init, owner or name if (owner or name) in questions else None)
            elif not owner and callable(cls) and not getattr(cls, "_autograder_recorded", False):
                namespace[name] = function(question, cls)

    def recorded_calls():
        return {q: [e for e in found if plain(e)] for q, found in calls.items()}

    def recorded_shapes():
        return {q: [[[n, kind, list(dims)] for n, (kind, dims) in one] for one in found]
                for q, found in shapes.items()}

    return install, recorded_calls, recorded_shapes


_autograder_install, autograder_recorded_calls, autograder_recorded_shapes = _autograder_recorder({kept}, {largest}, {history})
del _autograder_recorder
'''


Shapes = dict[str, tuple[str, tuple[int, ...]]]


@dataclass
class Recorded:
    """One recorded call: its arguments, and for a method the object's attributes
    before it, the constructor arguments the object was made with (by name) and the
    calls the cells made on it since."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    top: bool  # made by a cell itself, not from inside other code
    state: dict[str, Any] | None = None
    init: dict[str, Any] | None = None
    # the calls the notebook's cells made on the object between its constructor and this
    # call, each (method, args, kwargs); None when unknown (not made by cells alone)
    before: list[tuple[str, tuple[Any, ...], dict[str, Any]]] | None = None


@dataclass
class Recording:
    calls: dict[str, list[Recorded]] = field(default_factory=dict)
    problem: str = ""  # why nothing was recorded (the run failed), for the instructor
    # question -> the distinct shapes of every call's arguments, by parameter name
    # (("array", (40, 1)) or ("list", (40,))); a question called with too many is absent
    shapes: dict[str, list[Shapes]] = field(default_factory=dict)


def recorder_cells(sources: Sequence[str], questions: Sequence[str], largest: int = 200_000) -> list[CodeCell]:
    """The solution's cells as the worker runs them, the recorder first and an
    install after each cell (a question defined again is wrapped again)."""
    install = f"_autograder_install(globals(), {list(questions)!r})\n"
    recorder = _RECORDER.replace("{kept}", str(KEPT_PER_QUESTION)).replace("{largest}", str(largest))
    cells = [CodeCell(0, recorder.replace("{history}", str(KEPT_HISTORY)))]
    for source in sources:
        cells.append(CodeCell(len(cells), plain_code(source)))
        cells.append(CodeCell(len(cells), install))
    return cells


def _entries(raw: Any) -> dict[str, list[Recorded]]:
    found: dict[str, list[Recorded]] = {}
    if not isinstance(raw, dict):
        return found
    for question, entries in raw.items():
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("kwargs"), dict):
                continue
            found.setdefault(str(question), []).append(Recorded(
                tuple(entry.get("args") or ()), dict(entry["kwargs"]), entry.get("top") is True,
                entry.get("state") if isinstance(entry.get("state"), dict) else None,
                entry.get("init") if isinstance(entry.get("init"), dict) else None,
                _before(entry.get("before"))))
    return found


def _before(raw: Any) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]] | None:
    """The jail's ``[[method, args, kwargs], ...]`` checked and made tuples; None when
    any entry is malformed (half a history would make another object)."""
    if not isinstance(raw, list):
        return None
    calls = []
    for call in raw:
        if not (isinstance(call, list) and len(call) == 3 and isinstance(call[0], str)
                and isinstance(call[1], list) and isinstance(call[2], dict)):
            return None
        calls.append((call[0], tuple(call[1]), dict(call[2])))
    return calls


def _shapes(raw: Any) -> dict[str, list[Shapes]]:
    """The jail's ``[[name, kind, dims], ...]`` per call, checked and made tuples
    (a malformed entry drops its question: no rule relies on half of them)."""
    found: dict[str, list[Shapes]] = {}
    for question, calls in raw.items() if isinstance(raw, dict) else ():
        try:
            found[str(question)] = [{str(name): (str(kind), tuple(int(d) for d in dims)) for name, kind, dims in call}
                                    for call in calls]
        except (TypeError, ValueError):
            continue
    return found


def record_calls(sources: Sequence[str], questions: Sequence[str], data: Path | None,
                 preload: Sequence[str], numbers: Sequence[int] = ()) -> Recording:
    """Run the solution's code cells in the jail and bring back the recorded calls;
    ``numbers``: each source's cell number in the notebook, for a message about it."""
    from autograder.exceptions import AutograderError
    from autograder.sandbox.jail import Jail
    from autograder.session import Session

    try:
        with Jail.start("auto", preload, data) as jail:
            session = Session(jail.spawn, recorder_cells(sources, questions), LIMITS)
            try:
                failed = [c for c in session.run.cells if c.status not in ("ok",)]
                raw = session.call("autograder_recorded_calls")
                shapes = session.call("autograder_recorded_shapes")
            finally:
                session.close()
    except AutograderError as error:
        return Recording(problem=f"the solution notebook could not be run to record its calls: {error}")
    recording = Recording(_entries(raw), shapes=_shapes(shapes))
    if failed:
        first = failed[0]
        code = max(0, (first.index - 1) // 2)  # the recorder's cell first, then each source and an install
        number = numbers[code] if code < len(numbers) else code + 1
        recording.problem = (f"the solution notebook's cell {number} ended with {first.status} "
                             f"{first.exc_type}: {first.message[:200]}")
    return recording
