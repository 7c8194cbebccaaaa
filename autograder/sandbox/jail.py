"""The jail: one long-lived zygote (inside bubblewrap, confined by Landlock, or plain).

The control channel is a SOCK_SEQPACKET socket and every request is one message, so
threads, and processes forked once :meth:`Jail.ready` has returned, share it
without a lock.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from autograder import embedded
from autograder.config import Limits, to_data
from autograder.exceptions import PreloadError, SandboxError
from autograder.sandbox import affinity
from autograder.sandbox.backends import BACKENDS, start_zygote
from autograder.sandbox.inside import known
from autograder.sandbox.inside.zygote import DEFAULT_PRELOAD, MESSAGE_MAX, PREBUILD, TEACH
from autograder.sandbox_names import NAMES, Backend, Requested

if TYPE_CHECKING:
    from autograder.sandbox.channel import WorkerChannel


def _failure(hello: bytes) -> dict[str, object]:
    """The zygote's ``failed {json}`` message as a dict (empty for anything else)."""
    if not hello.startswith(b"failed "):
        return {}
    try:
        failure = json.loads(hello[len(b"failed "):])
    except ValueError:
        return {}
    return failure if isinstance(failure, dict) else {}


def _default_prebuilt() -> list[tuple[str, embedded.Modules]]:
    """The setup cell's package, or nothing where its sources are not installed (the
    notebooks then build it themselves, as in Jupyter)."""
    try:
        return embedded.prebuilt()
    except (ImportError, OSError):
        return []


START_TIMEOUT_S = 120.0
WARNING = ("WARNING: neither bubblewrap (bwrap) nor Landlock can confine student code here; it runs "
           "as a plain subprocess with resource limits only. Results are marked \"sandbox\": \"none\".")
WARNING_CHOSEN = ("WARNING: --sandbox none: student code runs as a plain subprocess with resource "
                  "limits only. Results are marked \"sandbox\": \"none\".")
NOTE_LANDLOCK = ("NOTE: bwrap cannot run here ({reason}); student code is confined with Landlock and "
                 "seccomp instead. Results are marked \"sandbox\": \"landlock\".")


def _teach_message(source: str) -> bytes:
    """The zygote's ``teach`` message for one cell."""
    return TEACH + json.dumps([source]).encode()


class Jail:
    """One zygote. :meth:`start` returns at once; the first use waits until it is ready,
    so the grader collects its checks while the jail imports NumPy and PyTorch.

    Backends, strongest first: ``bwrap`` (namespaces: the jail sees only what it is
    given), ``landlock`` (where bwrap cannot run: Landlock, seccomp, a uid and rlimits
    per worker) and ``none`` (rlimits and a uid: for trying things out, loudly).
    ``auto`` takes the first that starts here."""

    def __init__(self, requested: Requested, preload: Sequence[str],
                 data: Path | None = None, prebuilt: Sequence[tuple[str, embedded.Modules]] | None = None) -> None:
        self._requested, self._preload = requested, tuple(preload)
        self._prebuilt = _default_prebuilt() if prebuilt is None else list(prebuilt)
        self._data = data.resolve() if data is not None and data.is_dir() else None
        self._lock = threading.Lock()
        self._teaching = threading.Lock()
        # the taught cells by digest (a worker's hello says which it holds): sent once the
        # zygote is up, again to a fallback backend's
        self._sources: dict[str, str] = {}
        self._up = False  # the zygote said hello: a `teach` goes at once
        self._backend: Backend | None = None
        self._failure: SandboxError | None = None
        self._owner = os.getpid()
        self._closed = False
        self._why_not: dict[str, str] = {}
        self._queue = self._candidates()
        self._launch(self._queue.pop(0))

    @classmethod
    def start(cls, backend: Requested = "auto", preload: Sequence[str] = DEFAULT_PRELOAD,
              data: Path | None = None, prebuilt: Sequence[tuple[str, embedded.Modules]] | None = None) -> Jail:
        """Launch the zygote; it imports ``preload`` once so that workers start warm.
        The student's cells find ``data`` (an assignment's ``data/``) at ``./data``,
        read-only (``Settings.data_dir``; None or a missing folder: no ``./data``).
        ``prebuilt``: packages (name, its modules' sources in order) the zygote builds
        once for the setup cells that build exactly the same (``inside/prebuilt.py``);
        by default the ``student`` package the generated setup cell embeds
        (``embedded.prebuilt``), ``()`` for none.

        Preload what the assignment's notebooks import (``Settings.preload``): NumPy
        alone starts in a fraction of the time of PyTorch. Raises ``SandboxError`` at
        once when ``backend`` is ``"bwrap"`` or ``"landlock"`` and cannot run here.
        """
        return cls(backend, preload, data, prebuilt)

    def _candidates(self) -> list[Backend]:
        """The backends to try, in order: the one asked for by name, or all for auto
        (strongest first; ``none`` always runs)."""
        if self._requested == "none":
            print(WARNING_CHOSEN, file=sys.stderr)
            return ["none"]
        if self._requested != "auto":
            missing = BACKENDS[self._requested].missing()
            if missing:
                raise SandboxError(missing if self._requested == "bwrap"
                                   else f"the {self._requested} sandbox cannot run here: {missing}")
            return [self._requested]
        order: list[Backend] = []
        for name in NAMES:
            missing = BACKENDS[name].missing()
            if missing:
                self._why_not[name] = missing
            else:
                order.append(name)
        return order

    def _launch(self, backend: Backend) -> None:
        if self._requested == "auto" and backend == "landlock":
            print(NOTE_LANDLOCK.format(reason=self._why_not.get("bwrap", "?")), file=sys.stderr)
        if self._requested == "auto" and backend == "none":
            print(WARNING, file=sys.stderr)
        self._launched: Backend = backend
        self._process, self._control = start_zygote(backend, self._preload, self._data)
        self._unsent = self._send_prebuilt(self._prebuilt, wait=False)

    @property
    def pid(self) -> int:
        """The process holding the zygote (bwrap, or the zygote itself without it)."""
        return self._process.pid

    @property
    def started(self) -> bool:
        """Whether the zygote has said hello (without waiting for it)."""
        return self._backend is not None

    @property
    def backend(self) -> Backend:
        """What actually isolates student code (waits until the jail is ready)."""
        return self.ready()

    def ready(self) -> Backend:
        """Wait for the zygote's hello; an ``auto`` jail moves on to the next backend
        (loudly) when one cannot start here."""
        with self._lock:
            if self._failure is not None:
                raise self._failure
            if self._backend is None:
                try:
                    self._backend = self._started_backend()
                except SandboxError as error:
                    self._failure = error  # every later use says the same
                    raise
            return self._backend

    def _started_backend(self) -> Backend:
        while True:
            try:
                self._await_hello()
                self._send_prebuilt(self._unsent, wait=True)
                with self._teaching:
                    for source in self._sources.values():
                        self._send_quietly(_teach_message(source))
                    self._up = True
                return self._launched
            except SandboxError as error:
                if not self._queue or isinstance(error, PreloadError):  # a bad module, not a bad jail
                    raise
                print(f"WARNING: {self._launched} failed to start the jail ({error})", file=sys.stderr)
                self._why_not[self._launched] = str(error)
                self._launch(self._queue.pop(0))

    def _send_prebuilt(self, packages: Sequence[tuple[str, embedded.Modules]],
                       wait: bool) -> list[tuple[str, embedded.Modules]]:
        """Ask the zygote to build the packages of ``prebuilt``, before any worker: it
        reads its requests in order, the first as soon as it is ready. Sent at launch
        (``wait`` False) they queue in the socket while the zygote imports, so it builds
        them while the grader still loads its checks; what the socket's buffer cannot hold
        yet is returned, to be sent once the zygote is ready. One it cannot take (too
        large) is left out."""
        for index, (package, modules) in enumerate(packages):
            message = json.dumps({"package": package, "modules": [list(pair) for pair in modules]})
            try:
                self._control.send(PREBUILD + message.encode(), 0 if wait else socket.MSG_DONTWAIT)
            except BlockingIOError:
                return list(packages[index:])
            except OSError:
                continue
        return []

    def teach(self, sources: Sequence[str]) -> None:
        """Have the zygote compile these cells once for every worker forked afterwards
        (``inside/known.py``): the setup cell every notebook of the assignment carries.
        Each is sent once, at once when the jail is up, else as soon as it is (every grader
        teaches its own); a worker whose cell is none of them, or a zygote that could not
        take one, compiles as before."""
        with self._teaching:
            for source in sources:
                name = known.digest(source)
                message = b"" if name in self._sources else _teach_message(source)
                if not message or len(message) > MESSAGE_MAX:
                    continue
                self._sources[name] = source
                if self._up:
                    self._send_quietly(message)

    def _send_quietly(self, message: bytes) -> None:
        try:
            self._control.send(message)
        except OSError:  # a jail gone: the next spawn says so
            pass

    def _await_hello(self) -> None:
        """``ready``, or ``failed {json}`` when the zygote itself found a fault."""
        ready, _, _ = select.select([self._control], [], [], START_TIMEOUT_S)
        try:
            hello = self._control.recv(4096) if ready else b""
        except ConnectionResetError:  # it ended with requests unread (bwrap refused): as closed
            hello = b""
        if hello == b"ready":
            return
        self._process.kill()
        self._process.wait()
        self._control.close()
        failure = _failure(hello)
        if failure.get("kind") == "preload":
            raise PreloadError(str(failure.get("module", "?")), str(failure.get("reason", "")))
        reason = str(failure.get("reason", f"exit code {self._process.returncode}"))
        raise SandboxError(f"the zygote did not start ({reason})")

    def spawn(self, limits: Limits) -> WorkerChannel:
        if self._closed:
            raise SandboxError("the jail is closed")
        from autograder.sandbox.channel import WorkerChannel  # its codec imports NumPy: not before the start

        self.ready()
        spec: dict[str, Any] = {"limits": to_data(limits)}
        core = affinity.current()
        if core is not None:  # a pinned grader process: its worker on its core
            spec["core"] = core
        channel = WorkerChannel.open(self._control, spec)
        channel.known = {source: name for name, source in self._sources.items() if name in channel.holds}
        return channel

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
