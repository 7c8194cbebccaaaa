"""The jail: one long-lived zygote (inside bubblewrap when available).

The control channel is a SOCK_SEQPACKET socket and every request is one message, so
threads and processes forked after :meth:`Jail.start` share it without a lock.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from typing import Literal, Sequence

from autograder.config import Limits
from autograder.exceptions import SandboxError
from autograder.notebook import CodeCell
from autograder.sandbox import launcher
from autograder.sandbox.channel import WorkerChannel
from autograder.sandbox.session import Session

Backend = Literal["bwrap", "none"]
START_TIMEOUT_S = 120.0
WARNING = ("WARNING: bubblewrap (bwrap) is not available; student code runs as a plain "
           "subprocess with resource limits only. Results are marked \"sandbox\": \"none\".")


class Jail:
    def __init__(self, process: subprocess.Popen[bytes], control: object, backend: Backend) -> None:
        import socket

        assert isinstance(control, socket.socket)
        self._process, self._control, self.backend = process, control, backend
        self._owner = os.getpid()
        self._closed = False

    @classmethod
    def start(cls, backend: Literal["auto", "bwrap", "none"] = "auto") -> Jail:
        if backend in ("auto", "bwrap"):
            if launcher.bwrap_path():
                try:
                    return cls._launch(True)
                except SandboxError as error:
                    if backend == "bwrap":
                        raise
                    print(f"WARNING: bwrap failed to start the jail ({error})", file=sys.stderr)
            elif backend == "bwrap":
                raise SandboxError("bwrap is not installed")
        print(WARNING, file=sys.stderr)
        return cls._launch(False)

    @classmethod
    def _launch(cls, use_bwrap: bool) -> Jail:
        process, control = launcher.start_zygote(use_bwrap)
        ready, _, _ = select.select([control], [], [], START_TIMEOUT_S)
        hello = control.recv(16) if ready else b""
        if hello != b"ready":
            process.kill()
            process.wait()
            control.close()
            raise SandboxError(f"the zygote did not start (exit code {process.returncode})")
        return cls(process, control, "bwrap" if use_bwrap else "none")

    def spawn(self, limits: Limits) -> WorkerChannel:
        if self._closed:
            raise SandboxError("the jail is closed")
        return WorkerChannel.open(self._control, {"limits": limits.model_dump()})

    def session(self, cells: Sequence[CodeCell], limits: Limits) -> Session:
        return Session(self, cells, limits)

    def close(self) -> None:
        """Stop the zygote and every worker (only the process that started it does)."""
        if self._closed:
            return
        self._closed = True
        if os.getpid() == self._owner:
            try:
                self._control.send(b"shutdown")
                self._process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
            self._process.wait()
        self._control.close()

    def __enter__(self) -> Jail:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
