"""The client's side: submissions sent to a Dask cluster, results streamed back.

:class:`ClusterBackend` is a :class:`autograder.batch.Backend`, so results land in
the same files and gradebook, with the same resume, as a local batch. Each task is
one submission: its bytes go out, the reply's JSON text comes back and its result is
checked against the result schema before it is kept (nothing a student made is
unpickled anywhere: the student's values never leave the jail but as JSON and ``.npy``,
and what the worker returns is text). A killed worker's tasks are run again on another
worker by the scheduler; the client keeps the first result of each submission. The
lines for the author a reply carries (``check bug in ...``) are printed once for the
batch, naming the instructor's files, not the worker's unpacked copy.
"""

from __future__ import annotations

import json
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.checks import notes
from autograder.cluster.archive import CourseArchive
from autograder.cluster.worker import GradingPlugin, grade_task, worker_stats
from autograder.config import Settings
from autograder.exceptions import ClusterUnreachable, GraderError, UsageError
from autograder.grading import Submission
from autograder.results import SubmissionResult

CONNECT_TIMEOUT_S = 30.0
WORKERS_TIMEOUT_S = 120.0
TASKS_PER_THREAD = 4  # submissions in flight per worker thread: enough to keep it busy


def parse_local(spec: str) -> int:
    """``local:N`` -> N, the number of worker processes of a LocalCluster."""
    kind, _, count = spec.partition(":")
    if kind != "local" or not count.isdigit() or int(count) < 1:
        raise UsageError(f"--cluster {spec!r}: expected local:N with N >= 1 (e.g. local:4)")
    return int(count)


def check_scheduler(address: str) -> str:
    """``address`` when Dask can read it as a scheduler's (``tcp://HOST:PORT``, or
    ``HOST:PORT``); else a usage error (exit 2) before anything starts, where Dask's
    own ``ValueError`` would come out of the grading as a grader failure, or out of a
    server's grading process once students submit."""
    from distributed.comm import get_address_host

    try:
        get_address_host(address)
    except ValueError as error:
        raise UsageError(f"--scheduler {address!r} is not a Dask scheduler's address ({error}): "
                         f"expected tcp://HOST:8786") from None
    return address


# A worker's statistical profiler samples every thread's stack 100 times a second, in
# the grading process: it costs grading CPU and is of no use here.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
# no dashboard; the scheduler's HTTP server (health, metrics) on a free port, not 8787,
# which another scheduler of this machine may hold
SCHEDULER_KWARGS = {"dashboard_address": ":0"}


@contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A LocalCluster of ``workers`` process workers, one thread each (``--cluster local:N``).

    Its scheduler and workers keep their scratch space (Dask's ``dask-scratch-space``,
    its lock files, the courses the workers unpack) in a temporary folder of this run,
    removed with the cluster: Dask's default, the system's temporary folder, keeps it.
    """
    import dask
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="autograder-dask-") as scratch, \
            dask.config.set({**WORKER_CONFIG, "temporary-directory": scratch}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=0,
                         dashboard_address=None, scheduler_kwargs=SCHEDULER_KWARGS,
                         silence_logs=logging.ERROR) as cluster:
        yield cluster


class ClusterBackend:
    """Grades on an existing scheduler, on a LocalCluster of ``local_workers`` process
    workers started (and stopped) here, or through a ``client`` the caller holds."""

    def __init__(self, assignment: str, settings: Settings, *, scheduler: str | None = None,
                 local_workers: int = 0, client: Any = None) -> None:
        if [scheduler is not None, local_workers > 0, client is not None].count(True) != 1:
            raise UsageError("grade on one cluster: --scheduler ADDRESS or --cluster local:N")
        self.assignment = assignment
        self.settings = settings
        self.scheduler = check_scheduler(scheduler) if scheduler is not None else None
        self.local_workers = local_workers
        self.client = client
        self.workers: dict[str, dict[str, Any]] = {}  # each worker's stats after grade()

    def grade(self, todo: list[Submission], keep: Callable[[SubmissionResult], None]) -> None:
        if not todo:
            return
        archive = CourseArchive.pack(self.settings, self.assignment)
        with _dask_logs_quiet(), self._connected() as client, _scheduler_lost_reported(client, self.where), \
                _registered(client, GradingPlugin(archive)) as name:
            self._stream(client, name, todo, keep)
            self.workers = client.run(worker_stats, name)

    @property
    def where(self) -> str:
        """The scheduler, as the user named it (or as the local cluster has it)."""
        if self.scheduler is not None:
            return self.scheduler
        return "this machine's local cluster" if self.local_workers else str(self.client.scheduler.address)

    @contextmanager
    def _connected(self) -> Iterator[Any]:
        if self.client is not None:
            yield self.client
            return
        from distributed import Client

        if self.local_workers:
            with local_cluster(self.local_workers) as cluster, Client(cluster) as client:
                yield client
            return
        with connect(str(self.scheduler)) as client:
            try:
                client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
            except TimeoutError:
                raise GraderError(f"no Dask worker joined {self.scheduler} within "
                                  f"{WORKERS_TIMEOUT_S:g} s (start some: dask worker "
                                  f"{self.scheduler} --nworkers 2 --nthreads 1)") from None
            yield client

    def _stream(self, client: Any, name: str, todo: list[Submission],
                keep: Callable[[SubmissionResult], None]) -> None:
        """Keep a few tasks per worker thread in flight; keep each result as it arrives."""
        from distributed import as_completed

        window = max(8, TASKS_PER_THREAD * sum(client.nthreads().values()))
        waiting = iter(todo)
        asked: dict[str, Submission] = {}
        done: set[str] = set()
        stream = as_completed()

        def submit_next() -> None:
            submission = next(waiting, None)
            if submission is None:
                return
            problem = submission.problem
            refused = (problem.en, problem.ru) if problem is not None else None
            future = client.submit(grade_task, name, submission.id, _bytes(submission), refused,
                                   key=f"grade-{submission.id}-{uuid.uuid4().hex[:12]}",
                                   pure=False, retries=1)
            asked[future.key] = submission
            stream.add(future)

        for _ in range(window):
            submit_next()
        origin = self.settings.assignment_dir(self.assignment)
        for future in stream:
            submission = asked.pop(future.key)
            text = _result_text(future, submission)
            future.release()
            reply = parse_reply(text, self.assignment, submission.id)
            reply.tell(origin)
            if submission.id not in done:
                done.add(submission.id)
                keep(reply.result)
            submit_next()


@contextmanager
def _registered(client: Any, plugin: GradingPlugin) -> Iterator[str]:
    """``plugin`` registered on the cluster for the batch, under the name it yields, and
    unregistered however the batch ends (Ctrl-C, a grader failure): left registered, a
    long-lived cluster keeps every worker's jail up for a batch long over, and starts one
    in each worker that joins later. Not when the client has lost the scheduler: there
    is no one to ask, and the scheduler's loss is what gets reported."""
    client.register_plugin(plugin)
    try:
        yield plugin.name
    finally:
        if client.status == "running":
            client.unregister_worker_plugin(plugin.name)


@contextmanager
def _dask_logs_quiet() -> Iterator[None]:
    """Dask's client logs what goes wrong with its connection (a traceback when the
    scheduler is gone) to stderr; the batch says it in one line instead (CONTRACT §2)."""
    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


@contextmanager
def _scheduler_lost_reported(client: Any, where: str) -> Iterator[None]:
    """A scheduler gone mid-batch (killed, its machine down) cancels every task in flight
    and closes the client's connection: one grader failure naming the scheduler, not a
    worker's failure to grade whichever submission came next. What was kept stays."""
    from distributed import CancelledError
    from distributed.comm import CommClosedError

    try:
        yield
    except (CancelledError, OSError) as error:
        # the client talks to the scheduler alone: its connection closed is the scheduler gone,
        # seen before the client knows it (status still "running") when it was mid-gather
        lost = isinstance(error, CommClosedError) or getattr(error, "reason", "") == "scheduler-connection-lost"
        if client.status == "running" and not lost:
            raise
        raise GraderError(f"lost the Dask scheduler at {where} mid-batch; the results received "
                          f"are kept: run the same command again, once it is back, to grade the rest") from None


def connect(address: str) -> Any:
    """A Dask client of the scheduler at ``address``; one line when it cannot be reached
    within :data:`CONNECT_TIMEOUT_S` (``grade --scheduler``, and the grading workers of
    ``serve --scheduler``), where Dask raises with its connection traceback."""
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as error:
        raise ClusterUnreachable(f"cannot reach the Dask scheduler at {address}: {error}") from None


def _bytes(submission: Submission) -> bytes | None:
    """The notebook's bytes; None when this machine cannot read it (graded as unreadable)."""
    try:
        return submission.path.read_bytes()
    except OSError:
        return None


def _result_text(future: Any, submission: Submission) -> Any:
    from distributed import CancelledError, KilledWorker
    from distributed.comm import CommClosedError

    try:
        return future.result()
    except (CancelledError, CommClosedError):  # the scheduler is gone: _scheduler_lost_reported
        raise
    except KilledWorker:
        raise GraderError(f"Dask workers kept dying while grading {submission.id!r} "
                          f"({submission.path})") from None
    except GraderError:
        raise
    except Exception as error:
        raise GraderError(f"a Dask worker failed to grade {submission.id!r}: "
                          f"{type(error).__name__}: {error}") from None


@dataclass(frozen=True)
class Reply:
    """A task's reply: the result, and the lines for the author its grading told, which
    name the worker's unpacked copy of the assignment (``folder``)."""

    result: SubmissionResult
    told: tuple[str, ...]
    folder: str

    def lines(self, origin: Path) -> list[str]:
        """The lines naming ``origin``, the instructor's folder of the assignment, where
        they name the worker's copy: the file the author opens to fix the check is theirs,
        and one line comes from every worker alike."""
        mine = str(origin.resolve())
        return [line.replace(self.folder, mine) if self.folder else line for line in self.told]

    def tell(self, origin: Path) -> None:
        """Print the lines, each once per command however many workers and replies tell it."""
        for line in self.lines(origin):
            notes.tell(line)


def parse_reply(text: Any, assignment: str, submission_id: str) -> Reply:
    """A worker's reply (:func:`autograder.cluster.worker.grade_task`): JSON text of an
    object holding the result (read by :func:`parse_result`'s rules), the lines for the
    author (strings) and the folder they name; anything else is a grader failure."""
    data = _json_object(text, submission_id, "reply")
    lines, folder = data.get("notes"), data.get("folder")
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines) \
            or not isinstance(folder, str):
        raise GraderError(f"a worker sent a malformed reply for {submission_id!r}: notes and folder")
    result = _result_of(data.get("result"), assignment, submission_id)
    return Reply(result, tuple(lines), folder)


def _json_object(text: Any, submission_id: str, what: str) -> dict[str, Any]:
    if type(text) is not str:
        raise GraderError(f"a worker sent {type(text).__name__} for {submission_id!r}, not JSON text")
    try:
        data = json.loads(text)
    except ValueError as error:
        raise GraderError(f"a worker sent a malformed {what} for {submission_id!r}: {error}") from None
    if not isinstance(data, dict):
        raise GraderError(f"a worker sent a malformed {what} for {submission_id!r}: not an object")
    return data


def parse_result(text: Any, assignment: str, submission_id: str) -> SubmissionResult:
    """A worker's result read as a result file is: JSON text of the result schema, for
    the submission that was asked for, or a grader failure."""
    return _result_of(_json_object(text, submission_id, "result"), assignment, submission_id)


def _result_of(data: Any, assignment: str, submission_id: str) -> SubmissionResult:
    try:
        if not isinstance(data, dict):
            raise ValueError("not an object")
        result = SubmissionResult.from_json(data)
    except (ValueError, KeyError, TypeError) as error:
        raise GraderError(f"a worker sent a malformed result for {submission_id!r}: {error}") from None
    if result.submission != submission_id or result.assignment != assignment:
        raise GraderError(f"a worker sent the result of {result.assignment}/{result.submission} "
                          f"for {assignment}/{submission_id}")
    return result
