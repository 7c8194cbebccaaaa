"""The zygote: imports NumPy and PyTorch once, then forks one worker per request.

It listens on a SOCK_SEQPACKET control socket (fd given on the command line). Each
request is one message carrying JSON limits and two descriptors: the worker's end of
its channel and a status channel. The zygote keeps the status channel and writes the
worker's wait status into it once the worker is gone (after killing whatever the
worker's uid left behind). A ``prebuild`` message (no descriptors) carries a package
the notebooks build from source text, built here once (``prebuilt.py``; its ``check()``
made quiet, ``standins.py``); a ``teach`` message the cells most notebooks carry verbatim,
compiled here once (``known.py``). End of the control channel means the grader is gone: the
zygote kills every worker and exits.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import sys
import time
from typing import Any, NoReturn

from . import known, limits
from .lockdown import Lockdown, LockdownError
from .prebuilt import Prebuilt, install
from .standins import quiet_checker

MESSAGE_MAX = 1 << 18  # a control message: a worker's limits, or a package's sources to prebuild

UID_BASE = 200_000
PREBUILD = b"prebuild "
TEACH = b"teach "  # the cells most notebooks carry verbatim (``known.py``): a JSON list of sources


DEFAULT_PRELOAD = ("numpy", "torch")
# Standard modules every worker needs: those the notebook's embedded check() imports,
# and the ones students reach for most. Imported once here, not in every worker.
STANDARD = ("json", "dataclasses", "copy", "math", "random", "itertools", "functools", "collections")
# Submodules NumPy 2 imports lazily, on first use, that every worker uses: each worker seeds
# ``numpy.random`` before every cell and call (worker.seed_generators), which otherwise
# imported it (with hashlib and OpenSSL) in every worker: 17 ms of CPU per submission.
NUMPY_EAGER = ("numpy.random",)


class PreloadFailed(Exception):
    """A preload module did not import: the grader stops, no student is charged."""

    def __init__(self, module: str, error: BaseException) -> None:
        lines = safe_str(error).strip().splitlines()
        self.module = module
        self.reason = f"{type(error).__name__}: {lines[0] if lines else ''}".rstrip(": ")[:300]
        super().__init__(module, self.reason)


def safe_str(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails
        return ""


def preload(modules: list[str]) -> None:
    """Import what the assignment's notebooks import, once, before any fork.

    A module that fails to import raises :class:`PreloadFailed`: every student's own
    import of it would fail the same way, so it is the grader's fault, not theirs.
    ``google.colab`` imports the jail's stand-in (as in the workers). With torch, also
    its optimizers (a slow lazy import) and one training step.
    """
    import importlib

    from . import colab

    colab.install()
    for name in (*STANDARD, *modules):
        try:
            importlib.import_module(name)
        except BaseException as error:  # noqa: BLE001 - SystemExit at import time too
            raise PreloadFailed(name, error) from None
    if "numpy" in sys.modules:
        for name in NUMPY_EAGER:
            importlib.import_module(name)
    torch = sys.modules.get("torch")
    if torch is not None:
        import torch.nn  # noqa: F401
        import torch.optim  # noqa: F401

        torch.set_num_threads(1)
        warm_up_training(torch)


def warm_up_training(torch: Any) -> None:
    """One tiny training step, so forked workers inherit autograd and the optimizers
    already initialised (otherwise each worker's first step costs about 2 s)."""
    layer = torch.nn.Linear(2, 1)
    for optimizer in (torch.optim.SGD(layer.parameters(), lr=0.1), torch.optim.Adam(layer.parameters())):
        optimizer.zero_grad()
        loss = torch.nn.BCELoss()(torch.sigmoid(layer(torch.zeros(4, 2))), torch.ones(4, 1))
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        torch.tanh(layer(torch.zeros(1, 2)))


class Zygote:
    def __init__(self, control: socket.socket, data: str | None = None,
                 folder: str | None = None, lockdown: Lockdown | None = None) -> None:
        self.control, self.data, self.folder = control, data, folder
        self.lockdown = lockdown  # the landlock backend's confinement, else None
        self.root = os.geteuid() == 0
        self.workers: dict[int, tuple[socket.socket, int | None]] = {}
        self.uid_base = UID_BASE + (os.getpid() % 400) * 1000
        self.next_uid = 0
        self.wake: tuple[int, ...] = ()
        self.pending: list[tuple[int, int]] = []
        self.prebuilt: Prebuilt | None = None
        self.prepared = False  # worker.prepare() done (at the first spawn)

    def _uid(self) -> int | None:
        if not self.root:
            return None
        busy = {uid for _, uid in self.workers.values()}
        while True:
            self.next_uid = (self.next_uid + 1) % 1000
            if self.uid_base + self.next_uid not in busy:
                return self.uid_base + self.next_uid

    def spawn(self, spec: dict[str, Any], channel: socket.socket, status: socket.socket) -> None:
        if not self.prepared:  # what every worker sets up first, made once here for all of them
            from . import worker

            worker.prepare()
            gc.freeze()
            self.prepared = True
        uid = self._uid()
        try:
            pid = os.fork()
        except OSError as error:
            status.sendall(json.dumps({"error": str(error)}).encode())
            status.close()
            channel.close()
            return
        if pid == 0:
            self._become_worker(spec, channel, status, uid)
        channel.close()
        self.workers[pid] = (status, uid)

    def _become_worker(self, spec: dict[str, Any], channel: socket.socket,
                       status: socket.socket, uid: int | None) -> None:
        code = 70
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the zygote's clean-up is not a worker's
            signal.set_wakeup_fd(-1)
            for fd in self.wake:
                os.close(fd)
            self.control.close()
            status.close()
            for other, _ in self.workers.values():
                other.close()
            limits.share_core(spec.get("core"))
            limits.confine(uid, spec["limits"], self.data, self.lockdown)
            from . import worker

            code = 0
            worker.main(channel)
        except BaseException:
            if code == 70:  # the jail itself failed: tell the grader's stderr why
                import traceback

                traceback.print_exc()
        finally:
            os._exit(code)

    def reap(self) -> None:
        while self.workers:
            if self.pending:
                pid, wait_status = self.pending.pop()
            else:
                try:
                    pid, wait_status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    return
                if pid == 0:
                    return
            status, uid = self.workers.pop(pid, (None, None))
            if uid is not None:
                self._sweep(uid)
            if status is not None and self.lockdown is not None:
                self.lockdown.remove(pid)
            if status is not None:
                try:
                    status.sendall(json.dumps({"wait_status": wait_status}).encode())
                except OSError:
                    pass
                status.close()

    def _sweep(self, uid: int) -> None:
        """Kill what the worker's uid left behind and reap it (we are its subreaper)."""
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline and limits.processes_of(uid):
            limits.sweep_uid(uid)
            while True:
                try:
                    pid, wait_status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                if pid in self.workers:  # another worker ended meanwhile: report it later
                    self.pending.append((pid, wait_status))
            time.sleep(0.002)

    def shutdown(self) -> None:
        for pid, (_, uid) in list(self.workers.items()):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            if uid is not None:
                limits.sweep_uid(uid)
        if self.folder is not None:  # the plain subprocess's folder holding ./data
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
        if self.lockdown is not None:
            self.lockdown.close()
        os._exit(0)

    def prebuild(self, message: bytes) -> None:
        """Build a package the notebooks' setup cells build (``{"package", "modules"}``),
        once, for every worker forked from now on; a message that is not one is ignored."""
        if self.prebuilt is None:
            self.prebuilt = Prebuilt()
            install(self.prebuilt)
        try:
            request = json.loads(message)
            package = self.prebuilt.build(request["package"], request["modules"])
        except (ValueError, TypeError, KeyError):
            return
        if package is not None:
            quiet_checker(package)  # the grader runs the notebook's public examples itself
        gc.collect()
        gc.freeze()

    def learn(self, message: bytes) -> None:
        """Compile, once for every worker forked from now on, the cells of a ``teach``
        message; a message that is not a JSON list of sources is ignored."""
        try:
            known.learn(json.loads(message))
        except ValueError:
            return
        gc.collect()
        gc.freeze()

    def serve(self) -> None:
        wake_r, wake_w = self.wake = os.pipe()
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: self.shutdown())  # the owner died (or asks)
        self.control.sendall(b"ready")
        while True:
            ready, _, _ = select.select([self.control.fileno(), wake_r], [], [], 1.0)
            if wake_r in ready:
                os.read(wake_r, 4096)
            self.reap()
            if self.control.fileno() not in ready:
                continue
            try:
                message, fds, _, _ = socket.recv_fds(self.control, MESSAGE_MAX, 2)
            except OSError:
                self.shutdown()
            if not message:
                self.shutdown()
            if not fds and message == b"shutdown":
                self.shutdown()
            if not fds and message.startswith(PREBUILD):
                self.prebuild(message[len(PREBUILD):])
                continue
            if not fds and message.startswith(TEACH):
                self.learn(message[len(TEACH):])
                continue
            if len(fds) != 2:
                for fd in fds:
                    os.close(fd)
                continue
            channel, status = (socket.socket(fileno=fd) for fd in fds)
            self.spawn(json.loads(message), channel, status)


def _fail(control: socket.socket, failure: dict[str, str]) -> NoReturn:
    """Tell the grader why the jail cannot start (it raises SandboxError), and stop.

    The requests already queued for this zygote (the grader sends the packages to
    prebuild at launch) are read first: a socket closed with messages unread resets its
    peer, which would then never read this one."""
    control.setblocking(False)
    try:
        while control.recv(MESSAGE_MAX):
            pass
    except OSError:  # nothing more queued
        pass
    control.setblocking(True)
    control.sendall(b"failed " + json.dumps(failure).encode())
    os._exit(70)


def _gone(lockdown: Lockdown | None) -> None:
    """The grader died before the zygote was serving: remove what it made, and end."""
    if lockdown is not None:
        lockdown.close()
    os._exit(0)


def main() -> None:
    """argv: control fd, preload (JSON list), data folder (JSON str or null), and the
    landlock backend's policy (JSON object, absent or null for the other backends)."""
    # SIGTERM when the grader dies, SIGKILL'd or not: caught, so the zygote ends its
    # workers and removes its folders (landlock's, a plain subprocess's) before it goes
    limits.set_parent_death_signal(signal.SIGTERM)
    limits.become_subreaper()  # orphans of workers are reparented here and reaped
    control = socket.socket(fileno=int(sys.argv[1]))
    policy = json.loads(sys.argv[4]) if len(sys.argv) > 4 else None
    lockdown = None
    if policy:
        try:
            lockdown = Lockdown(policy)
            signal.signal(signal.SIGTERM, lambda *_: _gone(lockdown))  # until serve() takes over
            lockdown.self_test()
        except (LockdownError, OSError) as error:
            if lockdown is not None:
                lockdown.close()
            _fail(control, {"kind": "confine", "reason": str(error)})
    try:
        preload(json.loads(sys.argv[2]) if len(sys.argv) > 2 else list(DEFAULT_PRELOAD))
    except PreloadFailed as error:  # the grader raises PreloadError with these
        if lockdown is not None:
            lockdown.close()
        _fail(control, {"kind": "preload", "module": error.module, "reason": error.reason})
    data = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
    folder = None if lockdown else limits.enter_data_folder(data)  # landlock: a folder per worker
    limits.python_dirs()  # the folders every worker binds back or reveals, found once here
    from . import worker  # noqa: F401  (compiled once here: the jail writes no .pyc files)

    gc.collect()
    gc.freeze()  # what the zygote holds now is never scanned again: fewer copy-on-write faults in workers
    Zygote(control, data, folder, lockdown).serve()
