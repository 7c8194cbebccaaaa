"""What every LMS grade format gets, and the interface each one implements.

An export reads a results folder into :class:`Grade` rows (score, maximum, the
student's name, a short feedback text in the result's language) and hands them to one
:class:`GradeFormat`: ``fresh`` writes a new file, ``fill`` writes the grades into the
LMS's own download (a :class:`~autograder.lms.csvfile.CsvFile`) and leaves every other
cell as it was. Formats live one per module (``moodle``, ``canvas``, ``plain``) and are
listed in :data:`FORMATS`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from autograder.i18n import Language, msg
from autograder.lms.csvfile import CsvFile
from autograder.manual import unscored_points
from autograder.reports.text import first_line, number, printable, visible_message
from autograder.results import QuestionResult, SubmissionResult


@dataclass(frozen=True)
class Grade:
    """One submission's grade, as an LMS file needs it."""

    submission: str
    name: str
    score: float
    max_score: float
    percent: float
    status: str
    feedback: str            # plain text, one line per point
    late_penalty: float = 0.0
    submitted_at: str = ""
    unscored: float = 0.0     # points of questions graded by hand, not scored yet

    @property
    def out_of(self) -> float:
        """The assignment's total: ``max_score`` and the points still to be graded by hand
        (an LMS's maximum grade counts them from the start)."""
        return self.max_score + self.unscored

    def scaled(self, maximum: float | None) -> float:
        """The score out of ``maximum`` (the LMS's own maximum grade), else out of ours.
        Scaled from :attr:`out_of`: 3 of 3 with an essay of 2 not graded yet is 3 of 5 in
        an LMS whose maximum is 5, not full marks."""
        if maximum is None or maximum <= 0 or self.out_of <= 0:
            return self.score
        return round(self.score / self.out_of * maximum, 2)


@dataclass(frozen=True)
class ExportInfo:
    """What a format may need besides the grades."""

    assignment: str
    title: str
    now: datetime
    column: str | None = None     # Canvas: the assignment's column, when named on the command line


@dataclass
class GradeFile:
    """A written grade file: its bytes and what the person running the export should know."""

    data: bytes
    filled: int = 0
    warnings: list[str] = field(default_factory=list)


class GradeFormat(Protocol):
    """One LMS's grade file."""

    @property
    def name(self) -> str: ...

    def fresh(self, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        """A new file with these grades."""
        ...

    def fill(self, template: CsvFile, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        """The LMS's own download with these grades written in; every other cell kept."""
        ...


def grade_of(result: SubmissionResult, show_hidden: bool = True) -> Grade:
    """A result as a :class:`Grade`, with its feedback in the result's language."""
    language: Language = "en" if result.language == "en" else "ru"
    name = result.extra.get("student_name")
    return Grade(
        submission=result.submission,
        name=name if isinstance(name, str) else "",
        score=result.score,
        max_score=result.max_score,
        percent=result.percent,
        status=result.status,
        feedback=feedback_text(result, language, show_hidden),
        late_penalty=result.late.penalty_percent if result.late else 0.0,
        submitted_at=result.late.submitted_at if result.late else "",
        unscored=unscored_points(result),
    )


def feedback_text(result: SubmissionResult, language: Language, show_hidden: bool = True) -> str:
    """Score, errors and each question not passed with the first thing to fix: short
    enough for an LMS's feedback comment, in the course language."""
    lines = [msg("report.score", score=number(result.score), max_score=number(result.max_score),
                 percent=number(result.percent, 1)).render(language)]
    lines += [first_line(error, 200) for error in result.errors]
    for question in result.questions:
        line = _question_line(question, language, show_hidden)
        if line:
            lines.append(line)
    return printable("\n".join(lines))


def _question_line(question: QuestionResult, language: Language, show_hidden: bool) -> str:
    """A question not passed with the first thing to fix; a question graded by hand with
    the instructor's note whatever the score (their comment is what the student is to
    read; its first line alone, "Graded by hand: 1.5 of 2.", said nothing of it)."""
    by_hand = next((c for c in question.checks if c.graded_by_hand), None)
    if by_hand is not None:
        note = " ".join(line.strip() for line in by_hand.message.splitlines() if line.strip())
        return f"{question.name}: {first_line(note, 500)}" if note else ""
    if question.passed:
        return ""
    failed = next((c for c in question.checks if not c.passed), None)
    reason = first_line(visible_message(failed, show_hidden, language), 200) if failed else ""
    return f"{question.name}: {number(question.score)}/{number(question.max_score)}" + (f" — {reason}" if reason else "")


def as_html(text: str) -> str:
    """Plain feedback lines as the HTML an LMS's comment field shows (Moodle's is HTML)."""
    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))


def decimal(value: float, comma: bool = False, places: int = 2) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if comma else text


def short_number(value: float) -> str:
    return number(value, 2)
