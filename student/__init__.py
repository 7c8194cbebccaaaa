"""Public examples inside the student's notebook: ``check(name)`` and ``check_all()``.

Only the standard library and NumPy are needed (torch is imported when an example
uses tensors). The generated student notebook embeds this package's modules in its
setup cell; courses may also ``pip install`` it.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from .checker import Checker, Result, make_checker
from .compare import Mismatch, compare

__all__ = ["Checker", "Mismatch", "Result", "compare", "make_checker", "make_checker_for"]


def make_checker_for(assignment: str, namespace: Mapping[str, Any], language: str | None = None
                     ) -> tuple[Callable[[Any], Result], Callable[[], Result]]:
    """For the instructor's master notebook only: the examples of ``assignment``,
    with expected values computed now from the repository's reference.

    Needs the ``autograder`` package and the course repository; student notebooks
    get a generated setup cell with the examples embedded instead.
    """
    from autograder.examples import checker_for  # instructor tooling, never embedded

    return checker_for(assignment, namespace, language)
