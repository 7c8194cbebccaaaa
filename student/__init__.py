"""Public examples inside the student's notebook: ``check(name)`` and ``check_all()``.

Only the standard library and NumPy are needed (torch is imported when an example
uses tensors). The generated student notebook embeds this package's modules in its
setup cell; courses may also ``pip install`` it. A leaf: it imports nothing of
``autograder`` (the instructor's master notebook uses
``autograder.examples.make_checker_for``).
"""

from __future__ import annotations

from .checker import Checker, Result, make_checker
from .compare import Mismatch, compare

__all__ = ["Checker", "Mismatch", "Result", "compare", "make_checker"]

