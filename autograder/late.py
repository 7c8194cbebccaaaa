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
- a timestamp without a time zone is read in the due date's time zone.
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


def late_for(
    result: SubmissionResult, assignment: AssignmentConfig, times: Mapping[str, datetime]
) -> SubmissionResult:
    """``result`` with the penalty its manifest time earns (none without a due date or time)."""
    submitted = times.get(result.submission)
    if assignment.due is None or submitted is None:
        return apply_late(result, None)
    return apply_late(result, late_info(assignment.due, assignment.late_penalty, submitted))


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
    """Submission id -> submission time, from an LMS's CSV export.

    The header names an id column (one of :data:`ID_COLUMNS`, any case, spaces or
    underscores) and a time column (:data:`TIME_COLUMNS`). Comma, semicolon and tab
    delimiters, a UTF-8 BOM and Excel's Russian CSV (Windows-1251) are accepted. Rows
    with an empty time are skipped (not submitted); when an id appears more than once
    the latest time counts (the last attempt is the one graded). Raises :class:`UsageError` naming the file, row and
    column of the first bad value.
    """
    from autograder.lms.csvfile import text_of

    try:
        text = text_of(path.read_bytes(), f"manifest {path}")  # Excel's Russian CSV (Windows-1251) too
    except FileNotFoundError:
        raise UsageError(f"manifest {path}: file not found") from None
    except OSError as error:
        raise UsageError(f"manifest {path}: cannot be read ({error})") from None
    reader = csv.DictReader(text.splitlines(), dialect=_dialect(text))
    header = reader.fieldnames or []
    id_column = _pick(header, ID_COLUMNS)
    time_column = _pick(header, TIME_COLUMNS)
    if id_column is None or time_column is None:
        missing = "id column" if id_column is None else "submission time column"
        accepted = ID_COLUMNS if id_column is None else TIME_COLUMNS
        raise UsageError(
            f"manifest {path}: row 1: no {missing} (header {header}; "
            f"accepted names: {', '.join(accepted)})"
        )
    times: dict[str, datetime] = {}
    for row_number, row in enumerate(reader, start=2):
        ident = (row.get(id_column) or "").strip()
        stamp = (row.get(time_column) or "").strip()
        if _normalise(id_column) in ("identifier", "идентификатор") and (moodle := _MOODLE_ID.match(ident)):
            ident = moodle.group(1)
        if stamp in _NO_TIME:
            stamp = ""
        if not ident and not stamp:
            continue
        if not ident:
            raise UsageError(f"manifest {path}: row {row_number}, column {id_column!r}: empty id")
        if not stamp:
            continue
        try:
            moment = parse_timestamp(stamp)
        except ValueError as error:
            raise UsageError(f"manifest {path}: row {row_number}, column {time_column!r}: {error}") from None
        previous = times.get(ident)
        if previous is None or _later(moment, previous):
            times[ident] = moment
    return times


def _later(a: datetime, b: datetime) -> bool:
    return _aligned(a, b) > b
