"""``submission`` as checks see it: every call's time limit follows the reference.

``submission.relu(x)`` (or ``submission.call_ex("relu", ...)``) gets the limit
``timing.CallLimits`` gives the call site: the check, the function's name and how
many calls of it the check made before. Calls of a ``RemoteObject`` (a student's
model) have no reference to follow and keep the session's ceiling.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Sequence

from autograder.sandbox.values import RemoteObject
from autograder.session import RemoteFunction, Session, SubmissionProxy

if TYPE_CHECKING:
    from autograder.sandbox.calls import CallResult, Reply
    from autograder.timing import CallLimits


class TimedFunction(RemoteFunction):
    """A name in the student's namespace, called with the limit of its call site."""

    def __init__(self, proxy: TimedProxy, name: str) -> None:
        super().__init__(proxy._session, name)
        self.proxy = proxy

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.proxy.call_ex(self.name, args, kwargs).value


class TimedProxy(SubmissionProxy):
    def __init__(self, session: Session, limits: CallLimits, check: str) -> None:
        super().__init__(session)
        self._limits, self._check = limits, check
        self._calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> TimedFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return TimedFunction(self, name)

    def _limit(self, name: str, args: Sequence[Any], kwargs: dict[str, Any], ceiling: float | None
               ) -> tuple[float, float | None]:
        """The call's limit and its share of the question's time budget."""
        self._calls[name] += 1
        site = (self._check, name, self._calls[name])
        limit = self._limits.limit(site, args, kwargs, self._session.limits, ceiling)
        return limit, self._limits.allowance(site, self._session.limits)

    def call_ex(self, target: str | RemoteObject, args: Sequence[Any] = (),
                kwargs: dict[str, Any] | None = None, *, return_args: bool = False,
                timeout: float | None = None, allowance: float | None = None) -> CallResult:
        """``allowance`` is replaced by the call site's own when the reference's time is known."""
        if isinstance(target, str):
            timeout, own = self._limit(target, args, kwargs or {}, timeout)
            allowance = own if own is not None else allowance
        return self._session.call_ex(target, args, kwargs, return_args=return_args, timeout=timeout,
                                     allowance=allowance)

    def call_many(self, calls: Sequence[tuple[str, Sequence[Any], dict[str, Any]]], *,
                  return_args: bool = False, timeouts: Sequence[float] | None = None,
                  scopes: Sequence[str | None] | None = None,
                  allowances: Sequence[float | None] | None = None) -> list[Reply]:
        """One round trip; each call's limit as if made alone, the batch's the largest
        (with ``timeouts``, each call's own, at most its given one)."""
        ceilings = list(timeouts) if timeouts is not None else [None] * len(calls)
        made = [self._limit(name, args, kwargs, ceiling) for (name, args, kwargs), ceiling in zip(calls, ceilings)]
        given = list(allowances) if allowances is not None else [None] * len(calls)
        limits = [limit for limit, _ in made]
        shares = [own if own is not None else share for (_, own), share in zip(made, given)]
        if timeouts is not None:
            return self._session.call_many(calls, return_args=return_args, timeouts=limits, scopes=scopes,
                                           allowances=shares)
        return self._session.call_many(calls, timeout=max(limits, default=None), return_args=return_args,
                                       scopes=scopes, allowances=shares)

    def call(self, target: str | RemoteObject, *args: Any, **kwargs: Any) -> Any:
        return self.call_ex(target, args, kwargs).value
