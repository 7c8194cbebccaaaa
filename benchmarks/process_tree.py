"""The CPU of a command and of every process it started, the jail's included.

``RUSAGE_CHILDREN`` counts a process once it is waited for, with what it waited for
itself. The jail's bwrap leaves its own child (the sandbox's init, which reaps the
zygote and every worker) to end after it, an orphan: init reaps it and its CPU, most
of the jail's, is counted nowhere this process can read (a batch of 100 `activations`
notebooks: 3.2 CPU-s counted, 7.1 CPU-s used). A benchmark that calls
:func:`adopt_orphans` first becomes the reaper of its descendants' orphans (Linux's
``PR_SET_CHILD_SUBREAPER``); :func:`tree_cpu` waits for them and then reads
``RUSAGE_CHILDREN``, so the figure is every process the command started, whoever's
child it was at the end. The same holds for otter and its kernel.

:func:`machine_busy` is the other honest figure, and a coarser one: every CPU-second
the whole machine spent (``/proc/stat``, all but idle and I/O wait), anyone's; only on
an otherwise idle machine is it the command's.
"""

from __future__ import annotations

import ctypes
import os
import resource
import time

PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
REAP_WAIT_S = 10.0


def adopt_orphans() -> bool:
    """Become the reaper of this process's descendants' orphans; False where the kernel
    has no such thing (then :func:`tree_cpu` misses what orphans used)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans(wait_s: float = REAP_WAIT_S) -> int:
    """Wait for the adopted orphans (an ended command's leftovers end within moments);
    how many were reaped. Gives up after ``wait_s`` on one that keeps running."""
    reaped, deadline = 0, time.monotonic() + wait_s
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # no child left
            return reaped
        if pid:
            reaped += 1
        elif time.monotonic() > deadline:
            return reaped
        else:
            time.sleep(0.005)


def tree_cpu() -> float:
    """User and system CPU of every finished process this one started, orphans included."""
    reap_orphans()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy() -> float:
    """CPU-seconds the whole machine has been busy since boot, every user's processes."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(field) for field in stat.readline().split()[1:]]
    idle, iowait = ticks[3], ticks[4]
    return (sum(ticks[:8]) - idle - iowait) / os.sysconf("SC_CLK_TCK")  # guest time is inside user
