"""Public examples: how instructors write them, their expected values, and the
grader-side run of the same examples through the jail.

An assignment's ``examples.py`` lists inputs only (:class:`Example`, :func:`tensor`,
:func:`model`). :func:`expected` runs the trusted reference at assign time and returns
plain JSON data (see ``student.codec``): the inputs, the model parameters and the
expected outputs, never reference code. That JSON is embedded in the student notebook,
where ``student.checker`` runs it, and :func:`run_public_examples` runs the very same
JSON against a submission through the ``submission`` proxy, comparing with the same
``student.compare``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from autograder.hints import environment_hint
from autograder.instructor import import_instructor_file
from autograder.exceptions import (AssignmentError, MissingName, NotCallable, StudentCodeError,
                                   StudentException)
from autograder.i18n import Language, Text
from autograder.sandbox import RemoteObject, TensorValue
from autograder.sandbox import tensor as wire_tensor
from student import codec
from student.checker import (Bilingual, ExampleReport, Problem, Result, describe_call,
                             evaluate, live_inputs, make_checker, mismatch_message,
                             mutated_argument)
from student.compare import Opaque, TensorData, compare, show
from student.messages import both

DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-8


# ---- authoring --------------------------------------------------------------------


@dataclass(frozen=True)
class TensorSpec:
    values: Any
    dtype: str = "float32"


@dataclass(frozen=True)
class ModelSpec:
    cls_name: str
    seed: int = 0
    init: Mapping[str, Any] = field(default_factory=dict)


def tensor(values: Any, dtype: str = "float32") -> TensorSpec:
    """An input that is ``torch.tensor(values, dtype=...)`` in the notebook."""
    if dtype not in codec.DTYPES:
        raise AssignmentError(f"tensor(..., dtype={dtype!r}): use one of {sorted(codec.DTYPES)}")
    return TensorSpec(values, dtype)


def model(cls_name: str, seed: int = 0, **init_kwargs: Any) -> ModelSpec:
    """An instance of the notebook's class ``cls_name(**init_kwargs)`` whose parameters
    are those of the reference class built after ``torch.manual_seed(seed)``."""
    return ModelSpec(cls_name, seed, dict(init_kwargs))


@dataclass(frozen=True)
class Example:
    """One public example: call ``question`` (or ``target``) with ``args``/``kwargs``."""

    question: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    target: ModelSpec | None = None
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL


def load_examples(assignment_dir: Path) -> list[Example]:
    """``EXAMPLES`` of ``assignment_dir/examples.py`` (instructor code: trusted)."""
    path = (assignment_dir / "examples.py").resolve()
    if not path.is_file():
        raise AssignmentError(f"{path} is missing: every assignment needs public examples")
    module = import_instructor_file(path, f"autograder_examples_{assignment_dir.name}")
    examples = getattr(module, "EXAMPLES", None)
    if not isinstance(examples, list) or not all(isinstance(e, Example) for e in examples):
        raise AssignmentError(f"{path}: EXAMPLES must be a list of autograder.examples.Example")
    return examples


# ---- expected values from the reference ------------------------------------------


def _reference_state(spec: ModelSpec, reference: ModuleType) -> dict[str, Any]:
    import torch

    cls = getattr(reference, spec.cls_name, None)
    if cls is None:
        raise AssignmentError(f"model({spec.cls_name!r}): the reference has no class of that name")
    torch.manual_seed(spec.seed)
    state = cls(**spec.init).state_dict()
    return {k: codec.encode(v.detach().cpu().numpy()) for k, v in state.items()}


def _encode_input(value: Any, reference: ModuleType) -> Any:
    if isinstance(value, TensorSpec):
        return codec.encode(TensorData(np.asarray(value.values, dtype=value.dtype), value.dtype))
    if isinstance(value, ModelSpec):
        return {"$model": value.cls_name, "seed": value.seed, "init": codec.encode(dict(value.init)),
                "state": _reference_state(value, reference)}
    if isinstance(value, tuple):
        return {"$tuple": [_encode_input(v, reference) for v in value]}
    if isinstance(value, list):
        return [_encode_input(v, reference) for v in value]
    if isinstance(value, dict):
        return {"$dict": {str(k): _encode_input(v, reference) for k, v in value.items()}}
    return codec.encode(value)


def expected(examples: list[Example], reference: ModuleType) -> list[dict[str, Any]]:
    """The examples as JSON data with expected outputs computed by ``reference``."""
    data = []
    for number, example in enumerate(examples, 1):
        where = f"example {number} ({example.question})"
        try:
            entry: dict[str, Any] = {
                "question": example.question,
                "target": _encode_input(example.target, reference) if example.target else None,
                "args": [_encode_input(a, reference) for a in example.args],
                "kwargs": {k: _encode_input(v, reference) for k, v in example.kwargs.items()},
                "rtol": float(example.rtol),
                "atol": float(example.atol),
            }
            function, args, kwargs = live_inputs(entry, vars(reference))
            entry["expected"] = codec.encode(function(*args, **kwargs))
        except AssignmentError:
            raise
        except Problem as problem:
            raise AssignmentError(f"{where}: {problem.message['en']}") from None
        except Exception as error:
            raise AssignmentError(f"{where}: the reference failed: {type(error).__name__}: {error}") from None
        own = evaluate(entry, vars(reference))
        if not own.passed:
            assert own.problem is not None
            raise AssignmentError(f"{where}: the reference fails its own example: {own.problem['en']}")
        data.append(entry)
    return data


def checker_for(assignment: str, namespace: Mapping[str, Any], language: str | None = None
                ) -> tuple[Callable[[Any], Result], Callable[[], Result]]:
    """``check``/``check_all`` for the instructor's master notebook (``student.make_checker_for``)."""
    from autograder.checks.context import load_reference
    from autograder.config import find_course_of, load_settings

    settings = load_settings(find_course_of(Path.cwd()))  # the kernel runs in the master's folder
    folder = settings.assignment_dir(assignment)
    data = expected(load_examples(folder), load_reference(folder))
    return make_checker(data, namespace, language or settings.language)


# ---- the same examples on the grader, through the jail -----------------------------


@dataclass(frozen=True)
class ExampleOutcome:
    passed: bool
    message: Text


def _as_data(value: Any) -> Any:
    """A value from the wire in the form ``student.compare`` knows."""
    if isinstance(value, TensorValue):
        return TensorData(value.array, value.dtype.removeprefix("torch."))
    if isinstance(value, RemoteObject):
        return Opaque(value.type_name)
    if isinstance(value, tuple):
        return tuple(_as_data(v) for v in value)
    if isinstance(value, list):
        return [_as_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_data(v) for k, v in value.items()}
    return value


def _problem(error: StudentCodeError, name: str) -> Bilingual:
    """The same hint the notebook's ``check`` gives, where there is one."""
    if isinstance(error, MissingName):
        return both("not_defined", name=error.name)
    if isinstance(error, NotCallable):
        return both("not_callable", name=error.name, type_name=error.type_name)
    if isinstance(error, StudentException):
        if error.not_implemented:
            return both("not_implemented", name=name)
        first_line = (error.message.splitlines() or [""])[0][:200]
        raised = both("raised", exc_type=error.exc_type, message=first_line)
        hint = environment_hint(error.exc_type, error.message)
        return raised if hint is None else {"en": f"{raised['en']} {hint.en}", "ru": f"{raised['ru']} {hint.ru}"}
    text = error.text()
    return {"en": text.en, "ru": text.ru}


def _remote_inputs(example: Mapping[str, Any], proxy: Any) -> tuple[Any, list[Any], dict[str, Any]]:
    def model(name: str, init: dict[str, Any], state: dict[str, np.ndarray]) -> Any:
        try:
            instance = proxy.call(name, **init)
        except StudentCodeError as error:
            raise Problem(_problem(error, name)) from None
        try:
            instance.load_state_dict({k: wire_tensor(v, str(v.dtype)) for k, v in state.items()})
        except StudentException as error:
            message = (error.message.splitlines() or [""])[0][:200]
            raise Problem(both("model_load", name=name, message=message)) from None
        except StudentCodeError as error:
            raise Problem(_problem(error, name)) from None
        return instance

    def decode(value: Any) -> Any:
        return codec.decode(value, tensor=wire_tensor, model=model)

    target = example.get("target")
    function = decode(target) if target else str(example["question"])
    return (function, [decode(a) for a in example.get("args", [])],
            {k: decode(v) for k, v in example.get("kwargs", {}).items()})


def evaluate_remote(example: Mapping[str, Any], proxy: Any) -> ExampleReport:
    """One example against a submission, as ``student.checker.evaluate`` does in the notebook."""
    question = str(example["question"])
    call = describe_call(example)
    want = codec.decode(example["expected"])
    shown = show(want)
    try:
        function, args, kwargs = _remote_inputs(example, proxy)
        try:
            result = proxy.call_ex(function, args, kwargs, return_args=True)
        except StudentCodeError as error:
            raise Problem(_problem(error, question)) from None
    except Problem as problem:
        return ExampleReport(question, call, shown, None, problem.message)
    got = _as_data(result.value)
    mismatch = compare(want, got, float(example["rtol"]), float(example["atol"]))
    if mismatch is not None:
        return ExampleReport(question, call, shown, show(got), mismatch_message(mismatch))
    changed = mutated_argument(example, [_as_data(a) for a in result.args_after or ()])
    if changed is not None:
        return ExampleReport(question, call, shown, show(got), both("mutated", arg=changed))
    return ExampleReport(question, call, shown)


def _message(reports: list[ExampleReport]) -> Text:
    failed = [r for r in reports if not r.passed]
    if not failed:
        return Text.plain("")

    def render(language: Language) -> str:
        head = both("summary", name=reports[0].question, passed=len(reports) - len(failed),
                    total=len(reports))[language]
        return "\n".join([head] + [line for r in failed for line in r.lines(language)])

    return Text(en=render("en"), ru=render("ru"))


def run_public_examples(proxy: Any, examples_json: list[dict[str, Any]], language: str
                        ) -> dict[str, ExampleOutcome]:
    """Per question, whether all its public examples pass against ``proxy``.

    ``language`` is accepted for symmetry with the notebook; the message carries both.
    """
    reports: dict[str, list[ExampleReport]] = {}
    for example in examples_json:
        reports.setdefault(str(example["question"]), []).append(evaluate_remote(example, proxy))
    return {question: ExampleOutcome(all(r.passed for r in found), _message(found))
            for question, found in reports.items()}
