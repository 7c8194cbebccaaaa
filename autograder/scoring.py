"""From check outcomes to question and submission results.

A question's points (``grading_config.yaml``) are split over its checks by weight;
a passed check earns its share, a failed one nothing, and a check that reported no
outcome counts as failed (its weight is never shared out among the others). Every
configured question appears in the result, in the configured order, whatever happened.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograder.outcomes import CheckOutcome, CheckSpec, completed
from autograder.i18n import Language, Text
from autograder.results import CheckResult, QuestionResult, Visibility


def score_questions(points: dict[str, float], outcomes: Sequence[CheckOutcome],
                    language: Language, public: Sequence[CheckOutcome] = (), *,
                    expected: Sequence[CheckSpec] | None = None) -> tuple[QuestionResult, ...]:
    """Question results from the outcomes; with ``expected`` (every collected check), a
    check without an outcome is scored as failed, its weight kept in the question."""
    if expected is not None:
        outcomes = completed(expected, outcomes)
    questions = []
    for question, total in points.items():
        hidden = [o for o in outcomes if o.question == question]
        shown = [o for o in public if o.question == question]
        weights = sum(o.weight for o in [*hidden, *shown]) or 1.0
        checks = [_check_result(o, total, weights, "hidden", language) for o in hidden]
        checks += [_check_result(o, total, weights, "public", language) for o in shown]
        questions.append(QuestionResult(question, tuple(checks), float(total)))
    return tuple(questions)


def _check_result(outcome: CheckOutcome, total: float, weights: float,
                  visibility: Visibility, language: Language) -> CheckResult:
    share = total * outcome.weight / weights  # unrounded: sums must give the points exactly
    return CheckResult(
        name=outcome.title.render(language),
        passed=outcome.passed,
        score=share if outcome.passed else 0.0,
        max_score=share,
        visibility=visibility,
        message=outcome.message.render(language),
    )


def failed_everywhere(specs: Sequence[CheckSpec], reason: Text) -> list[CheckOutcome]:
    """Outcomes for a submission whose checks could not run at all."""
    return [spec.outcome(False, reason) for spec in specs]
