"""Late penalty arithmetic and LMS manifest parsing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from autograder.config import AssignmentConfig, LatePenalty
from autograder.exceptions import UsageError
from autograder.late import (Extension, apply_late, late_for, late_info, load_manifest, parse_timestamp,
                             read_manifest)
from autograder.results import CheckResult, LateInfo, QuestionResult, SubmissionResult
from tests.helpers import make_mini_project, run_cli, write_notebook

MSK = timezone(timedelta(hours=3))
DUE = datetime(2026, 12, 1, 23, 59, tzinfo=MSK)
RULE = LatePenalty(percent_per_day=10, max_percent=50, grace_minutes=15)


def after(**delta: float) -> datetime:
    return DUE + timedelta(**delta)


@pytest.mark.parametrize(
    ("submitted", "days", "percent"),
    [
        (after(minutes=-5), None, None),          # early
        (after(minutes=15), None, None),          # exactly at the end of the grace period
        (after(minutes=16), 1, 10),               # one minute past grace: a started day
        (after(hours=24, minutes=15), 1, 10),     # a full day after grace
        (after(hours=24, minutes=16), 2, 20),     # into the second day
        (after(days=4, hours=23), 5, 50),
        (after(days=30), 30, 50),                 # capped
    ],
)
def test_days_are_started_days_after_grace(submitted: datetime, days: int | None,
                                           percent: float | None) -> None:
    info = late_info(DUE, RULE, submitted)
    if days is None:
        assert info is None
    else:
        assert info is not None
        assert (info.days_late, info.penalty_percent) == (days, percent)


def test_naive_submission_time_is_read_in_the_due_dates_zone() -> None:
    on_time = late_info(DUE, RULE, datetime(2026, 12, 1, 23, 59))
    assert on_time is None
    late = late_info(DUE, RULE, datetime(2026, 12, 2, 1, 0))
    assert late is not None and late.days_late == 1
    assert late.submitted_at == "2026-12-02T01:00:00+03:00"


def test_other_time_zones_are_compared_as_instants() -> None:
    # 21:30 UTC is 00:30 Moscow time: 31 minutes late, past the 15 minute grace
    info = late_info(DUE, RULE, datetime(2026, 12, 1, 21, 30, tzinfo=timezone.utc))
    assert info is not None and info.days_late == 1


def test_zero_rate_still_records_lateness_without_penalty() -> None:
    info = late_info(DUE, LatePenalty(percent_per_day=0), after(days=2))
    assert info is not None and info.days_late == 2 and info.penalty_percent == 0


def result(submission: str = "alice") -> SubmissionResult:
    check = CheckResult(name="c", passed=True, score=8.0, max_score=8.0)
    return SubmissionResult("activations", submission, (QuestionResult("q", (check,), 8.0),))


def test_penalty_is_taken_off_the_raw_score_and_apply_is_idempotent() -> None:
    late = LateInfo("2026-12-03T10:00:00+03:00", 2, 25.0)
    graded = apply_late(result(), late)
    assert (graded.raw_score, graded.score) == (8.0, 6.0)
    assert apply_late(graded, late) is graded
    assert apply_late(graded, None).score == 8.0


def test_late_for_uses_the_manifest_time_of_that_submission() -> None:
    config = AssignmentConfig(questions={"q": 8}, due=DUE, late_penalty=RULE)
    times = {"alice": after(days=1, hours=1), "bob": after(hours=-1)}
    assert late_for(result("alice"), config, times).score == pytest.approx(6.4)
    assert late_for(result("bob"), config, times).late is None
    assert late_for(result("carol"), config, times).late is None
    no_due = AssignmentConfig(questions={"q": 8})
    assert late_for(result("alice"), no_due, times).late is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01T23:59:00+03:00", datetime(2026, 12, 1, 23, 59, tzinfo=MSK)),
        ("2026-12-01T20:59:00Z", datetime(2026, 12, 1, 20, 59, tzinfo=timezone.utc)),
        ("2026-12-01 23:59:00", datetime(2026, 12, 1, 23, 59)),
        ("2026-12-01 23:59:00 +0300", datetime(2026, 12, 1, 23, 59, tzinfo=MSK)),
        ("01.12.2026 23:59", datetime(2026, 12, 1, 23, 59)),
        ("01.12.2026 23:59:30", datetime(2026, 12, 1, 23, 59, 30)),
        ("Tuesday, 1 December 2026, 11:59 PM", datetime(2026, 12, 1, 23, 59)),
        ("12/01/2026 11:59 PM", datetime(2026, 12, 1, 23, 59)),
    ],
)
def test_timestamp_formats(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


def write(tmp_path: Path, text: str, name: str = "manifest.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_manifest_with_lms_column_names_semicolons_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        "\ufeffLogin;Submission Time;Grade\n"
        "alice;01.12.2026 23:00;\n"
        "bob;;\n"
        "carol;03.12.2026 10:00;\n".encode()
    )
    times = read_manifest(path)
    assert times == {"alice": datetime(2026, 12, 1, 23, 0), "carol": datetime(2026, 12, 3, 10, 0)}


def test_manifest_keeps_the_latest_attempt(tmp_path: Path) -> None:
    path = write(tmp_path, "id,timestamp\nalice,2026-12-02T10:00:00+03:00\n"
                           "alice,2026-12-01T10:00:00+03:00\n")
    assert read_manifest(path)["alice"] == datetime(2026, 12, 2, 10, tzinfo=MSK)


def test_bad_date_names_file_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "student,submitted_at\nalice,2026-12-01T10:00:00\nbob,yesterday\n")
    with pytest.raises(UsageError) as caught:
        read_manifest(path)
    text = str(caught.value)
    assert str(path) in text and "row 3" in text and "'submitted_at'" in text
    assert "'yesterday'" in text


def test_missing_columns_and_missing_file_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="row 1: no submission time column"):
        read_manifest(write(tmp_path, "student,grade\nalice,5\n"))
    with pytest.raises(UsageError, match="row 1: no id column"):
        read_manifest(write(tmp_path, "who,timestamp\nalice,2026-12-01\n"))
    with pytest.raises(UsageError, match="not found"):
        read_manifest(tmp_path / "nope.csv")


def test_row_without_an_id_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="row 2, column 'id': empty id"):
        read_manifest(write(tmp_path, "id,timestamp\n,2026-12-01T10:00\n"))


def test_submissions_the_manifest_has_no_time_for_are_warned_about(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A manifest keyed by e-mail against notebooks named by login gave nobody a
    penalty, silently; now one warning says how many got none and which."""
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text() + "    due: 2026-12-01T23:59:00+03:00\n")
    folder = tmp_path / "in"
    for student in ("ivanov", "petrova"):
        write_notebook(folder / f"{student}.ipynb", ["def double(x):\n    return 2 * x\n"])
    manifest = tmp_path / "times.csv"
    manifest.write_text("id,submitted_at\nivanov,2026-12-03T10:00:00+03:00\nivanov@x.ru,2026-12-03\n")
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(folder),
                   "--out", str(tmp_path / "out"), "--manifest", str(manifest)) == 0
    warnings = [line for line in capfd.readouterr().err.splitlines() if "warning" in line]
    assert warnings == [f"autograder: warning: manifest {manifest}: no submission time for 1 of 2 "
                        "submissions (petrova): graded without a late penalty"]
    assert ",graded,20," in (tmp_path / "out" / "grades.csv").read_text()  # ivanov: 2 days late


def test_a_due_date_without_a_zone_is_read_in_the_course_time_zone(tmp_path: Path) -> None:
    """``due: 2026-12-01 23:59`` was read in the grading machine's zone: on a server in UTC
    a Moscow class got three more hours (Canvas's 21:30Z, 00:30 in Moscow, on time), and
    the same class graded elsewhere got other penalties. ``timezone:`` names the zone."""
    from autograder.config import load_settings

    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text().replace("language: en\n", "language: en\ntimezone: Europe/Moscow\n")
                      + "    due: 2026-12-01 23:59\n")
    assignment = load_settings(config).assignment("mini")
    assert assignment.due == datetime(2026, 12, 1, 23, 59, tzinfo=ZoneInfo("Europe/Moscow"))
    canvas = parse_timestamp("2026-12-01T21:30:00Z")
    late = late_info(assignment.due, assignment.late_penalty, canvas)
    assert late is not None and (late.days_late, late.penalty_percent) == (1.0, 10.0)
    moodle = parse_timestamp("вторник, 1 декабря 2026, 23:59")  # no zone: the course's
    assert late_info(assignment.due, assignment.late_penalty, moodle) is None


def test_an_unknown_course_time_zone_is_one_line_naming_the_key(tmp_path: Path) -> None:
    from autograder.config import load_settings
    from autograder.exceptions import ConfigError

    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text().replace("language: en\n", "language: en\ntimezone: Europe/Moskow\n"))
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert "timezone: unknown time zone 'Europe/Moskow' (an IANA name such as Europe/Moscow)" in str(caught.value)


def test_days_late_count_real_hours_across_a_change_to_summer_time() -> None:
    """Berlin moves its clocks on 29 March 2026: 12:30 the next day is 23 h 30 min after
    a noon deadline, one day late, not the two its wall clock said."""
    berlin = ZoneInfo("Europe/Berlin")
    due = datetime(2026, 3, 28, 12, 0, tzinfo=berlin)
    late = late_info(due, LatePenalty(percent_per_day=10), datetime(2026, 3, 29, 12, 30))
    assert late is not None and (late.days_late, late.penalty_percent) == (1.0, 10.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 23:59:00 UTC", datetime(2026, 12, 1, 23, 59, tzinfo=timezone.utc)),
        ("2026-12-01 23:59 GMT", datetime(2026, 12, 1, 23, 59, tzinfo=timezone.utc)),
        ("13/12/2026 23:59", datetime(2026, 12, 13, 23, 59)),     # only a day can be 13
        ("12/13/2026 23:59", datetime(2026, 12, 13, 23, 59)),
        ("Dec 1, 2026 11:59 PM", datetime(2026, 12, 1, 23, 59)),
        ("2026/12/01 23:59", datetime(2026, 12, 1, 23, 59)),      # year first: year, month, day
    ],
)
def test_unambiguous_forms_beyond_the_fixed_ones_are_read(text: str, expected: datetime) -> None:
    """``2026-12-01 23:59:00 UTC`` (what many exports write) was "cannot read as a date"."""
    assert parse_timestamp(text) == expected


def test_a_day_and_month_that_could_be_either_way_round_are_one_clear_line(tmp_path: Path) -> None:
    """``12/1/2026 23:59`` is 1 December in the US and 12 January in Europe: refused,
    naming the value and what to write instead, never guessed."""
    path = write(tmp_path, "id,submitted_at\nalice,2026-12-01T10:00:00\nbob,12/1/2026 23:59\n")
    with pytest.raises(UsageError) as caught:
        read_manifest(path)
    assert str(caught.value) == (
        f"manifest {path}: row 3, column 'submitted_at': '12/1/2026 23:59' is ambiguous: day and month "
        "could be either way round (12 January or 1 December); write the year first (2026-12-01 23:59) "
        "or the day with dots (01.12.2026 23:59)")


@pytest.mark.parametrize(("text", "said"), [
    ("2026", "does not name a whole date"),
    ("Dec 1 11:59 PM", "does not name a whole date"),          # which year?
    ("2026-12-01 23:59 MSK", "the time zone 'MSK' is not read here"),   # dateutil: dropped, or local
    ("2026-12-01 23:59 GMT+3", "write the offset alone"),                # dateutil: three hours west
    ("yesterday", "cannot read 'yesterday' as a date and time (expected ISO 8601"),
])
def test_what_cannot_be_read_for_sure_is_refused(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=re.escape(said)):
        parse_timestamp(text)


def test_the_manifest_and_the_config_read_the_same_forms(tmp_path: Path,
                                                         capfd: pytest.CaptureFixture[str]) -> None:
    """Through the command: a due date and a submission time in ``... UTC`` grade with
    their penalty; an ambiguous due date is one line naming the file and key, exit 2."""
    config = make_mini_project(tmp_path / "course")
    text = config.read_text()
    config.write_text(text + "    due: 2026-12-01 20:59:00 UTC\n    late_penalty: {percent_per_day: 10}\n")
    write_notebook(tmp_path / "in" / "ivanov.ipynb", ["def double(x):\n    return 2 * x\n"])
    manifest = write(tmp_path, "id,submitted_at\nivanov,2026-12-03 10:00:00 UTC\n")
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(tmp_path / "in"),
                   "--out", str(tmp_path / "out"), "--manifest", str(manifest)) == 0
    assert ",graded,20," in (tmp_path / "out" / "grades.csv").read_text()  # 2 started days late
    capfd.readouterr()
    config.write_text(text + "    due: 12/1/2026 23:59\n")
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(tmp_path / "in"),
                   "--out", str(tmp_path / "out2")) == 2
    error = capfd.readouterr().err.strip()
    assert error == (f"autograder: error: {config}: assignments.mini.due: '12/1/2026 23:59' is ambiguous: "
                     "day and month could be either way round (12 January or 1 December); write the year "
                     "first (2026-12-01 23:59) or the day with dots (01.12.2026 23:59)")


def test_the_manifest_gives_students_their_own_deadlines(tmp_path: Path) -> None:
    """Gradescope's extensions counted (its metadata) and a manifest's could not be said
    at all: now a ``due`` column replaces the assignment's due date for its student and
    ``extension_hours`` adds hours to whichever holds; empty cells leave the class's."""
    path = write(tmp_path, "id,submitted_at,due,extension_hours\n"
                           "alice,2026-12-03T10:00:00+03:00,,48\n"
                           "bob,2026-12-03T10:00:00+03:00,2026-12-02 23:59,\n"
                           "carol,2026-12-03T10:00:00+03:00,2026-12-02 23:59,24\n"
                           "dave,2026-12-03T10:00:00+03:00,,\n")
    manifest = load_manifest(path)
    assert manifest.extensions == {"alice": Extension(None, 48.0), "bob": Extension(datetime(2026, 12, 2, 23, 59)),
                                   "carol": Extension(datetime(2026, 12, 2, 23, 59), 24.0)}
    config = AssignmentConfig(questions={"q": 8}, due=DUE, late_penalty=RULE)
    late = {who: late_for(result(who), config, manifest.times, manifest.extensions).late
            for who in ("alice", "bob", "carol", "dave")}
    assert late["alice"] is None and late["carol"] is None
    assert late["bob"] == LateInfo("2026-12-03T10:00:00+03:00", 1.0, 10.0)   # his own date, in DUE's zone
    assert late["dave"] == LateInfo("2026-12-03T10:00:00+03:00", 2.0, 20.0)  # the class's


def test_an_extension_in_hours_is_real_hours_across_a_change_to_summer_time() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    due = datetime(2026, 3, 28, 12, 0, tzinfo=berlin)
    assert Extension(hours=24).applied(due) == datetime(2026, 3, 29, 13, 0, tzinfo=berlin)


def test_a_bad_extension_names_file_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "id,submitted_at,extension_hours\nalice,2026-12-03T10:00:00+03:00,two days\n")
    with pytest.raises(UsageError) as caught:
        load_manifest(path)
    assert str(caught.value) == (f"manifest {path}: row 2, column 'extension_hours': "
                                 "expected a number of hours, 0 or more (got 'two days')")


def test_grade_applies_a_manifests_extension(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text() + "    due: 2026-12-01T23:59:00+03:00\n"
                                           "    late_penalty: {percent_per_day: 10}\n")
    for student in ("ivanov", "petrova"):
        write_notebook(tmp_path / "in" / f"{student}.ipynb", ["def double(x):\n    return 2 * x\n"])
    manifest = write(tmp_path, "Login;Submission Time;Extension hours\n"
                               "ivanov;03.12.2026 10:00;48\npetrova;03.12.2026 10:00;\n")
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(tmp_path / "in"),
                   "--out", str(tmp_path / "out"), "--manifest", str(manifest)) == 0
    rows = (tmp_path / "out" / "grades.csv").read_text().splitlines()
    penalties = {row.split(",")[0]: row.split(",")[rows[0].split(",").index("late_penalty_percent")]
                 for row in rows[1:]}
    assert penalties == {"ivanov": "0", "petrova": "20"}


@pytest.mark.parametrize(("zone", "shown"), [
    ("", "Submitted 2026-12-01 23:59:00 UTC, 1 day(s) late"),
    ("timezone: Europe/Moscow\n", "Submitted 2026-12-02 02:59:00 MSK, 1 day(s) late"),
])
def test_the_late_notice_shows_the_time_as_the_pages_do(tmp_path: Path, zone: str, shown: str) -> None:
    """The feedback's late notice showed the stored time (``2026-12-01 23:59:00+00:00``)
    where the course's pages say ``2026-12-01 23:59:00 UTC``, or the time in the course's
    ``timezone:``; both now write it with the one function (``reports.text.shown_time``)."""
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text().replace("language: en\n", "language: en\n" + zone)
                      + "    due: 2026-11-30T23:59:00+00:00\n")
    write_notebook(tmp_path / "in" / "ivanov.ipynb", ["def double(x):\n    return 2 * x\n"])
    manifest = write(tmp_path, "id,submitted_at\nivanov,2026-12-01T23:59:00+00:00\n")
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(tmp_path / "in"),
                   "--out", str(tmp_path / "out"), "--manifest", str(manifest)) == 0
    for suffix in ("md", "html"):
        assert shown in (tmp_path / "out" / "feedback" / f"ivanov.{suffix}").read_text(encoding="utf-8")
