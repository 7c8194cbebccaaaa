"""What a check author writes: ``@check``, ``Mistake`` and ``CheckFailed``.

A check is an ordinary pytest test function marked with its question, a bilingual
title and a weight. It fails by raising :class:`CheckFailed` with a student-facing
:class:`~autograder.i18n.Text`; the comparison helpers in ``compare.py`` do that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from autograder.i18n import Text
from autograder.outcomes import KINDS, CheckKind, CheckSpec, Measure

MARK = "autograder_check"
F = TypeVar("F", bound=Callable[..., Any])


def check(question: str, *, en: str, ru: str, weight: float = 1.0,
          kind: CheckKind = "values") -> Callable[[F], F]:
    """Mark a pytest test as one check of ``question`` worth ``weight`` shares of its points.

    ``kind="form"`` for a check that a function returning a constant or zeros could
    pass (shape, dtype, inputs not modified): it pays only when the question's
    function also gets some values right.
    """
    if weight <= 0:
        raise ValueError("a check's weight must be positive")
    if kind not in KINDS:
        raise ValueError(f"a check's kind is one of {', '.join(KINDS)}, not {kind!r}")

    def mark(function: F) -> F:
        marker = getattr(pytest.mark, MARK)(question=question, en=en, ru=ru, weight=weight, kind=kind)
        return marker(function)

    return mark


def spec_of(item: pytest.Item) -> CheckSpec | None:
    """The check an item is, read from its ``@check`` mark (None when unmarked)."""
    marker = item.get_closest_marker(MARK)
    if marker is None:
        return None
    kw = marker.kwargs
    return CheckSpec(kw["question"], Text(en=kw["en"], ru=kw["ru"]), float(kw["weight"]),
                     kw.get("kind", "values"))


def authoring_problems(items: list[pytest.Item]) -> list[str]:
    """What is wrong in how checks use their fixtures, found when they load.

    ``once`` keeps the first submission's value for every later one; with inputs from
    the per-submission ``rng`` it would hand one student's expected values to the
    next. Costly expected values take their inputs from ``variant.rng`` instead.
    """
    problems = []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if {"once", "rng"} <= names:
            problems.append(f"{item.nodeid} uses both `once` and the per-submission `rng`: `once` "
                            "would reuse one submission's expected values for the next; draw the "
                            "inputs from `variant.rng` (or `fixed_rng`) instead")
    return problems


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
