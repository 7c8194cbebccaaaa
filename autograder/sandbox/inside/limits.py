"""Confine a freshly forked worker: own session, own /tmp, unprivileged uid, rlimits.

Order matters: the mount namespace needs root, so it comes first; the uid drop loses
every capability; ``PR_SET_NO_NEW_PRIVS`` keeps it that way; rlimits come last so
the address-space limit is measured after the zygote's imports.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
from typing import Any

CLONE_NEWNS = 0x00020000
MS_REC, MS_PRIVATE, MS_NOSUID, MS_NODEV = 0x4000, 0x40000, 0x2, 0x4
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38

_libc = ctypes.CDLL(None, use_errno=True)


def set_parent_death_signal(sig: int = signal.SIGKILL) -> None:
    _libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def private_tmp(size_mb: int) -> bool:
    """A fresh tmpfs on /tmp seen by this process only (needs CAP_SYS_ADMIN)."""
    if _libc.unshare(CLONE_NEWNS) != 0:
        return False
    _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None)
    options = f"size={size_mb}m,nr_inodes=4096,mode=1777".encode()
    return _libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, options) == 0


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise OSError("could not drop privileges")


def address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 4 << 30


def set_rlimits(limits: dict[str, Any]) -> None:
    mb = 1 << 20
    memory = address_space() + int(limits["memory_mb"]) * mb
    cpu = int(limits["cpu_s"])
    for which, value in (
        (resource.RLIMIT_AS, memory),
        (resource.RLIMIT_CPU, (cpu, cpu + 2)),
        (resource.RLIMIT_NPROC, int(limits["processes"])),
        (resource.RLIMIT_FSIZE, int(limits["file_size_mb"]) * mb),
        (resource.RLIMIT_NOFILE, int(limits["open_files"])),
        (resource.RLIMIT_CORE, 0),
    ):
        soft, hard = value if isinstance(value, tuple) else (value, value)
        resource.setrlimit(which, (soft, hard))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write raises EFBIG instead


def confine(uid: int | None, limits: dict[str, Any]) -> None:
    """Everything a worker does to itself before running any student code."""
    os.setsid()
    if uid is not None:
        private_tmp(max(16, 4 * int(limits["file_size_mb"])))
    os.chdir("/tmp")
    if uid is not None:
        drop_privileges(uid)
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError("PR_SET_NO_NEW_PRIVS failed")
    set_parent_death_signal()
    set_rlimits(limits)


def sweep_uid(uid: int) -> None:
    """Kill every process of ``uid`` (a worker's escaped children) from a forked helper."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresuid(uid, uid, uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
