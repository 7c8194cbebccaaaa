"""Recorded calls (:mod:`.record`) made into the cases of checks and public examples.

A case is written as Python the instructor can read and edit: small values inline
(``np.array([[0.5], [-0.25]])``, ``tensor([...], dtype='float32')``), large ones
(the notebook's data) by name from ``checks/recorded.npz`` beside the checks, which
the generated check loads (``RECORDED["relu_0_0"]``). A case is kept only when the
reference computes an answer on it here (so grading never trips on its own inputs),
and a method's case only when the object it was called on can be built again from
the class's constructor: with the arguments it was made with, when its attributes
were still those, else with its attributes passed by the names of the constructor's
parameters (``NeuronReLU(w=..., b=...)``, the course's ``self.w = w`` classes).
"""

from __future__ import annotations

import io
import types
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from autograder.checks.compare import comparable
from autograder.sandbox.values import TensorValue
from autograder.scaffold.record import Recorded, Recording
from student.compare import unchanged

INLINE = 20  # elements of an array written in the check itself; larger ones go to recorded.npz
PUBLIC = 2  # public examples per function, from its smallest recorded calls
PUBLIC_SIZE = 12  # elements a public example may hold (students read it)
HIDDEN = 3  # hidden cases per question
NPZ = "recorded.npz"


@dataclass
class Writer:
    """Writes values as code; large arrays are kept for ``recorded.npz``."""

    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    inline_only: bool = False

    def code(self, value: Any, key: str) -> str | None:
        if isinstance(value, TensorValue):
            array = np.asarray(value.array)
            inner = repr(array.tolist()) if array.size <= INLINE else self.code(array, key)
            if inner is None:
                return None
            dtype = value.dtype.removeprefix("torch.")
            grad = ", requires_grad=True" if value.requires_grad else ""
            return f"tensor({inner}, dtype={dtype!r}{grad})"
        if isinstance(value, np.ndarray):
            return self._array(value, key)
        if isinstance(value, np.generic):
            return repr(value.item())
        if value is None or isinstance(value, (bool, int, float, str)):
            return repr(value)
        if isinstance(value, (list, tuple)):
            parts = [self.code(v, f"{key}_{i}") for i, v in enumerate(value)]
            if None in parts:
                return None
            inner = ", ".join(p for p in parts if p is not None)
            return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(parts) == 1 else ''})"
        if isinstance(value, dict):
            items = [(k, self.code(v, f"{key}_{k}")) for k, v in value.items()]
            if any(c is None for _, c in items):
                return None
            return "{" + ", ".join(f"{k!r}: {c}" for k, c in items) + "}"
        return None

    def _array(self, value: np.ndarray, key: str) -> str | None:
        if value.size <= INLINE:
            text = repr(value.tolist())
            dtype = {"float64": "", "int64": "", "bool": ", dtype=bool"}.get(str(value.dtype), f", dtype=np.{value.dtype}")
            return f"np.array({text}{dtype})"
        if self.inline_only:
            return None
        self.arrays[key] = value
        return f"RECORDED[{key!r}]"

    def npz(self) -> bytes:
        buffer = io.BytesIO()
        save: Any = np.savez_compressed  # its stubs type the arrays' keywords as allow_pickle's
        save(buffer, **self.arrays)
        return buffer.getvalue()


def _local(value: Any) -> Any:
    from autograder.checks.reference import local

    return local(value)


def _answers(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    try:
        function(*_local(args), **_local(kwargs))
    except Exception:  # noqa: BLE001 - whatever it is, not a case to keep
        return False
    return True


def constructor_of(call: Recorded, parameters: list[str]) -> dict[str, Any] | None:
    """The constructor arguments (by name) that make the object ``call`` was made on."""
    if call.state is None:
        return None
    # the constructor set the attributes from its arguments as they are (the checks' rule for equal values)
    if call.init is not None and unchanged(comparable(call.state),
                                           comparable(_state_after(call.init, call.state))):
        return call.init
    if set(call.state) <= set(parameters):
        return dict(call.state)
    return None


def _state_after(init: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """The attributes a ``self.x = x`` constructor sets from ``init`` (those named alike)."""
    return {name: init[name] for name in state if name in init}


def _ordered(calls: list[Recorded]) -> list[Recorded]:
    """The notebook's own calls first, then those made from inside other code."""
    return [c for c in calls if c.top] + [c for c in calls if not c.top]


def _size(call: Recorded) -> int:
    total = 0
    for value in (*call.args, *call.kwargs.values()):
        array = value.array if isinstance(value, TensorValue) else value
        try:
            total += int(np.asarray(array).size)
        except (ValueError, TypeError):
            total += INLINE
    return total


def _flip(value: Any) -> Any:
    if isinstance(value, TensorValue) and value.array.dtype.kind == "f":
        return TensorValue(-value.array, value.dtype, value.requires_grad)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return -value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, np.ndarray) for v in value):
        return type(value)(_flip(v) for v in value)
    return value


def _negated(call: Recorded) -> Recorded | None:
    """``call`` with its float arrays negated (the first): a notebook run on data of
    one sign (activations of positive inputs) never reaches the other branch, where
    ``alpha * x`` and ``alpha / x`` differ. None when it has no float array."""
    for position, value in enumerate(call.args):
        flipped = _flip(value)
        if flipped is not value:
            args = call.args[:position] + (flipped,) + call.args[position + 1:]
            return replace(call, args=args)
    return None


def _rounded(call: Recorded) -> Recorded | None:
    """``call`` with its first float array rounded to whole numbers: zeros and ones,
    where ``x > 0`` and ``x >= 0`` part (the notebook's real-valued data never is 0)."""
    for position, value in enumerate(call.args):
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            args = call.args[:position] + (np.round(value),) + call.args[position + 1:]
            return replace(call, args=args)
    return None


def _shifted(call: Recorded) -> Recorded | None:
    """A method's call on an object whose numbers are moved by 0.5: a training loop's
    first calls see ``b = 0``, where ``+ self.b``, ``- self.b`` and no ``b`` agree."""
    if not call.state:
        return None
    state = {name: value + 0.5 if isinstance(value, (int, float, np.floating)) and not isinstance(value, bool)
             else value + 0.5 if isinstance(value, np.ndarray) and value.dtype.kind == "f" else value
             for name, value in call.state.items()}
    return Recorded(call.args, call.kwargs, call.top, state, None)


@dataclass
class Cases:
    hidden: dict[str, list[str]] = field(default_factory=dict)  # question -> case code
    public: dict[str, list[str]] = field(default_factory=dict)  # function -> "((args), {kwargs})"
    writer: Writer = field(default_factory=Writer)


def _method_case(call: Recorded, cls: Any, method: str, args: str, kwargs: str, writer: Writer,
                 key: str) -> str | None:
    """``(((), {constructor}), (args), {kwargs})`` when the object can be built again
    from the reference's class and its method answers on it; else, when the calls the
    notebook made on the object first rebuild it, ``(((), {constructor}, [calls]),
    (args), {kwargs})``."""
    import inspect

    if not isinstance(cls, type):
        return None
    try:
        parameters = list(inspect.signature(cls).parameters)
    except (TypeError, ValueError):
        return None
    init = constructor_of(call, parameters)
    if init is not None:
        built = writer.code(init, f"{key}_init")
        obj = _made(cls, init, [])
        if built is not None and obj is not None and _answers(getattr(obj, method), call.args, call.kwargs):
            return f"(((), {built}), {args}, {kwargs})"
    return _replayed_case(call, cls, method, args, kwargs, writer, key)


def _made(cls: type, init: dict[str, Any], calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> Any:
    """An object of the reference's class made with ``init``, then given ``calls``; None
    when that fails."""
    try:
        obj = cls(**_local(init))
        for name, args, kwargs in calls:
            getattr(obj, name)(*_local(args), **_local(kwargs))
    except Exception:  # noqa: BLE001 - not an object to check on
        return None
    return obj


def _replayed_case(call: Recorded, cls: type, method: str, args: str, kwargs: str, writer: Writer,
                   key: str) -> str | None:
    """The case of a method that needs what other calls stored first (``set_cost``
    before ``new_cost``): the object made with its constructor's arguments and given the
    calls the notebook made on it, kept when that gives the attributes it had."""
    if call.init is None or not call.before or call.state is None:
        return None
    obj = _made(cls, call.init, call.before)
    state = getattr(obj, "__dict__", None)
    if obj is None or not isinstance(state, dict) or \
            not unchanged(comparable(call.state), comparable(dict(state))):
        return None
    built, calls = writer.code(call.init, f"{key}_init"), writer.code(list(call.before), f"{key}_before")
    if built is None or calls is None or not _answers(getattr(obj, method), call.args, call.kwargs):
        return None
    return f"(((), {built}, {calls}), {args}, {kwargs})"


def _probes(calls: list[Recorded]) -> list[Recorded]:
    """The first recorded calls and their variants (other sign, whole numbers, moved state)."""
    first = calls[:HIDDEN]
    variants = [*map(_negated, first[:2]), *map(_rounded, first[:1]), *(_shifted(_negated(c) or c) for c in first[:1])]
    return first + [v for v in variants if v is not None]


def _first_rows(call: Recorded) -> Recorded | None:
    """``call`` on the first rows of its arrays, as many as a public example may show: a
    function the notebook only ever calls on its data (``leaky_relu(X @ w)`` on the CSV)
    still gets an example students can read. Every array argument is cut alike along its
    first axis (they must share its length); None when there is nothing to cut."""
    arrays = [v for v in (*call.args, *call.kwargs.values()) if isinstance(v, np.ndarray) and v.ndim >= 1]
    if not arrays or len({a.shape[0] for a in arrays}) != 1 or arrays[0].shape[0] < 2:
        return None
    per_row = max(sum(int(a[0].size) for a in arrays), 1)
    rows = min(PUBLIC_SIZE // per_row, arrays[0].shape[0] - 1)
    if rows < 1:
        return None

    def cut(value: Any) -> Any:
        return value[:rows].copy() if isinstance(value, np.ndarray) and value.ndim >= 1 else value

    return Recorded(tuple(map(cut, call.args)), {k: cut(v) for k, v in call.kwargs.items()}, call.top)


def _public(calls: list[Recorded], function: Any) -> list[str]:
    """The smallest calls of a function, written inline, that the reference answers; for a
    function called only on large data, the first rows of its smallest calls."""
    small = _public_of(calls, function)
    if small:
        return small
    return _public_of([c for c in map(_first_rows, sorted(calls, key=_size)[:PUBLIC]) if c is not None], function)


def _public_of(calls: list[Recorded], function: Any) -> list[str]:
    inline = Writer(inline_only=True)
    found: list[str] = []
    for call in sorted(calls, key=_size):
        args, kwargs = inline.code(call.args, "p"), inline.code(call.kwargs, "p")
        if _size(call) <= PUBLIC_SIZE and args is not None and kwargs is not None and \
                (function is None or _answers(function, call.args, call.kwargs)):
            found.append(f"({args}, {kwargs})")
    return list(dict.fromkeys(found))[:PUBLIC]


def cases_from(recorded: dict[str, list[Recorded]], questions: list[str], reference: types.ModuleType | None) -> Cases:
    """Hidden cases of every recorded question and public examples of its functions.
    Function cases are ``((args), {kwargs})``, method cases ``(((), {constructor}),
    (args), {kwargs})``; a case the reference cannot answer is left out."""
    made = Cases()
    for question in questions:
        owner, _, name = question.rpartition(".")
        calls = _ordered(recorded.get(question, []))
        seen: list[str] = []
        for number, call in enumerate(_probes(calls)):
            key = f"{question.replace('.', '_')}_{number}"
            args, kwargs = made.writer.code(call.args, f"{key}_a"), made.writer.code(call.kwargs, f"{key}_k")
            if args is None or kwargs is None:
                continue
            if owner:
                case = _method_case(call, getattr(reference, owner, None), name, args, kwargs, made.writer, key)
            else:
                function = getattr(reference, question, None)
                case = f"({args}, {kwargs})" if function is None or _answers(function, call.args, call.kwargs) \
                    else None
            if case is not None and case not in seen:
                seen.append(case)
        if seen:
            made.hidden[question] = seen
        target = getattr(reference, question, None)
        public = [] if owner or isinstance(target, type) else _public(calls, target)  # examples.py holds no objects
        if public:
            made.public[question] = public
    return made


Recorder = Callable[[list[str]], Recording]


def apply_recording(name: str, examples: Any, with_examples: set[str], recorder: Recorder | None,
                    questions: list[str], reference: str, notes: list[str]) -> tuple[dict[str, list[str]], dict[str, bytes]]:
    """Record the solution's calls; the recorded public examples join ``examples`` (for
    functions that had none, so ``with_examples`` grows), and the hidden cases and the
    files they need (``checks/recorded.npz``) are returned."""
    from autograder.scaffold.starters import _examples_source, _reference_module

    if recorder is None:
        return {}, {}
    recording = recorder(questions)
    if recording.problem:
        notes.append(recording.problem)
    module = _reference_module(reference)
    made = cases_from(recording.calls, questions, module)
    for question, public in made.public.items():
        if not examples.cases.get(question):
            examples.cases[question] = public
            with_examples.add(question)
    functions = [q for q in questions if "." not in q and not isinstance(getattr(module, q, None), type)]
    missing = [q for q in functions if not examples.cases.get(q)]
    examples.source = _examples_source(name, examples.cases, missing)
    notes[:] = [n for n in notes if not n.startswith(("no public examples found for", "methods get no public"))]
    if missing:
        notes.append("no public examples for " + ", ".join(missing) + " (no call of them in the notebook the reference answers)")
    never = [q for q in questions if q not in made.hidden]
    if recording.calls or not recording.problem:
        notes.append("the solution's run gave the checks their inputs"
                     + (f"; it never called {', '.join(never)}" if never else ""))
    files = {f"checks/{NPZ}": made.writer.npz()} if made.writer.arrays else {}
    return made.hidden, files
