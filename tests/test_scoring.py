"""Scoring rules on outcomes built by hand (no jail): shares by weight, no credit for nothing."""

from __future__ import annotations

from autograder.outcomes import CheckOutcome
from autograder.i18n import Text
from autograder.scoring import score_questions


def outcome(passed: bool, kind: str = "values", weight: float = 1.0, question: str = "sigmoid") -> CheckOutcome:
    title = Text.plain(f"{kind} {weight} {passed}")
    return CheckOutcome(question, title, weight, passed, Text.plain("" if passed else "wrong"), kind)  # type: ignore[arg-type]


def test_shares_follow_weights() -> None:
    (question,) = score_questions({"sigmoid": 3.0}, [outcome(True, weight=2), outcome(False)], "en")
    assert question.score == 2.0 and question.max_score == 3.0


def test_form_checks_earn_nothing_when_no_values_check_passed() -> None:
    # what `return np.zeros(np.shape(x))` does: shape and "input unchanged" pass, every value fails
    outcomes = [outcome(False), outcome(False), outcome(True, "form"), outcome(True, "form")]
    public = [outcome(False)]
    (question,) = score_questions({"sigmoid": 2.0}, outcomes, "en", public)
    assert question.score == 0.0
    withheld = [c for c in question.checks if c.name.startswith("form")]
    assert [c.passed for c in withheld] == [False, False]
    assert all("`sigmoid` also computes some values right" in c.message for c in withheld)


def test_form_checks_earn_their_share_when_some_values_are_right() -> None:
    outcomes = [outcome(True), outcome(False), outcome(True, "form")]
    (question,) = score_questions({"sigmoid": 2.0}, outcomes, "en", [outcome(False)])
    assert question.score == 1.0  # two of four shares
    assert [c.passed for c in question.checks] == [True, False, True, False]


def test_passing_public_examples_count_as_values() -> None:
    (question,) = score_questions({"sigmoid": 2.0}, [outcome(False), outcome(True, "form")], "en",
                                  [outcome(True)])
    assert question.score == round(2.0 * 2 / 3, 6)


def test_a_failed_form_check_keeps_its_own_message() -> None:
    (question,) = score_questions({"sigmoid": 1.0}, [outcome(False), outcome(False, "form")], "en")
    assert [c.message for c in question.checks] == ["wrong", "wrong"]
