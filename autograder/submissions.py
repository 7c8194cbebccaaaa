"""What a command was asked to grade: notebooks named on the command line, found under
folders, or unpacked from LMS archives, each with its submission id (CONTRACT §2).

Apart from the grader (``grading.py``, ``batch.py``) so that a command finds its
submissions, and refuses a command line that names none, before it imports the
grader's modules (NumPy, the check runner): its jail starts in between and boots
while they load.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.exceptions import UsageError
from autograder.i18n import Text, msg
from autograder.junk_files import is_junk

if TYPE_CHECKING:
    from autograder.lms.archives import Archive


def sha256_of(path: Path) -> str:
    """A file's content hash ("" when it cannot be read: graded as unreadable)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass(frozen=True)
class Submission:
    """A notebook to grade and the id its results are filed under.

    From an LMS archive (``autograder.lms.archives``) it also carries the student's
    name, which LMS and archive member it came from, and, when the archive's file was
    refused (zip-slip, zip bomb...), the ``problem`` its result reports instead.
    """

    id: str
    path: Path
    name: str = ""
    origin: str = ""          # "moodle", "canvas", "zip" for an archive; "" for a file
    source: str = ""          # "<archive>:<member>", what was graded, for the gradebook
    late: bool = False        # the LMS marked it late (Canvas file names)
    problem: Text | None = None

    @property
    def sha256(self) -> str:
        return sha256_of(self.path)


def find_submissions(paths: Sequence[Path], *, unpack_dir: Path | None = None,
                     warn: Callable[[str], None] = lambda message: None) -> list[Submission]:
    """Notebooks named on the command line, found under folders, or in LMS archives
    (CONTRACT §2 ids). Archives are unpacked under ``unpack_dir`` (required for them:
    the caller owns that temporary folder and removes it after grading); what an
    archive refuses without knowing whose it was goes to ``warn``."""
    found: dict[str, Submission] = {}
    for number, path in enumerate(paths, 1):
        if is_archive(path):
            if unpack_dir is None:
                raise ValueError("find_submissions needs unpack_dir to read an archive")
            for submission in archive_submissions(path, unpack_dir / f"archive-{number}", warn):
                _add(found, submission)
        elif path.is_dir():
            for submission in folder_submissions(path):
                _add(found, submission)
        elif path.exists():
            _add(found, Submission(path.stem, path))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return sorted(found.values(), key=lambda s: s.id)


def folder_submissions(folder: Path) -> list[Submission]:
    """The submissions under ``folder``: each notebook by its stem, or by the name of the
    first folder it sits in (CONTRACT §2). A student whose folder holds several notebooks
    (or a notebook beside a folder of the same name) is not guessed at: one submission
    whose result names the files, as for an LMS archive; the rest of the class is graded."""
    by_id: dict[str, list[Path]] = {}
    for notebook in sorted(folder.rglob("*")):
        relative = notebook.relative_to(folder)
        if is_notebook(notebook) and not is_junk(relative.as_posix()):
            by_id.setdefault(relative.parts[0] if len(relative.parts) > 1 else notebook.stem, []).append(notebook)
    return [Submission(ident, notebooks[0]) if len(notebooks) == 1 else _several(folder, ident, notebooks)
            for ident, notebooks in by_id.items()]


def is_notebook(path: Path) -> bool:
    """A notebook file by its name: ``.ipynb`` in any case (``HW.IPYNB`` from a Windows tool,
    as an LMS archive's members are read too)."""
    return path.suffix.lower() == ".ipynb" and path.is_file()


def _several(folder: Path, ident: str, notebooks: list[Path]) -> Submission:
    """The submission of a student with several notebooks: filed under the student's
    folder, whose content hash is none (a later run with one notebook left is graded,
    not taken from the gradebook as unchanged)."""
    files = ", ".join(notebook.relative_to(folder).as_posix() for notebook in notebooks)
    return Submission(ident, folder / ident, problem=msg("archive.several", files=files))


@contextmanager
def unpack_folder(paths: Sequence[Path], prefix: str) -> Iterator[Path | None]:
    """A temporary folder for the LMS archives among ``paths`` (``find_submissions``'
    ``unpack_dir``), removed after; None when there is no archive, so that a command
    killed outright (SIGKILL: no clean-up runs) leaves nothing behind in /tmp."""
    if not any(is_archive(path) for path in paths):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


def is_archive(path: Path) -> bool:
    """An LMS archive: a zip file (what it holds is :mod:`autograder.lms.archives`' to read)."""
    return path.is_file() and path.suffix.lower() == ".zip"


def archive_submissions(path: Path, into: Path, warn: Callable[[str], None], *,
                        upload: bool = False) -> list[Submission]:
    """The submissions of one LMS archive (see :mod:`autograder.lms.archives`); with
    ``upload``, one student's own zip (Gradescope's), each notebook in it theirs."""
    from autograder.lms.archives import LMS_ARCHIVE, UPLOAD, read_archive  # zipfile, the LMSs' naming: for an archive only

    archive = read_archive(path, into, origin=UPLOAD if upload else LMS_ARCHIVE)
    for warning in archive.warnings:
        warn(warning)
    return _entries(archive, into, path.name)


def _entries(archive: Archive, into: Path, label: str) -> list[Submission]:
    """An archive's entries as submissions (a refused one at a path that does not exist);
    each ``source`` is ``<label>:<member>``, the member alone without a label."""
    return [
        Submission(entry.id, entry.path or into / "missing" / f"{entry.id}.ipynb", name=entry.name,
                   origin=archive.system, source=":".join(part for part in (label, entry.member) if part),
                   late=entry.late, problem=entry.problem)
        for entry in archive.entries
    ]


def zip_upload(path: Path, into: Path) -> Submission | Text:
    """The one notebook in a student's own zip (the course server's upload), unpacked
    under ``into`` through the archive reader's caps, or what to tell the student: the
    same reading, and the same words, as Gradescope's zip left packed. A notebook the
    reader refused comes back with its ``problem``. Raises :class:`UsageError` when
    ``path`` is not a readable zip at all."""
    from autograder.lms.archives import UPLOAD, read_archive

    archive = read_archive(path, into, origin=UPLOAD)
    return one_notebook(_entries(archive, into, ""), archive.files or ["-"])  # one zip: members by name


def one_notebook(found: list[Submission], files: list[str]) -> Submission | Text:
    """The one notebook a student's upload holds, or why there is not exactly one:
    several are not guessed at, and "none" names the ``files`` the upload held instead
    (``files`` empty: nothing was uploaded)."""
    if len(found) == 1:
        return found[0]
    if found:
        return msg("archive.several", files=", ".join(s.source for s in found))
    return msg("archive.no_notebook", files=", ".join(files)) if files else msg("archive.nothing")


def _add(found: dict[str, Submission], submission: Submission) -> None:
    if submission.id in found:
        raise UsageError(f"two notebooks map to submission id {submission.id!r}: "
                         f"{found[submission.id].path} and {submission.path}")
    found[submission.id] = submission
