"""Formatting shared by the report formats: numbers, messages, visible details."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from autograder.config import zone_of
from autograder.i18n import Language, msg
from autograder.results import CheckResult, SubmissionResult

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")  # a terminal's control sequence (colours, cursor)


def number(value: float, places: int = 2) -> str:
    """A stable, short rendering: ``11``, ``10.5``, ``6.75`` (no ``-0``, no exponent)."""
    text = f"{round(value, places):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def shown_time(stamp: str, zone: str | None = None) -> str:
    """A stored time (ISO 8601) as people read it, the same on every page and in every
    report: to the second, with its zone named, in the course's ``timezone:`` when set,
    else UTC. A bare "00:41" on a Moscow course's page is read as Moscow time, three hours
    off, and ``2026-12-01T23:59:00+00:00`` is the file's form, not a reader's. A time
    without a zone is shown as written; one that is not ISO 8601, as it is."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp.replace("T", " ")
    if moment.tzinfo is None:
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    local = moment.astimezone(zone_of(zone) if zone else timezone.utc)
    return f"{local:%Y-%m-%d %H:%M:%S} {local:%Z}"


def who(result: SubmissionResult) -> str:
    """The submission as people read it: ``Ann Lee (123456)`` when an LMS archive gave
    the student's name (result key ``student_name``), else the submission id."""
    name = result.extra.get("student_name")
    return f"{name} ({result.submission})" if isinstance(name, str) and name else result.submission


def percent(result: SubmissionResult) -> str:
    return number(result.percent, 1)


def split_message(message: str) -> tuple[str, str]:
    """The first line (a sentence) and the rest (input/expected/got, a traceback)."""
    head, _, tail = message.strip("\n").partition("\n")
    return head, tail


def first_line(message: str, limit: int = 0) -> str:
    line = split_message(message)[0].strip()
    if limit and len(line) > limit:
        return line[: limit - 1] + "…"
    return line


def visible_message(check: CheckResult, show_hidden_details: bool, language: Language) -> str:
    """What a student may read about a failed check, and the instructor's note on a
    question graded by hand (their comment on full marks too)."""
    if check.passed and not check.graded_by_hand:
        return ""
    if check.visibility == "hidden" and not show_hidden_details:
        return msg("report.hidden_details").render(language)
    return check.message


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (a student's output may contain them)."""
    return _INVALID_XML.sub("\ufffd", text)


def printable(text: str) -> str:
    """``text`` for a file another program reads (an LMS's CSV import): ANSI colours
    (``\\x1b[31m``) dropped, and the other control characters a student's message may
    carry (a NUL, a bell) as U+FFFD, as in XML. A NUL stops CSV readers ("line contains
    NUL"), and an escape shows as a box in an LMS's comment; tabs and line breaks stay."""
    return xml_safe(_ANSI.sub("", text))


def first_error(result: SubmissionResult) -> str:
    """The first thing to read about a result: an error, else the first failed check (not
    the instructor's score of a question graded by hand: their judgement, not an error)."""
    if result.errors:
        return first_line(result.errors[0])
    for question in result.questions:
        if question.cause:
            return first_line(question.cause)
        failed = [c.message for c in question.checks if not c.passed and not c.graded_by_hand and c.message]
        unpaid = msg("check.form_needs_values", name=question.name)
        causes = [m for m in failed if m not in (unpaid.en, unpaid.ru)]  # a form check's note follows
        if causes or failed:
            return first_line((causes or failed)[0])
    return ""
