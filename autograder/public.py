"""Public examples as graded checks: one "public examples" check per question.

The expected values come from the reference once per grader (not per submission);
evaluation goes through the submission proxy, with the same comparison the student's
notebook uses (``autograder.examples`` / ``student.compare``).
"""

from __future__ import annotations

from typing import Any

from autograder.checks.suite import CheckOutcome
from autograder.checks.context import load_reference
from autograder.config import Settings
from autograder.i18n import Text, msg
from autograder.sandbox import Session


class PublicExamples:
    def __init__(self, data: list[dict[str, Any]], language: str) -> None:
        self.data = data
        self.language = language
        self.questions = list(dict.fromkeys(str(example["question"]) for example in data))

    @classmethod
    def load(cls, assignment: str, settings: Settings) -> PublicExamples:
        folder = settings.assignment_dir(assignment)
        if not (folder / "examples.py").is_file():
            return cls([], settings.language)
        from autograder import examples

        data = examples.expected(examples.load_examples(folder), load_reference(folder))
        return cls(data, settings.language)

    def run(self, session: Session) -> list[CheckOutcome]:
        if not self.data:
            return []
        from autograder import examples

        outcomes = examples.run_public_examples(session.proxy, self.data, self.language)
        return [
            CheckOutcome(question, msg("example.public"), 1.0, outcome.passed, outcome.message)
            for question, outcome in outcomes.items()
        ]

    def failed(self, reason: Text) -> list[CheckOutcome]:
        return [CheckOutcome(q, msg("example.public"), 1.0, False, reason) for q in self.questions]
