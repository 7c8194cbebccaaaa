"""Public examples: how instructors write them and their expected values.

An assignment's ``examples.py`` lists inputs only (:class:`Example`, :func:`tensor`,
:func:`model`, :func:`instance`); ``tensor`` is the hidden checks' own
(:func:`autograder.sandbox.values.tensor`), stored here as data. :func:`expected` runs
the trusted reference at assign time and returns plain JSON data (see
``student.codec``): the inputs, the model parameters and the expected outputs, never
reference code. That JSON is embedded in the student notebook,
where ``student.checker`` runs it; the grader runs the very same JSON against a
submission through the jail (``autograder.public``), comparing with the same
``student.compare``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from autograder.exceptions import AssignmentError
from autograder.instructor import import_instructor_file, raised_at
from autograder.sandbox.values import TensorValue
from autograder.sandbox.values import tensor as tensor  # examples.py files import it from here
from student import codec
from student.checker import Problem, Result, evaluate, live_inputs, make_checker, observed
from student.compare import TensorData

DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-8


# ---- authoring --------------------------------------------------------------------


@dataclass(frozen=True)
class ModelSpec:
    cls_name: str
    seed: int = 0
    init: Mapping[str, Any] = field(default_factory=dict)


def model(cls_name: str, seed: int = 0, **init_kwargs: Any) -> ModelSpec:
    """An instance of the notebook's class ``cls_name(**init_kwargs)`` whose parameters
    are those of the reference class built after ``torch.manual_seed(seed)``."""
    return ModelSpec(cls_name, seed, dict(init_kwargs))


@dataclass(frozen=True)
class InstanceSpec:
    cls_name: str
    init: Mapping[str, Any] = field(default_factory=dict)


def instance(cls_name: str, **init_kwargs: Any) -> InstanceSpec:
    """An instance of the notebook's class, ``cls_name(**init_kwargs)``, with plain
    data arguments: what an example of a method (``"Perceptron.fit"``) is called on."""
    return InstanceSpec(cls_name, dict(init_kwargs))


@dataclass(frozen=True)
class Example:
    """One public example: call ``question`` (or ``target``) with ``args``/``kwargs``.

    A question ``"Class.method"`` is called ``on`` an :func:`instance` of the class;
    ``state`` names attributes of that instance to compare after the call as well (a
    method that updates ``self.w`` in place and returns None): the example then
    compares ``{"returned": ..., "self.w": ..., ...}``, read back as data.
    """

    question: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    target: ModelSpec | None = None
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    on: InstanceSpec | None = None
    state: tuple[str, ...] = ()
    # the hidden checks demand floating point (the contract's float64): integers or bools
    # with the right values fail this example too, so check() and the grade agree
    floats: bool = False


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


def _stored(value: TensorValue) -> TensorData:
    """An example's tensor as the notebook stores it: values and dtype only."""
    data = TensorData(value.array, value.dtype.removeprefix("torch."))
    if data.dtype not in codec.DTYPES:
        raise AssignmentError(f"tensor(..., dtype={data.dtype!r}): use one of {sorted(codec.DTYPES)}")
    if value.requires_grad:
        raise AssignmentError("tensor(..., requires_grad=True): an example stores values only")
    return data


def _encode_input(value: Any, reference: ModuleType) -> Any:
    if isinstance(value, TensorValue):
        return codec.encode(_stored(value))
    if isinstance(value, ModelSpec):
        return {"$model": value.cls_name, "seed": value.seed, "init": codec.encode(dict(value.init)),
                "state": _reference_state(value, reference)}
    if isinstance(value, InstanceSpec):
        return {"$instance": value.cls_name,
                "init": {"$dict": {str(k): _encode_input(v, reference) for k, v in value.init.items()}}}
    if isinstance(value, tuple):
        return {"$tuple": [_encode_input(v, reference) for v in value]}
    if isinstance(value, list):
        return [_encode_input(v, reference) for v in value]
    if isinstance(value, dict):
        return {"$dict": {str(k): _encode_input(v, reference) for k, v in value.items()}}
    return codec.encode(value)


def _target(example: Example, where: str, reference: ModuleType) -> Any:
    """The encoded thing an example calls: a model, a method of an instance, or None
    (the question's own name)."""
    if example.on is None:
        if example.state:
            raise AssignmentError(f"{where}: state= needs on=instance(...)")
        return _encode_input(example.target, reference) if example.target else None
    cls_name, dot, method = example.question.rpartition(".")
    if not dot or cls_name != example.on.cls_name or example.target is not None:
        raise AssignmentError(f"{where}: on=instance({example.on.cls_name!r}) needs the question "
                              f"'{example.on.cls_name}.<method>' and no target")
    return {"$method": method, "of": _encode_input(example.on, reference)}


def _folder_of(reference: ModuleType) -> Path | None:
    """The assignment folder of a reference module (its ``examples.py`` sits beside it),
    for messages that name the file to fix; None for a reference not read from a file."""
    file = getattr(reference, "__file__", None)
    return Path(file).resolve().parent if isinstance(file, str) else None


def expected(examples: list[Example], reference: ModuleType) -> list[dict[str, Any]]:
    """The examples as JSON data with expected outputs computed by ``reference``."""
    data = []
    folder = _folder_of(reference)
    for number, example in enumerate(examples, 1):
        where = f"example {number} ({example.question})"
        if folder is not None:
            where = f"{folder / 'examples.py'}: {where}"
        try:
            entry: dict[str, Any] = {
                "question": example.question,
                "target": _target(example, where, reference),
                "args": [_encode_input(a, reference) for a in example.args],
                "kwargs": {k: _encode_input(v, reference) for k, v in example.kwargs.items()},
                "rtol": float(example.rtol),
                "atol": float(example.atol),
            }
            if example.state:
                entry["state"] = [str(name) for name in example.state]
            if example.floats:
                entry["floats"] = True
            function, args, kwargs, owner = live_inputs(entry, vars(reference))
            entry["expected"] = codec.encode(observed(entry, function(*args, **kwargs), owner, getattr))
        except AssignmentError:
            raise
        except Problem as problem:
            raise AssignmentError(f"{where}: {problem.message['en']}") from None
        except Exception as error:
            at = raised_at(error, folder)
            raise AssignmentError(f"{where}: the reference failed{f' at {at}' if at else ''}: "
                                  f"{type(error).__name__}: {error}; fix reference.py or the example's inputs") from None
        own = evaluate(entry, vars(reference))
        if not own.passed:
            assert own.problem is not None
            raise AssignmentError(f"{where}: the reference fails its own example: {own.problem['en']}")
        data.append(entry)
    return data


def make_checker_for(assignment: str, namespace: Mapping[str, Any], language: str | None = None
                     ) -> tuple[Callable[[Any], Result], Callable[[], Result]]:
    """For the instructor's master notebook only: ``check``/``check_all`` on the
    examples of ``assignment``, with expected values computed now from the course's
    reference (student notebooks get a setup cell with the examples embedded instead)::

        from autograder.examples import make_checker_for
        check, check_all = make_checker_for("activations", globals())
    """
    from autograder.config import find_course_of, load_settings
    from autograder.instructor import load_reference

    settings = load_settings(find_course_of(Path.cwd()))  # the kernel runs in the master's folder
    folder = settings.assignment_dir(assignment)
    data = expected(load_examples(folder), load_reference(folder))
    return make_checker(data, namespace, language or settings.language)
