"""The grading side's call policy over one submission's worker, and ``submission``.

:class:`Session` sends the checks' calls through the sandbox's client
(:mod:`autograder.sandbox.client`, which knows nothing of questions) and decides what
each costs: calls of one *scope* (the checks of one question) share a fate and a time
budget, so a hostile function costs about one time limit per question; calls made
inside :meth:`Session.numpy_errors` run under that NumPy error state; each call draws
its random numbers from its own seed, by the check it belongs to and its place in it
(:meth:`Session.seeding`). :class:`SubmissionProxy` is what checks see:
``submission.sigmoid(x)`` calls the student's ``sigmoid``.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Sequence

from autograder import exceptions as ex
from autograder.budget import ScopeBudgets
from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.calls import CallResult, CallText, Label, Reply, reply_of
from autograder.gather import GATHER, LATER, NOW, Gathering, Parked, Reordered
from autograder.sandbox.client import Call, Settle, Spawn, Unattributed, WorkerClient
from autograder.sandbox.report import RunReport
from autograder.sandbox.seeds import call_seed
from autograder.sandbox.values import RemoteObject


@dataclass
class CallPlace:
    """Where the running check's calls stand: its question's :meth:`Session.scope`, its
    :meth:`Session.seeding` key, its :meth:`Session.numpy_errors`. One per check while
    several checks' first requests are gathered (``autograder/gather.py``)."""

    scope: str | None = None
    seed_key: str | None = None
    numpy_errors: dict[str, str] | None = None


class Session:
    """One submission's run in the jail, and the policy of the calls into it:
    ``Session(jail.spawn, cells, limits, seed)``. ``spawn(limits)`` starts a fresh worker
    (:meth:`~autograder.sandbox.jail.Jail.spawn`). Every cell and every call runs with
    the worker's random generators seeded from ``seed`` and its own place
    (:func:`~autograder.sandbox.seeds.call_seed`): a cell by its index, a call by the
    check it belongs to (:meth:`seeding`) and how many calls that check made before it."""

    def __init__(self, spawn: Spawn, cells: Sequence[CodeCell], limits: Limits, seed: int = 0) -> None:
        self.limits, self.seed = limits, seed
        self._lock = threading.RLock()
        self.place = CallPlace()  # the running check's; swapped with the check (gather.py)
        self._gathering: Gathering | None = None  # see gather()
        self._fatal: dict[str, ex.StudentCodeError] = {}
        self._budgets = ScopeBudgets(limits.call_floor_s)
        self._draws: dict[str, int] = {}
        self._client = WorkerClient(spawn, cells, limits, seed, self)
        self.proxy = SubmissionProxy(self)

    @property
    def cells(self) -> tuple[CodeCell, ...]:
        """The submission's code cells, as the worker runs them."""
        return self._client.cells

    @property
    def trace(self) -> list[str] | None:
        """The requests sent to the worker after the first run, in order, once set to a
        list (``WorkerClient.trace``)."""
        return self._client.trace

    @trace.setter
    def trace(self, kept: list[str] | None) -> None:
        self._client.trace = kept

    @property
    def run(self) -> RunReport:
        """The report of the notebook's run, a report per cell."""
        return self._client.run

    # ---- the policy -------------------------------------------------------------------

    @contextmanager
    def scope(self, key: str | None) -> Iterator[None]:
        """Calls made inside share a fate (the checks of one question do): after one of
        them times out or kills the worker, every later request in the same scope fails
        at once with that error, so a hostile function costs one time limit per
        question, not one per check. Other scopes get a fresh worker as usual. A scope's
        calls together also have a time budget (:mod:`autograder.budget`): once they took more, its
        later requests fail at once the same way."""
        place = self.place
        previous, place.scope = place.scope, key
        try:
            yield
        finally:
            self.place.scope = previous  # the same place: a gathered check's is swapped back in first

    @contextmanager
    def numpy_errors(self, **how: str) -> Iterator[None]:
        """Calls made inside run under ``np.errstate(**how)`` in the worker
        (``over="raise"``: an overflow raises FloatingPointError in the student's code).
        Warnings do not cross the wire, errors do; the state goes with each call, so it
        costs no round trip of its own, and the worker's own state is untouched after."""
        previous, self.place.numpy_errors = self.place.numpy_errors, dict(how) or None
        try:
            yield
        finally:
            self.place.numpy_errors = previous

    def seeding(self, key: str) -> None:
        """The calls from now on are those of ``key`` (a check, named the same way by every
        command that runs it): the first is its call 0, whatever was called before."""
        self.place.seed_key = key
        self._draws[key] = 0

    def _draw(self, scope: str | None) -> int:
        """The seed of the next call: of the current check's calls (:meth:`seeding`),
        else of its scope's (a question's public examples), else of the session's."""
        seed_key = self.place.seed_key
        key = seed_key if seed_key is not None else f"scope {scope}" if scope is not None else ""
        number = self._draws.get(key, 0)
        self._draws[key] = number + 1
        return call_seed(self.seed, key, number)

    def _extras(self, seed: int) -> dict[str, Any]:
        """What a call's header carries besides its target: its seed, its NumPy state."""
        errors = self.place.numpy_errors
        return {"seed": seed} if errors is None else {"seed": seed, "numpy_errors": errors}

    def _charge(self, scope: str | None, seconds: float, allowance: float) -> bool:
        """Count a call's time in its scope's budget; poisons the scope (and says so)
        when the call took it over."""
        over = self._budgets.charge(scope, seconds, allowance)
        if over is None or scope is None:
            return False
        self._fatal.setdefault(scope, ex.OverBudget(scope, over))
        return True

    def _poisoned(self, scope: str | None) -> ex.StudentCodeError | None:
        """The hang or death that ended ``scope``'s calls, if one did."""
        return self._fatal.get(scope) if scope is not None else None

    def _remember(self, error: ex.StudentCodeError, scope: str | None) -> None:
        """Poison ``scope`` (the call's: the current one, or its own in a batch) after a
        hang or a death."""
        if scope is not None and isinstance(error, (ex.CallTimeout, ex.WorkerDied)):
            self._fatal.setdefault(scope, error)

    # ---- requests -----------------------------------------------------------------------

    def request(self, header: dict[str, Any], call: Label, timeout: float,
                value: Any = None, allowance: float | None = None) -> tuple[Any, dict[str, Any]]:
        """Send one request; returns the decoded ``ok`` value and the reply header.
        ``allowance``: the call's share of its question's time budget (default: its limit)."""
        gathering = self._gathering
        how = NOW if gathering is None or self._poisoned(self.place.scope) is not None else gathering.asking()
        if how == NOW:
            return self._request_now(header, call, timeout, value, allowance)
        assert gathering is not None
        parked = self._parked_request(how, header, call, timeout, value, allowance)
        with self._lock:
            if self._answered(gathering, parked):
                return self._gathered_reply(parked, call, timeout, allowance)
        return self._request_now(header, call, timeout, value, allowance)

    def _request_now(self, header: dict[str, Any], call: Label, timeout: float,
                     value: Any, allowance: float | None) -> tuple[Any, dict[str, Any]]:
        scope = self.place.scope
        with self._lock:
            fatal = self._poisoned(scope)
            if fatal is not None:
                raise fatal.with_traceback(None)
            started: float | None = None  # a fresh worker's start and replay are not the call's time
            try:
                worker = self._client.worker(call)
                started = time.monotonic()
                return self._client.exchange(worker, header, call, timeout, value)
            except ex.StudentCodeError as error:
                self._remember(error, scope)
                raise
            finally:
                spent = 0.0 if started is None else time.monotonic() - started
                self._charge(scope, spent, timeout if allowance is None else allowance)

    # ---- several checks' first requests in one frame (autograder/gather.py) -------------

    def gather(self, checks: Sequence[Callable[[], Any]],
               learn: Callable[[list[tuple[int, bool] | None]], None]) -> list[Any]:
        """Run ``checks`` (each makes its requests through this session) with their first
        requests sent as one frame: each one's return value; ``learn`` gets how many
        requests each made and whether it left the process's shared state alone
        (``gather.shared_state``), also when it raises. Raises :class:`~autograder.gather.Reordered`
        when that would change what the worker sees (the submission is then graded one
        check at a time)."""
        gathering = Gathering(self, self._client.send_frames, CallPlace)
        self._gathering = gathering
        try:
            return gathering.run(checks)
        finally:
            self._gathering = None
            learn(gathering.asked())

    def _parked_request(self, how: str, header: dict[str, Any], call: Label, timeout: float,
                        value: Any, allowance: float | None) -> Parked:
        """Wait with a request until the run's other first requests are gathered (``LATER``:
        until the checks before it are done). A worker that cannot be started, or arguments
        that cannot be sent, are the request's error at once, as they would be alone."""
        gathering = self._gathering
        assert gathering is not None
        if how == LATER:
            return gathering.park(None, None, ())
        scope = self.place.scope
        with self._lock:
            try:
                worker = self._client.worker(call)
            except ex.StudentCodeError as error:
                self._remember(error, scope)
                self._charge(scope, 0.0, timeout if allowance is None else allowance)
                raise
            frame = self._client.frame(header, call, timeout, value)
        return gathering.park(frame, worker, (timeout,))

    def _answered(self, gathering: Gathering, parked: Parked | None) -> bool:
        """Whether a parked request went in the run's frame to a worker still live (its
        reply is to be read). Not when it waited without going, nor when that worker was
        discarded after an earlier check's reply: then it goes now, as if asked now."""
        if parked is None or not parked.sent:
            return False
        gathering.received()
        if self._client.live(parked.worker):
            return True
        gathering.lost()
        return False

    def _gathered_reply(self, parked: Parked, call: Label, timeout: float,
                        allowance: float | None) -> tuple[Any, dict[str, Any]]:
        """The reply to a request sent in a frame of frames."""
        scope, poisoned = self.place.scope, len(self._fatal)
        took: list[float | None] = [None]
        try:
            return self._client.receive(parked.worker, call, timeout, parked.wait, took)
        except Unattributed:
            raise Reordered from None
        except ex.StudentCodeError as error:
            self._remember(error, scope)
            raise
        finally:
            spent = took[0] if took[0] is not None else time.monotonic() - parked.sent_at
            self._charge(scope, spent, timeout if allowance is None else allowance)
            self._check_order(parked.worker, poisoned)

    def _check_order(self, worker: Any, poisoned: int) -> None:
        """A scope poisoned by this reply while the worker, still live, has already handled
        a later check's request (one by one, that request would not have been sent)."""
        gathering = self._gathering
        if gathering is not None and len(self._fatal) > poisoned and self._client.live(worker) \
                and gathering.outstanding():
            raise Reordered

    def call_ex(self, target: str | RemoteObject, args: Sequence[Any] = (),
                kwargs: dict[str, Any] | None = None, *, return_args: bool = False,
                timeout: float | None = None, allowance: float | None = None) -> CallResult:
        """One call; ``allowance`` its share of the question's time budget (:mod:`autograder.budget`;
        default: its limit)."""
        return self._call(target, args, kwargs, return_args, timeout, allowance, self._draw(self.place.scope))

    def _call(self, target: str | RemoteObject, args: Sequence[Any], kwargs: dict[str, Any] | None,
              return_args: bool, timeout: float | None, allowance: float | None, seed: int) -> CallResult:
        kwargs = dict(kwargs or {})
        name = target if isinstance(target, str) else target.name
        call = CallText(name, args, kwargs)
        limit = self.limits.call_timeout_s if timeout is None else timeout
        header: dict[str, Any] = {"op": "call", "target": target, "return_args": return_args, **self._extras(seed)}
        result, reply = self.request(header, call, limit, (tuple(args), kwargs), allowance)
        return reply_of(call, result, reply).result()

    def call(self, target: str | RemoteObject, *args: Any, **kwargs: Any) -> Any:
        return self.call_ex(target, args, kwargs).value

    def call_many(self, calls: Sequence[Call], timeout: float | None = None, *, return_args: bool = False,
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
        ``allowances``: each call's share of its question's time budget (default: its
        limit). Each call's seed is drawn now, so a call made later draws the same.
        """
        limit = self.limits.call_timeout_s if timeout is None else timeout
        limits = list(timeouts) if timeouts is not None else [limit] * len(calls)
        own = list(scopes) if scopes is not None else [self.place.scope] * len(calls)
        given = list(allowances) if allowances is not None else [None] * len(calls)
        shares = [limits[n] if share is None else float(share) for n, share in enumerate(given)]
        seeds = [self._draw(scope) for scope in own]
        replies: list[Reply] = []
        if not calls:
            return replies

        def settle(number: int, outcome: Reply | ex.StudentCodeError, spent: float | None) -> bool:
            scope = own[number]
            if isinstance(outcome, ex.StudentCodeError):
                self._remember(outcome, scope)
                if spent is not None:
                    self._charge(scope, spent, shares[number])
                replies.append(Reply(error=outcome))
                return False
            over = self._charge(scope, spent or 0.0, shares[number])
            replies.append(outcome)
            return not over

        fatal = self._poisoned(own[0])
        if fatal is not None:  # the scope's function hung or died: no call is sent
            replies.append(Reply(error=fatal.with_traceback(None)))
        else:
            sent = next((n for n, scope in enumerate(own) if self._poisoned(scope) is not None),
                        len(calls))  # up to the first call of a poisoned scope
            if sent:
                self._batch(calls[:sent], limits[:sent], [self._extras(seed) for seed in seeds[:sent]],
                            return_args, settle)
        for number in range(len(replies), len(calls)):  # with their own limit, or the session's
            name, args, kwargs = calls[number]
            replies.append(Reply(later=functools.partial(
                self._call, name, args, kwargs, return_args,
                limits[number] if timeouts is not None else None,
                None if allowances is None else allowances[number], seeds[number])))
        return replies

    def _batch(self, calls: Sequence[Call], limits: list[float], extras: list[dict[str, Any]],
               return_args: bool, settle: Settle) -> None:
        """A batch's calls sent and settled: at once, or gathered with other checks' first
        requests (:meth:`gather`)."""
        labels = [CallText(*call) for call in calls]
        gathering = self._gathering
        how = NOW if gathering is None else gathering.asking()
        parked: Parked | None = None
        if gathering is not None and how == GATHER:
            with self._lock:
                try:
                    worker = self._client.worker(labels[0])
                except ex.StudentCodeError as error:
                    settle(0, error, None)  # as the batch alone would
                    return
                header, blobs, eager = self._client.batch_frame(calls, labels, limits, extras, return_args)
            parked = gathering.park(None if eager else (header, blobs), worker, limits)
        elif gathering is not None and how == LATER:
            parked = gathering.park(None, None, ())
        with self._lock:
            if gathering is not None and self._answered(gathering, parked):
                assert parked is not None
                poisoned = len(self._fatal)
                try:
                    self._client.batch_replies(parked.worker, calls, labels, limits, extras, return_args,
                                               settle, False, parked.wait, gathered=True)
                except Unattributed:
                    raise Reordered from None
                self._check_order(parked.worker, poisoned)
                return
            self._client.batch(calls, labels, limits, extras, return_args, settle)

    def getattr(self, obj: RemoteObject | str, attr: str | None = None) -> Any:
        """An attribute of a remote object (or, with a str, a global's value)."""
        label = obj if isinstance(obj, str) else obj.name
        call = f"{label}.{attr}" if attr else str(label)
        header = {"op": "get", "target": obj, "attr": attr, "seed": self._draw(self.place.scope)}  # a property runs code
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
            self._client.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RemoteFunction:
    """A name in the student's namespace, called through the session."""

    def __init__(self, session: Session, name: str) -> None:
        self.session, self.name = session, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.session.call(self.name, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<student's {self.name}>"


class SubmissionProxy:
    """``submission``, as checks see it: ``submission.sigmoid(x)`` calls the student's
    ``sigmoid`` in the worker; everything else is a method of the proxy."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def __getattr__(self, name: str) -> RemoteFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return RemoteFunction(self._session, name)

    def call_ex(self, target: str | RemoteObject, args: Sequence[Any] = (),
                kwargs: dict[str, Any] | None = None, *, return_args: bool = False,
                timeout: float | None = None, allowance: float | None = None) -> CallResult:
        return self._session.call_ex(target, args, kwargs, return_args=return_args,
                                     timeout=timeout, allowance=allowance)

    def call(self, target: str | RemoteObject, *args: Any, **kwargs: Any) -> Any:
        return self._session.call(target, *args, **kwargs)

    def call_many(self, calls: Sequence[Call], *,
                  return_args: bool = False, timeouts: Sequence[float] | None = None,
                  scopes: Sequence[str | None] | None = None,
                  allowances: Sequence[float | None] | None = None) -> list[Reply]:
        """Independent calls in one round trip; ``reply.get()`` is each call's value
        (or raises its error), as ``submission.call`` would give it (``reply.result()``
        as ``submission.call_ex``, with ``return_args``); ``timeouts``: each call's limit;
        ``scopes``: each call's scope; ``allowances``: each call's share of its question's
        time budget (see :meth:`Session.call_many`)."""
        return self._session.call_many(calls, return_args=return_args, timeouts=timeouts, scopes=scopes,
                                       allowances=allowances)

    def has(self, name: str) -> bool:
        return self._session.has(name)

    @property
    def cells(self) -> tuple[CodeCell, ...]:
        """The notebook's code cells, as they ran: what a check may point to."""
        return self._session.cells

    @property
    def run(self) -> RunReport:
        """How each cell ran (the first run): a check that fails because a cell raised
        (the training of a model graded on hidden data) can say which, and why."""
        return self._session.run

    def numpy_errors(self, **how: str) -> AbstractContextManager[None]:
        """See :meth:`Session.numpy_errors`: calls inside run under ``np.errstate(**how)``
        in the worker (``over="raise"``: an overflow raises FloatingPointError)."""
        return self._session.numpy_errors(**how)

    def scope(self, key: str | None) -> AbstractContextManager[None]:
        """See :meth:`Session.scope`: calls inside share the fate of the first that hangs."""
        return self._session.scope(key)

    def value(self, name: str) -> Any:
        """The value of a global name (data, or a RemoteObject)."""
        return self._session.getattr(name)

    def getattr(self, obj: RemoteObject, attr: str) -> Any:
        return self._session.getattr(obj, attr)

    def isinstance_of(self, obj: Any, type_name: str) -> bool:
        return isinstance(obj, RemoteObject) and self._session.isinstance_of(obj, type_name)
