"""What an importer reads out of another grader's notebook, before it is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from nbformat import NotebookNode

from autograder.importers.rules import ImportRules

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
    at: str = ""            # the checkpoint whose state it sees ("": the notebook's end)
    required: bool = False  # a notebook that never reached ``at`` fails it (nbgrader's deleted test cell)


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
    manual: dict[str, float] = field(default_factory=dict)     # questions graded by hand -> points
    rules: ImportRules = field(default_factory=lambda: ImportRules("otter"))  # how submissions are run
    files: dict[str, bytes] = field(default_factory=dict)      # support files, by path under data/
