"""The course server's state: people, submissions and the grading queue, in SQLite.

One file, ``<state>/server.sqlite``, in WAL mode: the web process's request threads and
the grading worker processes each open their own connection, readers never wait for
the writer, and every change is one ``BEGIN IMMEDIATE`` transaction. Accepting a
submission commits with ``synchronous=FULL`` (a ``202`` means the row is on disk, not
in a cache); the queue's own steps (claim, finish) commit with ``NORMAL``, which in WAL
mode survives a killed process and may lose only the last of them on a power cut: the
submission is then still ``queued`` or ``grading``, and is graded again on the next
start, to the same result (grading is a function of the notebook's bytes).

The queue is the ``submissions`` table itself: ``queued`` -> ``grading`` (claimed by
one worker, atomically) -> ``graded`` | ``error``. A grading is recorded only if the
claim still stands (same worker, still ``grading``), in the same transaction as a row
of ``gradings``; so a submission whose worker died is claimed again, and whatever
happens, each accepted submission ends with exactly one recorded grading (one more per
regrade an instructor asked for).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

DB_NAME = "server.sqlite"
Role = Literal["student", "instructor"]
Status = Literal["queued", "grading", "graded", "error"]
MAX_ATTEMPTS = 3  # a submission whose grading killed this many workers ends as "error"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('student', 'instructor')),
    token_hash TEXT NOT NULL UNIQUE,
    issued_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    student TEXT NOT NULL REFERENCES people (id),
    assignment TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_ts REAL NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    worker TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    graded_at TEXT,
    result_json TEXT,
    problem TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (student, assignment, submitted_ts);
CREATE INDEX IF NOT EXISTS submissions_by_status ON submissions (status, seq);
CREATE TABLE IF NOT EXISTS gradings (
    submission TEXT NOT NULL REFERENCES submissions (id),
    worker TEXT NOT NULL,
    finished_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS gradings_by_submission ON gradings (submission);
"""


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: Role


@dataclass(frozen=True)
class SubmissionRow:
    """One submission as the API and the pages show it."""

    seq: int
    id: str
    student: str
    assignment: str
    submitted_at: str
    status: Status
    attempts: int
    result_json: str | None
    problem: str


def now_iso() -> str:
    """The server clock, as stored (UTC, seconds): the time late penalties are taken from."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """Opens a connection per use: cheap with SQLite, and safe across threads and forks."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / DB_NAME

    @classmethod
    def create(cls, folder: Path) -> Store:
        folder.mkdir(parents=True, exist_ok=True)
        store = cls(folder)
        with store.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        return store

    @contextmanager
    def connect(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            db.execute("PRAGMA foreign_keys=ON")
            yield db
        finally:
            db.close()

    @contextmanager
    def transaction(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (no upgrade deadlock between writers);
        ``durable``: on disk when it returns (else: when the next durable one commits)."""
        with self.connect(durable) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # people -----------------------------------------------------------------
    def people(self) -> dict[str, Person]:
        with self.connect() as db:
            rows = db.execute("SELECT id, name, role FROM people ORDER BY id").fetchall()
        return {row[0]: Person(row[0], row[1], row[2]) for row in rows}

    def token_hash_of(self, person: str) -> str | None:
        with self.connect() as db:
            row = db.execute("SELECT token_hash FROM people WHERE id = ?", (person,)).fetchone()
        return None if row is None else str(row[0])

    def register(self, person: Person, token_hash: str) -> None:
        """Add a person, or give an existing one a new name, role and token."""
        with self.transaction() as db:
            db.execute("INSERT INTO people (id, name, role, token_hash, issued_at) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, "
                       "token_hash = excluded.token_hash, issued_at = excluded.issued_at",
                       (person.id, person.name, person.role, token_hash, now_iso()))

    def rename(self, person: str, name: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE people SET name = ? WHERE id = ?", (name, person))

    def person_by_token_hash(self, token_hash: str) -> Person | None:
        with self.connect() as db:
            row = db.execute("SELECT id, name, role FROM people WHERE token_hash = ?", (token_hash,)).fetchone()
        return None if row is None else Person(row[0], row[1], row[2])

    # submissions -------------------------------------------------------------
    def accept(self, ident: str, student: str, assignment: str, sha256: str, size: int,
               limit: int, window_s: float) -> float | None:
        """Queue a submission unless ``student`` already made ``limit`` of ``assignment``
        in the last ``window_s`` seconds; then the seconds until the next is allowed.

        Counting and inserting are one transaction, so a burst cannot slip past the limit.
        """
        now = time.time()
        with self.transaction() as db:
            if limit > 0:
                rows = db.execute("SELECT submitted_ts FROM submissions WHERE student = ? AND assignment = ? "
                                  "AND submitted_ts > ? ORDER BY submitted_ts", (student, assignment, now - window_s)
                                  ).fetchall()
                if len(rows) >= limit:
                    return max(1.0, rows[len(rows) - limit][0] + window_s - now)
            db.execute("INSERT INTO submissions (id, student, assignment, submitted_at, submitted_ts, sha256, size) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", (ident, student, assignment, now_iso(), now, sha256, size))
        return None

    def get(self, ident: str) -> SubmissionRow | None:
        with self.connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (ident,)).fetchone()
        return None if row is None else SubmissionRow(*row)

    def of_student(self, student: str, assignment: str | None = None) -> list[SubmissionRow]:
        """A student's submissions, newest first."""
        query = f"SELECT {_COLUMNS} FROM submissions WHERE student = ?"
        params: tuple[str, ...] = (student,)
        if assignment is not None:
            query, params = query + " AND assignment = ?", (student, assignment)
        with self.connect() as db:
            rows = db.execute(query + " ORDER BY seq DESC", params).fetchall()
        return [SubmissionRow(*row) for row in rows]

    def latest(self, assignment: str) -> list[SubmissionRow]:
        """Each student's latest submission of ``assignment`` (graded or not), by student."""
        with self.connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM submissions WHERE seq IN (SELECT max(seq) FROM submissions "
                              "WHERE assignment = ? GROUP BY student) ORDER BY student", (assignment,)).fetchall()
        return [SubmissionRow(*row) for row in rows]

    def latest_graded(self, assignment: str) -> list[SubmissionRow]:
        """Each student's latest graded submission of ``assignment``: the grade that counts."""
        with self.connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM submissions WHERE seq IN (SELECT max(seq) FROM submissions "
                              "WHERE assignment = ? AND result_json IS NOT NULL GROUP BY student) ORDER BY student",
                              (assignment,)).fetchall()
        return [SubmissionRow(*row) for row in rows]

    def set_results(self, results: dict[str, str]) -> None:
        """Replace the results of graded submissions (an instructor's hand scores merged in),
        all in one transaction: a table is applied whole or not at all."""
        with self.transaction() as db:
            for ident, result_json in results.items():
                db.execute("UPDATE submissions SET result_json = ? WHERE id = ? AND result_json IS NOT NULL",
                           (result_json, ident))

    def counts(self) -> dict[str, int]:
        with self.connect() as db:
            return dict(db.execute("SELECT status, count(*) FROM submissions GROUP BY status").fetchall())

    # the queue ---------------------------------------------------------------
    def claim(self, worker: str, assignments: tuple[str, ...] = ()) -> SubmissionRow | None:
        """Take the oldest queued submission for ``worker`` (of ``assignments`` first
        when named: the ones whose jail it keeps warm), or None."""
        with self.transaction(durable=False) as db:
            row = None
            if assignments:
                marks = ",".join("?" * len(assignments))
                row = db.execute(f"SELECT {_COLUMNS} FROM submissions WHERE status = 'queued' "
                                 f"AND assignment IN ({marks}) ORDER BY seq LIMIT 1", assignments).fetchone()
            if row is None:
                row = db.execute(f"SELECT {_COLUMNS} FROM submissions WHERE status = 'queued' "
                                 "ORDER BY seq LIMIT 1").fetchone()
            if row is None:
                return None
            db.execute("UPDATE submissions SET status = 'grading', worker = ?, attempts = attempts + 1 "
                       "WHERE seq = ?", (worker, row[0]))
        claimed = SubmissionRow(*row)
        return SubmissionRow(claimed.seq, claimed.id, claimed.student, claimed.assignment, claimed.submitted_at,
                             "grading", claimed.attempts + 1, claimed.result_json, claimed.problem)

    def finish(self, ident: str, worker: str, status: Status, result_json: str | None, problem: str = "") -> bool:
        """Record a grading if ``worker`` still holds the claim; False when it does not
        (the submission was taken back meanwhile: its other grading will count)."""
        with self.transaction(durable=False) as db:
            claimed = db.execute("UPDATE submissions SET status = ?, result_json = coalesce(?, result_json), "
                                 "problem = ?, graded_at = ?, worker = '' "
                                 "WHERE id = ? AND status = 'grading' AND worker = ?",
                                 (status, result_json, problem, now_iso(), ident, worker)).rowcount
            if claimed:
                db.execute("INSERT INTO gradings (submission, worker, finished_at) VALUES (?, ?, ?)",
                           (ident, worker, now_iso()))
        return bool(claimed)

    def release(self, worker: str | None = None) -> int:
        """Put back what ``worker`` (every worker when None: a server starting) was grading.

        A submission that has already cost :data:`MAX_ATTEMPTS` workers ends as an error
        instead of taking down the next one."""
        where, params = ("status = 'grading'", ()) if worker is None else \
            ("status = 'grading' AND worker = ?", (worker,))
        with self.transaction() as db:
            db.execute(f"UPDATE submissions SET status = 'error', worker = '', problem = 'grader.crashed' "
                       f"WHERE {where} AND attempts >= {MAX_ATTEMPTS}", params)
            return db.execute(f"UPDATE submissions SET status = 'queued', worker = '' WHERE {where}",
                              params).rowcount

    def unclaim(self, ident: str, worker: str) -> bool:
        """Put back a submission ``worker`` claimed but could not start grading (the Dask
        scheduler down), its attempt not counted: a cluster outage is not the notebook's
        fault, and three of them must not end it as "the grader crashed"."""
        with self.transaction() as db:
            return bool(db.execute("UPDATE submissions SET status = 'queued', worker = '', "
                                   "attempts = max(attempts - 1, 0) "
                                   "WHERE id = ? AND status = 'grading' AND worker = ?", (ident, worker)).rowcount)

    def requeue(self, idents: list[str]) -> int:
        """Grade these submissions again (an instructor's regrade); those being graded stay."""
        with self.transaction() as db:
            return sum(db.execute("UPDATE submissions SET status = 'queued', attempts = 0, problem = '' "
                                  "WHERE id = ? AND status IN ('graded', 'error')", (ident,)).rowcount
                       for ident in idents)

    def gradings(self, ident: str) -> int:
        with self.connect() as db:
            return int(db.execute("SELECT count(*) FROM gradings WHERE submission = ?", (ident,)).fetchone()[0])


_COLUMNS = "seq, id, student, assignment, submitted_at, status, attempts, result_json, problem"
