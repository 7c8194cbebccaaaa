"""A small ctypes binding to Landlock: confine a worker's file system without namespaces.

Landlock is an unprivileged Linux security module (5.13+): a process builds a ruleset
("these folders, with these rights"), then restricts itself; the restriction can never
be lifted and is inherited by every child. Used by the ``landlock`` backend, where
bubblewrap cannot run (a container without user namespaces). What is not listed is
refused, ``/proc`` included, so a worker cannot find the grader's command line there.

Rights are masked to the kernel's ABI, so the same rules work from ABI 1 (file system
only) up; ABI 4 adds TCP bind/connect (refused: no rule grants them) and ABI 6 scoping
(no signals to, and no abstract Unix sockets of, processes outside the worker's domain).
"""

from __future__ import annotations

import ctypes
import os
import platform
import stat
from collections.abc import Iterable

# syscall numbers are the same on x86_64 and arm64 (the generic table)
_NUMBERS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446), "arm64": (444, 445, 446)}
CREATE_RULESET_VERSION = 1 << 0
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15  # ABI 2, 3, 5
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6

_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1,
              5: (1 << 16) - 1}
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # all a rule on a file may hold
READ = EXECUTE | READ_FILE | READ_DIR

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class LandlockError(OSError):
    """Landlock is missing here or refused a rule."""


def _numbers() -> tuple[int, int, int]:
    try:
        return _NUMBERS[platform.machine()]
    except KeyError:
        raise LandlockError(f"Landlock is not supported on {platform.machine()} by this binding") from None


def abi_version() -> int:
    """The kernel's Landlock ABI (0 when Landlock is missing or disabled)."""
    try:
        create, _, _ = _numbers()
    except LandlockError:
        return 0
    version = _libc.syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(int(version), 0)


def _fail(what: str) -> LandlockError:
    errno = ctypes.get_errno()
    return LandlockError(errno, f"landlock {what}: {os.strerror(errno)}")


def restrict(read_only: Iterable[str], read_write: Iterable[str]) -> int:
    """Confine this process (and what it starts) to ``read_only`` and ``read_write``
    paths (folders or files); everything else of the file system is refused. Paths
    that do not exist are skipped. Needs ``PR_SET_NO_NEW_PRIVS`` set first. Returns the
    ABI used."""
    abi = abi_version()
    if abi < 1:
        raise LandlockError("Landlock is not available in this kernel")
    create, add_rule, restrict_self = _numbers()
    handled = _FS_BY_ABI.get(abi, _FS_BY_ABI[5])
    attr = _RulesetAttr(handled_access_fs=handled)
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = int(_libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)))
    if ruleset < 0:
        raise _fail("create_ruleset")
    try:
        for paths, rights in ((read_only, READ), (read_write, handled)):
            for path in paths:
                _allow(ruleset, add_rule, path, rights & handled)
        if _libc.syscall(restrict_self, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise _fail("restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _allow(ruleset: int, add_rule: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= FILE_RIGHTS
        rule = _PathBeneathAttr(allowed_access=rights, parent_fd=fd)
        if _libc.syscall(add_rule, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH),
                         ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
            raise _fail(f"add_rule {path}")
    finally:
        os.close(fd)
