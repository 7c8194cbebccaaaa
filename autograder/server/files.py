"""Where the server keeps notebooks and results, by ids it made itself.

No path is ever built from what a client sent: a submission's files are named by the
server's own id (:func:`new_id`, checked again by :func:`_checked` before use), under
``<state>/submissions/`` and ``<state>/results/``. A notebook is written to a temporary
file, flushed to disk, renamed into place and its folder flushed too, before the
database row that makes it a submission: an accepted notebook survives a power cut.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from autograder.atomic import write_atomic, write_bytes_atomic
from autograder.results import SubmissionResult

_ID = re.compile(r"^[0-9a-f]{12}-[0-9a-f]{12}$")


def new_id() -> str:
    """Sortable by time (milliseconds, hex) and unguessable (48 random bits)."""
    return f"{int(time.time() * 1000):012x}-{secrets.token_hex(6)}"


def _checked(ident: str) -> str:
    if not _ID.match(ident):
        raise ValueError(f"not a submission id: {ident!r}")
    return ident


def is_id(text: str) -> bool:
    return bool(_ID.match(text))


class Files:
    def __init__(self, state: Path) -> None:
        self.notebooks = state / "submissions"
        self.results = state / "results"

    def create(self) -> Files:
        self.notebooks.mkdir(parents=True, exist_ok=True)
        self.results.mkdir(parents=True, exist_ok=True)
        return self

    def notebook(self, ident: str) -> Path:
        return self.notebooks / f"{_checked(ident)}.ipynb"

    def original(self, ident: str) -> Path:
        """A zip the student sent, kept beside the notebook graded out of it."""
        return self.notebooks / f"{_checked(ident)}.zip"

    def result(self, ident: str) -> Path:
        return self.results / f"{_checked(ident)}.json"

    def store_notebook(self, ident: str, data: bytes) -> Path:
        """Write the notebook durably (file and folder entry on disk) and return its path."""
        path = self.notebook(ident)
        write_bytes_atomic(path, data, mode=0o600, durable=True)  # students' work: owner-only
        return path

    def store_original(self, ident: str, data: bytes) -> Path:
        """Keep the upload as received (a zip), as durably as the notebook."""
        path = self.original(ident)
        write_bytes_atomic(path, data, mode=0o600, durable=True)
        return path

    def store_result(self, ident: str, result: SubmissionResult) -> Path:
        """The result file, as ``grade`` writes it (a copy: the database holds the same JSON)."""
        path = self.result(ident)
        write_atomic(path, result.dumps() + "\n")
        return path
