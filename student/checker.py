"""``check(name)`` and ``check_all()``: run the public examples in the notebook.

The setup cell binds the notebook's globals explicitly::

    check, check_all = make_checker(EXAMPLES, globals(), "ru")

Each example calls the student's function on the example's inputs and compares the
result with the expected value computed from the instructor's reference. ``check``
never raises: whatever goes wrong is part of what it prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from . import codec
from .compare import Mismatch, Opaque, compare, show, unchanged
from .messages import both, hint_key, text, with_hint

Bilingual = dict[str, str]


class Problem(Exception):
    """Something to tell instead of a value (the name is missing, the code raised)."""

    def __init__(self, message: Bilingual) -> None:
        super().__init__(message["en"])
        self.message = message


@dataclass(frozen=True)
class ExampleOutcome:
    """One example's outcome, already rendered to text (so it can come from anywhere)."""

    question: str
    call: str
    expected: str
    got: str | None = None
    problem: Bilingual | None = None

    @property
    def passed(self) -> bool:
        return self.problem is None

    def lines(self, language: str) -> list[str]:
        if self.passed:
            return [f"  ✓ {self.call} → {self.expected}"]
        lines = [f"  ✗ {self.call}", "      " + text("expected", language, value=self.expected)]
        if self.got is not None:
            lines.append("      " + text("got", language, value=self.got))
        assert self.problem is not None
        problem = self.problem.get(language, self.problem["en"])
        return lines + ["      " + text("hint", language, text=problem)]


@dataclass(frozen=True)
class Result:
    """What ``check`` found; shown as a one-line summary when it ends a cell."""

    passed: int
    total: int
    outcomes: tuple[ExampleOutcome, ...] = ()

    @property
    def ok(self) -> bool:
        return self.total > 0 and self.passed == self.total

    def __repr__(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.passed}/{self.total}"


def mismatch_message(mismatch: Mismatch) -> Bilingual:
    where = {lang: text("where", lang, path=mismatch.path) if mismatch.path else ""
             for lang in ("en", "ru")}
    return {lang: text(f"mismatch.{mismatch.kind}", lang, where=where[lang],
                       expected=mismatch.expected, got=mismatch.got, diff=f"{mismatch.diff:.3g}")
            for lang in ("en", "ru")}


class _Code(str):
    """Text shown as is in a rendered call (``TinyNet(hidden=3)``)."""

    def __repr__(self) -> str:
        return str(self)


def describe_call(example: Mapping[str, Any]) -> str:
    """``sigmoid(array([-2., 0., 2.]))``: the call as the student would write it."""
    def instance(name: str, init: dict[str, Any]) -> _Code:
        return _Code(name + "(" + ", ".join(f"{k}={show(v)}" for k, v in init.items()) + ")")

    def model(name: str, init: dict[str, Any], state: Any) -> _Code:
        return instance(name, init)

    def shown(value: Any) -> str:
        decoded = codec.decode(value, model=model, instance=instance)
        if isinstance(decoded, codec.Method):
            return f"{decoded.owner}.{decoded.name}"
        return show(decoded)

    target = example.get("target")
    name = shown(target) if target else str(example["question"])
    args = [shown(a) for a in example.get("args", [])]
    kwargs = [f"{k}={shown(v)}" for k, v in example.get("kwargs", {}).items()]
    return f"{name}({', '.join(args + kwargs)})"


def _nothing() -> None:
    pass


def _only_docstring() -> None:
    """-"""


def _shape(code: Any) -> tuple[bytes, tuple[type, ...], tuple[str, ...]]:
    return code.co_code, tuple(type(constant) for constant in code.co_consts), code.co_names


_CODE = type(_nothing.__code__)
_EMPTY = {_shape(_nothing.__code__), _shape(_only_docstring.__code__)}


def empty_body(function: Any) -> bool:
    """``function``'s body is only ``pass``, ``...`` or a docstring (it compiles as one of
    the two above do, in this Python): a stub, so a wrong answer is "not done yet".
    Not a lambda: ``lambda x: None`` is code that returns None, not a placeholder."""
    code = getattr(getattr(function, "__func__", function), "__code__", None)
    return isinstance(code, _CODE) and code.co_name != "<lambda>" and _shape(code) in _EMPTY


def _lookup(namespace: Mapping[str, Any], name: str) -> Callable[..., Any]:
    if name not in namespace:
        raise Problem(both("not_defined", name=name))
    value = namespace[name]
    if not callable(value):
        raise Problem(both("not_callable", name=name, type_name=type(value).__name__))
    return value


# What ``check`` reports as the student's code failing an example: any exception, and
# ``sys.exit()`` (SystemExit is no Exception, so it ended the cell with IPython's own
# traceback); said as the grader says it ("your code raised SystemExit: ..."). The stop
# button's KeyboardInterrupt is not among them: it stops the cell, as it should.
STUDENT_ERRORS: tuple[type[BaseException], ...] = (Exception, SystemExit)


def raised_message(exc_type: str, message: str, hint: Bilingual | None = None) -> Bilingual:
    """"your code raised RuntimeError: <its first line>", then the hint for it: ``hint``
    (the grader's, which knows its own machine too), else this catalogue's
    (:func:`student.messages.hint_key`). The one wording of the notebook and of the grader."""
    first_line = (message.splitlines() or [""])[0][:200]
    raised = both("raised", exc_type=exc_type, message=first_line)
    if hint is None:
        key = hint_key(message)
        hint = both(key) if key is not None else None
    return raised if hint is None else {language: with_hint(raised[language], hint[language]) for language in raised}


def _raised(name: str, error: BaseException) -> Problem:
    if isinstance(error, NotImplementedError):
        return Problem(both("not_implemented", name=name))
    return Problem(raised_message(type(error).__name__, str(error)))


def model_load_problem(name: str, error_text: str) -> Problem:
    """The example's parameters refused by the student's model (``load_state_dict``): torch's
    first line only names the class (``Error(s) in loading state_dict for XorNet:``), its
    details follow, one per line (missing and unexpected keys, size mismatches); the message
    shows those on one line. The one wording of the notebook and of the grader."""
    lines = [line.strip() for line in error_text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        lines = lines[1:]
    detail = " ".join(lines).rstrip(" .")  # the message's own ")." follows
    detail = detail if len(detail) <= 300 else detail[:297] + "..."
    return Problem(both("model_load", name=name, message=detail))


def _torch_tensor(array: np.ndarray, dtype: str) -> Any:
    import torch  # only examples with tensors need torch

    return torch.tensor(array, dtype=getattr(torch, dtype))


def live_inputs(example: Mapping[str, Any], namespace: Mapping[str, Any]
                ) -> tuple[Callable[..., Any], list[Any], dict[str, Any], Any]:
    """The function to call, its arguments, and the instance whose method it is (or
    None), as real objects of this notebook."""
    def instance(name: str, init: dict[str, Any]) -> Any:
        cls = _lookup(namespace, name)
        try:
            return cls(**init)
        except STUDENT_ERRORS as error:
            raise _raised(name, error) from None

    def model(name: str, init: dict[str, Any], state: dict[str, np.ndarray]) -> Any:
        cls = _lookup(namespace, name)
        try:
            instance = cls(**init)
        except STUDENT_ERRORS as error:
            raise _raised(name, error) from None
        try:
            instance.load_state_dict({k: _torch_tensor(v, str(v.dtype)) for k, v in state.items()})
        except STUDENT_ERRORS as error:
            raise model_load_problem(name, str(error)) from None
        return instance

    def decode(value: Any) -> Any:
        return codec.decode(value, tensor=_torch_tensor, model=model, instance=instance)

    target = example.get("target")
    function = decode(target) if target else _lookup(namespace, str(example["question"]))
    owner = None
    if isinstance(function, codec.Method):
        owner, function = function.owner, _method(function.owner, function.name, str(example["question"]))
    args = [decode(a) for a in example.get("args", [])]
    kwargs = {k: decode(v) for k, v in example.get("kwargs", {}).items()}
    return function, args, kwargs, owner


def _method(owner: Any, name: str, question: str) -> Callable[..., Any]:
    try:
        function = getattr(owner, name)
    except AttributeError:
        raise Problem(both("not_defined", name=question)) from None
    except STUDENT_ERRORS as error:
        raise _raised(question, error) from None
    if not callable(function):
        raise Problem(both("not_callable", name=question, type_name=type(function).__name__))
    return function


def observed(example: Mapping[str, Any], value: Any, owner: Any, get: Callable[[Any, str], Any]) -> Any:
    """What an example compares: the value returned, or, when it names ``state``, the
    value returned and the instance's attributes after the call (``self.w``, ``self.b``),
    read with ``get`` (``getattr`` here, the jail's attribute read on the grader)."""
    state = example.get("state") or []
    if not state:
        return value
    return {"returned": value, **{f"self.{name}": get(owner, name) for name in state}}


def original_arguments(example: Mapping[str, Any]) -> list[Any]:
    """An example's positional arguments as they were before the call (a model: ``Opaque``)."""
    return [codec.decode(encoded, model=lambda name, init, state: Opaque(name)) for encoded in example.get("args", [])]


def changed_argument(originals: Sequence[Any], args: Sequence[Any]) -> str | None:
    """The first positional argument the call changed (models are meant to change); the
    one rule for the notebook's ``check()`` and the grader's public examples."""
    for index, (original, after) in enumerate(zip(originals, args)):
        if not isinstance(original, Opaque) and not unchanged(original, after):
            return f"#{index + 1}"
    return None


class Known:
    """What ``check`` works out from an example alone, whatever the answer: the call and
    the expected value as it prints them, the expected value, and (once asked, after a
    call) the positional arguments as they were. None of it is handed to the student's
    code (which gets arguments decoded anew), so one example's can serve every run of it."""

    def __init__(self, example: Mapping[str, Any]) -> None:
        self.example = example
        self.call = describe_call(example)
        self.expected = codec.decode(example["expected"])
        self.shown = show(self.expected)
        self._originals: list[Any] | None = None

    def originals(self) -> list[Any]:
        if self._originals is None:
            self._originals = original_arguments(self.example)
        return self._originals


def evaluate(example: Mapping[str, Any], namespace: Mapping[str, Any],
             known: Known | None = None) -> ExampleOutcome:
    """Run one example against the notebook's names (``known``: its :class:`Known`, when
    the caller has it already)."""
    __tracebackhide__ = True  # noqa: F841 (IPython's traceback skips this frame)
    question = str(example["question"])
    known = known if known is not None else Known(example)
    call, shown, expected = known.call, known.shown, known.expected
    try:
        function, args, kwargs, owner = live_inputs(example, namespace)
        try:
            value = function(*args, **kwargs)
        except STUDENT_ERRORS as error:
            raise _raised(question, error) from None
        try:
            value = observed(example, value, owner, getattr)
        except STUDENT_ERRORS as error:
            raise _raised(question, error) from None
    except Problem as problem:
        return ExampleOutcome(question, call, shown, None, problem.message)
    mismatch = compare(expected, value, float(example["rtol"]), float(example["atol"]),
                       floats=bool(example.get("floats")))
    if mismatch is not None and empty_body(function):
        return ExampleOutcome(question, call, shown, None, both("not_implemented", name=question))
    if mismatch is not None:
        return ExampleOutcome(question, call, shown, show(value), mismatch_message(mismatch))
    changed = changed_argument(known.originals(), args)
    if changed is not None:
        return ExampleOutcome(question, call, shown, show(value), both("mutated", arg=changed))
    return ExampleOutcome(question, call, shown)


class Checker:
    """The public examples of one notebook, checked against ``namespace``."""

    def __init__(self, examples: list[dict[str, Any]] | str, namespace: Mapping[str, Any],
                 language: str = "ru") -> None:
        self.examples = json.loads(examples) if isinstance(examples, str) else examples
        self.namespace = namespace
        self.language = language
        self.questions = list(dict.fromkeys(str(e["question"]) for e in self.examples))
        # what each example's runs share, kept from the notebook's check("relu") cell for its
        # check_all() (its texts the same but for NumPy's print options, which the notebook
        # may change between: then worked out again)
        self._known: dict[int, Known] = {}
        self._print_options: Any = None  # np.get_printoptions() when they were worked out

    def known(self, index: int) -> Known:
        """:class:`Known` of example ``index``, worked out once under these print options."""
        options = np.get_printoptions()
        if options != self._print_options:
            self._known, self._print_options = {}, options
        if index not in self._known:
            self._known[index] = Known(self.examples[index])
        return self._known[index]

    @property
    def first_question(self) -> str:
        """The name the messages that say how to call ``check`` give as the example."""
        return self.questions[0] if self.questions else "name"

    def _run(self, name: str) -> Result:
        """Run ``name``'s examples and print how each went. An interrupt (the student's
        stop button, their code taking too long) says which example was running and goes on
        up, so a "Run all" stops there too; the notebook's traceback then shows the cell and
        the student's code, this package's frames hidden (``__tracebackhide__``, IPython's)."""
        __tracebackhide__ = True  # noqa: F841
        outcomes = []
        for index, example in enumerate(self.examples):
            if example["question"] != name:
                continue
            try:
                outcomes.append(evaluate(example, self.namespace, self.known(index)))
            except KeyboardInterrupt:
                print(text("interrupted", self.language, call=self.known(index).call))
                raise
            except Exception as error:  # a damaged example must not stop the others
                problem = both("broken_example", message=f"{type(error).__name__}: {error}")
                outcomes.append(ExampleOutcome(name, name, "?", None, problem))
        passed = sum(o.passed for o in outcomes)
        print(text("summary", self.language, name=name, passed=passed, total=len(outcomes)))
        for outcome in outcomes:
            print("\n".join(outcome.lines(self.language)))
        return Result(passed, len(outcomes), tuple(outcomes))

    def check(self, name: Any = None) -> Result:
        """Run the examples of ``name`` (or of the function passed) and print how each went;
        a class's name (``check(Perceptron)``) runs its methods' (``Perceptron.fit``, ...).
        ``check()`` with nothing to check says how to call it (not Python's TypeError, whose
        traceback names this class)."""
        __tracebackhide__ = True  # noqa: F841
        if name is None:
            print(text("no_question", self.language, first=self.first_question, known=", ".join(self.questions)))
            return Result(0, 0)
        if not isinstance(name, str):  # check(sigmoid), check(Perceptron.fit)
            qualified = str(getattr(name, "__qualname__", ""))
            name = qualified if qualified in self.questions else str(getattr(name, "__name__", name))
        methods = [question for question in self.questions if question.startswith(name + ".")]
        if name not in self.questions and methods:
            return self._run_many(methods)
        if name not in self.questions:
            print(text("unknown_question", self.language, name=name, known=", ".join(self.questions)))
            return Result(0, 0)
        return self._run(name)

    def check_all(self) -> Result:
        """Run every example, question by question."""
        __tracebackhide__ = True  # noqa: F841
        return self._run_many(self.questions)

    def _run_many(self, names: Sequence[str]) -> Result:
        """Run the examples of ``names``, each question's under its own summary, then the total."""
        __tracebackhide__ = True  # noqa: F841
        results = []
        for name in names:  # a loop, not a comprehension: its frame would show
            results.append(self._run(name))
        passed, total = sum(r.passed for r in results), sum(r.total for r in results)
        print(text("summary_all", self.language, passed=passed, total=total))
        if total and passed == total:
            print(text("all_done", self.language))
        return Result(passed, total, tuple(r for result in results for r in result.outcomes))


class Command:
    """``check`` or ``check_all`` as the notebook holds it: called, it runs; shown bare
    (``check_all`` without brackets, a beginner's slip, ends a cell), it says how to call it,
    not IPython's ``<bound method Checker.check_all of <student.checker.Checker ...>>``."""

    def __init__(self, run: Callable[..., Result], usage: str) -> None:
        self._run = run
        self._usage = usage

    def __call__(self, *args: Any, **kwargs: Any) -> Result:
        __tracebackhide__ = True  # noqa: F841
        return self._run(*args, **kwargs)  # check(name="relu") as the bound method took it

    def __repr__(self) -> str:
        return self._usage


def make_checker(examples: list[dict[str, Any]] | str, namespace: Mapping[str, Any],
                 language: str = "ru") -> tuple[Callable[[Any], Result], Callable[[], Result]]:
    """``check`` and ``check_all`` bound to the notebook's ``globals()``."""
    checker = Checker(examples, namespace, language)
    return (Command(checker.check, text("usage_check", language, first=checker.first_question)),
            Command(checker.check_all, text("usage_check_all", language)))
