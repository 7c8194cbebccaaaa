"""The ``landlock`` backend: confine each worker without namespaces, where bwrap cannot run.

A zygote started as a plain subprocess (a container without user namespaces) still
gives every worker, after the fork:

- its own unprivileged uid (when the zygote is root; see :mod:`limits`);
- its own folder, read-write, as its working folder, ``HOME`` and ``TMPDIR`` (removed
  when the worker ends), with ``./data`` linking to the assignment's data;
- Landlock (:mod:`landlock`): read-only the Python installation, the system libraries,
  the few files of ``/etc`` a loader needs, the jail's own code and the data; nothing
  else (no ``/proc``, no checks, no results folder, no other worker's folder);
- seccomp (:mod:`seccomp`): no new sockets, no IPC, no ptrace, no namespaces;
- the same rlimits as every backend.

The zygote tries all of it once in a throwaway child before saying ready, so a kernel
that refuses any part fails the start (and ``auto`` moves on to the next backend).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import socket
import tempfile
from typing import Any

from . import landlock, seccomp

PR_SET_NO_NEW_PRIVS = 38
READ_WRITE_DEVICES = ("/dev/null",)


class LockdownError(OSError):
    """Landlock or seccomp cannot confine a worker here."""


class Lockdown:
    """What the zygote knows to confine its workers: the paths they may read, the
    compiled seccomp filter, and the folder that holds each worker's own folder."""

    def __init__(self, policy: dict[str, Any]) -> None:
        self.read_only = [str(p) for p in policy["read_only"]]
        if landlock.abi_version() < 1:
            raise LockdownError("Landlock is not enabled in this kernel")
        try:
            self.program = seccomp.compile_filter(seccomp.load_library())
        except seccomp.SeccompError as error:
            raise LockdownError(str(error)) from None
        self.root = tempfile.mkdtemp(prefix="autograder-landlock-")
        os.chmod(self.root, 0o711)  # a worker's uid may reach its own folder, and list nothing
        os.environ["HOME"] = self.root  # the zygote's own caches (matplotlib's) go there

    def folder_of(self, pid: int) -> str:
        return os.path.join(self.root, str(pid))

    def enter(self, uid: int | None, data: str | None) -> str:
        """In a new worker, before it drops privileges: make its folder and go there."""
        folder = self.folder_of(os.getpid())
        os.mkdir(folder, 0o700)
        if uid is not None:
            os.chown(folder, uid, uid)
        os.chdir(folder)
        if data:
            os.symlink(data, "data")
        os.environ.update(HOME=folder, TMPDIR=folder)
        tempfile.tempdir = folder
        return folder

    def apply(self, folder: str) -> None:
        """Restrict this process for good: Landlock, then seccomp (last: Landlock's own
        calls and opening the allowed paths come before it)."""
        landlock.restrict(self.read_only, [folder, *READ_WRITE_DEVICES])
        seccomp.load(self.program)

    def remove(self, pid: int) -> None:
        """A worker is gone: its folder goes too (never following its links)."""
        shutil.rmtree(self.folder_of(pid), ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def self_test(self) -> None:
        """Confine a throwaway child and check from inside that it holds: ``/proc`` of
        another process unreadable, a new socket refused, its own folder writable."""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.write(write, _probe(self).encode()[:1000])
            os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            report = pipe.read().decode(errors="replace")
        os.waitpid(pid, 0)
        self.remove(pid)
        if report != "ok":
            raise LockdownError(report or "the confined test process died")


def _probe(lockdown: Lockdown) -> str:
    try:
        folder = lockdown.enter(None, None)
        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return "PR_SET_NO_NEW_PRIVS failed"
        lockdown.apply(folder)
    except BaseException as error:  # noqa: BLE001 - reported to the grader as the reason
        return f"{type(error).__name__}: {error}"
    try:
        with open(os.path.join(folder, "probe"), "w") as probe:
            probe.write("x")
    except OSError as error:
        return f"a confined worker cannot write its own folder ({error})"
    try:
        open(f"/proc/{os.getppid()}/cmdline").close()
        return "Landlock did not hide /proc"
    except PermissionError:
        pass
    except OSError as error:
        return f"unexpected error reading /proc: {error}"
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        return "seccomp did not refuse a socket"
    except PermissionError:
        pass
    return "ok"
