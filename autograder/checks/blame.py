"""Whose failure a check's exception is, and where in the assignment's own files it was raised.

A check fails the student by raising :class:`~autograder.checks.CheckFailed`; authors also
write what pytest accepts in a test: a plain ``assert``, ``np.testing.assert_allclose``,
``pytest.approx`` inside an ``assert``, ``pytest.raises`` (which fails with "DID NOT
RAISE") and ``pytest.fail``. Those say the check's condition does not hold for this
submission: the student's failure, as it is for an imported nbgrader or otter test, not a
bug of the grader. The same failure raised inside ``reference.py`` is the trusted code's
own bug. Whatever else a check raises is its bug, and the author needs the file and line
(of the check, its conftest or ``reference.py``) to fix it without a traceback.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

REFERENCE = "reference.py"


def _frames(error: BaseException) -> list[traceback.FrameSummary]:
    return list(traceback.extract_tb(error.__traceback__))


def _inside(filename: str, folder: Path) -> Path | None:
    """``filename`` relative to ``folder`` when it is a file in it, else None."""
    try:
        return Path(filename).resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return None


def _innermost(error: BaseException, folder: Path) -> tuple[Path, traceback.FrameSummary] | None:
    """The innermost frame of the traceback in a file of ``folder``, with that file's relative path."""
    for frame in reversed(_frames(error)):
        relative = _inside(frame.filename, folder)
        if relative is not None:
            return relative, frame
    return None


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
    found = _innermost(error, folder)
    return found is None or found[0] != Path(REFERENCE)


def unmet_detail(error: BaseException, folder: Path | None) -> str:
    """What the student reads after "the check's condition does not hold": the
    assertion's own message, else the check's line that failed (a bare ``assert``
    carries no message outside pytest), else the exception's name."""
    pytest = sys.modules.get("pytest")
    text = str(error.msg) if pytest is not None and isinstance(error, pytest.fail.Exception) else str(error)
    if text.strip():
        return text.strip()
    found = _innermost(error, folder) if folder is not None else None
    line = found[1].line if found is not None else None
    return line.strip() if line else type(error).__name__


def raised_at(error: BaseException, folder: Path | None) -> str | None:
    """``/course/assignments/x/reference.py:9`` or the check file's path and line: where in
    the assignment's files ``error`` was raised, the innermost such frame (the file and
    line the author fixes, named in full as the load-time messages name check files);
    None when none of them is on its traceback (or there is no folder)."""
    found = _innermost(error, folder) if folder is not None else None
    if found is None or folder is None:
        return None
    relative, frame = found
    return f"{folder.resolve() / relative}:{frame.lineno}"
