"""Per-student feedback, ``feedback/<id>.md`` and ``feedback/<id>.html``.

What passed, what failed and why, in the result's language. A failed hidden check
shows its message only when ``feedback.show_hidden_details`` is true; public
examples always show theirs (the student has them anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.i18n import Language, msg
from autograder.reports.base import ReportContext, register
from autograder.reports.templating import render
from autograder.reports.text import number, percent, shown_time, split_message, visible_message
from autograder.atomic import write_atomic
from autograder.results import SubmissionResult

FOLDER = "feedback"


@dataclass(frozen=True)
class CheckView:
    name: str
    passed: bool
    score: str
    max_score: str
    kind: str
    head: str
    tail: str


@dataclass(frozen=True)
class QuestionView:
    name: str
    passed: bool
    score: str
    max_score: str
    checks: tuple[CheckView, ...]
    cause: str = ""  # why the function could not be called, shown once
    to_fix: bool = False  # listed under "To fix": not passed, and not the instructor's score by hand
    pending: bool = False  # graded by hand, not scored yet: neither passed nor failed, so no ✔ or ✘


def score_line(result: SubmissionResult, language: Language) -> str:
    return msg("report.score", score=number(result.score), max_score=number(result.max_score),
               percent=percent(result)).render(language)


def late_line(result: SubmissionResult, language: Language, zone: str | None = None) -> str:
    """The late notice, its time as the course's pages show times (in ``zone``, the
    course's ``timezone:``, else UTC)."""
    if result.late is None:
        return ""
    return msg(
        "report.late", submitted_at=shown_time(result.late.submitted_at, zone),
        days=number(result.late.days_late), penalty=number(result.late.penalty_percent),
        raw_score=number(result.raw_score),
    ).render(language)


def question_views(result: SubmissionResult, show_hidden: bool,
                   language: Language) -> tuple[QuestionView, ...]:
    views = []
    for question in result.questions:
        checks = []
        for check in question.checks:
            head, tail = split_message(visible_message(check, show_hidden, language))
            checks.append(CheckView(
                name=check.name, passed=check.passed, score=number(check.score),
                max_score=number(check.max_score),
                kind=msg(f"report.visibility.{check.visibility}").render(language),
                head=head, tail=tail,
            ))
        by_hand = bool(question.checks) and all(check.graded_by_hand for check in question.checks)
        views.append(QuestionView(question.name, question.passed, number(question.score),
                                  number(question.max_score), tuple(checks), question.cause,
                                  to_fix=not question.passed and not by_hand,
                                  pending=result.awaits_hand_score(question)))
    return tuple(views)


def render_feedback(result: SubmissionResult, context: ReportContext, template: str) -> str:
    language: Language = "en" if result.language == "en" else "ru"
    return render(
        template, language,
        title=context.title, result=result,
        score=score_line(result, language), late=late_line(result, language, context.timezone),
        errors=[split_message(e) for e in result.errors],
        questions=question_views(result, context.show_hidden_details, language),
        all_passed=not result.errors and all(q.passed for q in result.questions),
    )


@dataclass(frozen=True)
class Feedback:
    name: str
    suffix: str
    template: str

    def write_one(self, result: SubmissionResult, context: ReportContext, out_dir: Path) -> list[Path]:
        """This student's page, whole or not at all (an interrupted batch leaves no half page)."""
        path = out_dir / FOLDER / f"{result.submission}{self.suffix}"
        write_atomic(path, render_feedback(result, context, self.template))
        return [path]

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]:
        return [path for result in results for path in self.write_one(result, context, out_dir)]


register(Feedback("feedback-md", ".md", "feedback.md.j2"))
register(Feedback("feedback-html", ".html", "feedback.html.j2"))
