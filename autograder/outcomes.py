"""What a check is and how it ended: plain data, no pytest.

:class:`CheckSpec` is a check's identity, read from its ``@check`` mark when the
checks are collected; :class:`CheckOutcome` is how it ended for one submission.
Scoring, public examples and reports use these without importing the check runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from autograder.i18n import Text, msg


@dataclass(frozen=True)
class CheckSpec:
    """One check of a question: its bilingual title and its weight within the question."""

    question: str
    title: Text
    weight: float

    def outcome(self, passed: bool, message: Text = Text.plain("")) -> CheckOutcome:
        return CheckOutcome(self.question, self.title, self.weight, passed, message)


@dataclass(frozen=True)
class CheckOutcome:
    """How one check ended for one submission; ``message`` says why it failed."""

    question: str
    title: Text
    weight: float
    passed: bool
    message: Text

    @property
    def spec(self) -> CheckSpec:
        return CheckSpec(self.question, self.title, self.weight)


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
