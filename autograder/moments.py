"""Reading the times people and LMSs write: due dates in ``grading_config.yaml``,
submission times and personal due dates in a manifest (``grade --manifest``).

Apart from :mod:`autograder.late` so that the config can read its ``due`` the same way
without importing the late-work rules (which import the config).

Fixed forms come first, each with one meaning: ISO 8601, the formats LMSs export (Moodle
in English and Russian, a Russian locale's ``01.12.2026 23:59``, a US export's
``12/01/2026 11:59 PM``). Anything else is read by dateutil (``2026-12-01 23:59:00 UTC``,
``Dec 1, 2026 11:59 PM``, ``13/12/2026 23:59``) only when its reading does not depend on
a guess: ``12/1/2026 23:59`` is 1 December to an American and 12 January to a European,
and a penalty computed from the wrong one is silent, so that is refused with a message
that names the value and the forms to write instead. So is a zone by a name other than
UTC's (``MSK`` is this machine's zone to dateutil on a machine in Moscow, and dropped
elsewhere) and a name with an offset (``GMT+3``, which dateutil reads the POSIX way round).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

# Tried in order after ISO 8601; the first that parses wins.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",          # Gradescope: 2026-12-01 23:59:00 +0300
    "%d.%m.%Y %H:%M:%S",             # Russian locale exports: 01.12.2026 23:59:00
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y, %H:%M",
    "%A, %d %B %Y, %I:%M %p",        # Moodle (en): Tuesday, 1 December 2026, 11:59 PM
    "%d %B %Y, %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",          # US exports with AM/PM: 12/01/2026 11:59:00 PM
    "%m/%d/%Y %I:%M %p",
)
DATE_HELP = ("ISO 8601 such as 2026-12-01T23:59:00+03:00 or 2026-12-01 23:59 UTC, "
             "or 01.12.2026 23:59, or Dec 1, 2026 11:59 PM")

# Moodle in Russian writes "вторник, 1 декабря 2026, 23:59" (month names in the genitive)
_RU_MONTHS = {name: number for number, name in enumerate(
    ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
     "октября", "ноября", "декабря"), 1)}
_RU_DATE = re.compile(r"^(?:[^\W\d_]+,\s*)?(\d{1,2})\s+([^\W\d_]+)\s+(\d{4})(?:\s*г\.?)?,?\s+(\d{1,2}):(\d{2})$")
# A date written year first is year, month, day (ISO 8601's order; nobody writes year,
# day, month), which dateutil would otherwise turn round when asked to read days first.
_YEAR_FIRST = re.compile(r"^\d{4}\D")
# Two fillers for what a text leaves out: a reading that changes with the filler lacked
# a year, a month or a day. Both at midnight: a date alone is its midnight.
_FILLERS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
_UTC_NAMES = ("UTC", "GMT", "Z")
# "GMT+3", "UTC-5": dateutil follows POSIX, where the sign is turned round
_NAMED_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*[+-]\s*\d", re.IGNORECASE)


def parse_timestamp(value: str) -> datetime:
    """One timestamp in ISO 8601, a common LMS format or an unambiguous other form;
    ``ValueError`` saying why not (its message names the value)."""
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    fixed = _fixed_form(text) or _russian_date(text)
    return fixed if fixed is not None else _free_form(text)


def _fixed_form(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _russian_date(text: str) -> datetime | None:
    match = _RU_DATE.match(text.strip().lower())
    if match is None or match.group(2) not in _RU_MONTHS:
        return None
    day, _, year, hour, minute = match.groups()
    return datetime(int(year), _RU_MONTHS[match.group(2)], int(day), int(hour), int(minute))


def _free_form(text: str) -> datetime:
    """dateutil's reading of ``text``, when every way of reading it agrees: days first
    or months first, whatever fills a missing year, month or day."""
    orders = (False,) if _YEAR_FIRST.match(text) else (False, True)
    readings = {dayfirst: {_dateutil(text, dayfirst, filler) for filler in _FILLERS} for dayfirst in orders}
    if any(len(by_filler) > 1 for by_filler in readings.values()):
        raise ValueError(f"{text!r} does not name a whole date (a year, a month and a day); "
                         f"write it as {DATE_HELP}")
    found = {reading for by_filler in readings.values() for reading in by_filler}
    if len(found) > 1:
        first, second = sorted(found, key=lambda moment: moment.replace(tzinfo=None))
        raise ValueError(f"{text!r} is ambiguous: day and month could be either way round "
                         f"({_day(first)} or {_day(second)}); write the year first "
                         f"(2026-12-01 23:59) or the day with dots (01.12.2026 23:59)")
    return found.pop()


def _dateutil(text: str, dayfirst: bool, filler: datetime) -> datetime:
    """One reading by dateutil, the zone as :func:`_zone` allows it."""
    from dateutil import parser

    if _NAMED_OFFSET.search(text):
        raise ValueError(f"{text!r}: an offset after a zone's name is read the POSIX way round "
                         f"(GMT+3 as three hours west); write the offset alone, such as +03:00")
    try:
        return parser.parse(text, dayfirst=dayfirst, default=filler,
                            tzinfos=lambda name, offset: _zone(text, name, offset))
    except (parser.ParserError, OverflowError):
        raise ValueError(f"cannot read {text!r} as a date and time (expected {DATE_HELP})") from None


def _zone(text: str, name: str | None, offset: int | None) -> tzinfo | None:
    """The zone dateutil found in ``text`` (None: it has none): an offset as written, or UTC by its names.
    Any other name is an error: dateutil reads ``MSK`` as this machine's zone on a
    machine in Moscow and drops it (with a warning) elsewhere, so the same manifest
    would grade differently on two machines."""
    if name is None:
        return None if offset is None else timezone(timedelta(seconds=offset))
    if name in _UTC_NAMES and offset == 0:
        return timezone.utc
    raise ValueError(f"{text!r}: the time zone {name!r} is not read here (of zones' names only "
                     f"{', '.join(_UTC_NAMES)}, as UTC); write its offset instead, such as +03:00")


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%B')}"
