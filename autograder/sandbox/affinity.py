"""Which core a grader process and the workers it talks to run on.

A grader process and its jail worker take turns: the grader sends a call, waits, the
worker answers, waits; a correct ``activations`` submission is six such turns (the
worker's start, its cells, then the checks' calls gathered in four frames; 36 one by one).
When the two sit on different cores, every turn wakes an idle core (an interrupt
between cores, and on a virtual machine the hypervisor's too): measured, a socket
round trip took 90 µs across cores against 17 µs on one, and a batch of 100 left
about a tenth of the machine idle. So a batch gives each of its grader
processes a core of its own (:func:`claim`), and the jail forks that grader's workers
onto the same core (:func:`current`, passed with the worker's limits): the pairs do not
wait for each other's wake-ups, and the queue of submissions still balances the cores
(a pair slowed by another program on its core simply takes fewer submissions).

Only a batch with no more grader processes than usable cores claims; one notebook, the
course server and Dask workers leave the scheduler free. Pinning never changes a
result: the work is single-threaded on either side (CONTRACT §3).
"""

from __future__ import annotations

import os


def usable() -> list[int]:
    """The cores this process may run on, in order (fewer than ``cpu_count`` in a container)."""
    return sorted(os.sched_getaffinity(0))


def jobs_for(asked: int, work: int) -> int:
    """How many processes to run ``work`` pieces with: ``asked``, or (0) one per usable core,
    never more than the pieces. Usable cores, not ``os.cpu_count()``: a container limited
    to two cores of a 64-core host (``--cpuset-cpus``) would start 64 processes on two."""
    return max(1, min(asked or len(usable()), work))


def claim(index: int, jobs: int) -> int | None:
    """Pin grader process ``index`` of ``jobs`` to a core of its own, when there are
    enough; the core, or None when it stays free to move (more jobs than cores, or the
    system refused)."""
    cores = usable()
    if jobs < 2 or jobs > len(cores):
        return None
    core = cores[index % len(cores)]
    try:
        os.sched_setaffinity(0, {core})
    except OSError:
        return None
    return core


def current() -> int | None:
    """The one core this process is pinned to, or None when it may run on several."""
    cores = os.sched_getaffinity(0)
    return next(iter(cores)) if len(cores) == 1 else None
