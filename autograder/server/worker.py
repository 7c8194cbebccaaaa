"""A grading worker process: claims queued submissions and grades them, one at a time.

Started by :class:`autograder.server.pool.Pool` as ``python -m autograder.server.worker``.
Its standard input is the pool's wake-up line: a byte arrives when a submission was
queued (so grading starts at once, without polling fast), and end-of-file means the
server is gone (the worker finishes what it holds and exits). It also looks at the
queue every :data:`POLL_S` seconds, for submissions queued by another web process.

It keeps the grader of the assignment it last graded open (its jail warm, or its
course on the Dask cluster's workers: :mod:`autograder.server.engine`) and claims that
assignment's submissions first. Anything that breaks the grader itself
ends the process: the pool puts its claim back in the queue and starts another.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import socket
import sys
from datetime import datetime
from pathlib import Path

from autograder.config import load_settings
from autograder.exceptions import AssignmentError, AutograderError, ClusterUnreachable, ConfigError
from autograder.server.engine import AssignmentGrader, open_grader
from autograder.server.files import Files
from autograder.server.hand_scores import with_kept_scores
from autograder.server.store import Store, SubmissionRow

POLL_S = 0.5
CLUSTER_RETRY_S = 10.0  # after the Dask scheduler could not be reached: try again this much later


def worker_name(pid: int) -> str:
    """How a worker is named in its claims: the pool knows its pid, and so its claims."""
    return f"{socket.gethostname()}:{pid}"


def _wait(fd: int, timeout: float) -> bool:
    """Sleep until woken or ``timeout``; False once the pool has gone (end of file)."""
    ready, _, _ = select.select([fd], [], [], timeout)
    if ready:
        return os.read(fd, 4096) != b""
    return True


class Worker:
    def __init__(self, config: Path, state: Path, scheduler: str | None = None) -> None:
        self.settings = load_settings(config)
        self.scheduler = scheduler
        self.state = state
        self.store = Store(state)
        self.files = Files(state)
        self.name = worker_name(os.getpid())
        self.warm: AssignmentGrader | None = None

    def run(self, wake_fd: int, warm: str | None = None) -> None:
        if warm is not None and warm in self.settings.config.assignments:
            try:
                self._grader(warm)  # before the first submission: that student does not wait for it
            except (AssignmentError, ConfigError) as error:
                print(f"autograder: grading worker {os.getpid()}: cannot warm {warm}: {error}", file=sys.stderr)
        alive = True
        while alive:
            row = self.store.claim(self.name, (self.warm.assignment,) if self.warm else ())
            if row is None:
                alive = _wait(wake_fd, POLL_S)
            elif not self.grade(row):  # the cluster is down: the queue waits for it
                alive = _wait(wake_fd, CLUSTER_RETRY_S)

    def grade(self, row: SubmissionRow) -> bool:
        """Grade a claimed submission; False when its grading could not start because the
        Dask scheduler is unreachable (the submission is back in the queue, uncounted)."""
        try:
            grader = self._grader(row.assignment)
        except (AssignmentError, ConfigError) as error:  # the course's fault, not the student's
            self.store.finish(row.id, self.name, "error", None, f"grader.assignment: {error}")
            return True
        except ClusterUnreachable as error:
            self.store.unclaim(row.id, self.name)
            print(f"autograder: grading worker {os.getpid()}: {error}; submissions wait in the queue",
                  file=sys.stderr, flush=True)
            return False
        name = self.store.people().get(row.student)
        result = grader.grade(self.files.notebook(row.id), row.student, name.name if name else "",
                              datetime.fromisoformat(row.submitted_at))
        result = with_kept_scores(result, self.settings, self.state)
        self.files.store_result(row.id, result)
        self.store.finish(row.id, self.name, result.status, result.dumps())
        return True

    def _grader(self, assignment: str) -> AssignmentGrader:
        if self.warm is not None and self.warm.assignment == assignment:
            return self.warm
        self.close()
        self.warm = open_grader(assignment, self.settings, self.scheduler)
        return self.warm

    def close(self) -> None:
        if self.warm is not None:
            self.warm.close()
            self.warm = None


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # through the finally: the jail is closed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.server.worker")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--warm", default=None, help="an assignment to start grading before any submission")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's: it closes our stdin
    try:
        worker = Worker(args.config, args.state, args.scheduler)
        try:
            worker.run(sys.stdin.fileno(), args.warm)
        finally:
            worker.close()
    except AutograderError as error:  # a jail that cannot start, a broken course: one line, then replaced
        print(f"autograder: grading worker {os.getpid()}: {error}", file=sys.stderr, flush=True)
        return error.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
