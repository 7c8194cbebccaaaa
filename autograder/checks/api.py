"""What a check author writes: ``@check``, ``@fixture``, ``Mistake`` and ``CheckFailed``.

A check is a test function marked with its question, a bilingual title and a weight.
It fails by raising :class:`CheckFailed` with a student-facing
:class:`~autograder.i18n.Text`; the comparison helpers in ``compare.py`` do that. The
grader runs checks with its own small runner (``suite.py``), which reads what the
decorators record on the function; pytest runs the same files for an instructor
(``pytest checks --notebook nb.ipynb``), so when pytest is running (imported) the
decorators also mark the function the way pytest expects. The grader does not import
pytest (a fifth of its start-up) unless a check file does.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from autograder.i18n import Text
from autograder.outcomes import KINDS, CheckKind, CheckSpec, Measure

MARK = "autograder_check"
CHECK_ATTRIBUTE = "__autograder_check__"  # the CheckSpec of a check function
FIXTURE_ATTRIBUTE = "__autograder_fixture__"  # the FixtureSpec of a fixture declared with @fixture
F = TypeVar("F", bound=Callable[..., Any])
FixtureScope = Literal["function", "session"]


def check(question: str, *, en: str, ru: str, weight: float = 1.0,
          kind: CheckKind = "values") -> Callable[[F], F]:
    """Mark a test function as one check of ``question`` worth ``weight`` shares of its points.

    ``kind="form"`` for a check that a function returning a constant or zeros could
    pass (shape, dtype, inputs not modified): it pays only when the question's
    function also gets some values right.
    """
    if weight <= 0:
        raise ValueError("a check's weight must be positive")
    if kind not in KINDS:
        raise ValueError(f"a check's kind is one of {', '.join(KINDS)}, not {kind!r}")
    spec = CheckSpec(question, Text(en=en, ru=ru), float(weight), kind)

    def mark(function: F) -> F:
        pytest = sys.modules.get("pytest")
        if pytest is not None:  # for pytest's own runs (-m autograder_check)
            function = getattr(pytest.mark, MARK)(question=question, en=en, ru=ru, weight=weight, kind=kind)(function)
        setattr(function, CHECK_ATTRIBUTE, spec)
        return function

    return mark


def spec_of(function: Callable[..., Any]) -> CheckSpec | None:
    """The check a test function is, from its ``@check`` (None when unmarked)."""
    spec = getattr(function, CHECK_ATTRIBUTE, None)
    return spec if isinstance(spec, CheckSpec) else None


@dataclass(frozen=True)
class FixtureSpec:
    """A course's helper fixture: its function and how long its value lives (one check,
    or the whole run: ``session``, for what does not depend on the submission)."""

    name: str
    function: Callable[..., Any]
    scope: FixtureScope


def fixture(function: Callable[..., Any] | None = None, *, scope: FixtureScope = "function") -> Any:
    """Declare a helper fixture for checks (in ``conftest.py`` or a check's file).

    ``@fixture`` or ``@fixture(scope="session")``. The grader's runner sets it up for
    every check that asks for it by name (a generator's code after ``yield`` is its
    teardown), and pytest, when running, sees an ordinary ``pytest.fixture``. The grader refuses, when
    the checks load, a plain ``@pytest.fixture``: it reads only what this declares.
    """
    if scope not in ("function", "session"):
        raise ValueError(f"a fixture's scope is 'function' or 'session', not {scope!r}")

    def declare(function: Callable[..., Any]) -> Any:
        if inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function):
            raise ValueError(f"fixture {function.__name__}: async fixtures are not supported")
        pytest = sys.modules.get("pytest")
        declared = pytest.fixture(function, scope=scope) if pytest is not None else function
        setattr(declared, FIXTURE_ATTRIBUTE, FixtureSpec(function.__name__, function, scope))
        return declared

    return declare(function) if function is not None else declare


class CheckFailed(AssertionError):
    """A check found the student's answer wrong; ``text`` says why, in both languages."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)


class Scored(CheckFailed):
    """A check that ends with a share of its points rather than a verdict: a metric
    scored in bands (``checks.heldout``). ``fraction`` in [0, 1] of the check's points
    (passed only at 1); ``measure`` is kept in the result (the leaderboard). A runner
    that does not know it sees a ``CheckFailed``: no points, never more than earned."""

    def __init__(self, fraction: float, text: Text, measure: Measure | None = None) -> None:
        self.fraction = min(1.0, max(0.0, float(fraction)))
        self.measure = measure
        super().__init__(text)


@dataclass(frozen=True)
class Mistake:
    """What a known wrong version returns, and the hint to give when the student's matches."""

    value: Any
    en: str
    ru: str

    @property
    def hint(self) -> Text:
        return Text(en=self.en, ru=self.ru)


def fail(en: str, ru: str, **fields: Any) -> CheckFailed:
    """A failure with a custom bilingual message (``raise fail(...)``)."""
    return CheckFailed(Text(en=en, ru=ru).format(**fields))
