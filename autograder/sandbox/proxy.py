"""``submission``: what checks see. ``submission.sigmoid(x)`` calls the student's
``sigmoid`` in the worker; everything else is a method of the proxy."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Sequence

from autograder.sandbox.values import RemoteObject

if TYPE_CHECKING:
    from autograder.sandbox.calls import CallResult, Reply
    from autograder.sandbox.session import Session


class RemoteFunction:
    """A name in the student's namespace, called through the session."""

    def __init__(self, session: Session, name: str) -> None:
        self.session, self.name = session, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.session.call(self.name, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<student's {self.name}>"


class SubmissionProxy:
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

    def call_many(self, calls: Sequence[tuple[str, Sequence[Any], dict[str, Any]]], *,
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
