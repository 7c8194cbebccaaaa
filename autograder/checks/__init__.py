"""Hidden checks: the public surface for check authors (see docs/architecture.md §3)."""

from autograder.checks.api import CheckFailed, Mistake, Scored, check, fail, fixture
from autograder.checks.compare import (
    as_numeric_array,
    expect_close,
    expect_float,
    expect_shape,
    expect_unchanged,
    show,
)
from autograder.checks.objects import made_as, on_object
from autograder.checks.reference import ReferenceFailed, as_data, expected_value, local
from autograder.sandbox.values import RemoteObject, TensorValue, isinstance_of, shown_type, tensor
from autograder.session import SubmissionProxy

__all__ = [
    "CheckFailed", "Mistake", "ReferenceFailed", "RemoteObject", "Scored", "SubmissionProxy", "TensorValue",
    "as_data",
    "as_numeric_array", "check", "expect_close", "expect_float", "expect_shape", "expect_unchanged",
    "expected_value", "fail", "fixture", "isinstance_of", "local", "made_as", "on_object",
    "show", "shown_type", "tensor",
]
