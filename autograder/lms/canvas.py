"""Canvas's gradebook export (Grades > Export > CSV), filled for Grades > Import.

The export starts with ``Student, ID, SIS User ID, SIS Login ID, Section`` (some
instances add ``Integration ID``), or with ``LastName, FirstName, ID, ...`` when the
gradebook shows first and last names apart (Canvas imports both), then one column per
assignment titled ``<Title> (<assignment id>)``, then totals. A row under the header may
say ``Manual Posting`` under some assignments; the next one holds ``Points Possible``
(in the first column, as Canvas's importer looks for it) under each assignment. ``ID``
is the Canvas user id: the same number as in the names of Canvas's "download
submissions" archive. Canvas imports a column without an id as a new assignment,
which is what a fresh file offers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from autograder.exceptions import UsageError
from autograder.lms.base import ExportInfo, Grade, GradeFile, short_number
from autograder.lms.csvfile import CsvFile, cell_number

STUDENT, ID, SIS_USER, SIS_LOGIN, SECTION = "Student", "ID", "SIS User ID", "SIS Login ID", "Section"
LAST_NAME, FIRST_NAME = "LastName", "FirstName"
FIXED = (STUDENT, LAST_NAME, FIRST_NAME, ID, SIS_USER, SIS_LOGIN, SECTION, "Integration ID", "Root Account")
POINTS_POSSIBLE = "Points Possible"
_ASSIGNMENT = re.compile(r"^(?P<title>.*\S)\s*\((?P<id>\d+)\)$")
TOTALS = ("Current Score", "Unposted Current Score", "Final Score", "Unposted Final Score",
          "Current Grade", "Unposted Current Grade", "Final Grade", "Unposted Final Grade",
          "Current Points", "Final Points", "Unposted Current Points", "Unposted Final Points")


class Canvas:
    name = "canvas"

    def fresh(self, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        column = info.column or info.title
        maximum = max((g.out_of for g in grades), default=0.0)
        sheet = CsvFile([], bom=b"\xef\xbb\xbf")
        sheet.add_row([STUDENT, ID, SIS_USER, SIS_LOGIN, SECTION, column])
        sheet.add_row(["    " + POINTS_POSSIBLE, "", "", "", "", short_number(maximum)])
        for grade in grades:
            sheet.add_row([grade.name, grade.submission, "", "", "", short_number(grade.score)])
        return GradeFile(sheet.dumps(), len(grades))

    def fill(self, template: CsvFile, grades: Sequence[Grade], info: ExportInfo) -> GradeFile:
        ident = template.column(ID)
        if not _names_students(template) or ident is None:
            raise UsageError(f"the template is not a Canvas gradebook export: it needs the columns "
                             f"{STUDENT!r} (or {LAST_NAME!r} and {FIRST_NAME!r}) and {ID!r} "
                             f"(header: {template.header()})")
        column = self._column(template, info)
        possible = next((r for r in range(1, len(template.rows))
                         if template.get(r, 0).strip() == POINTS_POSSIBLE), None)
        maximum = cell_number(template.get(possible, column)) if possible is not None else None
        by_id = {g.submission: g for g in grades}
        seen: set[str] = set()
        for row in range(1, len(template.rows)):
            key = template.get(row, ident).strip()
            if row == possible or key not in by_id:
                continue
            seen.add(key)
            template.set(row, column, short_number(by_id[key].scaled(maximum)))
        missing = [g for g in grades if g.submission not in seen]
        warnings = [f"not in the gradebook, not written: " + ", ".join(
            g.submission + (f" ({g.name})" if g.name else "") for g in missing)] if missing else []
        return GradeFile(template.dumps(), len(seen), warnings)

    def _column(self, template: CsvFile, info: ExportInfo) -> int:
        """The assignment's column: named with --column, else the one whose title is the
        assignment's, else the only assignment column there is."""
        header = template.header()
        if info.column is not None:
            found = template.column(info.column)
            if found is None:
                raise UsageError(f"no column {info.column!r} in the template (columns: {header})")
            return found
        candidates = {i: m for i, h in enumerate(header)
                      if h.strip() not in FIXED + TOTALS and (m := _ASSIGNMENT.match(h.strip()))}
        wanted = {info.title.strip().lower(), info.assignment.strip().lower()}
        matching = [i for i, m in candidates.items() if m.group("title").strip().lower() in wanted]
        if len(matching) == 1:
            return matching[0]
        if len(candidates) == 1 and not matching:
            return next(iter(candidates))
        names = ", ".join(repr(header[i]) for i in candidates) or "none"
        raise UsageError(f"cannot tell which column is {info.title!r} (assignment columns: {names}); "
                         "name it with --column")


def _names_students(template: CsvFile) -> bool:
    """Whether the header names students as a Canvas export does: ``Student``, or
    ``LastName`` and ``FirstName`` (the gradebook's "split student names" view)."""
    return template.column(STUDENT) is not None or \
        (template.column(LAST_NAME) is not None and template.column(FIRST_NAME) is not None)
