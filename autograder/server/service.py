"""What the API and the pages both do: accept a notebook, show a submission, list grades.

:class:`CourseService` is the server's library face; ``api`` and ``pages`` only
translate HTTP to its calls and its :class:`Refusal` to status codes, so the two
cannot disagree about the rules (limits, ownership, what a result looks like).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from autograder.config import Settings
from autograder.exceptions import NotebookError, UsageError
from autograder.i18n import Language, Text, msg
from autograder.notebook import parse_notebook
from autograder.reports.base import ReportContext
from autograder.reports.grades_csv import grades_csv
from autograder.reports.text import visible_message
from autograder.results import CheckResult, SubmissionResult
from autograder.server.files import Files, is_id, new_id
from autograder.server.store import Person, Store, SubmissionRow
from autograder.submissions import Submission, zip_upload

HOUR_S = 3600.0


@dataclass
class Refusal(Exception):
    """A request refused: its HTTP status, a :mod:`~autograder.server.texts` key and fields."""

    status: int
    key: str
    fields: dict[str, Any] = field(default_factory=dict)
    retry_after: int | None = None


class Nudge(Protocol):
    """Told when a submission is queued (the pool wakes its workers)."""

    def nudge(self) -> None: ...


class _Nobody:
    def nudge(self) -> None:
        pass


class CourseService:
    def __init__(self, settings: Settings, state: Path, pool: Nudge | None = None) -> None:
        self.settings = settings
        self.state = state
        self.store = Store.create(state)
        self.files = Files(state).create()
        self.pool = pool or _Nobody()

    @property
    def language(self) -> Language:
        return self.settings.language

    @property
    def max_upload_bytes(self) -> int:
        return int(self.settings.config.server.max_upload_mb * 1024 * 1024)

    @property
    def assignments(self) -> list[str]:
        return list(self.settings.config.assignments)

    def submit(self, person: Person, assignment: str, data: bytes) -> str:
        """Store the notebook durably and queue it; its id. Raises :class:`Refusal`."""
        if assignment not in self.settings.config.assignments:
            raise Refusal(404, "error.unknown_assignment", {"name": assignment, "known": ", ".join(self.assignments)})
        if len(data) > self.max_upload_bytes:
            raise Refusal(413, "error.too_large", {"mb": f"{self.settings.config.server.max_upload_mb:g}"})
        notebook = _unzipped(data, self.language) if _is_zip(data) else data
        _parse_notebook(notebook, self.language)
        ident = new_id()
        paths = self._store(ident, notebook, data)
        limit = self.settings.config.server.limits.submissions_per_hour
        try:
            wait = self.store.accept(ident, person.id, assignment, hashlib.sha256(data).hexdigest(), len(data),
                                     limit, HOUR_S)
        except BaseException:
            _remove(paths)
            raise
        if wait is not None:
            _remove(paths)
            raise Refusal(429, "error.rate", {"limit": limit, "minutes": math.ceil(wait / 60)},
                          retry_after=math.ceil(wait))
        self.pool.nudge()
        return ident

    def _store(self, ident: str, notebook: bytes, received: bytes) -> list[Path]:
        """The notebook graded, and the upload as received when that was a zip (everything
        accepted is kept: the row's hash and size are the upload's)."""
        paths = [self.files.store_original(ident, received)] if notebook is not received else []
        try:
            paths.append(self.files.store_notebook(ident, notebook))
        except BaseException:
            _remove(paths)
            raise
        return paths

    def submission(self, person: Person, ident: str) -> SubmissionRow:
        """A submission its owner (or an instructor) may see; 404 for anything else."""
        row = self.store.get(ident) if is_id(ident) else None
        if row is None or (row.student != person.id and person.role != "instructor"):
            raise Refusal(404, "error.not_found")
        return row

    def requeue(self, idents: list[str]) -> int:
        count = self.store.requeue(idents)
        if count:
            self.pool.nudge()
        return count

    def latest_results(self, assignment: str) -> list[SubmissionResult]:
        """Each student's latest graded result of ``assignment`` (the class's grades)."""
        if assignment not in self.settings.config.assignments:
            raise Refusal(404, "error.unknown_assignment", {"name": assignment, "known": ", ".join(self.assignments)})
        return [result_of(row) for row in self.store.latest_graded(assignment) if row.result_json]

    def grades_csv(self, assignment: str) -> str:
        """The class's latest grades as ``grade``'s ``grades.csv``: its columns come from the
        report context ``grade`` uses (questions graded by hand included, the leaderboard's
        when on), so the API's CSV and the instructors' download cannot drift from it."""
        results = self.latest_results(assignment)
        context = ReportContext.from_settings(self.settings, assignment)
        return grades_csv(results, context.questions, context.leaderboard)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _is_zip(data: bytes) -> bool:
    """A zip by its own structure, not its file name (the API's form names none it must
    keep): what a student's "download" in Colab or Windows' "send to compressed folder"
    sends. Bytes that only start like one stay a file that is not a notebook."""
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06") and zipfile.is_zipfile(io.BytesIO(data))


def _unzipped(data: bytes, language: Language) -> bytes:
    """The one notebook in a student's zip, read by the archive reader Gradescope's zips
    go through (its caps on what a hostile zip unpacks to, its reading of cp866 names,
    ``__MACOSX`` left out); 400 saying what the zip held when it is not exactly one
    notebook the reader accepts."""
    with tempfile.TemporaryDirectory(prefix="autograder-upload-") as folder:
        upload = Path(folder) / "upload.zip"
        upload.write_bytes(data)
        try:
            found = zip_upload(upload, Path(folder) / "unpacked")
        except UsageError:  # zipfile took it, the reader did not: not a zip we can read
            found = msg("archive.no_notebook", files="-")
        problem = found if isinstance(found, Text) else found.problem
        if problem is not None:
            raise Refusal(400, "error.not_notebook", {"reason": problem.render(language)})
        assert isinstance(found, Submission)
        return found.path.read_bytes()


def _parse_notebook(data: bytes, language: Language) -> None:
    """Refuse (400) what grading could not read, with the message grading would give
    (in the course's language); a notebook grading reads (a byte-order mark from a
    Windows editor, nbformat 3, Colab's loose metadata) is accepted."""
    try:
        parse_notebook(data)
    except NotebookError as error:
        raise Refusal(400, "error.not_notebook", {"reason": error.text().render(language)}) from None


def result_of(row: SubmissionRow) -> SubmissionResult:
    assert row.result_json is not None
    return SubmissionResult.from_json(json.loads(row.result_json))


def submission_json(row: SubmissionRow, show_hidden: bool = True, language: Language = "ru") -> dict[str, Any]:
    """CONTRACT §4's view of a submission; ``result`` is the result file once graded,
    with failed hidden checks' messages as the feedback shows them (``show_hidden``
    false: only that they failed)."""
    data: dict[str, Any] = {"id": row.id, "assignment": row.assignment, "status": row.status,
                            "submitted_at": row.submitted_at}
    if row.result_json is not None and row.status in ("graded", "error"):
        result = json.loads(row.result_json)
        if not show_hidden:
            for question in result.get("questions", []):
                for check in question.get("checks", []):
                    check["message"] = visible_message(CheckResult.from_json(check), False, language)
        data["result"] = result
    if row.problem:
        data["problem"] = row.problem
    return data
