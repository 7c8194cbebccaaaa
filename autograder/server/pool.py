"""The grading pool: worker processes kept running beside the web server.

Workers are separate processes (``python -m autograder.server.worker``), not threads
of the web server: each owns a jail and a pytest session of checks, neither of which
is shared, and a worker that dies takes nothing else with it. The pool:

- on start, puts back in the queue whatever was being graded when the server last
  stopped (killed or not): nothing accepted is lost, and the claim check in
  :meth:`Store.finish` makes sure it is recorded once;
- wakes the workers when a submission is queued (:meth:`nudge`);
- watches them: a worker that ended is replaced and its claim put back in the queue
  (a submission that keeps killing workers ends as an error after a few tries);
- on stop, closes their wake-up pipes (they finish what they hold) and waits.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.server.store import Store
from autograder.server.worker import worker_name

log = logging.getLogger("autograder.server")
WATCH_S = 0.5
RESTART_PAUSE_S = (0.0, 1.0, 5.0, 30.0)  # after a worker died young, growing pauses before the next
YOUNG_S = 10.0
STOP_WAIT_S = 10.0


@dataclass
class _Slot:
    """One worker's place: its process, or none while a replacement waits out its pause."""

    process: subprocess.Popen[bytes] | None
    started: float = 0.0
    restart_at: float = 0.0


class Pool:
    def __init__(self, config: Path, state: Path, size: int, scheduler: str | None = None,
                 warm: tuple[str, ...] = ()) -> None:
        self.config = config
        self.warm = warm
        self.scheduler = scheduler
        self.state = state
        self.size = size
        self.store = Store(state)
        self._slots: list[_Slot] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self._young_deaths = 0

    def start(self) -> None:
        put_back = self.store.release()
        if put_back:
            log.warning("autograder: %d submission(s) being graded at the last stop are queued again", put_back)
        with self._lock:
            self._slots = [_Slot(self._spawn(index), time.monotonic()) for index in range(self.size)]
        self._watcher = threading.Thread(target=self._watch, name="autograder-pool", daemon=True)
        self._watcher.start()

    def _spawn(self, index: int) -> subprocess.Popen[bytes]:
        """Worker ``index`` (its place in the pool), warming ``warm[index mod n]`` first."""
        warm = ["--warm", self.warm[index % len(self.warm)]] if self.warm else []
        process = subprocess.Popen(
            [sys.executable, "-m", "autograder.server.worker", "--config", str(self.config),
             "--state", str(self.state), *(["--scheduler", self.scheduler] if self.scheduler else []), *warm],
            stdin=subprocess.PIPE, start_new_session=True)
        assert process.stdin is not None
        os.set_blocking(process.stdin.fileno(), False)  # a busy worker's full pipe never blocks a request
        return process

    def nudge(self) -> None:
        """Wake every worker: a submission is waiting."""
        with self._lock:
            for slot in self._slots:
                try:
                    if slot.process is not None and slot.process.stdin is not None:
                        os.write(slot.process.stdin.fileno(), b"\n")
                except (BlockingIOError, BrokenPipeError, ValueError, OSError):
                    pass  # already awake, or dead (the watcher replaces it)

    def _watch(self) -> None:
        while not self._stopping.wait(WATCH_S):
            self.check()

    def check(self) -> None:
        """Replace each worker that ended, after a pause that grows while they die young;
        put back what it held."""
        now = time.monotonic()
        with self._lock:
            for index, slot in enumerate(self._slots):
                process = slot.process
                if process is not None and process.poll() is None or self._stopping.is_set():
                    continue
                if process is not None:
                    released = self.store.release(worker_name(process.pid))
                    log.warning("autograder: grading worker %d ended (exit code %s); %d submission(s) queued "
                                "again; starting another", process.pid, process.returncode, released)
                    self._young_deaths = self._young_deaths + 1 if now - slot.started < YOUNG_S else 0
                    pause = RESTART_PAUSE_S[min(self._young_deaths, len(RESTART_PAUSE_S) - 1)]
                    self._close_pipe(process)
                    slot.process, slot.restart_at = None, now + pause
                if now >= slot.restart_at:
                    slot.process, slot.started = self._spawn(index), now

    @staticmethod
    def _close_pipe(process: subprocess.Popen[bytes]) -> None:
        try:
            if process.stdin is not None:
                process.stdin.close()
        except OSError:
            pass

    def stop(self) -> None:
        """End the workers: each finishes the submission it holds (what is left stays queued)."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join()
        with self._lock:
            workers = [slot.process for slot in self._slots if slot.process is not None]
            self._slots = []
        for process in workers:
            self._close_pipe(process)
        deadline = time.monotonic() + STOP_WAIT_S
        for process in workers:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.terminate()
                process.wait()
            self.store.release(worker_name(process.pid))  # stopped mid-grading: queued for the next start
