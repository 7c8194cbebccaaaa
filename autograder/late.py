"""Late work: submission times from an LMS manifest, days late, and the penalty.

The due date and the penalty rule of an assignment come from ``grading_config.yaml``
(:class:`~autograder.config.AssignmentConfig`). When each student submitted comes from
a CSV file exported by the LMS (``--manifest``). LMS exports differ in column names,
delimiters and date formats, so the reader accepts the common ones and reports a bad
line with its file, row and column instead of guessing.

Rules, fixed here so every report agrees:

- a submission up to ``grace_minutes`` after the due time is on time;
- after that, every started day counts, measured from the end of the grace period
  (grace 15 min, 24 h 10 min late -> 1 day; 24 h 20 min late -> 2 days);
- the penalty is ``days * percent_per_day`` capped at ``max_percent``, taken off the
  raw score (``SubmissionResult.score``);
- a timestamp without a time zone is read in the due date's time zone;
- a student's own due date in the manifest replaces the assignment's for that student,
  and hours granted there are added to whichever due date holds (real hours).
"""

from __future__ import annotations

import csv
import dataclasses
import re
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path

from autograder.config import AssignmentConfig, LatePenalty
from autograder.exceptions import UsageError
from autograder.moments import parse_timestamp
from autograder.results import LateInfo, SubmissionResult

ID_COLUMNS = (
    "submission", "submission_id", "id", "student", "student_id", "login", "username",
    "user", "email",
    "identifier", "идентификатор",  # Moodle's offline grading worksheet: "Participant 123456"
)
TIME_COLUMNS = (
    "submitted_at", "submission_time", "submitted", "timestamp", "time", "date",
    "last_modified", "submission_date",
    "last_modified_(submission)",   # Moodle's worksheet (en, ru)
    "последнее_изменение_(ответ)", "последнее_изменение_работы",
)
# Optional: a student's own due date (an extension, an LMS's per-student override), and
# hours granted past whichever due date holds (an extension given by hand)
DUE_COLUMNS = ("due", "due_date", "due_at", "personal_due", "extended_due")
EXTENSION_COLUMNS = ("extension_hours", "extra_hours")
# Moodle's worksheet names a student "Participant <id>" (the id in its archive's names)
# and writes "-" for a time it does not have.
_MOODLE_ID = re.compile(r"^\S+\s+(\d+)$")
_NO_TIME = ("-", "—")


def _normalise(column: str) -> str:
    return "_".join(column.strip().lower().replace("-", " ").replace("_", " ").split())


def _aligned(moment: datetime, due: datetime) -> datetime:
    """``moment`` comparable with ``due``.

    A naive time is taken in the due date's zone; an aware time against a naive due
    date is converted to this machine's local time.
    """
    if (moment.tzinfo is None) == (due.tzinfo is None):
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=due.tzinfo)
    return moment.astimezone().replace(tzinfo=None)


def late_info(due: datetime, penalty: LatePenalty, submitted_at: datetime) -> LateInfo | None:
    """How late ``submitted_at`` is and what it costs; None when it is on time."""
    submitted = _aligned(submitted_at, due)
    overdue = _elapsed(due, submitted) - timedelta(minutes=penalty.grace_minutes)
    if overdue <= timedelta(0):
        return None
    days = math.ceil(overdue / timedelta(days=1))
    percent = min(days * penalty.percent_per_day, penalty.max_percent)
    return LateInfo(
        submitted_at=submitted.isoformat(),
        days_late=float(days),
        penalty_percent=round(float(percent), 6),
    )


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from ``start`` to ``end``: in UTC when they have a zone, since Python
    subtracts two times of the same zone by their clocks (across a change to summer time
    23 h 30 min read as 24 h 30 min, a second day late)."""
    if start.tzinfo is None:
        return end - start
    return end.astimezone(timezone.utc) - start.astimezone(timezone.utc)


def apply_late(result: SubmissionResult, late: LateInfo | None) -> SubmissionResult:
    """The same result with ``late`` replaced (idempotent: safe on a cached result)."""
    if result.late == late:
        return result
    return dataclasses.replace(result, late=late)


@dataclasses.dataclass(frozen=True)
class Extension:
    """One student's deadline as the manifest gives it: ``due`` in place of the
    assignment's (as Gradescope's metadata carries an extension), then ``hours`` more."""

    due: datetime | None = None
    hours: float = 0.0

    def applied(self, due: datetime | None) -> datetime | None:
        """The due date that holds for this student, given the assignment's ``due``
        (a personal date without a zone is read in that date's zone, as times are)."""
        own = self.due if self.due is None or due is None else _aligned(self.due, due)
        base = due if own is None else own
        return None if base is None else _plus(base, timedelta(hours=self.hours))


def _plus(moment: datetime, span: timedelta) -> datetime:
    """``moment`` + ``span`` of real time: 48 hours are 48 also across a change to
    summer time (Python adds to a zoned time by its clock)."""
    if moment.tzinfo is None:
        return moment + span
    return (moment.astimezone(timezone.utc) + span).astimezone(moment.tzinfo)


@dataclasses.dataclass(frozen=True)
class Manifest:
    """What an LMS's export (``--manifest``) says per submission id."""

    times: dict[str, datetime]
    extensions: dict[str, Extension] = dataclasses.field(default_factory=dict)


def late_for(
    result: SubmissionResult, assignment: AssignmentConfig, times: Mapping[str, datetime],
    extensions: Mapping[str, Extension] | None = None,
) -> SubmissionResult:
    """``result`` with the penalty its manifest time earns against its due date (the
    student's own when ``extensions`` has one); none without a due date or time."""
    submitted = times.get(result.submission)
    extension = (extensions or {}).get(result.submission)
    due = assignment.due if extension is None else extension.applied(assignment.due)
    if due is None or submitted is None:
        return apply_late(result, None)
    return apply_late(result, late_info(due, assignment.late_penalty, submitted))


def untimed(submissions: Iterable[str], times: Mapping[str, datetime]) -> list[str]:
    """The submission ids the manifest has no time for: graded without a late penalty,
    which the instructor should hear (a manifest keyed by e-mail against files named by
    login applied no penalty to anyone, silently)."""
    return [ident for ident in submissions if ident not in times]


def _pick(columns: Iterable[str], wanted: tuple[str, ...]) -> str | None:
    by_name = {_normalise(c): c for c in columns}
    for name in wanted:
        if name in by_name:
            return by_name[name]
    return None


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_manifest(path: Path) -> dict[str, datetime]:
    """Submission id -> submission time, from an LMS's CSV export (:func:`load_manifest`)."""
    return load_manifest(path).times


@dataclasses.dataclass(frozen=True)
class _Columns:
    """The manifest's columns by their role (the optional ones None when absent)."""

    id: str
    time: str
    due: str | None
    hours: str | None


def load_manifest(path: Path) -> Manifest:
    """Submission times and personal deadlines from an LMS's CSV export.

    The header names an id column (one of :data:`ID_COLUMNS`, any case, spaces or
    underscores) and a time column (:data:`TIME_COLUMNS`); optionally a student's own
    due date (:data:`DUE_COLUMNS`) and hours granted past the due date
    (:data:`EXTENSION_COLUMNS`), an empty cell meaning none. Comma, semicolon and tab
    delimiters, a UTF-8 BOM and Excel's Russian CSV (Windows-1251) are accepted. Rows
    with an empty time are skipped (not submitted); when an id appears more than once
    the latest time counts (the last attempt is the one graded), and the last
    extension given. Raises :class:`UsageError` naming the file, row and column of the
    first bad value.
    """
    text = _manifest_text(path)
    reader = csv.DictReader(text.splitlines(), dialect=_dialect(text))
    columns = _columns(path, list(reader.fieldnames or []))
    times: dict[str, datetime] = {}
    extensions: dict[str, Extension] = {}
    for row_number, row in enumerate(reader, start=2):
        ident, stamp = _row_id(row, columns.id), _cell(row, columns.time)
        stamp = "" if stamp in _NO_TIME else stamp
        extension = _extension(path, row_number, row, columns)
        if not ident and not stamp and extension is None:
            continue
        if not ident:
            raise UsageError(f"manifest {path}: row {row_number}, column {columns.id!r}: empty id")
        if extension is not None:
            extensions[ident] = extension
        if not stamp:
            continue
        moment = _moment(path, row_number, columns.time, stamp)
        previous = times.get(ident)
        if previous is None or _later(moment, previous):
            times[ident] = moment
    return Manifest(times, extensions)


def _manifest_text(path: Path) -> str:
    from autograder.lms.csvfile import text_of

    try:
        return text_of(path.read_bytes(), f"manifest {path}")  # Excel's Russian CSV (Windows-1251) too
    except FileNotFoundError:
        raise UsageError(f"manifest {path}: file not found") from None
    except OSError as error:
        raise UsageError(f"manifest {path}: cannot be read ({error})") from None


def _columns(path: Path, header: list[str]) -> _Columns:
    id_column = _pick(header, ID_COLUMNS)
    time_column = _pick(header, TIME_COLUMNS)
    if id_column is None or time_column is None:
        missing = "id column" if id_column is None else "submission time column"
        accepted = ID_COLUMNS if id_column is None else TIME_COLUMNS
        raise UsageError(
            f"manifest {path}: row 1: no {missing} (header {header}; "
            f"accepted names: {', '.join(accepted)})"
        )
    return _Columns(id_column, time_column, _pick(header, DUE_COLUMNS), _pick(header, EXTENSION_COLUMNS))


def _cell(row: dict[str, str], column: str | None) -> str:
    return (row.get(column) or "").strip() if column is not None else ""


def _row_id(row: dict[str, str], column: str) -> str:
    """The row's submission id; Moodle's ``Participant 123456`` is ``123456``."""
    ident = _cell(row, column)
    if _normalise(column) in ("identifier", "идентификатор") and (moodle := _MOODLE_ID.match(ident)):
        return moodle.group(1)
    return ident


def _moment(path: Path, row_number: int, column: str, text: str) -> datetime:
    try:
        return parse_timestamp(text)
    except ValueError as error:
        raise UsageError(f"manifest {path}: row {row_number}, column {column!r}: {error}") from None


def _extension(path: Path, row_number: int, row: dict[str, str], columns: _Columns) -> Extension | None:
    """The row's personal deadline; None when its cells give none."""
    due_text, hours_text = _cell(row, columns.due), _cell(row, columns.hours)
    due_text = "" if due_text in _NO_TIME else due_text
    if not due_text and not hours_text:
        return None
    due = _moment(path, row_number, str(columns.due), due_text) if due_text else None
    return Extension(due, _hours(path, row_number, str(columns.hours), hours_text) if hours_text else 0.0)


def _hours(path: Path, row_number: int, column: str, text: str) -> float:
    from autograder.lms.csvfile import cell_number

    hours = cell_number(text)
    if hours is None or not math.isfinite(hours) or hours < 0:
        raise UsageError(f"manifest {path}: row {row_number}, column {column!r}: "
                         f"expected a number of hours, 0 or more (got {text!r})")
    return hours


def _later(a: datetime, b: datetime) -> bool:
    return _aligned(a, b) > b
