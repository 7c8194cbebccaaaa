"""Calling the reference from a check with the inputs the student's code gets.

A check's inputs are data that can travel to the jail: a PyTorch tensor is written
``tensor([...])`` (a :class:`~autograder.sandbox.TensorValue`), which the worker
turns into a real tensor for the student's code. The reference runs here, in the
grader, and needs the real thing too: :func:`expected_value` hands it real tensors
and returns its answer as data (a tensor as a NumPy array), the form the comparison
helpers take. A reference that fails on a check's own inputs is the check's fault,
never the student's: it stops grading as a grader error (exit 3) instead of failing
every student with "not your fault".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograder.exceptions import GraderError
from autograder.sandbox.values import TensorValue


class ReferenceFailed(GraderError):
    """The reference raised on a check's inputs: the check or reference.py is wrong."""


def local(value: Any) -> Any:
    """``value`` with each TensorValue made a real torch tensor (in lists, tuples, dicts)."""
    if isinstance(value, TensorValue):
        import torch

        made = torch.tensor(value.array, dtype=getattr(torch, value.dtype.removeprefix("torch.")))
        return made.requires_grad_(True) if value.requires_grad else made
    if isinstance(value, (list, tuple)):
        items = [local(item) for item in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {key: local(item) for key, item in value.items()}
    return value


def as_data(value: Any) -> Any:
    """A reference's answer as data: torch tensors as NumPy arrays (detached)."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)):
        items = [as_data(item) for item in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {key: as_data(item) for key, item in value.items()}
    return value


def expected_value(call: str, function: Callable[..., Any], args: tuple[Any, ...],
                   kwargs: dict[str, Any] | None = None) -> Any:
    """``function(*args, **kwargs)`` of the reference, on real tensors, as data."""
    try:
        return as_data(function(*local(args), **local(kwargs or {})))
    except Exception as error:  # noqa: BLE001 - whatever the reference raised, the check is wrong
        raise ReferenceFailed(f"the reference's `{call}` raised {type(error).__name__}: {error} on the "
                              f"check's inputs {args!r}: fix the check's inputs or reference.py") from None
