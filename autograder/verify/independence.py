"""``verify``'s look at whether an assignment's checks may be gathered.

Grading sends consecutive checks' first calls into the student's code as one frame
(``autograder/gather.py``), which runs the checks' grader-side code in another order than
one at a time. That is only safe for checks that do not depend on one another in the
grader (``independent_checks``, true by default). This grades the solution in one grading
process, the first time one check at a time (the runner learns what each check asks),
then with the checks gathered, and compares what the worker was asked, in order, and the
two results: a difference names the assignment's checks as dependent (a module-level
cache filled by whichever check asks first, say). A gathered run that grading gives up
(``Reordered``: a check asked again after a later check's request) teaches the runner that
check, and the solution is graded again: the comparison is with the first gathered run
that went through, where a dependence shows as the requests it adds.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat

from autograder.config import Settings
from autograder.grading import Grader
from autograder.sandbox.jail import Jail
from autograder.submissions import Submission
from autograder.verify.report import Problem

QUESTION = "independent_checks"


def dependence_problems(assignment: str, settings: Settings, jail: Jail,
                        notebook: dict[str, Any]) -> list[Problem]:
    """A problem when ``notebook`` (the solution) is not graded the same way with the
    checks gathered as one at a time; none when the assignment grades one at a time."""
    if not settings.assignment(assignment).independent_checks:
        return []
    grader = Grader(assignment, settings, jail)
    grader.traces = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "solution.ipynb"
        nbformat.write(nbformat.from_dict(notebook), str(path))
        solution = Submission("solution", path)
        with grader.suite.runner() as run_checks:
            alone = grader.grade_one(solution, run_checks)
            first = grader.traces[-1]
            for _ in range(len(run_checks.specs) + 1):  # each run given up teaches one check
                runs = len(grader.traces)
                gathered = grader.grade_one(solution, run_checks)
                if len(grader.traces) == runs + 1:  # not given up: one run, gathered
                    break
    second = grader.traces[-1]
    if first == second and replace(alone, duration_s=0.0) == replace(gathered, duration_s=0.0):
        return []
    where = next((n for n, (a, b) in enumerate(zip(first, second)) if a != b), min(len(first), len(second)))
    return [Problem(QUESTION, (
        "the checks do not grade the solution the same way when their first calls go to the jail "
        f"together as when they run one at a time (the worker's requests differ from request {where + 1} on; "
        f"{len(first)} one at a time, {len(second)} gathered): a check depends on what another left in the "
        "grader, such as a module-level cache of what the student's code returned. Make each check compute "
        "what it needs (the `once` fixture for what does not depend on the student), or set "
        "`independent_checks: false` for the assignment in grading_config.yaml."))]
