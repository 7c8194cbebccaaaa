"""The instructor's scores of questions graded by hand, uploaded to the server.

The table is the one ``grade --manual`` reads (:func:`autograder.manual.read_scores`),
merged by the same :func:`autograder.manual.merge` into each student's latest graded
result of the assignment, so the server's score, feedback and grades CSV say what
``grade --manual`` would have written. A table with any bad row (or a student with no
graded result here) changes nothing; a table taken is kept under
``<state>/manual/<assignment>/`` (nothing accepted is lost), and a submission graded after
it (a new one, a regrade) gets the newest table's scores too (:func:`with_kept_scores`).
"""

from __future__ import annotations

from pathlib import Path

from autograder.atomic import write_bytes_atomic
from autograder.config import Settings
from autograder.manual import Score, ScoresError, merge, read_scores, unmatched
from autograder.results import SubmissionResult
from autograder.server.service import CourseService, result_of
from autograder.server.store import now_iso
from autograder.server.texts import tr


class BadScores(Exception):
    """A table refused: one line per problem, in the course's language."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def apply_scores(service: CourseService, assignment: str, data: bytes) -> int:
    """Merge the table ``data`` into the latest graded results of ``assignment``; how many
    results it went into. Raises :class:`BadScores` (then nothing is changed or kept)."""
    folder = service.state / "manual" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    upload = folder / f"{now_iso().replace(':', '-')}.csv.part"
    write_bytes_atomic(upload, data, mode=0o600, durable=True)
    try:
        merged = _merged(service, assignment, upload)
    except BaseException:
        upload.unlink(missing_ok=True)
        raise
    service.store.set_results({ident: result.dumps() for ident, result in merged.items()})
    for ident, result in merged.items():
        service.files.store_result(ident, result)
    upload.rename(upload.with_suffix(""))  # kept: the table these results now carry
    return len(merged)


def _merged(service: CourseService, assignment: str, path: Path) -> dict[str, SubmissionResult]:
    manual = service.settings.assignment(assignment).manual
    try:
        scores = read_scores(path, manual)
    except ScoresError as error:
        raise BadScores(error.lines(service.language)) from None
    results = {row.id: result_of(row) for row in service.store.latest_graded(assignment)}
    _check_students(service, scores, list(results.values()))
    return {ident: merge(result, manual, scores, service.language) for ident, result in results.items()}


def _check_students(service: CourseService, scores: dict[tuple[str, str], Score],
                    results: list[SubmissionResult]) -> None:
    """Every row names a student with a graded result here, as :func:`merge` finds one (the
    id, or the name the result carries): a misspelt one's score would otherwise be lost
    without a word."""
    known = [who for result in results for who in (result.submission, str(result.extra.get("student_name") or ""))
             if who]
    strays = unmatched(scores, known)
    if strays:
        raise BadScores([tr("manual_unknown_student", service.language, line=line, student=repr(student))
                         for line, student in strays])


def kept_table(state: Path, assignment: str) -> Path | None:
    """The newest table taken for ``assignment`` (named by the time it was taken), or None."""
    folder = state / "manual" / assignment
    tables = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    return tables[-1] if tables else None


def with_kept_scores(result: SubmissionResult, settings: Settings, state: Path) -> SubmissionResult:
    """``result`` as the newest table taken for its assignment scores it: a student who
    submits again, or a regrade, after the instructor's upload keeps the instructor's score
    (a new result would otherwise say "not scored yet" until the table was sent again)."""
    manual = settings.assignment(result.assignment).manual
    table = kept_table(state, result.assignment) if manual else None
    if table is None:
        return result
    try:
        scores = read_scores(table, manual)
    except ScoresError:  # read when it was taken; changed since by hand: the result as graded
        return result
    return merge(result, manual, scores, settings.language)
