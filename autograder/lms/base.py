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
from autograder.reports.text import first_line, number, visible_message
from autograder.results import SubmissionResult


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

    def scaled(self, maximum: float | None) -> float:
        """The score out of ``maximum`` (the LMS's own maximum grade), else out of ours."""
        if maximum is None or maximum <= 0 or self.max_score <= 0:
            return self.score
        return round(self.score / self.max_score * maximum, 2)


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
    )


def feedback_text(result: SubmissionResult, language: Language, show_hidden: bool = True) -> str:
    """Score, errors and each question not passed with the first thing to fix: short
    enough for an LMS's feedback comment, in the course language."""
    lines = [msg("report.score", score=number(result.score), max_score=number(result.max_score),
                 percent=number(result.percent, 1)).render(language)]
    lines += [first_line(error, 200) for error in result.errors]
    for question in result.questions:
        if question.passed:
            continue
        failed = next((c for c in question.checks if not c.passed), None)
        reason = first_line(visible_message(failed, show_hidden, language), 200) if failed else ""
        lines.append(f"{question.name}: {number(question.score)}/{number(question.max_score)}"
                     + (f" — {reason}" if reason else ""))
    return "\n".join(lines)


def as_html(text: str) -> str:
    """Plain feedback lines as the HTML an LMS's comment field shows (Moodle's is HTML)."""
    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))


def decimal(value: float, comma: bool = False, places: int = 2) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if comma else text


def short_number(value: float) -> str:
    return number(value, 2)
