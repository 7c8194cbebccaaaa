"""The gradebook: every grading run kept in one SQLite file next to the results.

Regrades, history and exports become queries instead of scans of result files. The
file is ``gradebook.sqlite`` in the output folder. It runs in WAL mode and each
:meth:`Gradebook.record` is one transaction, so a process killed mid-batch loses at
most the result it was writing; reopening the file is all the recovery there is.

Concurrency: one process writes at a time (the batch's parent process records what
its workers return); readers may open the file while it writes. The connection is
not shared between threads.

A run carries :class:`Versions`: the autograder's version and a hash of everything
that decides a score for the assignment (its checks, reference, examples and config),
so :meth:`Gradebook.is_current` can tell that an unchanged submission was already
graded by the same checks and can be skipped.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from autograder import __version__
from autograder.config import Settings, to_data
from autograder.exceptions import UsageError
from autograder.secret import fingerprint
from autograder.results import SubmissionResult

FILENAME = "gradebook.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    assignment TEXT NOT NULL,
    autograder_version TEXT NOT NULL,
    checks_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    assignment TEXT NOT NULL,
    submission TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '',
    UNIQUE (assignment, submission, sha256)
);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    recorded TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    percent REAL NOT NULL,
    status TEXT NOT NULL,
    sandbox TEXT NOT NULL,
    duration_s REAL NOT NULL,
    late_penalty_percent REAL NOT NULL,
    result_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_submission ON results (submission_id, id);
CREATE TABLE IF NOT EXISTS checks (
    result_id INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    name TEXT NOT NULL,
    passed INTEGER NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    visibility TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (result_id, position)
);
"""


@dataclass(frozen=True)
class Versions:
    """What graded a submission: the autograder release and the assignment's checks."""

    autograder: str
    checks: str


@dataclass(frozen=True)
class HistoryEntry:
    """One past grading of a submission."""

    run_id: int
    started: str
    versions: Versions
    sha256: str
    result: SubmissionResult


def sha256_file(path: Path) -> str:
    """Content hash of a submitted file (what decides whether it changed)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def checks_hash(assignment_dir: Path, config_json: str = "") -> str:
    """A hash of an assignment's folder (checks, reference, examples) and its config.

    ``config_json`` is the assignment's effective configuration (points, limits,
    tolerances, due date) serialised by the caller; caches are ignored.
    """
    digest = hashlib.sha256()
    for path in sorted(assignment_dir.rglob("*")):
        relative = path.relative_to(assignment_dir)
        if not path.is_file() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(b"config\0" + config_json.encode())
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


NOT_A_DATABASE = {sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT}  # other files at the gradebook's path


class Gradebook:
    """An open gradebook file. Use :meth:`open`; close it or use it as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Gradebook:
        """Open (creating if needed) the gradebook at ``path``, a file or an output folder."""
        path = Path(path)
        if path.is_dir():
            path = path / FILENAME
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            connection.close()
            if error.sqlite_errorcode & 0xFF not in NOT_A_DATABASE:
                raise  # a full disk, an I/O error: the machine's, not a file given by mistake
            raise UsageError(f"{path} is not a gradebook: give --out a new folder, "
                             "or move that file away") from None
        if version not in (0, SCHEMA_VERSION):
            connection.close()
            raise UsageError(f"{path} was written by another version of autograder (gradebook "
                             f"schema {version}, this one reads {SCHEMA_VERSION}): give --out a "
                             "new folder, or delete that file to grade everything again")
        connection.executescript(_SCHEMA)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return cls(connection, path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ---- writing ------------------------------------------------------------------

    def start_run(self, assignment: str, versions: Versions) -> int:
        """Begin a grading run; its id is passed to :meth:`record`."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started, assignment, autograder_version, checks_hash) "
                "VALUES (?, ?, ?, ?)",
                (_now(), assignment, versions.autograder, versions.checks),
            )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int) -> None:
        """Mark a run as complete (a run without ``finished`` was interrupted)."""
        with self._transaction() as db:
            db.execute("UPDATE runs SET finished = ? WHERE id = ?", (_now(), run_id))

    def record(self, run_id: int, result: SubmissionResult, *, path: Path | str = "") -> int:
        """Store one result and its checks in a single transaction; returns its row id.

        Call from one process at a time (see the module docstring).
        """
        data = result.to_json()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO submissions (assignment, submission, sha256, path) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET path = "
                "CASE WHEN excluded.path != '' THEN excluded.path ELSE path END",
                (result.assignment, result.submission, result.sha256, str(path)),
            )
            submission_row = db.execute(
                "SELECT id FROM submissions WHERE assignment = ? AND submission = ? "
                "AND sha256 = ?",
                (result.assignment, result.submission, result.sha256),
            ).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO results (run_id, submission_id, recorded, score, max_score, "
                "percent, status, sandbox, duration_s, late_penalty_percent, result_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id, submission_row, _now(), result.score, result.max_score,
                    result.percent, result.status, result.sandbox, result.duration_s,
                    result.late.penalty_percent if result.late else 0.0,
                    json.dumps(data, ensure_ascii=False),
                ),
            )
            result_row = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO checks (result_id, position, question, name, passed, score, "
                "max_score, visibility, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (result_row, position, question.name, check.name, int(check.passed),
                     check.score, check.max_score, check.visibility, check.message)
                    for position, (question, check) in enumerate(
                        (q, c) for q in result.questions for c in q.checks
                    )
                ],
            )
        return result_row

    # ---- reading ------------------------------------------------------------------

    def latest(self, assignment: str) -> list[SubmissionResult]:
        """The most recent result of each submission of ``assignment``, by submission id."""
        rows = self._db.execute(
            "SELECT r.result_json FROM results r JOIN submissions s ON s.id = r.submission_id "
            "WHERE r.id IN (SELECT MAX(r2.id) FROM results r2 "
            "  JOIN submissions s2 ON s2.id = r2.submission_id "
            "  WHERE s2.assignment = ? GROUP BY s2.submission) "
            "ORDER BY s.submission",
            (assignment,),
        ).fetchall()
        return [SubmissionResult.from_json(json.loads(row[0])) for row in rows]

    def is_current(
        self, submission_id: str, sha256: str, versions: Versions, *, assignment: str | None = None
    ) -> bool:
        """Whether this exact content was already graded by these versions (skip it)."""
        query = (
            "SELECT 1 FROM results r JOIN submissions s ON s.id = r.submission_id "
            "JOIN runs u ON u.id = r.run_id WHERE s.submission = ? AND s.sha256 = ? "
            "AND u.autograder_version = ? AND u.checks_hash = ?"
        )
        params: list[str] = [submission_id, sha256, versions.autograder, versions.checks]
        if assignment is not None:
            query += " AND s.assignment = ?"
            params.append(assignment)
        return self._db.execute(query + " LIMIT 1", params).fetchone() is not None

    def history(self, submission_id: str, *, assignment: str | None = None) -> list[HistoryEntry]:
        """Every recorded grading of a submission, oldest first."""
        query = (
            "SELECT u.id, u.started, u.autograder_version, u.checks_hash, s.sha256, "
            "r.result_json FROM results r JOIN submissions s ON s.id = r.submission_id "
            "JOIN runs u ON u.id = r.run_id WHERE s.submission = ?"
        )
        params = [submission_id]
        if assignment is not None:
            query += " AND s.assignment = ?"
            params.append(assignment)
        rows = self._db.execute(query + " ORDER BY r.id", params).fetchall()
        return [
            HistoryEntry(
                run_id=row[0], started=row[1], versions=Versions(row[2], row[3]),
                sha256=row[4], result=SubmissionResult.from_json(json.loads(row[5])),
            )
            for row in rows
        ]

    def runs(self, assignment: str | None = None) -> list[tuple[int, str, str | None, str]]:
        """``(id, started, finished, assignment)`` of every run, oldest first."""
        query = "SELECT id, started, finished, assignment FROM runs"
        params: tuple[str, ...] = ()
        if assignment is not None:
            query += " WHERE assignment = ?"
            params = (assignment,)
        return [tuple(row) for row in self._db.execute(query + " ORDER BY id", params)]


def assignment_versions(settings: Settings, assignment: str) -> Versions:
    """The :class:`Versions` a run of ``assignment`` records under ``settings``."""
    config = {
        "assignment": to_data(settings.assignment(assignment)),
        "limits": to_data(settings.limits(assignment)),
        "tolerance": to_data(settings.tolerance(assignment)),
        "secret": fingerprint(settings.config.secret),  # another secret draws other hidden inputs
        "language": settings.language,  # the result's messages are written in it
    }
    return Versions(
        autograder=__version__,
        checks=checks_hash(
            settings.assignment_dir(assignment), json.dumps(config, sort_keys=True)
        ),
    )
