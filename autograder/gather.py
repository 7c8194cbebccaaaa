"""Several checks' first requests in one round trip, graded exactly as one by one.

Every round trip to the worker costs both processes a wake-up and their caches (about
0.16 ms of CPU a request beyond the work itself, ``benchmarks/bench_round_trip.py``), and
most checks make one request. So :class:`Gathering` runs a *run* of consecutive checks
each in its own greenlet: a check runs up to its first request into the student's code,
which is encoded, not sent, and the check waits (:meth:`Gathering.park`); once every
check of the run waits or is done, the requests go to the worker as one frame of frames
(``worker.run_many``), which handles them in order as it would have one by one and sends
the replies together. Then each check in turn reads its reply and finishes.

The worker thus sees the very sequence of requests the checks one by one would have
sent, as long as no check asks again while a later check's request has already been
handled. That is watched (:meth:`Gathering.asking`): such a submission's gathered grading
stops with :class:`Reordered` and it is graded again one check at a time. A check seen to
ask more than once is only ever the last of a run (whose later requests go as usual), so
that happens at most once per check.

In the grader, a check's code before its first request runs before the earlier checks'
code after theirs. Each check of a run has its own ``Session.place`` and a copy of the
context variables; what the checks share is watched (:func:`shared_state`: ``sys.stdout``
and ``stderr``, which ``redirect_stdout`` swaps, the warning filters, the working folder,
the context variables such as NumPy's error state, torch's gradient mode): a check that
changes it while others wait (an imported doctest's captured output), or leaves it
changed, is :class:`Reordered` and only ever runs alone from then on, as checks not seen
yet do: a run of one is one check at a time, in the caller's greenlet and context. The
global random generators are not watched (their state already depends on what ran
before in the process): checks draw from their own ``rng``. Nor is a check's own state
(a module-level cache of what the student's code returned, filled by whichever check
asks first): checks must not depend on one another, as pytest's tests; an assignment whose
checks do says ``independent_checks: false``, and ``verify`` grades the solution both ways
to find out (``verify/independence.py``).
"""

from __future__ import annotations

import contextvars
import os
import sys
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from greenlet import GreenletExit, getcurrent, greenlet

from autograder.sandbox.inside.protocol import Died, WireError

MAX_BYTES = 8 << 20  # the most a run's frame carries (blobs): far below the wire's 64 MiB
NOW, GATHER, LATER = "now", "gather", "later"  # what becomes of a request (Gathering.asking)
_PARKED = object()


class Reordered(BaseException):
    """The worker would have seen the requests in another order than one check at a
    time: the submission is graded again without gathering. A BaseException, so that
    no check's ``except Exception`` takes it for its own."""


@dataclass
class Parked:
    """A check's first request, waiting: the frame to send (None: it goes as usual, once
    the checks before it are done), the worker it is for and its calls' time limits.
    Once sent, ``wait`` is how long its reply may take (the longest limit from it on:
    the worker sends the replies together)."""

    frame: tuple[dict[str, Any], list[bytes]] | None
    worker: Any = None
    limits: Sequence[float] = ()
    wait: float = 0.0
    sent: bool = False
    sent_at: float = 0.0


@dataclass
class Member:
    """One check of a run: its greenlet, where its calls stand (``Session.place``), its
    requests so far, its parked first request."""

    run: Callable[[], Any]
    place: Any
    asked: int = 0
    clean: bool = True  # left what the process shares as it found it (shared_state)
    found: tuple[Any, ...] = ()
    parked: Parked | None = None
    result: Any = None
    done: bool = False
    thread: greenlet | None = field(default=None, repr=False)


def frame_size(frame: tuple[dict[str, Any], list[bytes]]) -> int:
    return sum(len(blob) for blob in frame[1])


def shared_state() -> tuple[Any, ...]:
    """What the checks in the grader process share and one may change for a while: the
    standard streams, the warning filters, the working folder, the context variables
    (NumPy's error state and print options, ``decimal``'s context), torch's gradient
    mode and default dtype. About 1.5 microseconds."""
    state = (sys.stdout, sys.stderr, sys.stdin, warnings.filters, warnings.showwarning, os.getcwd(),
             tuple(contextvars.copy_context().items()))
    torch = sys.modules.get("torch")
    if torch is None:
        return state
    return state + (torch.is_grad_enabled(), torch.is_inference_mode_enabled(), torch.get_default_dtype())


class Gathering:
    """One run of checks over one session: ``Gathering(session, send, new_place).run(calls)``.

    ``session`` has a ``place`` (its per-check call state: scope, seeding, NumPy errors),
    swapped in and out with the check that runs, ``new_place()`` a fresh one for each
    check; ``send(worker, frames)`` sends frames as one. :meth:`run` returns each check's
    return value, in order."""

    def __init__(self, session: Any, send: Callable[[Any, list[tuple[dict[str, Any], list[bytes]]]], None],
                 new_place: Callable[[], Any]) -> None:
        self._session, self._send, self._new_place = session, send, new_place
        self._members: list[Member] = []
        self._current: Member | None = None
        self._gathering = False
        self._outstanding: deque[Member] = deque()  # sent, reply not read yet, in order
        self._bytes = 0
        self.reordered = False  # set with every Reordered raised: a check may have caught it
        self._thread = threading.get_ident()  # the run's: greenlets do not cross threads

    # ---- what a request asks of it (Session) ----------------------------------------

    def asking(self) -> str:
        """Count a request of the check that runs and say what becomes of it: ``GATHER`` (its
        first while the run gathers: park it with its frame), ``LATER`` (park it without:
        it goes once the checks before it are done) or ``NOW``. Raises :class:`Reordered`
        when a later check's request has already been handled (this one would reach the
        worker after it, not before)."""
        member = self._current
        if member is None:
            return NOW
        if threading.get_ident() != self._thread:  # from a thread of the check's own: no greenlet
            member.clean = False  # of this run can wait there; such a check runs alone from now on
            if len(self._members) > 1:
                self._reorder()
            member.asked += 1
            return NOW
        member.asked += 1
        if self._gathering:
            return GATHER if member.asked == 1 else LATER
        if member.asked == 1 and member.found != shared_state():  # where a run would have it wait
            member.clean = False
        if self._outstanding and self._outstanding[0] is not member:
            self._reorder()
        return NOW

    def _reorder(self) -> NoReturn:
        """Give the run up; the flag outlives a check that catches the exception."""
        self.reordered = True
        raise Reordered

    def park(self, frame: tuple[dict[str, Any], list[bytes]] | None, worker: Any,
             limits: Sequence[float]) -> Parked:
        """Wait with this first request until the run's turn comes back to this check. A
        frame that would take the run past ``MAX_BYTES`` waits without it (it ends the
        gathering; the request then goes as usual)."""
        member = self._current
        assert member is not None and self._gathering
        if member.found != shared_state():
            member.clean = False  # the checks before it would end, and those after it start, in its state
            if any(m is not member and m.parked is not None for m in self._members):
                self._reorder()
        size = 0 if frame is None else frame_size(frame)
        if self._bytes and self._bytes + size > MAX_BYTES:
            frame, size = None, 0
        parked = Parked(frame, worker, tuple(limits))
        member.parked = parked
        if frame is None or not member.clean:
            self._gathering = False  # the run's last check to start before the others end
        self._bytes += size
        getcurrent().parent.switch(_PARKED)
        return parked

    def received(self) -> None:
        """The check that runs reads its parked request's reply now."""
        if self._outstanding and self._outstanding[0] is self._current:
            self._outstanding.popleft()

    def lost(self) -> None:
        """The worker the run's frame went to was discarded: the replies not read yet went
        with it, and their requests are made again as if now."""
        self._outstanding.clear()

    def outstanding(self) -> bool:
        """Whether a later check's request was handled and its reply not read yet."""
        waiting = self._outstanding
        return len(waiting) > 1 or (len(waiting) == 1 and waiting[0] is not self._current)

    def asked(self) -> list[tuple[int, bool] | None]:
        """How many requests each check of the last run made, and whether it left what
        the process shares as it found it (see :func:`shared_state`); None for a check
        that did not run to its end (a run given up), unless it is the one that gave it up."""
        return [(m.asked, m.clean) if m.done or m.asked > 1 or not m.clean else None for m in self._members]

    # ---- the run (CheckRunner) --------------------------------------------------------

    def run(self, calls: Sequence[Callable[[], Any]]) -> list[Any]:
        """Each call's return value, in order (see the module's docstring); raises
        :class:`Reordered` (every check unwound first) when the order would change."""
        self._members = [Member(call, self._new_place()) for call in calls]
        if len(calls) == 1:
            return [self._alone(self._members[0])]
        self._gathering = True
        try:
            started = self._gather()
            self._gathering = False
            self._flush(started)
            for member in self._members:
                self._finish(member)
        except BaseException:
            self._unwind()
            raise
        if self.reordered:  # raised in a check that caught it
            raise Reordered
        return [member.result for member in self._members]

    def _alone(self, member: Member) -> Any:
        """A run of one check: as one by one, in this greenlet and context, its requests
        counted and what it leaves of the shared state seen (what the runner learns)."""
        self._current, member.found = member, shared_state()
        try:
            member.result = member.run()
        finally:
            self._current = None
        member.done = True
        member.clean = member.clean and member.found == shared_state()
        return member.result

    def _gather(self) -> list[Member]:
        """Start each check up to its first request, until one has to go after the others."""
        started = []
        for member in self._members:
            if not self._gathering:
                break
            started.append(member)
            self._switch(self._start(member))
        return started

    @staticmethod
    def _start(member: Member) -> Member:
        """The check's greenlet, with a copy of the context variables (NumPy's error state
        and the like) as they are here."""
        member.thread = greenlet(member.run)
        member.thread.gr_context = contextvars.copy_context()
        return member

    def _flush(self, started: list[Member]) -> None:
        """Send the parked requests as one frame. One too large for the wire is not sent:
        each then goes as usual, in order. A worker gone already is :class:`Reordered`
        (alone, the first request would have been told so)."""
        waiting = [m for m in started if m.parked is not None and m.parked.frame is not None]
        if not waiting:
            return
        worker = waiting[0].parked.worker if waiting[0].parked is not None else None
        frames: list[tuple[dict[str, Any], list[bytes]]] = []
        limits: list[float] = []
        for member in waiting:
            assert member.parked is not None and member.parked.frame is not None
            if member.parked.worker is not worker:  # not seen: a worker replaced while gathering
                raise Reordered
            frames.append(member.parked.frame)
            limits += member.parked.limits
        try:
            self._send(worker, frames)
        except WireError:  # too large for one frame: nothing went
            for member in waiting:
                assert member.parked is not None
                member.parked.frame = None
            return
        except Died:
            raise Reordered from None
        now, done = time.monotonic(), 0
        for member in waiting:
            assert member.parked is not None
            member.parked.wait, member.parked.sent, member.parked.sent_at = max(limits[done:]), True, now
            done += len(member.parked.limits)
            self._outstanding.append(member)

    def _finish(self, member: Member) -> None:
        """Let a check read its reply and run to its end."""
        if member.done:
            return
        self._switch(member if member.thread is not None  # else after a check that had to go last
                     else self._start(member))
        if not member.done:
            raise RuntimeError("a check waited twice in one run")

    def _switch(self, member: Member) -> None:
        assert member.thread is not None
        session = self._session
        own, session.place = session.place, member.place
        self._current = member
        if not member.found:
            member.found = shared_state()
        try:
            value = member.thread.switch()
        finally:
            member.place, session.place = session.place, own
            self._current = None
        if value is not _PARKED:
            member.result, member.done = value, True
            self._ended(member)

    def _ended(self, member: Member) -> None:
        """A check that changed what the process shares, with a later check already
        started before it ended: that one's start saw another state than one by one."""
        if member.found == shared_state():
            return
        member.clean = False
        later = self._members[self._members.index(member) + 1:]
        if any(m.thread is not None for m in later):
            self.reordered = True

    def _unwind(self) -> None:
        """End every check still waiting (its fixtures torn down), the run given up."""
        self._gathering = False
        self._outstanding.clear()
        for member in reversed(self._members):  # the last started first: what each restores nests
            if member.thread is not None and not member.thread.dead:
                session = self._session
                own, session.place = session.place, member.place
                self._current = member
                try:
                    member.thread.throw(GreenletExit)
                except BaseException:  # noqa: BLE001 - its teardown's failure: the run is given up anyway
                    pass
                finally:
                    session.place, self._current = own, None
