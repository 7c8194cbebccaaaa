"""The sandbox's client: one submission's worker, typed requests and replies, replays.

:class:`WorkerClient` runs a notebook's cells in a fresh worker (the first run, with a
report per cell), sends requests and turns the worker's replies into values or the
call's :class:`~autograder.exceptions.StudentCodeError`. After a time-out or a death
the worker is discarded; the next request starts a fresh worker that replays, silently,
the cells that ran in the first run (up to the one that ended the process, skipping
cells that timed out). Objects of an older worker then raise ``WorkerDied``.

It knows nothing of questions, time budgets or checks: that is the call policy's
(:mod:`autograder.session`), which decides what to send and what a reply costs.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder import exceptions as ex
from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.calls import Label, Reply, reply_of
from autograder.sandbox.channel import WorkerChannel
from autograder.sandbox.inside import protocol
from autograder.sandbox.report import CellOutcome, RunReport, outcome_from_wire
from autograder.sandbox.seeds import call_seed
from autograder.sandbox.values import Caller, RemoteObject, TensorValue

GRACE_S = 2.0 + protocol.FLUSH_S  # past a limit; a worker may hold a frame FLUSH_S (Outbox)
OOM_MARKERS = ("can't allocate memory", "DefaultCPUAllocator", "Cannot allocate memory")

Spawn = Callable[[Limits], WorkerChannel]
Call = tuple[str, Sequence[Any], dict[str, Any]]  # a batch's call: name, args, kwargs
# a batch's reply ``number``, or the error that ended it, and the seconds it took in the
# worker (None: it never reached one); whether the batch goes on
Settle = Callable[[int, "Reply | ex.StudentCodeError", "float | None"], bool]


class Unattributed(Exception):
    """A batch's worker died or hung before the reply awaited: no call is to blame yet."""


def _spent(took: float | None, mark: float) -> float:
    """A batch call's time: what the worker says it took, at most the time since the
    previous call ended (``mark``); without a reply, all of that time."""
    since = time.monotonic() - mark
    return since if took is None else min(max(took, 0.0), since)


def _named(source: str, known: dict[str, str]) -> str | dict[str, str]:
    """A cell's text, or ``{"known": digest}`` when the worker holds it compiled (the setup
    cell: 44 kB less to encode, send and decode)."""
    if not known:
        return source
    name = known.get(source)
    return source if name is None else {"known": name}


class WorkerClient:
    """One submission's cells in the jail. ``spawn(limits)`` starts a fresh worker (the
    jail's :meth:`~autograder.sandbox.jail.Jail.spawn`). Cells run with the generators
    seeded from ``seed`` and their index (:func:`~autograder.sandbox.seeds.call_seed`).
    Objects of the worker come back as :class:`RemoteObject` of ``owner`` (the call
    policy, through which their calls go)."""

    def __init__(self, spawn: Spawn, cells: Sequence[CodeCell], limits: Limits, seed: int,
                 owner: Caller) -> None:
        self._spawn, self.cells, self.limits, self.seed = spawn, tuple(cells), limits, seed
        self.owner = owner
        self._worker: WorkerChannel | None = None
        self._generation = 0
        self._closed = False
        self._replay: tuple[CodeCell, ...] = ()
        # every request sent after the first run, in the order the worker gets them (None:
        # not kept): what `verify` compares between checks gathered and one by one
        self.trace: list[str] | None = None
        self.run = self._first_run()

    # ---- running cells ------------------------------------------------------------

    def _run_request(self, worker: WorkerChannel, cells: Sequence[CodeCell], report: bool,
                     eager: bool = False) -> dict[str, Any]:
        """Run ``cells`` on ``worker``: a cell it holds compiled goes by its digest, not its text."""
        known = worker.known
        return {"op": "run", "cells": [[c.index, _named(c.source, known)] for c in cells], "report": report,
                "eager": eager, "seeds": [call_seed(self.seed, f"cell {c.index}", 0) for c in cells],
                "cell_timeout": self.limits.cell_timeout_s,
                "run_timeout": self.limits.run_timeout_s, "output_kb": self.limits.output_kb}

    def _first_run(self) -> RunReport:
        """The notebook's run, a report per cell. The worker sends its reports together
        (``protocol.Outbox``): when it dies or hangs past the grader's deadline, those it
        held die with it and which cell ended it is unknown, so the notebook runs again
        on a fresh worker that sends each report at once, and that run is the report."""
        report, lost = self._reported_run(eager=False)
        return self._reported_run(eager=True)[0] if lost else report

    def _reported_run(self, eager: bool) -> tuple[RunReport, bool]:
        """A run of every cell; whether it ended by the worker's death, a hang or a broken frame."""
        worker = self._spawn(self.limits)  # waits for the jail's start, if need be
        start = time.monotonic()  # so the notebook's time budget starts with its worker
        self._worker, self._generation = worker, 1
        run_deadline = start + self.limits.run_timeout_s + GRACE_S
        outcomes: list[CellOutcome] = []
        truncated, stopped_at, replay, lost = False, -1, list[CodeCell](), False
        worker.send(self._run_request(worker, self.cells, True, eager))
        while True:
            cell_deadline = time.monotonic() + self.limits.cell_timeout_s + GRACE_S
            position = len(outcomes)
            try:
                header, _ = worker.recv(min(cell_deadline, run_deadline))
            except (TimeoutError, protocol.Died, protocol.WireError) as error:
                ended, lost = self.discard(worker, error), True
                if position < len(self.cells):
                    cell = self.cells[position]
                    if isinstance(error, TimeoutError):
                        stopped_at = position if cell_deadline > run_deadline else -1
                        outcomes.append(CellOutcome(cell.index, "timeout", "TimeoutError"))
                    else:
                        outcomes.append(CellOutcome(cell.index, "ended_process", "", ended))
                break
            if "cell" in header and position < len(self.cells):
                outcome = outcome_from_wire(header["cell"], self.cells[position].index)
                outcomes.append(outcome)
                if outcome.status != "timeout":
                    replay.append(self.cells[position])
                if header.get("run_timeout") is True:
                    stopped_at = position
            elif header.get("done") is True:
                truncated = header.get("truncated") is True
                break
            else:
                self.discard(worker, protocol.WireError("unexpected frame"))
                lost = True
                break
        outcomes += [CellOutcome(c.index, "not_run") for c in self.cells[len(outcomes):]]
        self._replay = tuple(replay)
        lim = self.limits
        return RunReport(tuple(outcomes), time.monotonic() - start, truncated,
                         lim.cell_timeout_s, lim.run_timeout_s, lim.output_kb, stopped_at), lost

    def discard(self, worker: WorkerChannel, error: BaseException) -> str:
        """Discard the worker after ``error`` (killed unless it died); returns how it ended."""
        if not isinstance(error, protocol.Died):
            worker.kill()
        detail = worker.death_detail()
        if isinstance(error, protocol.WireError):
            detail = f"broke the grading protocol: {error}"
        worker.close()
        if self._worker is worker:
            self._worker = None
        return detail

    def worker(self, call: Label) -> WorkerChannel:
        """The live worker, or a fresh one that has replayed the cells (``WorkerDied``,
        naming ``call``, when they cannot be run again)."""
        if self._closed:
            raise ex.SandboxError("the session is closed")
        if self._worker is not None:
            return self._worker
        worker = self._spawn(self.limits)
        self._worker = worker
        self._generation += 1
        deadline = time.monotonic() + self.limits.run_timeout_s + GRACE_S
        try:
            worker.send(self._run_request(worker, self._replay, False))
            while not worker.recv(deadline)[0].get("done"):
                pass
        except (TimeoutError, protocol.Died, protocol.WireError) as error:
            detail = self.discard(worker, error)
            raise ex.WorkerDied(str(call), f"the notebook could not be run again: {detail}") from None
        return worker

    # ---- values ---------------------------------------------------------------------

    def _other(self, value: Any, add: Any) -> dict[str, Any]:
        if isinstance(value, TensorValue):
            return {"$T": add(protocol.array_blob(np.asarray(value.array))),
                    "dtype": value.dtype, "grad": bool(value.requires_grad)}
        if isinstance(value, RemoteObject):
            self.check_handle(value, repr(value))
            return {"$r": value.handle, "type": value.type_name}
        raise TypeError(f"cannot send a {type(value).__name__} to the student's code")

    def check_handle(self, obj: RemoteObject, call: Label) -> None:
        """``WorkerDied`` for an object of another session or of an older worker."""
        if obj.session is not self.owner or obj.generation != self._generation:
            raise ex.WorkerDied(str(call), "the object was lost when the worker restarted")

    def _decode(self, obj: Any, blobs: list[bytes]) -> Any:
        generation = self._generation
        return protocol.decode(
            obj, blobs,
            lambda tag, b: TensorValue(protocol.tensor_array(tag, b), tag["dtype"], tag["grad"]),
            lambda tag, b: RemoteObject(self.owner, tag["$r"], str(tag.get("type", "object"))[:200],
                                        generation),
        )

    # ---- one request ------------------------------------------------------------------

    def exchange(self, worker: WorkerChannel, header: dict[str, Any], call: Label, timeout: float,
                 value: Any) -> tuple[Any, dict[str, Any]]:
        """Send one request to ``worker``; the decoded ``ok`` value and the reply header,
        or the call's error raised."""
        frame = self.frame(header, call, timeout, value)
        self._traced(frame[0])
        try:
            worker.send(*frame)
        except protocol.Died:
            raise ex.WorkerDied(str(call), self.discard(worker, protocol.Died())) from None
        return self.receive(worker, call, timeout)

    def frame(self, header: dict[str, Any], call: Label, timeout: float,
              value: Any) -> tuple[dict[str, Any], list[bytes]]:
        """One request's header and blobs, as :meth:`exchange` sends it (TypeError for
        arguments that cannot be sent)."""
        if isinstance(header.get("target"), RemoteObject):
            target: RemoteObject = header["target"]
            self.check_handle(target, call)
            header = dict(header, target=target.handle)
        blobs: list[bytes] = []
        if value is not None:
            try:
                header["value"], blobs = protocol.encode(value, self._other)
            except protocol.WireError as error:
                raise TypeError(f"cannot send arguments of {call}: {error}") from None
        return dict(header, timeout=timeout, output_kb=self.limits.output_kb), blobs

    def _traced(self, header: dict[str, Any]) -> None:
        """Keep a request as the worker gets it, its time limits left out (they follow
        the grader's timing of the reference)."""
        if self.trace is None:
            return
        kept = {key: value for key, value in header.items() if key not in ("timeout", "output_kb")}
        if isinstance(kept.get("calls"), list):
            kept["calls"] = [{k: v for k, v in call.items() if k != "timeout"} for call in kept["calls"]]
        self.trace.append(json.dumps(kept, sort_keys=True, default=repr))

    def live(self, worker: WorkerChannel) -> bool:
        """Whether ``worker`` is still this client's (not discarded since)."""
        return self._worker is worker and not self._closed

    def send_frames(self, worker: WorkerChannel, frames: list[tuple[dict[str, Any], list[bytes]]]) -> None:
        """Several requests as one frame of frames (``autograder/gather.py``); the worker
        is discarded (and ``protocol.Died`` raised) when it is gone."""
        for header, _ in frames:
            self._traced(header)
        try:
            worker.send_body(*protocol.frame_of_frames(frames))
        except protocol.Died:
            self.discard(worker, protocol.Died())
            raise

    def receive(self, worker: WorkerChannel, call: Label, timeout: float,
                batch_wait: float | None = None,
                took: list[float | None] | None = None) -> tuple[Any, dict[str, Any]]:
        """The reply to one call sent to ``worker``: its decoded ``ok`` value and header,
        or the call's error raised (the worker discarded when it timed out or broke).

        ``batch_wait``: the reply is one of a batch's, whose worker sends its replies
        together, and the longest this or a later call of the batch may take. Then no
        reply before the deadline, the worker's death or a broken frame is no call's
        error (the replies the worker held are lost with it): ``Unattributed``, the
        worker discarded. ``took[0]`` gets the time the worker says the call took."""
        deadline = time.monotonic() + (timeout if batch_wait is None else batch_wait) + GRACE_S
        try:
            reply, reply_blobs = worker.recv(deadline)
        except (TimeoutError, protocol.Died, protocol.WireError) as error:
            detail = self.discard(worker, error)
            if batch_wait is not None:
                raise Unattributed from None
            if isinstance(error, TimeoutError):
                raise ex.CallTimeout(str(call), timeout) from None
            raise (ex.WorkerDied(str(call), detail) if isinstance(error, protocol.Died)
                   else ex.BadValue(str(call), str(error))) from None
        if took is not None:
            seconds = reply.get("took")
            took[0] = float(seconds) if isinstance(seconds, (int, float)) and type(seconds) is not bool \
                and math.isfinite(seconds) else None
        try:
            result = self._decode(reply.get("ok"), reply_blobs) if "ok" in reply else None
        except protocol.WireError as error:
            self.discard(worker, error)
            raise ex.BadValue(str(call), str(error)) from None
        self._raise_error(reply, call, timeout, worker)
        return result, reply

    def _raise_error(self, reply: dict[str, Any], call: Label, timeout: float,
                     worker: WorkerChannel) -> None:
        kind = reply.get("error")
        if kind is None:
            return

        def text(key: str) -> str:
            value = reply.get(key, "")
            return value[:4000] if isinstance(value, str) else ""

        if kind == "missing":
            raise ex.MissingName(text("name"))
        if kind == "not_callable":
            raise ex.NotCallable(text("name"), text("type_name"))
        if kind == "timeout":
            self.discard(worker, TimeoutError())
            raise ex.CallTimeout(str(call), timeout)
        if kind == "bad_value":
            raise ex.BadValue(str(call), text("detail"))
        if kind == "raised":
            exc_type, message = text("exc_type"), text("message")
            if reply.get("memory") is True or any(m in message for m in OOM_MARKERS):
                raise ex.OutOfMemory(str(call), self.limits.memory_mb)
            raise ex.student_exception(str(call), exc_type, message, text("traceback"), text("builtin"))
        self.discard(worker, protocol.WireError("unknown reply"))
        raise ex.BadValue(str(call), "the worker sent an unknown reply")

    # ---- a batch ----------------------------------------------------------------------

    def batch(self, calls: Sequence[Call], labels: Sequence[Label], limits: Sequence[float],
              extras: Sequence[dict[str, Any]], return_args: bool, settle: Settle, eager: bool = False) -> None:
        """Send ``calls`` as one batch request (each call's header gets its ``extras``: its
        seed, its NumPy error state); ``settle(number, reply or error, seconds)`` gets
        each reply in order, up to the first that did not return (a worker that cannot be
        started or reached is the first call's error, as it would be for that call alone),
        and says whether to go on: when it does not, the worker, still busy with the rest,
        is discarded.

        The worker sends the replies together, each with the time its call took. When it
        dies or hangs with some held, the calls from the first reply lost go again on a
        fresh worker, ``eager`` (each reply sent at once), so the call that ends the
        worker is the one to fail. A batch with objects of the worker among its arguments
        is eager at once (a fresh worker would not know them)."""
        try:
            worker = self.worker(labels[0])
        except ex.StudentCodeError as error:
            settle(0, error, None)
            return
        header, blobs, eager = self.batch_frame(calls, labels, limits, extras, return_args, eager)
        self._traced(header)
        try:
            worker.send(header, blobs)
        except protocol.Died:
            settle(0, ex.WorkerDied(str(labels[0]), self.discard(worker, protocol.Died())), None)
            return
        self.batch_replies(worker, calls, labels, limits, extras, return_args, settle, eager)

    def batch_frame(self, calls: Sequence[Call], labels: Sequence[Label], limits: Sequence[float],
                    extras: Sequence[dict[str, Any]], return_args: bool,
                    eager: bool = False) -> tuple[dict[str, Any], list[bytes], bool]:
        """A batch request's header and blobs, and whether it is eager (see :meth:`batch`)."""
        def other(value: Any, add: Any) -> dict[str, Any]:
            nonlocal eager
            eager = eager or isinstance(value, RemoteObject)
            return self._other(value, add)

        try:
            value, blobs = protocol.encode([(tuple(a), dict(k)) for _, a, k in calls], other)
        except protocol.WireError as error:
            raise TypeError(f"cannot send arguments of {labels[0]}: {error}") from None
        header = {"op": "batch", "value": value, "output_kb": self.limits.output_kb, "eager": eager,
                  "calls": [{"target": name, "return_args": return_args, "timeout": limit, **extra}
                            for (name, _, _), limit, extra in zip(calls, limits, extras)]}
        return header, blobs, eager

    def batch_replies(self, worker: WorkerChannel, calls: Sequence[Call], labels: Sequence[Label],
                      limits: Sequence[float], extras: Sequence[dict[str, Any]], return_args: bool,
                      settle: Settle, eager: bool, wait: float = 0.0, gathered: bool = False) -> None:
        """The replies of a batch sent to ``worker`` (see :meth:`batch`). ``wait``: the
        longest a call sent after this batch may take (in a frame of frames, whose replies
        come together); ``gathered``: a lost reply raises ``Unattributed`` instead of
        sending the rest again."""
        mark = time.monotonic()  # when the previous call ended, as far as the grader can tell
        for number, (label, limit) in enumerate(zip(labels, limits)):
            took: list[float | None] = [None]
            try:
                result, reply = self.receive(worker, label, limit,
                                             None if eager else max(wait, *limits[number:]), took)
            except Unattributed:  # the rest again, each reply at once
                if gathered:
                    raise
                self.batch(calls[number:], labels[number:], limits[number:], extras[number:], return_args,
                           lambda n, r, s: settle(n + number, r, s), eager=True)
                return
            except ex.StudentCodeError as error:
                settle(number, error, _spent(took[0], mark))
                return
            spent = _spent(took[0], mark)
            mark += spent
            answer = reply_of(label, result, reply)
            go_on = settle(number, answer, spent)
            if answer.failed:
                return
            if not go_on and number + 1 < len(calls):
                self.discard(worker, TimeoutError())  # still busy with the rest: not wanted
                return

    def close(self) -> None:
        self._closed = True
        if self._worker is not None:
            self._worker.close()
            self._worker = None
