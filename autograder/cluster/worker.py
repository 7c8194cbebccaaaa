"""The worker's side: one jail and one collection of checks per Dask worker process.

:class:`GradingPlugin` is registered by the client; every worker (also one that joins
later, or is restarted after a crash) runs its ``setup`` once: unpack the course
archive, start the jail (from the worker's main thread, so the zygote, started with
``--die-with-parent``, dies with the worker process) and a grading thread that
collects the checks once and grades every submission the worker's tasks hand it.
A task (:func:`grade_task`) takes a notebook's bytes and returns JSON text, the
result and the lines for the author its grading told (``check bug in ...``), with the
folder those lines name (this worker's copy of the assignment), so the client names
the instructor's own files instead: only text goes back to the client.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

from autograder.checks import notes
from autograder.cluster.archive import CourseArchive, load_unpacked
from autograder.exceptions import GraderError
from autograder.grading import Grader, Submission
from autograder.i18n import Text
from autograder.opener import Opener


class GradingService:
    """A grader that lives as long as the worker: checks collected once, one jail.

    The checks' pytest session is opened here and stays open; tasks, on Dask's
    threads, grade one submission at a time through it.
    """

    def __init__(self, grader: Grader, scratch: Path, folder: Path) -> None:
        self.grader = grader
        self.scratch = scratch
        self.folder = folder.resolve()  # the unpacked assignment, as the lines for the author name it
        self.graded = 0
        self._lock = threading.Lock()
        self._numbers = itertools.count()
        self._stack = ExitStack()
        self._run_checks = self._stack.enter_context(grader.suite.runner())

    def grade(self, submission_id: str, notebook: bytes | None,
              problem: tuple[str, str] | None = None) -> str:
        """The reply's JSON text for this notebook (``None``: the client could not read
        it): the result, and every line for the author its grading told (a Dask worker
        outlives the command: what it told before is news to this one, and the client
        prints each line once); ``problem`` (en, ru) is why the client refused it (an LMS
        archive's member)."""
        path = self.scratch / f"{next(self._numbers)}.ipynb"
        if notebook is not None:
            path.write_bytes(notebook)
        refused = Text(en=problem[0], ru=problem[1]) if problem is not None else None
        told: list[str] = []
        try:
            with self._lock, notes.sent_to(told.append, fresh=True):
                submission = Submission(submission_id, path, problem=refused)
                result = self.grader.grade_one(submission, self._run_checks)
                self.graded += 1
        finally:
            path.unlink(missing_ok=True)
        reply = {"result": result.to_json(), "notes": told, "folder": str(self.folder)}
        return json.dumps(reply, ensure_ascii=False)

    def close(self) -> None:
        with self._lock:
            self._stack.close()


class GradingPlugin(WorkerPlugin):
    """Registered once per batch under a name that holds the archive's hash, so a
    client rerun against a long-lived cluster finds its jails already up."""

    idempotent = True

    def __init__(self, archive: CourseArchive) -> None:
        self.archive = archive
        self.name = plugin_name(archive)
        self.service: GradingService | None = None
        self._opened: ExitStack | None = None
        self.zygote_pid = 0
        self._scratch: Path | None = None

    def setup(self, worker: Any) -> None:
        root = Path(worker.local_directory) / "autograder-courses"
        course = self.archive.unpack(root)
        settings = load_unpacked(course)
        self._opened = ExitStack()  # the one way in, as `grade` opens it (requirements, jail)
        opener = self._opened.enter_context(Opener.start(settings, self.archive.assignment))
        self.zygote_pid = opener.jail.pid
        self._scratch = Path(tempfile.mkdtemp(prefix="submissions-", dir=root))
        self.service = GradingService(Grader.through(opener), self._scratch,
                                      settings.assignment_dir(self.archive.assignment))

    def teardown(self, worker: Any) -> None:
        if self.service is not None:
            self.service.close()
        if self._opened is not None:
            self._opened.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def stats(self) -> dict[str, Any]:
        """What tests and the benchmark ask a worker: its zygote and how much it graded."""
        graded = self.service.graded if self.service is not None else 0
        return {"zygote_pid": self.zygote_pid, "graded": graded}


def plugin_name(archive: CourseArchive) -> str:
    return f"autograder-{archive.assignment}-{archive.sha256[:16]}"


def grade_task(name: str, submission_id: str, notebook: bytes | None,
               problem: tuple[str, str] | None = None) -> str:
    """One Dask task: a notebook's bytes in, the reply's JSON text out (the result and the
    lines for the author: :func:`autograder.cluster.client.parse_reply` reads it)."""
    plugin = get_worker().plugins.get(name)
    if not isinstance(plugin, GradingPlugin) or plugin.service is None:
        raise GraderError(f"this worker has no grader {name!r} (its setup failed)")
    return plugin.service.grade(submission_id, notebook, problem)


def worker_stats(name: str, dask_worker: Any = None) -> dict[str, Any]:
    """Run on every worker with ``client.run``: the plugin's :meth:`GradingPlugin.stats`."""
    plugin = (dask_worker or get_worker()).plugins.get(name)
    return plugin.stats() if isinstance(plugin, GradingPlugin) else {}
