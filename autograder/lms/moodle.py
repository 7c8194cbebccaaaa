"""Moodle's offline grading worksheet (Assignment > "Download grading worksheet").

Moodle reads back three columns by their English header names: ``Identifier``
(``Participant 123456``: the same participant id as in the names of its "download all
submissions" archive), ``Grade`` and ``Last modified (grade)``, plus ``Feedback
comments`` when feedback comments are on. A grade is skipped by Moodle when the grade
in Moodle changed after the worksheet's ``Last modified (grade)``, or when it is above
the assignment's maximum; so a filled template keeps its ``Last modified (grade)``
(Moodle's own check for grades changed since the download still works) and grades are
scaled to its ``Maximum Grade``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from autograder.exceptions import UsageError
from autograder.lms.base import ExportInfo, Grade, GradeFile, as_html, decimal
from autograder.lms.csvfile import CsvFile, cell_number

IDENTIFIER = "Identifier"
FULL_NAME = "Full name"
EMAIL = "Email address"
STATUS = "Status"
GRADE = "Grade"
MAXIMUM = "Maximum Grade"
CHANGEABLE = "Grade can be changed"
SUBMITTED = "Last modified (submission)"
GRADED = "Last modified (grade)"
FEEDBACK = "Feedback comments"
COLUMNS = (IDENTIFIER, FULL_NAME, EMAIL, STATUS, GRADE, MAXIMUM, CHANGEABLE, SUBMITTED, GRADED, FEEDBACK)
PARTICIPANT = "Participant"
# Moodle names the columns in the language of whoever downloads (and uploads) the
# worksheet; a Russian Moodle's (4.x ru language pack) are read as well.
ALIASES: dict[str, tuple[str, ...]] = {
    IDENTIFIER: ("Идентификатор",), GRADE: ("Оценка",), MAXIMUM: ("Максимальная оценка",),
    GRADED: ("Последнее изменение (оценка)", "Последнее изменение оценки"),
    FEEDBACK: ("Отзыв в виде комментария",),
}
DATE_FORMAT = "%A, %d %B %Y, %I:%M %p"   # how Moodle (en) writes dates in the worksheet
_ID = re.compile(r"(\d+)\s*$")


def moodle_date(moment: datetime) -> str:
    return moment.strftime(DATE_FORMAT)


def participant_id(identifier: str) -> str:
    """``Participant 123456`` -> ``123456`` (Moodle strips its own word the same way)."""
    match = _ID.search(identifier.strip())
    return match.group(1) if match else ""


class Moodle:
    name = "moodle"

    def fresh(self, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        sheet = CsvFile([], bom=b"\xef\xbb\xbf")
        sheet.add_row(list(COLUMNS))
        stamp = moodle_date(info.now)
        warnings = []
        for grade in grades:
            if not grade.submission.isdigit():
                warnings.append(f"{grade.submission}: not a Moodle participant id (grade it from "
                                "Moodle's archive); written as is")
            submitted = grade.submitted_at and _moodle_time(grade.submitted_at) or "-"
            sheet.add_row([f"{PARTICIPANT} {grade.submission}", grade.name, "", "Submitted for grading",
                           decimal(grade.score), decimal(grade.out_of), "Yes", submitted, stamp,
                           as_html(grade.feedback)])
        return GradeFile(sheet.dumps(), len(grades), warnings)

    def fill(self, template: CsvFile, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        ident, grade_column = _column(template, IDENTIFIER), _column(template, GRADE)
        if ident is None or grade_column is None or _column(template, GRADED) is None:
            raise UsageError(f"the template is not a Moodle grading worksheet: it needs the columns "
                             f"{IDENTIFIER!r}, {GRADE!r} and {GRADED!r} (header: {template.header()})")
        maximum_column, feedback_column = _column(template, MAXIMUM), _column(template, FEEDBACK)
        by_id = {g.submission: g for g in grades}
        seen: set[str] = set()
        warnings = []
        for row in range(1, len(template.rows)):
            key = participant_id(template.get(row, ident))
            grade = by_id.get(key)
            if grade is None:
                continue
            seen.add(key)
            maximum = cell_number(template.get(row, maximum_column)) if maximum_column is not None else None
            comma = _uses_comma(template, row, grade_column, maximum_column)
            template.set(row, grade_column, decimal(grade.scaled(maximum), comma))
            if feedback_column is not None:
                template.set(row, feedback_column, as_html(grade.feedback))
        if feedback_column is None:
            warnings.append(f"the worksheet has no {FEEDBACK!r} column (feedback comments are off "
                            "in Moodle): grades only")
        missing = [g for g in grades if g.submission not in seen]
        if missing:
            warnings.append("not in the worksheet, not written: " + ", ".join(
                f"{g.submission}" + (f" ({g.name})" if g.name else "") for g in missing))
        return GradeFile(template.dumps(), len(seen), warnings)


def _column(sheet: CsvFile, name: str) -> int | None:
    for candidate in (name, *ALIASES.get(name, ())):
        found = sheet.column(candidate)
        if found is not None:
            return found
    return None


def _uses_comma(sheet: CsvFile, row: int, grade: int, maximum: int | None) -> bool:
    """Whether the worksheet writes decimals with a comma (Moodle in many locales)."""
    samples = [sheet.get(row, grade)] + ([sheet.get(row, maximum)] if maximum is not None else [])
    return any(re.fullmatch(r"\s*\d+,\d+\s*", s) for s in samples)


def _moodle_time(iso: str) -> str:
    try:
        return moodle_date(datetime.fromisoformat(iso))
    except ValueError:
        return iso
