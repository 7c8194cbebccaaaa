"""The jail: student code runs in forked workers; only plain data comes back.

Grader-side API (see docs/architecture.md §2). The worker-side code lives in
:mod:`autograder.sandbox.inside` and is the only part of the repository the jail sees.
"""

from autograder.sandbox.jail import Jail
from autograder.sandbox.report import CellOutcome, RunReport
from autograder.sandbox.calls import CallResult
from autograder.sandbox.seeds import call_seed, submission_seed
from autograder.sandbox.session import RemoteFunction, Session, SubmissionProxy
from autograder.sandbox.values import RemoteObject, TensorValue, isinstance_of, shown_type, tensor, without_stand_ins

__all__ = ["CallResult", "CellOutcome", "Jail", "RemoteFunction", "RemoteObject", "RunReport",
           "Session", "SubmissionProxy", "TensorValue", "call_seed", "isinstance_of", "shown_type", "submission_seed",
           "tensor", "without_stand_ins"]
