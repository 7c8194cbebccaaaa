"""What a check is and how it ended: plain data, no pytest.

:class:`CheckSpec` is a check's identity, read from its ``@check`` mark when the
checks are collected; :class:`CheckOutcome` is how it ended for one submission.
Scoring, public examples and reports use these without importing the check runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from autograder.i18n import Text, msg

# "values": the check compares what the function computes. "form": a check that a
# function returning a constant or zeros could pass (shape, dtype, inputs left
# unchanged, the trivial case); it earns its points only when a values check of the
# same question passed too (see ``autograder.scoring``), so nothing earns nothing.
CheckKind = Literal["values", "form"]
KINDS: tuple[CheckKind, ...] = get_args(CheckKind)
BlockerKind = Literal["missing", "not_callable", "not_implemented", "name_error"]


@dataclass(frozen=True)
class Blocker:
    """What stopped a call before the student's function computed anything (causes.py)."""

    kind: BlockerKind
    name: str         # the name that is missing, not callable or not implemented
    detail: str = ""  # the type of a not-callable name


@dataclass(frozen=True)
class Measure:
    """What a check measured (a model's metric on hidden data): kept in the result for the
    leaderboard. ``value`` is the metric, ``name`` its registered name (``metrics.py``)."""

    name: str
    value: float


@dataclass(frozen=True)
class CheckSpec:
    """One check of a question: its bilingual title, its weight within the question and
    its kind (values, or form: paid only when some values are right)."""

    question: str
    title: Text
    weight: float
    kind: CheckKind = "values"

    def outcome(self, passed: bool, message: Text = Text.plain(""),
                blocker: Blocker | None = None, *, fraction: float = 1.0,
                measure: Measure | None = None, check_bug: bool = False) -> CheckOutcome:
        return CheckOutcome(self.question, self.title, self.weight, passed, message, self.kind, blocker,
                            fraction, measure, check_bug)


@dataclass(frozen=True)
class CheckOutcome:
    """How one check ended for one submission; ``message`` says why it failed, and
    ``blocker`` what stopped it before the function computed anything, if that did."""

    question: str
    title: Text
    weight: float
    passed: bool
    message: Text
    kind: CheckKind = "values"
    blocker: Blocker | None = None
    fraction: float = 1.0  # with a measure: the share of the check's points earned (a metric in bands)
    measure: Measure | None = None
    check_bug: bool = False  # the check itself broke (not the student's answer): the batch must not end as fine

    @property
    def earned(self) -> float:
        """The share of the check's points it earns: all when passed, nothing when failed,
        and for a measured check (a metric in bands) its fraction, passed or not."""
        if self.measure is not None:
            return self.fraction
        return 1.0 if self.passed else 0.0

    @property
    def spec(self) -> CheckSpec:
        return CheckSpec(self.question, self.title, self.weight, self.kind)


def common_blocker(blockers: Sequence[Blocker | None]) -> Blocker | None:
    """The one blocker every check of a question hit, if they all hit the same."""
    if not blockers or blockers[0] is None or any(b != blockers[0] for b in blockers):
        return None
    return blockers[0]


def completed(checks: Sequence[CheckSpec], outcomes: Sequence[CheckOutcome]) -> list[CheckOutcome]:
    """One outcome per check, in the checks' order: a check whose outcome is missing
    counts as failed (so its weight is never handed to the checks that did report).
    Outcomes of checks not listed are kept, after the others."""
    left = list(outcomes)
    found = []
    for spec in checks:
        match = next((i for i, outcome in enumerate(left) if outcome.spec == spec), None)
        found.append(spec.outcome(False, msg("check.no_outcome")) if match is None else left.pop(match))
    return found + left


@dataclass(frozen=True)
class EarlyStop:
    """How ``verify`` grades a mutant, and nothing else does (students' grading runs every
    check): the checks of ``question``, the one the mutant changes, first; once they
    have all run and one of them (or a public example of it) failed, the mutant is
    killed, so the other questions' checks are not run at all. ``question`` None (a
    change outside every question) is killed by any failed check: grading stops at
    the first. The verdict is the full run's, as ``verify`` reads it (its question
    lost points); the result holds only the checks that ran, so a mutant's
    ``caught_by`` is the checks of its question that failed. A mutant nothing kills
    runs every check, and its result is the full run's."""

    question: str | None

    def kills(self, outcome: CheckOutcome) -> bool:
        """Whether the outcome costs the mutant's question points (``verify``'s verdict)."""
        return not outcome.passed and outcome.weight > 0 and self.question in (None, outcome.question)

    def first(self, spec: CheckSpec) -> bool:
        """Sort key: the mutant's question's checks run first (``False`` sorts before)."""
        return spec.question != self.question

    def stops_before(self, spec: CheckSpec, outcomes: Sequence[CheckOutcome]) -> bool:
        """Whether grading may stop before the check ``spec``: the question is decided
        (every check of it ran) and something killed the mutant."""
        return spec.question != self.question and any(self.kills(o) for o in outcomes)
