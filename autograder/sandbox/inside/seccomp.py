"""A small ctypes binding to libseccomp: the system calls a ``landlock`` worker may not make.

Without a network namespace, a worker could open a socket and send what it reads
anywhere; without an IPC namespace it could talk to other workers. The filter refuses
(``EPERM``) creating, binding and connecting sockets (the worker's channel to the
grader is already connected and keeps working), SysV and POSIX message IPC, ptrace and
other processes' memory, io_uring (which would bypass the socket rules), namespaces,
mounts, keyrings, BPF and kernel modules. ``clone3`` answers ``ENOSYS`` so the C library
falls back to ``clone``, whose namespace flags are then refused. libseccomp kills a
process that makes a call of another architecture (the 32-bit entry on x86_64).

libseccomp (``libseccomp.so.2``) ships with every mainstream distribution; it resolves
syscall names for the machine's architecture and compiles the filter, once per jail;
each worker installs the compiled program with ``prctl``.
"""

from __future__ import annotations

import ctypes
import errno
import os

ALLOW = 0x7FFF0000
CMP_MASKED_EQ = 7
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
_libc = ctypes.CDLL(None, use_errno=True)

DENIED = (
    # new sockets and what only new sockets need; socketpair() (connected, local) stays
    "socket", "connect", "bind", "listen", "accept", "accept4",
    # inter-process communication without a file path (other workers, the host)
    "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl",
    "shmget", "shmat", "shmdt", "shmctl", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # other processes, and ways around the rules above
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount",
    "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr",
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "acct", "quotactl",
)
NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000,
                   0x40000000, 0x00000080)  # NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME


class SeccompError(OSError):
    """libseccomp is missing or refused the filter."""


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def _errno_action(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


def load_library() -> ctypes.CDLL:
    """libseccomp, loaded now (before the worker's file system is restricted)."""
    try:
        lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError as error:
        raise SeccompError(f"libseccomp is not installed ({error})") from None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.restype = ctypes.c_int
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                           ctypes.c_uint, ctypes.POINTER(_ArgCmp)]
    lib.seccomp_export_bpf.restype = ctypes.c_int
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_release.restype = None
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def compile_filter(lib: ctypes.CDLL) -> bytes:
    """The filter as a BPF program, built once by the zygote (libseccomp takes about
    20 ms to build it; a worker loads the finished program in microseconds)."""
    ctx = lib.seccomp_init(ALLOW)
    if not ctx:
        raise SeccompError("seccomp_init failed")
    try:
        for name in DENIED:
            _rule(lib, ctx, name, _errno_action(errno.EPERM))
        _rule(lib, ctx, "clone3", _errno_action(errno.ENOSYS))
        for flag in NAMESPACE_FLAGS:
            _rule(lib, ctx, "clone", _errno_action(errno.EPERM),
                  _ArgCmp(arg=0, op=CMP_MASKED_EQ, datum_a=flag, datum_b=flag))
        fd = os.memfd_create("seccomp-bpf")
        try:
            result = lib.seccomp_export_bpf(ctx, fd)
            if result != 0:
                raise SeccompError(-result, f"seccomp_export_bpf: {errno.errorcode.get(-result, result)}")
            os.lseek(fd, 0, os.SEEK_SET)
            program = b""
            while chunk := os.read(fd, 65536):
                program += chunk
        finally:
            os.close(fd)
    finally:
        lib.seccomp_release(ctx)
    if not program or len(program) % 8:
        raise SeccompError("libseccomp exported no filter")
    return program


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def load(program: bytes) -> None:
    """Install a filter of :func:`compile_filter` in this process, for good (inherited
    by every child). Needs ``PR_SET_NO_NEW_PRIVS`` set first."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        code = ctypes.get_errno()
        raise SeccompError(code, f"seccomp filter: {os.strerror(code)}")


def _rule(lib: ctypes.CDLL, ctx: int, name: str, action: int, *conditions: _ArgCmp) -> None:
    number = lib.seccomp_syscall_resolve_name(name.encode())
    if number < 0:  # unknown on this architecture (or to this libseccomp): nothing to refuse
        return
    array = (_ArgCmp * max(len(conditions), 1))(*conditions)
    result = lib.seccomp_rule_add_array(ctx, action, number, len(conditions), array)
    if result != 0:
        raise SeccompError(-result, f"seccomp rule for {name}: {errno.errorcode.get(-result, result)}")
