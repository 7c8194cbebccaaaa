"""``verify``: grade the solution, the stub and every mutant as one batch, then judge.

Everything goes through :func:`autograder.batch.grade_batch`, the engine that grades a
class: one jail (one zygote), checks collected once per grading process, as many
notebooks at a time as there are cores. What a student would get is what ``verify``
sees, seeds and scoring rules included.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from autograder.batch import LocalBackend, grade_batch
from autograder.checks.suite import CheckSuite
from autograder.config import Settings
from autograder.grading import Submission
from autograder.i18n import msg
from autograder.outcomes import EarlyStop
from autograder.results import SubmissionResult
from autograder.sandbox import affinity
from autograder.sandbox.jail import Jail
from autograder.verify.equivalents import FILENAME, load_equivalents
from autograder.verify.given import given_scopes, is_given
from autograder.verify.independence import dependence_problems
from autograder.verify.mutate import Mutant, mutants
from autograder.verify.notebooks import Notebooks, write
from autograder.verify.slim import check_names, slim
from autograder.verify.report import (CheckKey, MutantOutcome, Problem, VerifyReport, failed_checks,
                                      lost_points, question_of)

SOLUTION, STUB = "solution", "student notebook"
NOT_IMPLEMENTED = "NotImplementedError"  # in both languages' "not implemented yet" messages


def grade_notebooks(notebooks: dict[str, dict[str, Any]], assignment: str, settings: Settings,
                    jail: Jail, jobs: int, progress: bool = False,
                    stops: Mapping[str, EarlyStop] | None = None) -> dict[str, SubmissionResult]:
    """Grade notebooks (by label) as one batch, in a temporary folder; results by label.
    With ``progress``, a line on stderr at each tenth of them; the notebooks labelled in
    ``stops`` (mutants) are graded only until their question is decided (``EarlyStop``)."""
    stops = stops or {}
    with tempfile.TemporaryDirectory(prefix="autograder-verify-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        labels, submissions, early = {}, [], {}
        for number, (label, notebook) in enumerate(notebooks.items()):
            ident = f"n{number:05d}"
            labels[ident] = label
            submissions.append(Submission(ident, write(notebook, folder / "in" / f"{ident}.ipynb")))
            if label in stops:
                early[ident] = stops[label]
        backend = LocalBackend(assignment, settings, jail, jobs, stop_early=early)
        results = grade_batch(submissions, assignment, settings, folder / "out", backend=backend,
                              resume=False, on_result=_progress(assignment, len(submissions), progress))
    return {labels[r.submission]: r for r in results}


def _progress(assignment: str, total: int, show: bool) -> Callable[[SubmissionResult], None]:
    """Prints ``verify NAME: 40/129 notebooks graded (31 s, about 70 s left)`` at each
    tenth of ``total`` (the time left at the pace so far)."""
    started, done = time.perf_counter(), [0]
    step = max(1, total // 10)

    def report(_: SubmissionResult) -> None:
        done[0] += 1
        if show and (done[0] % step == 0 or done[0] == total):
            spent = time.perf_counter() - started
            left = f", about {spent / done[0] * (total - done[0]):.0f} s left" if done[0] < total else ""
            print(f"verify {assignment}: {done[0]}/{total} notebooks graded ({spent:.0f} s{left})",
                  file=sys.stderr, flush=True)
    return report


@dataclass(frozen=True)
class Plan:
    """What ``verify`` grades for one assignment, made before any notebook runs."""

    books: Notebooks
    equivalents: dict[str, Any]
    made: list[Mutant]
    notebooks: dict[str, dict[str, Any]]  # by label: the solution, the stub, each mutant
    stops: dict[str, EarlyStop]  # the mutants graded until their question is decided


def plan(assignment: str, settings: Settings, fast: bool = True) -> Plan:
    """Read everything an assignment's verification needs, and refuse a broken one
    (``AssignmentError``, ``ConfigError``: the master, its public examples against the
    reference, the checks as ``grade`` loads them, ``equivalent_mutants.yaml``) before any
    jail starts or any line of progress is printed: a broken assignment is one error, not a
    "grading..." line followed by one."""
    folder = settings.assignment_dir(assignment)
    questions = list(settings.assignment(assignment).questions)
    books = Notebooks.load(assignment, settings)
    CheckSuite(assignment, settings).specs  # the checks loaded: refused here as `grade` refuses them
    equivalents = load_equivalents(folder)
    optional = set(settings.assignment(assignment).optional)
    given = given_scopes(books.given_cells(), [source for _, source in books.mutable_cells()])
    made = [m for m in mutants(books.mutable_cells()) if not fast or graded_part(m, questions, optional, given)]
    notebooks = {SOLUTION: books.solution, STUB: books.stub}
    needed = check_names(folder / "checks") | {q.split(".")[0] for q in questions}
    notebooks.update({m.id: slim(books.with_cell(m.cell, m.source), needed) if fast
                      else books.with_cell(m.cell, m.source) for m in made})
    stops = {m.id: EarlyStop(question_of(m.scope, questions)) for m in made} if fast else {}
    return Plan(books, equivalents, made, notebooks, stops)


def verify_assignment(assignment: str, settings: Settings, jail: Jail, *, jobs: int = 0,
                      catalogue_root: Path | None = None, fast: bool = True,
                      progress: bool = False, planned: Plan | None = None) -> VerifyReport:
    """Verify one assignment's checks (see the module and README "Verifying checks").
    ``fast=False`` is the slower way of before (benchmarks): every mutant, top-level code
    and optional questions too, each graded with every cell of the notebook and every check.
    ``planned``: its :func:`plan`, made by the caller before the jail started."""
    started = time.perf_counter()
    folder = settings.assignment_dir(assignment)
    questions = list(settings.assignment(assignment).questions)
    optional = set(settings.assignment(assignment).optional)
    made_plan = planned if planned is not None else plan(assignment, settings, fast)
    books, equivalents, made = made_plan.books, made_plan.equivalents, made_plan.made
    notebooks, stops = made_plan.notebooks, made_plan.stops
    if progress:
        print(f"verify {assignment}: grading the solution, the student notebook and {len(made)} mutants"
              + (", each until its question loses points" if fast else ""), file=sys.stderr, flush=True)
    graded = grade_notebooks(notebooks, assignment, settings, jail, jobs, progress=progress, stops=stops)
    graded_questions = [q for q in questions if q not in optional]
    report = VerifyReport(assignment, graded_questions, equivalents_file=str(folder / FILENAME),
                          jobs=_jobs(jobs, len(notebooks)))
    report.examples = {q: sum(e["question"] == q for e in books.examples) for q in questions}
    sandbox_note = {msg("grade.sandbox_none").render(settings.language)}
    report.solution_problems = [p for p in _solution_problems(graded[SOLUTION], sandbox_note)
                                if p.question not in optional]
    if not report.solution_problems:  # graded right: graded the same way with the checks gathered?
        report.solution_problems = dependence_problems(assignment, settings, jail, books.solution)
    report.stub_problems, report.stub_notes = _stub_problems(graded[STUB])
    report.stub_problems = [p for p in report.stub_problems if p.question not in optional]
    report.stub_notes = [p for p in report.stub_notes if p.question in questions]  # not those graded by hand
    report.checks = {(q.name, c.name): [] for q in graded[SOLUTION].questions for c in q.checks
                     if q.name in graded_questions}  # an optional question's checks need catch nothing,
    # nor a question graded by hand its "not scored yet" line (nbgrader's and otter's, imported)
    for mutant in made:
        outcome = _outcome(mutant, graded[mutant.id], questions, equivalents)
        report.mutants.append(outcome)
        for key in outcome.caught_by:
            report.checks.setdefault(key, []).append(mutant.id)
    made_ids = {m.id for m in made}
    report.stale_equivalents = sorted(set(equivalents) - made_ids)
    idle = [key for key, ids in report.checks.items() if not ids]
    if idle:
        _consult_catalogue(report, idle, assignment, settings, jail, jobs,
                           catalogue_root if catalogue_root is not None else settings.course_dir)
    report.duration_s = time.perf_counter() - started
    return report


def graded_part(mutant: Mutant, questions: list[str], optional: set[str], given: Collection[str] = ()) -> bool:
    """Whether a mutant changes what grading must tell apart: not the top-level code of
    a cell (a printed answer, a plot: ``<cell N>``), not an optional question, nothing of
    an assignment graded by hand only (no question has checks that could catch it), not
    code outside the questions that students are given as it is (``given``: scopes, see
    :mod:`.given`), where a surviving mutant would say nothing about the checks."""
    if mutant.scope.startswith("<cell ") or not questions:
        return False
    return not is_given(mutant.scope, questions, given) and question_of(mutant.scope, questions) not in optional


def _jobs(jobs: int, count: int) -> int:
    return affinity.jobs_for(jobs, count)


def _solution_problems(result: SubmissionResult, ignored: set[str]) -> list[Problem]:
    problems = [Problem("errors", error) for error in result.errors if error not in ignored]
    for question in result.questions:
        if question.score < question.max_score - 1e-9:
            failed = [f"{c.name}: {c.message}" for c in question.checks if not c.passed]
            problems.append(Problem(question.name, f"{question.score:g}/{question.max_score:g}: "
                                    + "\n".join(failed)))
    return problems


def _stub_problems(result: SubmissionResult) -> tuple[list[Problem], list[Problem]]:
    """Questions the unchanged student notebook scores on (problems), and checks that
    fail on it without saying "not implemented yet" (notes: a confusing first message)."""
    problems, notes = [], []
    for question in result.questions:
        if question.score > 1e-9:
            passed = [c.name for c in question.checks if c.passed]
            problems.append(Problem(question.name, f"{question.score:g} points; passed: {'; '.join(passed)}"))
        elif question.checks and NOT_IMPLEMENTED not in question.cause and \
                not any(NOT_IMPLEMENTED in c.message for c in question.checks):  # said once, as the cause
            notes.append(Problem(question.name, "no check says the function is not implemented yet: "
                                 + (question.checks[0].message.splitlines() or [""])[0][:200]))
    return problems, notes


def _outcome(mutant: Mutant, result: SubmissionResult, questions: list[str],
             equivalents: dict[str, Any]) -> MutantOutcome:
    question = question_of(mutant.scope, questions)
    caught_by = tuple(failed_checks(result))
    caught = lost_points(result, question)
    marked = equivalents.get(mutant.id)
    if marked is not None:
        return MutantOutcome(mutant, question, "equivalent", caught_by, marked.reason, marked_but_caught=caught)
    return MutantOutcome(mutant, question, "caught" if caught else "survived", caught_by)


# ---- the catalogue: wrong submissions written by hand (the bundled course's tests) -----

def load_catalogue(root: Path, assignment: str) -> list[tuple[str, list[str]]]:
    """``<root>/tests/catalogue/<assignment>.py``'s CASES as (id, code cells); [] when absent."""
    path = root / "tests" / "catalogue" / f"{assignment}.py"
    if not path.is_file():
        return []
    name = f"tests.catalogue.{assignment}"
    added = str(root) not in sys.path
    if added:
        sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(name)
    finally:
        if added:
            sys.path.remove(str(root))
    if Path(str(module.__file__)).resolve() != path.resolve():
        return []  # another project's `tests` package is imported here: not ours to grade
    return [(str(case.id), list(case.cells)) for case in getattr(module, "CASES", [])]


def _catalogue_notebook(cells: Iterable[str]) -> dict[str, Any]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return dict(notebook)


def _consult_catalogue(report: VerifyReport, idle: list[CheckKey], assignment: str, settings: Settings,
                       jail: Jail, jobs: int, root: Path) -> None:
    """For checks no mutant makes fail: the catalogue entries that do (while their
    question still earns some points, so the check is what tells them apart)."""
    cases = load_catalogue(root, assignment)
    report.catalogue_size = len(cases)
    if not cases:
        return
    graded = grade_notebooks({f"catalogue:{ident}": _catalogue_notebook(cells) for ident, cells in cases},
                             assignment, settings, jail, jobs)
    for label, result in graded.items():
        for question in result.questions:
            if question.score <= 0:
                continue
            for check in question.checks:
                key = (question.name, check.name)
                if key in idle and not check.passed:
                    report.catalogue.setdefault(key, []).append(label.removeprefix("catalogue:"))
