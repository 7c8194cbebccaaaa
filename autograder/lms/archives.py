"""An LMS's "download all submissions" zip, read into notebooks in a temporary folder.

Moodle names each student's files ``<Full name>_<participant id>_assignsubmission_file_/
<file>`` (or, without "download submissions in folders", ``..._file_<file>``; blind
marking writes ``Participant`` for the name). Canvas names each file
``<lastfirst>[_late]_<user id>_<submission id>_<file>``, and a file uploaded again under
the same name gets a ``-N`` suffix (``hw-1.ipynb``): the highest N is the latest. Any
other zip is read like a folder (CONTRACT §2 ids).

The archive is hostile input. Nothing is ever written under a name taken from it: each
chosen notebook is copied, through size and ratio caps, to ``<into>/<n>/notebook.ipynb``.
A member whose path leaves the archive (zip-slip), is a link, is encrypted, has a name
that is not UTF-8, unpacks too large or too many times its packed size (a zip bomb) is
refused with a message; when the LMS's naming still tells whose it was, that student
gets a result saying so, and the rest of the archive is graded.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from autograder.exceptions import UsageError
from autograder.i18n import Text, msg
from autograder.junk_files import is_junk
from autograder.lms.russian import reads_as_russian

System = Literal["moodle", "canvas", "zip"]
MB = 1 << 20
CHUNK = 1 << 16


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps on what one archive may unpack to (only chosen notebooks are unpacked)."""

    member_bytes: int = 64 * MB      # one notebook
    total_bytes: int = 1024 * MB     # everything unpacked from one archive
    ratio: float = 200.0             # unpacked / packed size, above which a member is a bomb
    ratio_floor_bytes: int = 1 * MB  # small members are never refused for their ratio


@dataclass(frozen=True)
class Origin:
    """Where an archive comes from: an LMS's download of a class's submissions, or one
    student's own upload (a zip Gradescope left packed). Its refusals name it (a student
    told about "the LMS archive" for a zip of their own is lost), and in an upload every
    notebook is the student's, refused ones too, so the student reads why."""

    where: str          # the catalogue's phrase for "in this archive" (archive.in_*)
    total: str          # the message for an archive over its total cap
    one_student: bool   # every notebook member is the uploader's (not owned by its path)


LMS_ARCHIVE = Origin("archive.in_lms", "archive.total", one_student=False)
UPLOAD = Origin("archive.in_upload", "archive.total_upload", one_student=True)


@dataclass(frozen=True)
class ArchiveEntry:
    """One student's submission found in an archive."""

    id: str
    name: str                 # the student's name as the LMS wrote it ("" when unknown)
    system: System
    member: str               # the archive member graded (or refused), for the record
    path: Path | None         # the unpacked notebook; None when refused
    problem: Text | None = None
    late: bool = False        # Canvas marks late files in their names


@dataclass
class Archive:
    path: Path
    system: System
    entries: list[ArchiveEntry]
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)   # every member's name (junk and folders left out),
    # so that "no notebook" can say what the archive held instead


@dataclass(frozen=True)
class _Member:
    """A notebook member, parsed: whose it is and how to choose among several."""

    info: zipfile.ZipInfo
    display: str              # the member's name as shown in messages
    owner: str                # submission id
    name: str
    file: str                 # the file's own name, inside the student's part
    late: bool = False
    order: tuple[int, int] = (0, 0)   # Canvas: (resubmission N, submission id)
    base: str = ""                    # Canvas: file name without its -N suffix
    problem: Text | None = None


_MOODLE = re.compile(r"^(?P<name>.*)_(?P<id>\d+)_assignsubmission_(?P<plugin>[A-Za-z0-9]+)_?(?P<flat>.*)$")
_CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_late|_LATE)?_(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
_RESUBMITTED = re.compile(r"^(?P<base>.+?)-(?P<n>\d+)(?P<ext>\.ipynb)$", re.IGNORECASE)
_SAFE_ID = re.compile(r"^[^/\\\x00-\x1f\x7f]{1,200}$")


def read_archive(path: Path, into: Path, limits: ArchiveLimits = ArchiveLimits(),
                 origin: Origin = LMS_ARCHIVE) -> Archive:
    """The submissions in the archive at ``path``; chosen notebooks unpacked under ``into``.
    ``origin`` says whose archive it is (see :class:`Origin`).

    Raises :class:`UsageError` only when the file is not a readable zip at all.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"{path}: not a readable zip archive ({error})") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not is_junk(i.filename)]
        notebooks, others = _classify(infos)
        warnings: list[str] = []
        system = _system(notebooks)
        parsed = [_parse(member_name, info, system, origin) for member_name, info in notebooks]
        owned: dict[str, list[_Member]] = {}
        for member in parsed:
            if member.owner:
                owned.setdefault(member.owner, []).append(member)
            else:
                why = member.problem.en if member.problem else "not named as the LMS names submissions; skipped"
                warnings.append(f"{path}: {member.display}: {why}")
        other_files: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for name, _info in others:
            found = _owner_of(name, system) if system != "zip" else None
            if found is not None:
                owned.setdefault(found[0], [])
                other_files.setdefault(found[0], []).append(found[2])
                names.setdefault(found[0], _visible_name(found[1]))
        budget = [limits.total_bytes]
        entries = [
            _choose(zf, owner, owned[owner], other_files.get(owner, []), names.get(owner, ""),
                    system, into / str(number), _Caps(limits, budget, origin))
            for number, owner in enumerate(sorted(owned), 1)
        ]
    return Archive(path, system, entries, warnings, [name for name, _ in notebooks + others])


Named = list[tuple[str, zipfile.ZipInfo]]


def _classify(infos: Iterable[zipfile.ZipInfo]) -> tuple[Named, Named]:
    """Notebook members and other members, each with its decoded name."""
    notebooks: Named = []
    others: Named = []
    for info in infos:
        name = _decoded_name(info)
        (notebooks if name.lower().endswith(".ipynb") else others).append((name, info))
    return notebooks, others


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """The member's name: as flagged UTF-8; a name without the flag that is UTF-8 anyway,
    or Russian in the DOS page, read as such; else zipfile's cp437 reading."""
    return _known_name(info) or info.filename  # cp437 mojibake: enough for an ASCII id; refused later


def _known_name(info: zipfile.ZipInfo) -> str | None:
    """The name when its encoding is known: flagged UTF-8, UTF-8 without the flag, or a
    Russian name in cp866, as Windows' own "compressed folder" writes it (the DOS code
    page, no flag); None for any other undeclared bytes (cp437 or cp850 guesses could be
    wrong)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.orig_filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    russian = raw.decode("cp866")
    return russian if reads_as_russian(russian) else None


def _system(notebooks: Named) -> System:
    names = [name for name, _ in notebooks]
    if any(_owner_of(n, "moodle") for n in names):
        return "moodle"
    if any(_owner_of(n, "canvas") for n in names):
        return "canvas"
    return "zip"


def _unsafe(name: str) -> str:
    """Why a member's path is unsafe to take apart ("" when it is safe)."""
    path = name.replace("\\", "/")
    if path.startswith("/"):
        return "an absolute path"
    parts = path.split("/")
    if any(part == ".." for part in parts):
        return "'..' in the path"
    if re.match(r"^[A-Za-z]:", parts[0]):
        return "a drive letter"
    return ""


def _owner_of(name: str, system: System) -> tuple[str, str, str, re.Match[str]] | None:
    """(submission id, student's name, the file's own name, match) by the LMS's naming."""
    parts = name.replace("\\", "/").split("/")
    if system == "moodle":
        for index, part in enumerate(parts):
            match = _MOODLE.match(part)
            if match:
                last = index == len(parts) - 1
                file = match.group("flat") if last else "/".join(parts[index + 1:])
                student = match.group("name").strip()
                return match.group("id"), student, file, match
        return None
    if system == "canvas":
        match = _CANVAS.match(parts[-1])
        if match:
            return match.group("user"), match.group("name"), match.group("file"), match
        return None
    return None


def _parse(name: str, info: zipfile.ZipInfo, system: System, origin: Origin) -> _Member:
    display = name
    problem = _refusal(name, info, msg(origin.where))
    if origin.one_student:  # a student's own zip: each notebook in it is theirs, refused or not,
        # under an id of ours in the order of the archive (never a path taken from it)
        ours = f"member-{info.header_offset:012d}"
        return _Member(info, display, ours, "", PurePosixPath(name.replace("\\", "/")).name, problem=problem)
    if system == "zip":
        return _parse_plain(name, info, problem)
    owner = _owner_of(name, system)
    if owner is None:
        return _Member(info, display, "", "", name, problem=problem)
    ident, student, file, match = owner
    if system == "canvas":
        resubmitted = _RESUBMITTED.match(file)
        n, base = (int(resubmitted.group("n")), resubmitted.group("base")) if resubmitted else (0, file[:-6])
        return _Member(info, display, ident, student, file, late=bool(match.group("late")),
                       order=(n, int(match.group("sub"))), base=base.lower(), problem=problem)
    return _Member(info, display, ident, _visible_name(student), file, problem=problem)


def _visible_name(student: str) -> str:
    """Moodle's blind marking writes a word for "participant" instead of the name."""
    return "" if student.lower() in ("participant", "участник") else student


def _parse_plain(name: str, info: zipfile.ZipInfo, problem: Text | None) -> _Member:
    """A plain zip: ids as for a folder (the first folder, or the file's stem)."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if problem is None and len(parts) > 1 and parts[0].lower().endswith(("-submissions", "_submissions")):
        parts = parts[1:]
    ident = parts[0] if len(parts) > 1 else PurePosixPath(parts[-1] if parts else name).stem
    if problem is not None or not _SAFE_ID.match(ident) or ident.startswith("."):
        return _Member(info, name, "", "", name, problem=problem)
    return _Member(info, name, ident, "", parts[-1], problem=None)


def _refusal(name: str, info: zipfile.ZipInfo, where: Text) -> Text | None:
    """Why a notebook member must not be read at all, or None."""
    unsafe = _unsafe(name)
    if unsafe:
        return msg("archive.unsafe_path", member=name, where=where, detail=unsafe)
    if _known_name(info) is None:
        return msg("archive.not_utf8_name", member=name, where=where)
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # zipfile writes no type bits at all
        return msg("archive.not_a_file", member=name, where=where)
    if info.flag_bits & 0x1:
        return msg("archive.encrypted", member=name, where=where)
    return None


@dataclass
class _Caps:
    """What unpacking may still take from one archive, and how its refusals name it."""

    limits: ArchiveLimits
    budget: list[int]   # bytes left of limits.total_bytes, shared by the archive's members
    origin: Origin


def _choose(zf: zipfile.ZipFile, owner: str, members: list[_Member], other_files: list[str],
            other_name: str, system: System, folder: Path, caps: _Caps) -> ArchiveEntry:
    """The one notebook of a student, unpacked; or the reason there is none."""
    usable = [m for m in members if m.problem is None]
    refused = [m for m in members if m.problem is not None]
    name = next((m.name for m in members if m.name), other_name)
    late = any(m.late for m in usable)
    if system == "canvas":
        usable = _latest_per_file(usable)
    if len(usable) > 1:
        files = ", ".join(sorted(m.file for m in usable))
        return ArchiveEntry(owner, name, system, usable[0].display, None, msg("archive.several", files=files), late)
    if not usable:
        if refused:
            return ArchiveEntry(owner, name, system, refused[0].display, None, refused[0].problem, late)
        files = ", ".join(sorted(PurePosixPath(f.replace("\\", "/")).name for f in other_files)) or "-"
        return ArchiveEntry(owner, name, system, "", None, msg("archive.no_notebook", files=files), late)
    chosen = usable[0]
    path, problem = _unpack(zf, chosen, folder / "notebook.ipynb", caps)
    return ArchiveEntry(owner, name, system, chosen.display, path, problem, chosen.late)


def _latest_per_file(members: list[_Member]) -> list[_Member]:
    """Canvas: of ``hw.ipynb``, ``hw-1.ipynb``, ``hw-2.ipynb`` keep the latest upload."""
    latest: dict[str, _Member] = {}
    for member in members:
        kept = latest.get(member.base)
        if kept is None or member.order > kept.order:
            latest[member.base] = member
    return list(latest.values())


def _unpack(zf: zipfile.ZipFile, member: _Member, dest: Path, caps: _Caps) -> tuple[Path | None, Text | None]:
    """Copy one member to ``dest`` within the caps; (path, None) or (None, why not)."""
    info = member.info
    declared = _over_caps(member.display, info.file_size, info.compress_size, caps)
    if declared is not None:
        return None, declared
    dest.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with zf.open(info) as source, dest.open("wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                problem = _over_caps(member.display, written, info.compress_size, caps)
                if problem is not None:
                    raise _Refused(problem)
                out.write(chunk)
    except _Refused as refused:
        dest.unlink(missing_ok=True)
        return None, refused.problem
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
        dest.unlink(missing_ok=True)
        return None, msg("archive.unreadable", member=member.display, where=msg(caps.origin.where),
                         detail=str(error)[:200])
    caps.budget[0] -= written
    return dest, None


class _Refused(Exception):
    def __init__(self, problem: Text) -> None:
        super().__init__(problem.en)
        self.problem = problem


def _over_caps(display: str, size: int, packed: int, caps: _Caps) -> Text | None:
    limits, where = caps.limits, msg(caps.origin.where)
    if size > limits.member_bytes:
        return msg("archive.too_large", member=display, where=where, limit=_mb(limits.member_bytes))
    if size > caps.budget[0]:
        return msg(caps.origin.total, member=display, limit=_mb(limits.total_bytes))
    if size > limits.ratio_floor_bytes and size > limits.ratio * max(packed, 1):
        return msg("archive.ratio", member=display, where=where, ratio=f"{size / max(packed, 1):.0f}")
    return None


def _mb(size: int) -> str:
    return f"{size / MB:g}"
