"""One submission in the jail: its first run, its calls, and transparent restarts.

After a time-out or a death the worker is discarded; the next request starts a fresh
worker that replays, silently, the cells that ran in the first run (up to the one
that ended the process, skipping cells that timed out). RemoteObjects from an older
worker then raise WorkerDied.
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from collections.abc import Callable
from typing import Any, Sequence

import numpy as np

from autograder import exceptions as ex
from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.budget import ScopeBudgets
from autograder.sandbox.calls import CallResult, Reply, render_call, reply_of
from autograder.sandbox.channel import WorkerChannel
from autograder.sandbox.inside import protocol
from autograder.sandbox.proxy import SubmissionProxy
from autograder.sandbox.report import CellOutcome, RunReport, outcome_from_wire
from autograder.sandbox.values import RemoteObject, TensorValue

GRACE_S = 2.0 + protocol.FLUSH_S  # past a limit; a worker may hold a frame FLUSH_S (Outbox)
OOM_MARKERS = ("can't allocate memory", "DefaultCPUAllocator", "Cannot allocate memory")


def submission_seed(sha256: str) -> int:
    """The seed of a submission's random generators in the worker: its content hash's
    first 64 bits (0 when there is no hash)."""
    try:
        return int(sha256[:16], 16)
    except ValueError:
        return 0


def call_seed(seed: int, key: str, number: int) -> int:
    """The seed of the generators for the ``number``-th call (from 0) made under ``key``
    (a check, a question's public examples, a cell) of the submission seeded ``seed``:
    64 bits of a hash of the three, so it depends on nothing else (not on the calls made
    before, the batch, the worker or the order of the checks)."""
    digest = hashlib.blake2b(f"{seed}\0{key}\0{number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


Spawn = Callable[[Limits], WorkerChannel]


class _Unattributed(Exception):
    """A batch's worker died or hung before the reply awaited: no call is to blame yet."""


def _spent(took: float | None, mark: float) -> float:
    """A batch call's time: what the worker says it took, at most the time since the
    previous call ended (``mark``); without a reply, all of that time."""
    since = time.monotonic() - mark
    return since if took is None else min(max(took, 0.0), since)


class Session:
    """One submission's run in the jail. ``spawn(limits)`` starts a fresh worker (the
    jail's :meth:`~autograder.sandbox.jail.Jail.spawn`); the session knows nothing
    else of the jail. Every cell and every call runs with the worker's random generators
    seeded from ``seed`` and its own place (:func:`call_seed`): a cell by its index, a
    call by the check it belongs to (:meth:`seeding`) and how many calls that check
    made before it."""

    def __init__(self, spawn: Spawn, cells: Sequence[CodeCell], limits: Limits, seed: int = 0) -> None:
        self._spawn, self._cells, self.limits = spawn, tuple(cells), limits
        self.seed = seed
        self._lock = threading.RLock()
        self._worker: WorkerChannel | None = None
        self._generation = 0
        self._closed = False
        self._replay: tuple[CodeCell, ...] = ()
        self._scope: str | None = None  # see scope()
        self._fatal: dict[str, ex.StudentCodeError] = {}
        self._budgets = ScopeBudgets(limits.call_floor_s)
        self._numpy_errors: dict[str, str] | None = None  # see numpy_errors()
        self._seed_key: str | None = None  # see seeding()
        self._draws: dict[str, int] = {}
        self.run = self._first_run()
        self.proxy = SubmissionProxy(self)

    @property
    def cells(self) -> tuple[CodeCell, ...]:
        """The submission's code cells, as the worker runs them."""
        return self._cells

    # ---- running cells ------------------------------------------------------------

    def _run_request(self, cells: Sequence[CodeCell], report: bool, eager: bool = False) -> dict[str, Any]:
        return {"op": "run", "cells": [[c.index, c.source] for c in cells], "report": report,
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
        worker.send(self._run_request(self._cells, True, eager))
        while True:
            cell_deadline = time.monotonic() + self.limits.cell_timeout_s + GRACE_S
            position = len(outcomes)
            try:
                header, _ = worker.recv(min(cell_deadline, run_deadline))
            except (TimeoutError, protocol.Died, protocol.WireError) as error:
                ended, lost = self._ended(error, worker), True
                if position < len(self._cells):
                    cell = self._cells[position]
                    if isinstance(error, TimeoutError):
                        stopped_at = position if cell_deadline > run_deadline else -1
                        outcomes.append(CellOutcome(cell.index, "timeout", "TimeoutError"))
                    else:
                        outcomes.append(CellOutcome(cell.index, "ended_process", "", ended))
                break
            if "cell" in header and position < len(self._cells):
                outcome = outcome_from_wire(header["cell"], self._cells[position].index)
                outcomes.append(outcome)
                if outcome.status != "timeout":
                    replay.append(self._cells[position])
                if header.get("run_timeout") is True:
                    stopped_at = position
            elif header.get("done") is True:
                truncated = header.get("truncated") is True
                break
            else:
                self._ended(protocol.WireError("unexpected frame"), worker)
                lost = True
                break
        outcomes += [CellOutcome(c.index, "not_run") for c in self._cells[len(outcomes):]]
        self._replay = tuple(replay)
        lim = self.limits
        return RunReport(tuple(outcomes), time.monotonic() - start, truncated,
                         lim.cell_timeout_s, lim.run_timeout_s, lim.output_kb, stopped_at), lost

    def _ended(self, error: BaseException, worker: WorkerChannel) -> str:
        """Discard the worker after ``error``; returns how it ended."""
        if not isinstance(error, protocol.Died):
            worker.kill()
        detail = worker.death_detail()
        if isinstance(error, protocol.WireError):
            detail = f"broke the grading protocol: {error}"
        worker.close()
        if self._worker is worker:
            self._worker = None
        return detail

    def _ensure_worker(self, call: str) -> WorkerChannel:
        if self._closed:
            raise ex.SandboxError("the session is closed")
        if self._worker is not None:
            return self._worker
        worker = self._spawn(self.limits)
        self._worker = worker
        self._generation += 1
        deadline = time.monotonic() + self.limits.run_timeout_s + GRACE_S
        try:
            worker.send(self._run_request(self._replay, False))
            while not worker.recv(deadline)[0].get("done"):
                pass
        except (TimeoutError, protocol.Died, protocol.WireError) as error:
            detail = self._ended(error, worker)
            raise ex.WorkerDied(call, f"the notebook could not be run again: {detail}") from None
        return worker

    # ---- calls ----------------------------------------------------------------------

    def _other(self, value: Any, add: Any) -> dict[str, Any]:
        if isinstance(value, TensorValue):
            return {"$T": add(protocol.array_blob(np.asarray(value.array))),
                    "dtype": value.dtype, "grad": bool(value.requires_grad)}
        if isinstance(value, RemoteObject):
            self._check_handle(value, repr(value))
            return {"$r": value.handle, "type": value.type_name}
        raise TypeError(f"cannot send a {type(value).__name__} to the student's code")

    def _check_handle(self, obj: RemoteObject, call: str) -> None:
        if obj.session is not self or obj.generation != self._generation:
            raise ex.WorkerDied(call, "the object was lost when the worker restarted")

    def _decode(self, obj: Any, blobs: list[bytes]) -> Any:
        generation = self._generation
        return protocol.decode(
            obj, blobs,
            lambda tag, b: TensorValue(protocol.tensor_array(tag, b), tag["dtype"], tag["grad"]),
            lambda tag, b: RemoteObject(self, tag["$r"], str(tag.get("type", "object"))[:200],
                                        generation),
        )

    @contextmanager
    def scope(self, key: str | None) -> Iterator[None]:
        """Calls made inside share a fate (the checks of one question do): after one of
        them times out or kills the worker, every later request in the same scope fails
        at once with that error, so a hostile function costs one time limit per
        question, not one per check. Other scopes get a fresh worker as usual. A scope's
        calls together also have a time budget (``budget.py``): once they took more, its
        later requests fail at once the same way."""
        previous, self._scope = self._scope, key
        try:
            yield
        finally:
            self._scope = previous

    def seeding(self, key: str) -> None:
        """The calls from now on are those of ``key`` (a check, named the same way by every
        command that runs it): the first is its call 0, whatever was called before."""
        self._seed_key = key
        self._draws[key] = 0

    def _draw(self, scope: str | None) -> int:
        """The seed of the next call: of the current check's calls (:meth:`seeding`),
        else of its scope's (a question's public examples), else of the session's."""
        key = self._seed_key if self._seed_key is not None else f"scope {scope}" if scope is not None else ""
        number = self._draws.get(key, 0)
        self._draws[key] = number + 1
        return call_seed(self.seed, key, number)

    @contextmanager
    def numpy_errors(self, **how: str) -> Iterator[None]:
        """Calls made inside run under ``np.errstate(**how)`` in the worker
        (``over="raise"``: an overflow raises FloatingPointError in the student's code).
        Warnings do not cross the wire, errors do; the state goes with each call, so it
        costs no round trip of its own, and the worker's own state is untouched after."""
        previous, self._numpy_errors = self._numpy_errors, dict(how) or None
        try:
            yield
        finally:
            self._numpy_errors = previous

    def request(self, header: dict[str, Any], call: str, timeout: float,
                value: Any = None, allowance: float | None = None) -> tuple[Any, dict[str, Any]]:
        """Send one request; returns the decoded ``ok`` value and the reply header.
        ``allowance``: the call's share of its question's time budget (default: its limit)."""
        with self._lock:
            fatal = self._poisoned()
            if fatal is not None:
                raise fatal.with_traceback(None)
            started: float | None = None  # a fresh worker's start and replay are not the call's time
            try:
                worker = self._ensure_worker(call)
                started = time.monotonic()
                return self._exchange(worker, header, call, timeout, value)
            except ex.StudentCodeError as error:
                self._remember(error, self._scope)
                raise
            finally:
                spent = 0.0 if started is None else time.monotonic() - started
                self._charge(self._scope, spent, timeout if allowance is None else allowance)

    def _charge(self, scope: str | None, seconds: float, allowance: float) -> bool:
        """Count a call's time in its scope's budget; poisons the scope (and says so)
        when the call took it over."""
        over = self._budgets.charge(scope, seconds, allowance)
        if over is None or scope is None:
            return False
        self._fatal.setdefault(scope, ex.OverBudget(scope, over))
        return True

    def _poisoned(self) -> ex.StudentCodeError | None:
        """The hang or death that ended the current scope's calls, if one did."""
        return self._fatal.get(self._scope) if self._scope is not None else None

    def _remember(self, error: ex.StudentCodeError, scope: str | None) -> None:
        """Poison ``scope`` (the call's: the current one, or its own in a batch) after a
        hang or a death."""
        if scope is not None and isinstance(error, (ex.CallTimeout, ex.WorkerDied)):
            self._fatal.setdefault(scope, error)

    def _exchange(self, worker: WorkerChannel, header: dict[str, Any], call: str, timeout: float,
                  value: Any) -> tuple[Any, dict[str, Any]]:
        if isinstance(header.get("target"), RemoteObject):
            target: RemoteObject = header["target"]
            self._check_handle(target, call)
            header = dict(header, target=target.handle)
        blobs: list[bytes] = []
        if value is not None:
            try:
                header["value"], blobs = protocol.encode(value, self._other)
            except protocol.WireError as error:
                raise TypeError(f"cannot send arguments of {call}: {error}") from None
        try:
            worker.send(dict(header, timeout=timeout, output_kb=self.limits.output_kb), blobs)
        except protocol.Died:
            raise ex.WorkerDied(call, self._ended(protocol.Died(), worker)) from None
        return self._receive(worker, call, timeout)

    def _receive(self, worker: WorkerChannel, call: str, timeout: float,
                 batch_wait: float | None = None,
                 took: list[float | None] | None = None) -> tuple[Any, dict[str, Any]]:
        """The reply to one call sent to ``worker``: its decoded ``ok`` value and header,
        or the call's error raised (the worker discarded when it timed out or broke).

        ``batch_wait``: the reply is one of a batch's, whose worker sends its replies
        together, and the longest this or a later call of the batch may take. Then no
        reply before the deadline, the worker's death or a broken frame is no call's
        error (the replies the worker held are lost with it): ``_Unattributed``, the
        worker discarded. ``took[0]`` gets the time the worker says the call took."""
        deadline = time.monotonic() + (timeout if batch_wait is None else batch_wait) + GRACE_S
        try:
            reply, reply_blobs = worker.recv(deadline)
        except (TimeoutError, protocol.Died, protocol.WireError) as error:
            detail = self._ended(error, worker)
            if batch_wait is not None:
                raise _Unattributed from None
            if isinstance(error, TimeoutError):
                raise ex.CallTimeout(call, timeout) from None
            raise (ex.WorkerDied(call, detail) if isinstance(error, protocol.Died)
                   else ex.BadValue(call, str(error))) from None
        if took is not None:
            seconds = reply.get("took")
            took[0] = float(seconds) if isinstance(seconds, (int, float)) and type(seconds) is not bool \
                and math.isfinite(seconds) else None
        try:
            result = self._decode(reply.get("ok"), reply_blobs) if "ok" in reply else None
        except protocol.WireError as error:
            self._ended(error, worker)
            raise ex.BadValue(call, str(error)) from None
        self._raise_error(reply, call, timeout, worker)
        return result, reply

    def _raise_error(self, reply: dict[str, Any], call: str, timeout: float,
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
            self._ended(TimeoutError(), worker)
            raise ex.CallTimeout(call, timeout)
        if kind == "bad_value":
            raise ex.BadValue(call, text("detail"))
        if kind == "raised":
            exc_type, message = text("exc_type"), text("message")
            if reply.get("memory") is True or any(m in message for m in OOM_MARKERS):
                raise ex.OutOfMemory(call, self.limits.memory_mb)
            raise ex.student_exception(call, exc_type, message, text("traceback"), text("builtin"))
        self._ended(protocol.WireError("unknown reply"), worker)
        raise ex.BadValue(call, "the worker sent an unknown reply")

    def call_ex(self, target: str | RemoteObject, args: Sequence[Any] = (),
                kwargs: dict[str, Any] | None = None, *, return_args: bool = False,
                timeout: float | None = None, allowance: float | None = None) -> CallResult:
        """One call; ``allowance`` its share of the question's time budget (budget.py;
        default: its limit)."""
        return self._call(target, args, kwargs, return_args, timeout, allowance, self._draw(self._scope))

    def _call(self, target: str | RemoteObject, args: Sequence[Any], kwargs: dict[str, Any] | None,
              return_args: bool, timeout: float | None, allowance: float | None, seed: int) -> CallResult:
        kwargs = dict(kwargs or {})
        name = target if isinstance(target, str) else target.name
        call = render_call(name, args, kwargs)
        limit = self.limits.call_timeout_s if timeout is None else timeout
        header: dict[str, Any] = {"op": "call", "target": target, "return_args": return_args, "seed": seed}
        if self._numpy_errors is not None:
            header["numpy_errors"] = self._numpy_errors
        result, reply = self.request(header, call, limit, (tuple(args), kwargs), allowance)
        return reply_of(call, result, reply).result()

    def call(self, target: str | RemoteObject, *args: Any, **kwargs: Any) -> Any:
        return self.call_ex(target, args, kwargs).value

    def call_many(self, calls: Sequence[tuple[str, Sequence[Any], dict[str, Any]]],
                  timeout: float | None = None, *, return_args: bool = False,
                  timeouts: Sequence[float] | None = None,
                  scopes: Sequence[str | None] | None = None,
                  allowances: Sequence[float | None] | None = None) -> list[Reply]:
        """Independent calls ``(name, args, kwargs)`` in one round trip: a :class:`Reply`
        per call, in order. The worker runs them in order and stops at the first that
        does not return a value; that one's reply raises its error, and the calls after
        it are made one by one only if asked for, so a check that stops at the first
        failure sees exactly what separate calls would have given it. ``timeouts`` gives
        each call its own limit, in the batch and after it; else ``timeout`` (default: the
        session's) is every call's limit in the batch, the session's after it.

        ``scopes`` gives each call its own :meth:`scope` (default: the current one): a
        hang or death poisons the scope of the call that hung, and the batch stops before
        a call whose scope is already poisoned. A call made after the batch (``later``)
        is made in the scope current when its reply is asked for: ask inside its scope.
        ``allowances``: each call's share of its question's time budget (default: its limit).
        """
        limit = self.limits.call_timeout_s if timeout is None else timeout
        limits = list(timeouts) if timeouts is not None else [limit] * len(calls)
        own = list(scopes) if scopes is not None else [self._scope] * len(calls)
        given = list(allowances) if allowances is not None else [None] * len(calls)
        shares = [limits[n] if share is None else float(share) for n, share in enumerate(given)]
        labels = [render_call(name, args, kwargs) for name, args, kwargs in calls]
        seeds = [self._draw(scope) for scope in own]  # the same whether made in the batch or later
        replies: list[Reply] = []
        if not calls:
            return replies
        with self._lock:
            fatal = self._fatal.get(own[0]) if own[0] is not None else None
            if fatal is not None:  # the scope's function hung or died: no call is sent
                replies.append(Reply(error=fatal.with_traceback(None)))
            else:
                sent = next((n for n, scope in enumerate(own) if scope is not None and scope in self._fatal),
                            len(calls))  # up to the first call of a poisoned scope
                self._batch(calls[:sent], labels, limits, own, return_args, replies, shares, seeds)
        for number in range(len(replies), len(calls)):  # with their own limit, or the session's
            name, args, kwargs = calls[number]
            replies.append(Reply(later=functools.partial(
                self._call, name, args, kwargs, return_args,
                limits[number] if timeouts is not None else None,
                None if allowances is None else allowances[number], seeds[number])))
        return replies

    def _batch(self, calls: Sequence[tuple[str, Sequence[Any], dict[str, Any]]], labels: list[str],
               limits: list[float], scopes: list[str | None], return_args: bool,
               replies: list[Reply], shares: list[float], seeds: list[int], eager: bool = False) -> None:
        """Send ``calls`` as one batch request; a reply per call lands in ``replies``, up
        to the first that did not return (a worker that cannot be started or reached is
        the first call's error, as it would be for that call alone). A call that takes its
        question over its time budget ends the batch after its reply: the worker, still
        busy with the rest, is discarded, and the rest are made later.

        The worker sends the replies together, each with the time its call took (what
        the budget counts, as they arrive at once). When it dies or hangs with some held,
        the calls from the first reply lost go again on a fresh worker, ``eager`` (each
        reply sent at once), so the call that ends the worker is the one to fail. A batch
        with objects of the worker among its arguments is eager at once (a fresh worker
        would not know them)."""
        try:
            worker = self._ensure_worker(labels[0])
        except ex.StudentCodeError as error:
            self._remember(error, scopes[0])
            replies.append(Reply(error=error))
            return

        def other(value: Any, add: Any) -> dict[str, Any]:
            nonlocal eager
            eager = eager or isinstance(value, RemoteObject)
            return self._other(value, add)

        try:
            value, blobs = protocol.encode([(tuple(a), dict(k)) for _, a, k in calls], other)
        except protocol.WireError as error:
            raise TypeError(f"cannot send arguments of {labels[0]}: {error}") from None
        header = {"op": "batch", "value": value, "output_kb": self.limits.output_kb, "eager": eager,
                  "calls": [{"target": name, "return_args": return_args, "timeout": limit, "seed": seed,
                             **({} if self._numpy_errors is None else {"numpy_errors": self._numpy_errors})}
                            for (name, _, _), limit, seed in zip(calls, limits, seeds)]}
        try:
            worker.send(header, blobs)
        except protocol.Died:
            died = ex.WorkerDied(labels[0], self._ended(protocol.Died(), worker))
            self._remember(died, scopes[0])
            replies.append(Reply(error=died))
            return
        mark = time.monotonic()  # when the previous call ended, as far as the grader can tell
        for number, (label, limit, scope) in enumerate(zip(labels, limits, scopes)):
            took: list[float | None] = [None]
            try:
                result, reply = self._receive(worker, label, limit, None if eager else max(limits[number:]), took)
            except _Unattributed:  # the rest again, each reply at once
                self._batch(calls[number:], labels[number:], limits[number:], scopes[number:],
                            return_args, replies, shares[number:], seeds[number:], eager=True)
                return
            except ex.StudentCodeError as error:
                self._remember(error, scope)
                self._charge(scope, _spent(took[0], mark), shares[number])
                replies.append(Reply(error=error))
                break
            spent = _spent(took[0], mark)
            over = self._charge(scope, spent, shares[number])
            mark += spent
            replies.append(reply_of(label, result, reply))
            if replies[-1].failed:
                break
            if over and number + 1 < len(calls):
                self._ended(TimeoutError(), worker)  # still busy with the rest: not wanted
                break

    def getattr(self, obj: RemoteObject | str, attr: str | None = None) -> Any:
        """An attribute of a remote object (or, with a str, a global's value)."""
        label = obj if isinstance(obj, str) else obj.name
        call = f"{label}.{attr}" if attr else str(label)
        header = {"op": "get", "target": obj, "attr": attr, "seed": self._draw(self._scope)}  # a property runs code
        result, _ = self.request(header, call, self.limits.call_timeout_s, ((), {}), allowance=0.0)
        value = result[0] if type(result) is tuple else result
        if isinstance(value, RemoteObject) and attr and value.type_name in ("method", "builtin_function_or_method"):
            value.label = call  # p.fit is "Perceptron.fit" in messages
        return value

    def has(self, name: str) -> bool:
        """Whether the notebook defines ``name`` (``Perceptron.fit``: the class and its method)."""
        return self.request({"op": "has", "name": name}, name, self.limits.call_timeout_s,
                            allowance=0.0)[0] is True

    def isinstance_of(self, obj: RemoteObject, type_name: str) -> bool:
        header = {"op": "isinstance", "target": obj, "type": type_name}
        return self.request(header, f"isinstance({obj!r}, {type_name})",
                            self.limits.call_timeout_s, allowance=0.0)[0] is True

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._worker is not None:
                self._worker.close()
                self._worker = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
