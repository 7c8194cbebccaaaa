"""Hidden checks: the public surface for check authors (see docs/architecture.md §3)."""

from autograder.checks.api import CheckFailed, Mistake, check, fail, fixture
from autograder.checks.compare import (
    as_numeric_array,
    expect_close,
    expect_float,
    expect_shape,
    expect_unchanged,
    show,
)
from autograder.sandbox import RemoteObject, TensorValue, isinstance_of, tensor

__all__ = [
    "CheckFailed", "Mistake", "RemoteObject", "TensorValue", "as_numeric_array", "check",
    "expect_close", "expect_float", "expect_shape", "expect_unchanged", "fail", "fixture", "isinstance_of",
    "show", "tensor",
]
