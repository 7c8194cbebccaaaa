"""What an importer reads out of another grader's notebook, before it is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from nbformat import NotebookNode

TestKind = Literal["doctest", "code", "function"]


@dataclass(frozen=True)
class ImportedTest:
    """One test of one question, as the other grader wrote it."""

    question: str
    kind: TestKind          # doctest: otter OK format; code: nbgrader asserts; function: otter exception-based
    code: str
    hidden: bool
    points: float
    function: str = ""      # kind "function": the test function's name


@dataclass
class ImportedAssignment:
    """A master notebook of ours plus its questions and tests, ready to be written."""

    name: str
    origin: Literal["otter", "nbgrader"]
    master: NotebookNode                  # with ### BEGIN/END SOLUTION and a setup cell
    reference: str                        # Python source derived from the solutions
    questions: dict[str, float]           # question -> points, in notebook order
    tests: list[ImportedTest]
    grader_imports: str                   # the master's imports, run in the grader for each test
    notes: list[str] = field(default_factory=list)   # what was not imported, and why
    all_or_nothing: set[str] = field(default_factory=set)
