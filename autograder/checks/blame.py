"""Whose failure a check's exception is: the student's, or the grader's (a bug of the check).

A check fails the student by raising :class:`~autograder.checks.CheckFailed`; authors also
write what pytest accepts in a test: a plain ``assert``, ``np.testing.assert_allclose``,
``pytest.approx`` inside an ``assert``, ``pytest.raises`` (which fails with "DID NOT
RAISE") and ``pytest.fail``. Those say the check's condition does not hold for this
submission: the student's failure, as it is for an imported nbgrader or otter test, not a
bug of the grader. The same failure raised inside ``reference.py`` is the trusted code's
own bug. Whatever else a check raises is its bug (``instructor.raised_at`` names where).
"""

from __future__ import annotations

import sys
from pathlib import Path

from autograder.instructor import innermost_frame

REFERENCE = "reference.py"


def is_unmet_condition(error: BaseException, folder: Path | None) -> bool:
    """Whether ``error`` says the check's condition does not hold (an ``AssertionError``,
    or pytest's ``fail`` raised by ``pytest.raises`` or ``pytest.fail``), not raised in
    the reference (whose assert failing is the grader's bug)."""
    pytest = sys.modules.get("pytest")
    failed = isinstance(error, AssertionError) or (pytest is not None and isinstance(error, pytest.fail.Exception))
    if not failed:
        return False
    if folder is None:
        return True
    found = innermost_frame(error, folder)
    return found is None or found[0] != Path(REFERENCE)


def unmet_detail(error: BaseException, folder: Path | None) -> str:
    """What the student reads after "the check's condition does not hold": the
    assertion's own message, else the check's line that failed (a bare ``assert``
    carries no message outside pytest), else the exception's name."""
    pytest = sys.modules.get("pytest")
    text = str(error.msg) if pytest is not None and isinstance(error, pytest.fail.Exception) else str(error)
    if text.strip():
        return text.strip()
    found = innermost_frame(error, folder) if folder is not None else None
    line = found[1].line if found is not None else None
    return line.strip() if line else type(error).__name__

