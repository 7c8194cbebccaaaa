"""A plain CSV of grades: one row per submission, for spreadsheets and other systems."""

from __future__ import annotations

from collections.abc import Sequence

from autograder.exceptions import UsageError
from autograder.lms.base import ExportInfo, Grade, GradeFile, short_number
from autograder.lms.csvfile import CsvFile

COLUMNS = ("submission", "student_name", "score", "max_score", "percent", "status",
           "late_penalty_percent", "feedback")


class Plain:
    name = "csv"

    def fresh(self, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        sheet = CsvFile([])
        sheet.add_row(list(COLUMNS))
        for g in grades:
            sheet.add_row([g.submission, g.name, short_number(g.score), short_number(g.max_score),
                           f"{g.percent:.2f}", g.status, short_number(g.late_penalty), g.feedback])
        return GradeFile(sheet.dumps(), len(grades))

    def fill(self, template: CsvFile, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        raise UsageError("--template works with --format moodle or canvas (their own downloads)")
