"""A class list: who may submit, from a plain CSV or an LMS's own export.

Accepted, told apart by their header (any case, comma, semicolon or tab, a BOM):

- plain: ``id`` and ``name`` columns (extra columns ignored);
- Moodle's grading worksheet: ``Identifier`` (``Participant 123456``) and ``Full name``:
  the id is the participant number, the one Moodle's submission archive and its
  worksheet use, so the server's grades fill that worksheet;
- Moodle's user export (Site administration > Users > Bulk user actions > Download):
  ``username`` and ``firstname``/``lastname``;
- Canvas's gradebook export: ``Student`` and ``ID`` (the Canvas user id, the one its
  gradebook import reads), or ``LastName``, ``FirstName`` and ``ID`` when the gradebook
  shows names apart, with its ``Manual Posting`` and ``Points Possible`` rows skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from autograder.exceptions import UsageError
from autograder.lms.csvfile import CsvFile

_PARTICIPANT = re.compile(r"^\S+\s+(\d+)$")  # "Participant 123456", "Участник 123456"
_SAFE_ID = re.compile(r"^[\w.@+-]{1,128}$")


@dataclass(frozen=True)
class Member:
    id: str
    name: str


def _columns(header: list[str]) -> dict[str, int]:
    return {" ".join(cell.strip().lower().replace("_", " ").split()): index for index, cell in enumerate(header)}


def read_roster(path: Path) -> list[Member]:
    """The members of the roster at ``path`` in file order; a clear error for a file
    that is none of the accepted kinds or holds a bad or repeated id."""
    table = CsvFile.read(path)
    columns = _columns(table.header())
    members: list[Member] = []
    for row in range(1, len(table.rows)):
        values = table.rows[row].values()
        if not any(v.strip() for v in values):
            continue
        member = _member(columns, values, path)
        if member is None:
            continue
        if not _SAFE_ID.match(member.id):
            raise UsageError(f"{path}: row {row + 1}: id {member.id!r} is not usable (letters, digits, . _ @ + - only)")
        if any(m.id == member.id for m in members):
            raise UsageError(f"{path}: row {row + 1}: id {member.id!r} appears twice")
        members.append(member)
    if not members:
        raise UsageError(f"{path}: no students in the roster")
    return members


def _member(columns: dict[str, int], values: list[str], path: Path) -> Member | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return values[index].strip() if index is not None and index < len(values) else ""

    if "id" in columns and "name" in columns:
        return Member(cell("id"), cell("name") or cell("id"))
    if "identifier" in columns or "идентификатор" in columns:
        raw = cell("identifier") or cell("идентификатор")
        match = _PARTICIPANT.match(raw)
        ident = match.group(1) if match else raw
        return Member(ident, cell("full name") or cell("полное имя") or ident)
    if "username" in columns:
        name = " ".join(part for part in (cell("firstname"), cell("lastname")) if part)
        return Member(cell("username"), name or cell("username"))
    if "student" in columns and "id" in columns:
        if cell("student").lower() in ("points possible", ""):
            return None  # Canvas's second row, and its "Test Student" keeps an id
        return Member(cell("id"), cell("student"))
    if "lastname" in columns and "firstname" in columns and "id" in columns:
        if cell("lastname").lower() == "points possible" or not cell("id"):
            return None  # the rows above the students carry no id
        return Member(cell("id"), " ".join(part for part in (cell("firstname"), cell("lastname")) if part))
    raise UsageError(f"{path}: not a roster: needs `id` and `name` columns, or a Moodle or Canvas "
                     f"export (header: {', '.join(columns)})")
