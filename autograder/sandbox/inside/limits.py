"""Confine a freshly forked worker: own session, own /tmp, unprivileged uid, rlimits.

Order matters: the mount namespace needs root, so it comes first; the uid drop loses
every capability; ``PR_SET_NO_NEW_PRIVS`` keeps it that way; rlimits come last so
the address-space limit is measured after the zygote's imports.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import signal
import site
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lockdown import Lockdown

CLONE_NEWNS = 0x00020000
MS_REC, MS_PRIVATE, MS_NOSUID, MS_NODEV = 0x4000, 0x40000, 0x2, 0x4
MS_RDONLY, MS_REMOUNT, MS_BIND = 0x1, 0x20, 0x1000
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER = 1, 38, 36

_libc = ctypes.CDLL(None, use_errno=True)


def set_parent_death_signal(sig: int = signal.SIGKILL) -> None:
    _libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def become_subreaper() -> None:
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


@functools.cache
def python_dirs() -> frozenset[str]:
    """The interpreter's folders and the jail's own code (imported lazily by workers).

    Worked out once, in the zygote before it forks (``zygote.main``): every worker needs
    the same folders, twice, and each ``realpath`` reads every folder of its path."""
    code_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return frozenset(os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, *site.getsitepackages(), code_root))


def _bind_back(path: str, fd: int) -> None:
    """Bind a folder (held open as an O_PATH fd) at ``path`` again, read-only."""
    os.makedirs(path, mode=0o755, exist_ok=True)
    source, target = f"/proc/self/fd/{fd}".encode(), path.encode()
    _libc.mount(source, target, None, MS_BIND | MS_REC, None)
    _libc.mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, None)
    os.close(fd)


def own_mount_namespace() -> bool:
    """A mount namespace of this process's own, whose mounts nobody else sees (needs
    CAP_SYS_ADMIN: root outside a container that drops it)."""
    if _libc.unshare(CLONE_NEWNS) != 0:
        return False
    _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None)
    return True


def private_tmp(size_mb: int, data: str | None = None) -> bool:
    """A fresh tmpfs on /tmp seen by this process only (needs CAP_SYS_ADMIN).

    Python folders under /tmp (a virtualenv in a checkout under /tmp, as in CI) and
    the assignment's data are bound back read-only, or the worker could not import
    anything."""
    if not own_mount_namespace():
        return False
    keep = [(p, os.open(p, os.O_PATH)) for p in sorted(python_dirs() | _data_dirs(data))
            if p == "/tmp" or p.startswith("/tmp/")]
    options = f"size={size_mb}m,nr_inodes=4096,mode=1777".encode()
    mounted = _libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, options) == 0
    if mounted and os.path.isdir("/dev/shm"):
        _libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV, options)
    for path, fd in keep:
        if mounted:
            _bind_back(path, fd)
        else:
            os.close(fd)
    return mounted


def reveal_python(data: str | None = None) -> None:
    """Let a non-root uid read the interpreter (and the data) when it sits under a
    private folder (``/root`` is 0700): in this process's mount namespace, a
    world-readable tmpfs goes over the blocking folder and the folders are bound back,
    read-only."""
    wanted = python_dirs() | _data_dirs(data)
    plan: dict[str, list[tuple[str, int]]] = {}
    for path in sorted(wanted):
        parts = path.split("/")
        for depth in range(2, len(parts)):
            folder = "/".join(parts[:depth])
            if not os.stat(folder).st_mode & 0o001:
                plan.setdefault(folder, []).append((path, os.open(path, os.O_PATH)))
                break
    for folder, inner in plan.items():
        if _libc.mount(b"tmpfs", folder.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755") != 0:
            continue
        for path, fd in inner:
            _bind_back(path, fd)


def share_core(core: Any) -> None:
    """Run on the grader's core when the grader is pinned to one (``core``; see the
    grader's ``autograder.sandbox.affinity``): the two take turns, and on one core a turn wakes
    no other. Anything but a core number, or a core this process may not use, leaves the
    scheduler free: never a reason to fail a worker."""
    if type(core) is not int or core < 0:
        return
    try:
        os.sched_setaffinity(0, {core})
    except OSError:
        pass


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


# ---- the assignment's data at ./data ------------------------------------------------
# The cells run in /tmp. In bwrap, /tmp/data is the data's read-only mount; a plain
# subprocess's zygote runs in a folder of its own where ./data is a link to the data.


def _data_dirs(data: str | None) -> set[str]:
    return {os.path.realpath(data)} if data else set()


def enter_data_folder(data: str | None) -> str | None:
    """Go to the zygote's folder, which workers without a private /tmp run in: /tmp, or
    a fresh folder where ``./data`` links to ``data`` when /tmp/data is not it (a
    plain subprocess). Returns that fresh folder, for the zygote to remove at the end."""
    os.chdir("/tmp")
    if not data or os.path.realpath("data") == os.path.realpath(data):
        return None
    import tempfile

    folder = tempfile.mkdtemp(prefix="autograder-jail-")
    os.chmod(folder, 0o755)  # a worker's own uid (as root) may enter it
    os.symlink(data, os.path.join(folder, "data"))
    os.chdir(folder)
    return folder


def _link_data(data: str | None) -> None:
    """In a worker's fresh /tmp: ``./data`` is the data (a link, root's, in a sticky /tmp)."""
    if data and not os.path.lexists("data"):
        os.symlink(data, "data")


def confine(uid: int | None, limits: dict[str, Any], data: str | None = None,
            lockdown: Lockdown | None = None) -> None:
    """Everything a worker does to itself before running any student code.

    With ``lockdown`` (the ``landlock`` backend) the worker gets its own folder instead
    of a private /tmp, and Landlock and seccomp last of all."""
    os.setsid()
    folder = ""
    if lockdown is not None:
        if uid is not None and own_mount_namespace():  # where it can: Python under /root
            reveal_python(data)
        folder = lockdown.enter(uid, data)
    elif uid is not None and private_tmp(max(16, 4 * int(limits["file_size_mb"])), data):
        reveal_python(data)
        os.chdir("/tmp")
        _link_data(data)
    # else: the zygote's folder (enter_data_folder)
    if uid is not None:
        drop_privileges(uid)
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError("PR_SET_NO_NEW_PRIVS failed")
    set_parent_death_signal()
    set_rlimits(limits)  # reads /proc/self/statm: before Landlock hides /proc
    if lockdown is not None:
        lockdown.apply(folder)


def processes_of(uid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    found.append(int(entry))
            except OSError:
                continue
    return found


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
