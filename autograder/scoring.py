"""From check outcomes to question and submission results.

A question's points (``grading_config.yaml``) are split over its checks by weight;
a passed check earns its share, a failed one nothing, and a check that reported no
outcome counts as failed (its weight is never shared out among the others). Every
configured question appears in the result, in the configured order, whatever happened.

No credit for nothing: a check of form (``kind="form"``: shape, dtype, inputs left
unchanged, what a function returning a constant or zeros also passes) earns its
share only when a values check of the same question (hidden, or its public
examples) passed too. Otherwise it is failed with a message that says so, and a
function that computes nothing scores 0 on its question, like the untouched stub.

The cause once: when every check of a question failed on the same blocker (its
function not defined, not callable, not implemented), ``explain`` turns it into one
message for the question (``QuestionResult.cause``, see ``causes.py``) and each check
says only that it was not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from autograder.i18n import Language, Text, msg
from autograder.outcomes import Blocker, CheckOutcome, CheckSpec, common_blocker, completed
from autograder.results import CheckResult, QuestionResult, Visibility

Explain = Callable[[Blocker, str], Text]


def score_questions(points: dict[str, float], outcomes: Sequence[CheckOutcome],
                    language: Language, public: Sequence[CheckOutcome] = (), *,
                    expected: Sequence[CheckSpec] | None = None,
                    explain: Explain | None = None) -> tuple[QuestionResult, ...]:
    """Question results from the outcomes; with ``expected`` (every collected check), a
    check without an outcome is scored as failed, its weight kept in the question;
    with ``explain``, a question whose function could not be called gets its cause."""
    if expected is not None:
        outcomes = completed(expected, outcomes)
    questions = []
    for question, total in points.items():
        hidden = [o for o in outcomes if o.question == question]
        shown = [o for o in public if o.question == question]
        if not any(o.passed and o.kind == "values" for o in [*hidden, *shown]):
            hidden = [_withheld(o, question) for o in hidden]
        cause = Text.plain("")
        blocker = common_blocker([o.blocker for o in hidden])
        if explain is not None and blocker is not None and not any(o.passed for o in shown):
            cause = explain(blocker, question)
            note = msg("cause.see_question", question=question)
            hidden, shown = [replace(o, message=note) for o in hidden], [replace(o, message=note) for o in shown]
        weights = sum(o.weight for o in [*hidden, *shown]) or 1.0
        checks = [_check_result(o, total, weights, "hidden", language) for o in hidden]
        checks += [_check_result(o, total, weights, "public", language) for o in shown]
        questions.append(QuestionResult(question, tuple(checks), float(total), cause.render(language)))
    return tuple(questions)


def mark_optional(questions: tuple[QuestionResult, ...], optional: Sequence[str]) -> tuple[QuestionResult, ...]:
    """The questions the assignment lets students leave out, marked so in the result."""
    return tuple(replace(q, optional=True) if q.name in optional else q for q in questions)


def _check_result(outcome: CheckOutcome, total: float, weights: float,
                  visibility: Visibility, language: Language) -> CheckResult:
    share = total * outcome.weight / weights  # unrounded: sums must give the points exactly
    return CheckResult(
        name=outcome.title.render(language),
        passed=outcome.passed,
        score=share * outcome.earned,
        max_score=share,
        visibility=visibility,
        message=outcome.message.render(language),
        metric=None if outcome.measure is None else {"name": outcome.measure.name,
                                                      "value": outcome.measure.value},
        check_bug=outcome.check_bug,
    )


def _withheld(outcome: CheckOutcome, question: str) -> CheckOutcome:
    """A passed form check of a question whose values are all wrong: no points."""
    if outcome.kind != "form" or not outcome.passed:
        return outcome
    return replace(outcome, passed=False, message=msg("check.form_needs_values", name=question))


def failed_everywhere(specs: Sequence[CheckSpec], reason: Text) -> list[CheckOutcome]:
    """Outcomes for a submission whose checks could not run at all."""
    return [spec.outcome(False, reason) for spec in specs]
