"""Public examples on the grader: one "public examples" check per question.

The expected values come from the reference once per grader (not per submission);
each example's JSON (``autograder.examples.expected``) is evaluated against the
submission through the ``submission`` proxy, with the same comparison and hints the
student's notebook uses (``student.checker`` / ``student.compare``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from autograder import timing
from autograder.checks.compare import comparable
from autograder.config import Settings
from autograder.exceptions import MissingName, NotCallable, StudentCodeError, StudentException
from autograder.hints import asked_for_input, hint_for
from autograder.i18n import Language, Text, msg
from autograder.instructor import load_reference
from autograder.outcomes import CheckOutcome
from autograder.sandbox.values import RemoteObject, shown_type
from autograder.sandbox.values import tensor as wire_tensor
from autograder.session import Session
from student import codec
from student.checker import (Bilingual, ExampleOutcome, Problem, changed_argument, describe_call, mismatch_message,
                             model_load_problem, observed, original_arguments, raised_message)
from student.compare import compare, show
from student.messages import both


class PublicExamples:
    def __init__(self, data: list[dict[str, Any]], language: str,
                 seconds: Sequence[float | None] = ()) -> None:
        self.data = data
        self.language = language
        self.questions = list(dict.fromkeys(str(example["question"]) for example in data))
        self.seconds = list(seconds)  # the reference's own time for each example (timing.py)
        self.prepared = [prepare(example) for example in data]  # once per grader, not per submission

    @classmethod
    def load(cls, assignment: str, settings: Settings) -> PublicExamples:
        folder = settings.assignment_dir(assignment)
        if not (folder / "examples.py").is_file():
            return cls([], settings.language)
        from autograder import examples

        reference = load_reference(folder)
        data = examples.expected(examples.load_examples(folder), reference)
        return cls(data, settings.language, [_reference_seconds(entry, reference) for entry in data])

    def run(self, session: Session) -> list[CheckOutcome]:
        if not self.data:
            return []
        timeouts = [timing.call_limit(seconds, session.limits) for seconds in self.seconds]
        shares = [timing.call_allowance(seconds, session.limits) for seconds in self.seconds]
        outcomes = run_public_examples(session.proxy, self.data, self.language, scope=session.scope,
                                       timeouts=timeouts, allowances=shares, prepared=self.prepared)
        return list(outcomes.values())

    def failed(self, reason: Text) -> list[CheckOutcome]:
        return [CheckOutcome(q, msg("example.public"), 1.0, False, reason) for q in self.questions]


def _problem(error: StudentCodeError, name: str) -> Bilingual:
    """The same hint the notebook's ``check`` gives, where there is one."""
    if isinstance(error, MissingName):
        return both("not_defined", name=error.name)
    if isinstance(error, NotCallable):
        return both("not_callable", name=error.name, type_name=error.type_name)
    if isinstance(error, StudentException):
        if error.not_implemented:
            unfinished = error.unfinished  # the question's own, or one it calls
            return both("not_implemented", name=name if unfinished == error.call.split("(", 1)[0] else unfinished)
        if asked_for_input(error.exc_type):
            text = msg("call.input", call=name)
            return {"en": text.en, "ru": text.ru}
        hint = hint_for(error.exc_type, error.message)
        return raised_message(error.exc_type, error.message, None if hint is None else {"en": hint.en, "ru": hint.ru})
    text = error.text()
    return {"en": text.en, "ru": text.ru}


def _remote_inputs(example: Mapping[str, Any], proxy: Any
                   ) -> tuple[Any, list[Any], dict[str, Any], RemoteObject | None]:
    """What to call in the jail, its arguments, and the instance whose method it is."""
    def instance(name: str, init: dict[str, Any]) -> Any:
        try:
            return proxy.call(name, **init)
        except StudentCodeError as error:
            raise Problem(_problem(error, name)) from None

    def model(name: str, init: dict[str, Any], state: dict[str, np.ndarray]) -> Any:
        try:
            instance = proxy.call(name, **init)
        except StudentCodeError as error:
            raise Problem(_problem(error, name)) from None
        try:
            instance.load_state_dict({k: wire_tensor(v, str(v.dtype)) for k, v in state.items()})
        except StudentException as error:
            raise model_load_problem(name, error.message) from None
        except StudentCodeError as error:
            raise Problem(_problem(error, name)) from None
        return instance

    def decode(value: Any) -> Any:
        return codec.decode(value, tensor=wire_tensor, model=model, instance=instance)

    question = str(example["question"])
    target = example.get("target")
    function = decode(target) if target else question
    owner = None
    if isinstance(function, codec.Method):
        owner, function = function.owner, _remote_method(proxy, function.owner, function.name, question)
    return (function, [decode(a) for a in example.get("args", [])],
            {k: decode(v) for k, v in example.get("kwargs", {}).items()}, owner)


def _remote_method(proxy: Any, owner: Any, name: str, question: str) -> RemoteObject:
    """``owner.name`` in the jail; anything but a callable there is the student's problem."""
    if not isinstance(owner, RemoteObject):
        raise Problem(both("not_callable", name=question.rpartition(".")[0], type_name=shown_type(owner)))
    try:
        function = proxy.getattr(owner, name)
    except StudentException as error:
        if error.exc_type == "AttributeError":
            raise Problem(both("not_defined", name=question)) from None
        raise Problem(_problem(error, question)) from None
    except StudentCodeError as error:
        raise Problem(_problem(error, question)) from None
    if not isinstance(function, RemoteObject):
        raise Problem(both("not_callable", name=question, type_name=shown_type(function)))
    return function


@dataclass(frozen=True)
class Prepared:
    """What evaluating an example needs that does not depend on the submission, made
    once per grader: the call as shown, the expected value decoded and shown, the
    arguments as :func:`student.checker.original_arguments` decodes them, and, for an
    example that calls the question's function on data (no instance, model or method
    to make in the jail first), its decoded arguments."""

    call: str
    want: Any
    shown: str
    originals: tuple[Any, ...]
    inputs: tuple[list[Any], dict[str, Any]] | None


def prepare(example: Mapping[str, Any]) -> Prepared:
    want = codec.decode(example["expected"])
    originals = tuple(original_arguments(example))
    inputs = None
    if not example.get("target") and not example.get("state") and not _makes_objects(example):
        inputs = ([codec.decode(a, tensor=wire_tensor) for a in example.get("args", [])],
                  {k: codec.decode(v, tensor=wire_tensor) for k, v in example.get("kwargs", {}).items()})
    return Prepared(describe_call(example), want, show(want), originals, inputs)


def _makes_objects(example: Mapping[str, Any]) -> bool:
    """Whether an example's arguments hold an instance or a model (made by calls in the jail)."""
    def walk(value: Any) -> bool:
        if isinstance(value, list):
            return any(walk(v) for v in value)
        if isinstance(value, dict):
            return bool({"$model", "$instance", "$method"} & value.keys()) or any(walk(v) for v in value.values())
        return False

    return walk(example.get("args", [])) or walk(example.get("kwargs", {}))


Made = Callable[[], Any]  # a call already sent (``Reply.result``): its CallResult, or its error raised


def evaluate_remote(example: Mapping[str, Any], proxy: Any, timeout: float | None = None,
                    prepared: Prepared | None = None, made: Made | None = None,
                    allowance: float | None = None) -> ExampleOutcome:
    """One example against a submission, as ``student.checker.evaluate`` does in the notebook
    (``timeout``: the call's limit, by default the session's; ``allowance``: its share of
    the question's time budget; ``made``: the call's result when it went in a batch)."""
    question = str(example["question"])
    ready = prepared if prepared is not None else prepare(example)
    call, want, shown = ready.call, ready.want, ready.shown
    try:
        function, args, kwargs, owner = _remote_inputs(example, proxy) if made is None else (question, [], {}, None)
        try:
            result = made() if made is not None else \
                proxy.call_ex(function, args, kwargs, return_args=True, timeout=timeout, allowance=allowance)
            value = observed(example, result.value, owner,
                             lambda obj, name: proxy.getattr(obj, name))  # state read back as data
        except StudentCodeError as error:
            raise Problem(_problem(error, question)) from None
    except Problem as problem:
        return ExampleOutcome(question, call, shown, None, problem.message)
    got = comparable(value)
    mismatch = compare(want, got, float(example["rtol"]), float(example["atol"]), floats=bool(example.get("floats")))
    if mismatch is not None:
        return ExampleOutcome(question, call, shown, show(got), mismatch_message(mismatch))
    changed = changed_argument(ready.originals, [comparable(a) for a in result.args_after or ()])
    if changed is not None:
        return ExampleOutcome(question, call, shown, show(got), both("mutated", arg=changed))
    return ExampleOutcome(question, call, shown)


def _message(examples: list[ExampleOutcome]) -> Text:
    failed = [r for r in examples if not r.passed]
    if not failed:
        return Text.plain("")

    def render(language: Language) -> str:
        head = both("summary", name=examples[0].question, passed=len(examples) - len(failed),
                    total=len(examples))[language]
        return "\n".join([head] + [line for r in failed for line in r.lines(language)])

    return Text(en=render("en"), ru=render("ru"))


def run_public_examples(proxy: Any, examples_json: list[dict[str, Any]], language: str, *,
                        scope: Callable[[str], AbstractContextManager[None]] | None = None,
                        timeouts: Sequence[float | None] = (),
                        allowances: Sequence[float | None] = (),
                        prepared: Sequence[Prepared] | None = None) -> dict[str, CheckOutcome]:
    """Per question, its "public examples" check: passed when all its examples pass
    against ``proxy``, the message listing each.

    ``language`` is accepted for symmetry with the notebook; the message carries both.
    ``scope(question)`` is entered around each example (``Session.scope``: after a hang,
    the question's other calls fail at once); ``timeouts`` are the examples' call limits,
    ``allowances`` their shares of their questions' time budgets (``autograder/budget.py``).
    Consecutive examples that call a function on data go to the jail in one round trip
    (``call_many``), made in the same order with the same limits and scopes.
    """
    ready = list(prepared) if prepared is not None else [prepare(example) for example in examples_json]
    by_question: dict[str, list[ExampleOutcome]] = {}
    number = 0
    while number < len(examples_json):
        group = _batchable(ready, timeouts, number) if hasattr(proxy, "call_many") else 1
        if group > 1:  # in order, each call in its question's scope
            batch = range(number, number + group)
            questions = [str(examples_json[n]["question"]) for n in batch]
            calls = [(question, *given) for question, given in zip(questions, (ready[n].inputs for n in batch))
                     if given is not None]
            shares = [allowances[n] if n < len(allowances) else None for n in batch]
            replies = proxy.call_many(calls, return_args=True, timeouts=[timeouts[n] for n in batch],
                                      scopes=questions if scope is not None else None, allowances=shares)
            for n, question, reply in zip(batch, questions, replies):
                with scope(question) if scope is not None else nullcontext():
                    by_question.setdefault(question, []).append(
                        evaluate_remote(examples_json[n], proxy, prepared=ready[n], made=reply.result))
        else:
            question = str(examples_json[number]["question"])
            timeout = timeouts[number] if number < len(timeouts) else None
            share = allowances[number] if number < len(allowances) else None
            with scope(question) if scope is not None else nullcontext():
                by_question.setdefault(question, []).append(
                    evaluate_remote(examples_json[number], proxy, timeout, ready[number], allowance=share))
        number += group
    return {question: CheckOutcome(question, msg("example.public"), 1.0, all(r.passed for r in found),
                                   _message(found))
            for question, found in by_question.items()}


def _batchable(ready: Sequence[Prepared], timeouts: Sequence[float | None], start: int) -> int:
    """How many examples from ``start`` can go in one batch: calls on data, with a known
    limit (at least 1)."""
    end = start
    while end < len(ready) and ready[end].inputs is not None and end < len(timeouts) \
            and timeouts[end] is not None:
        end += 1
    return max(1, end - start)


def _reference_seconds(entry: dict[str, Any], reference: ModuleType) -> float | None:
    """How long the reference takes for one example (its call limit follows it)."""
    from student.checker import live_inputs

    function, args, kwargs, _ = live_inputs(entry, vars(reference))
    return timing.reference_seconds(function, args, kwargs)
