"""Many submissions: found, graded in parallel, written as soon as known, resumable.

Grader processes are forked after the jail starts, so all of them share one zygote.
They pull submissions from a queue (no idle core while one notebook is slow) and send
each result back as JSON; only this process writes files, so an interrupted batch
leaves complete result files only, and a rerun grades what is missing or changed
(by content hash and the gradebook's record of which checks graded it).

Who grades is a :class:`Backend`: :class:`LocalBackend` here, or
``autograder.cluster.ClusterBackend`` on a Dask cluster; :func:`grade_batch` keeps,
saves, records and resumes the same way for both.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import multiprocessing as mp
import os
import queue
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from autograder.atomic import remove_leftovers
from autograder.checks import notes
from autograder.checks.suite import CheckRunner
from autograder.config import Settings
from autograder.exceptions import GraderError
from autograder.gradebook import FILENAME, Gradebook, Versions, assignment_versions
from autograder.grading import Grader
from autograder.opener import Opener
from autograder.outcomes import EarlyStop
from autograder.reports.feedback import FOLDER as FEEDBACK
from autograder.results import SubmissionResult, save_result
from autograder.sandbox import affinity
from autograder.sandbox.jail import Jail
from autograder.submissions import Submission, archive_submissions, find_submissions  # noqa: F401  (callers import them from here too)

_DONE = None
_RESULT, _FAILED, _NOTE = "result", "failed", "note"


def with_origin(result: SubmissionResult, submission: Submission) -> SubmissionResult:
    """``result`` carrying the student's name and the LMS it came from (extra keys,
    CONTRACT §3), so the gradebook, the reports and ``export`` have them."""
    extra = dict(result.extra)
    if submission.name:
        extra["student_name"] = submission.name
    if submission.origin:
        extra["lms"] = {"system": submission.origin, "file": submission.source, "late": submission.late}
    if extra == result.extra:
        return result
    return dataclasses.replace(result, extra=extra)


def _cached(book: Gradebook, assignment: str, submissions: Sequence[Submission],
            versions: Versions) -> dict[str, SubmissionResult]:
    """The latest results of submissions unchanged since graded by these same checks."""
    latest = {result.submission: result for result in book.latest(assignment)}
    return {
        s.id: latest[s.id] for s in submissions
        if s.id in latest and latest[s.id].sha256 == s.sha256
        and book.is_current(s.id, s.sha256, versions, assignment=assignment)
    }


class Backend(Protocol):
    """Where the submissions still to grade are graded: here, or on a cluster.

    ``grade`` hands each result to ``keep`` as soon as it is known, once per
    submission of ``todo``, from the calling thread (``keep`` saves and records it).
    """

    def grade(self, todo: list[Submission], keep: Callable[[SubmissionResult], None]) -> None: ...


@dataclass
class LocalBackend:
    """This machine: one jail, and ``jobs`` grader processes forked after it started."""

    assignment: str
    settings: Settings
    jail: Jail
    jobs: int = 0
    stop_early: Mapping[str, EarlyStop] = field(default_factory=dict)  # verify's mutants only
    opener: Opener | None = None  # the jail's opener, when the caller started it (``Opener.start``)

    def grade(self, todo: list[Submission], keep: Callable[[SubmissionResult], None]) -> None:
        if not todo:
            return
        jobs = affinity.jobs_for(self.jobs, len(todo))
        grader = Grader(self.assignment, self.settings, self.jail, self.stop_early, opener=self.opener)
        if jobs == 1:
            grader.grade_many(todo, keep)
        else:
            _grade_parallel(todo, grader, jobs, keep)


def grade_batch(submissions: Sequence[Submission], assignment: str, settings: Settings,
                out_dir: Path, *, jobs: int = 0, jail: Jail | None = None,
                backend: Backend | None = None,
                on_result: Callable[[SubmissionResult], None] = lambda r: None,
                resume: bool = True,
                adjust: Callable[[SubmissionResult], SubmissionResult] = lambda r: r,
                ) -> list[SubmissionResult]:
    """Grade every submission (skipping current results), save each as soon as known.

    ``backend`` grades what is not current (default: a :class:`LocalBackend` of
    ``jail`` and ``jobs``); keeping, saving, recording and resuming are the same
    whoever grades. ``adjust`` (the late penalty) is applied to every result, cached
    ones included, before it is saved.
    """
    if backend is None:
        if jail is None:
            raise TypeError("grade_batch needs a jail or a backend")
        backend = LocalBackend(assignment, settings, jail, jobs)
    versions = assignment_versions(settings, assignment)
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder in (out_dir, out_dir / FEEDBACK):  # a killed batch's half-written files
        remove_leftovers(folder)
    paths = {s.id: s.path for s in submissions}
    by_id = {s.id: s for s in submissions}
    with Gradebook.open(out_dir / FILENAME) as book:
        run_id = book.start_run(assignment, versions)
        cached = _cached(book, assignment, submissions, versions) if resume else {}
        results: dict[str, SubmissionResult] = {}

        def keep(result: SubmissionResult, record: bool = True) -> None:
            if result.submission not in paths or (record and result.submission in results):
                raise GraderError(f"a result for {result.submission!r} was not asked for or came twice")
            result = adjust(with_origin(result, by_id[result.submission]))
            save_result(result, out_dir)
            if record:
                book.record(run_id, result, path=by_id[result.submission].source or paths[result.submission])
            results[result.submission] = result
            on_result(result)

        for result in cached.values():
            keep(result, record=False)
        backend.grade([s for s in submissions if s.id not in cached], keep)
        book.finish_run(run_id)
    return [results[s.id] for s in submissions]


def _grade_parallel(todo: list[Submission], grader: Grader, jobs: int,
                    keep: Callable[[SubmissionResult], None]) -> None:
    """Fork ``jobs`` grader processes that share the checks collected here, once.

    Broken checks are one clear error before any fork; a grader process that fails
    sends its reason back, and the batch stops with it (:class:`GraderError`).
    """
    with grader.suite.runner() as run_checks:
        grader.jail.ready()  # forked graders share the zygote's control socket: it must be up first
        grader.limits  # the master timed once, here: every grader process gets the same cell limit
        context = mp.get_context("fork")
        tasks: Any = context.Queue()
        done: Any = context.Queue()
        for submission in todo:
            tasks.put(submission)
        for _ in range(jobs):
            tasks.put(_DONE)
        workers = [context.Process(target=_work, args=(grader, run_checks, tasks, done, (index, jobs)),
                                   daemon=True)
                   for index in range(jobs)]
        for worker in workers:
            worker.start()
        try:
            _collect(len(todo), done, workers, keep)
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
                worker.join()


def _collect(count: int, done: Any, workers: list[Any], keep: Callable[[SubmissionResult], None]) -> None:
    received = 0
    while received < count:
        try:
            kind, message = done.get(timeout=1.0)
        except queue.Empty:
            crashed = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
            if crashed:
                raise GraderError(f"a grader process ended with exit code {crashed[0]}") from None
            if not any(worker.is_alive() for worker in workers):
                raise GraderError("every grader process ended before the batch was done") from None
            continue
        if kind == _FAILED:
            raise GraderError(f"a grader process failed: {message}")
        if kind == _NOTE:  # a line for the author: printed here, once for the whole batch
            notes.tell(message)
            continue
        received += 1
        keep(SubmissionResult.from_json(json.loads(message)))


def _torch_without_thread_pool() -> None:
    """Keep a forked grader process off the OpenMP thread pool its parent may have started.

    The parent may have run PyTorch (a reference, a check, an earlier grading in the
    same process) with several threads; after ``fork`` that pool's threads are gone but
    its state says otherwise, and the child's first parallel torch operation waits for
    them forever (seen: ``verify digits`` hanging in ``Linear.forward``). One thread per
    grader process is also what a batch wants: the parallelism is the processes.
    """
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def _work(grader: Grader, run_checks: CheckRunner, tasks: Any, done: Any, place: tuple[int, int]) -> None:
    """A grader process: pull submissions until the sentinel, send results as JSON.
    ``place``: its index among the batch's grader processes and their number (its core,
    :func:`autograder.sandbox.affinity.claim`).

    Any failure is sent back as one line and ends the process; the parent stops the
    batch with it. Lines for the assignment's author (a check that raised) go back too,
    so the command prints each once, not once per grader process. Ctrl-C is the
    parent's to handle (it ends the grader processes).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _torch_without_thread_pool()
    affinity.claim(*place)
    # What the process inherited (modules, the collected checks, the references' values)
    # lives as long as it does: out of the collector's sight, each full collection skips
    # it (measured: about 0.5 ms of CPU a submission, 5% of a grader process's).
    gc.freeze()
    try:
        with notes.sent_to(lambda line: done.put((_NOTE, line))):
            while (task := tasks.get()) is not _DONE:
                result = grader.grade_one(task, run_checks)  # a Submission, pickled
                done.put((_RESULT, json.dumps(result.to_json())))
    except BaseException as error:  # noqa: BLE001 -- not swallowed: sent to the parent, which raises
        done.put((_FAILED, f"{type(error).__name__}: {error}"))
