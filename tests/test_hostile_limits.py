"""A hostile function costs at most one time limit per question, and limits follow the
reference's own time (a call) or the master notebook's (a cell)."""

from __future__ import annotations

import os
import time
import types
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder import timing
from autograder.batch import grade_batch
from autograder.config import Limits, load_settings, replace
from autograder.grading import Grader, Submission
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from tests.helpers import ROOT, make_mini_project, write_notebook

# five checks of `double`, each calling it: without the shared fate, a loop costs five limits
CHECKS = '''
import numpy as np
from autograder.checks import check, expect_close


@check("double", en="doubles several at once", ru="удваивает несколько сразу")
def test_double_many(submission, reference, tol):
    xs = [np.arange(2.0), np.arange(3.0)]
    for x, reply in zip(xs, submission.call_many([("double", (x,), {}) for x in xs])):
        expect_close("double", (x,), reply.get(), reference.double(x), tol)


for k in range(4):
    def make(k):
        @check("double", en=f"doubles {k}", ru=f"удваивает {k}")
        def test(submission, reference, tol):
            x = np.arange(3.0) + k
            expect_close("double", (x,), submission.double(x), reference.double(x), tol)
        return test
    globals()[f"test_double_{k}"] = make(k)


@check("halve", en="halves", ru="делит пополам")
def test_halve(submission, reference, tol):
    expect_close("halve", (4.0,), submission.halve(4.0), reference.halve(4.0), tol)
'''
EXAMPLES = '''
from autograder.examples import Example

EXAMPLES = [Example("double", args=([1.0, 2.0],)), Example("double", args=(3.0,)), Example("halve", args=(2.0,))]
'''
LIMITS = ("limits: {cell_timeout_s: 20, call_timeout_s: 10, run_timeout_s: 60, memory_mb: 512, "
          "call_floor_s: 0.5, cell_floor_s: 1}")
HALVE = "def halve(x):\n    return np.asarray(x, dtype=float) / 2"


def project(root: Path, *, examples: bool = False, master: bool = False) -> Path:
    config = make_mini_project(root)
    folder = config.parent / "assignments" / "mini"
    (folder / "checks" / "test_mini.py").write_text(CHECKS)
    if examples:
        (folder / "examples.py").write_text(EXAMPLES)
    if master:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell("import numpy as np"),
                          nbformat.v4.new_code_cell("def double(x):\n    return 2.0 * np.asarray(x)\n" + HALVE)]
        nbformat.write(notebook, str(folder / "source.ipynb"))
    text = config.read_text()
    config.write_text("\n".join(LIMITS if line.startswith("limits:") else line for line in text.splitlines()))
    return config


def graded(config: Path, jail: Jail, path: Path, cells: list[str]) -> tuple[SubmissionResult, float]:
    grader = Grader("mini", load_settings(config), jail)
    grader.limits  # the master's run, timed before the clock starts
    started = time.perf_counter()
    result = grader.grade(Submission("s", write_notebook(path, cells)))
    return result, time.perf_counter() - started


def messages(result: SubmissionResult, question: str) -> list[str]:
    return [c.message for q in result.questions if q.name == question for c in q.checks]


@pytest.mark.parametrize("examples", [False, True], ids=["hidden-only", "with-public-examples"])
def test_a_looping_function_costs_one_limit_for_its_question(tmp_path: Path, jail: Jail, examples: bool) -> None:
    loop = "import numpy as np\ndef double(x):\n    while True:\n        pass\n"
    result, took = graded(project(tmp_path / "p", examples=examples), jail, tmp_path / "s.ipynb", [loop, HALVE])
    double = messages(result, "double")
    assert len(double) == 5 + examples  # every check still listed
    hidden = double[:5]
    assert len(set(hidden)) == 1 and "did not return within 0.5 s" in hidden[0]  # the same message
    assert all(hidden[0] in message for message in double[5:])  # also in the public examples
    assert {q.name: q.score for q in result.questions}["halve"] == 1.0  # other questions graded normally
    assert took < 5 * 0.5  # one limit, not one per check (the limit follows the microsecond reference)


@pytest.mark.parametrize("examples", [False, True], ids=["hidden-only", "with-public-examples"])
@pytest.mark.parametrize("ending", ["raise ValueError('walked')", "return 2.0 * np.asarray(x)"])
def test_a_slow_function_under_its_call_limit_costs_about_one_limit_for_its_question(
        tmp_path: Path, jail: Jail, ending: str, examples: bool) -> None:
    """Each call takes 0.3 s, under the 0.5 s call limit (a disk walk, then a raise or a
    right answer): the question's calls together may take one limit (budget.py), so
    after two calls the rest of the question fails at once, not one 0.3 s per call."""
    slow = f"import numpy as np, time\ndef double(x):\n    time.sleep(0.3)\n    {ending}\n"
    result, took = graded(project(tmp_path / "p", examples=examples), jail, tmp_path / "s.ipynb", [slow, HALVE])
    double = messages(result, "double")
    assert len(double) == 5 + examples  # every check still listed
    stopped = [m for m in double if "calls of `double` took more than 0.5 s in all" in m]
    assert len(stopped) >= 3 and len(set(stopped)) == 1, double  # the checks after the budget: one message
    assert {q.name: q.score for q in result.questions}["double"] < 1.0
    assert {q.name: q.score for q in result.questions}["halve"] == 1.0  # other questions graded normally
    assert took < 6 * 0.3  # six calls (the batch of two, four single) would take 1.8 s


def test_the_budget_is_per_question_and_its_allowances_add_up() -> None:
    from autograder.budget import ScopeBudgets

    budgets = ScopeBudgets(floor_s=1.0)
    assert budgets.charge("a", 0.6, 0.001) is None and budgets.charge("b", 0.6, 0.001) is None
    assert budgets.charge("a", 0.6, 0.001) == 1.0  # over: said once
    assert budgets.charge("a", 0.6, 0.001) is None
    assert budgets.charge(None, 100.0, 0.0) is None  # outside a question: no budget
    assert budgets.charge("slow", 2.5, 3.0) is None  # allowances add up: 3 s allowed
    assert budgets.charge("slow", 2.0, 2.0) is None  # 4.5 s of 5 (3 + 2) allowed
    assert budgets.charge("slow", 0.6, 0.0) == 5.0


def test_a_function_that_kills_the_worker_fails_its_question_at_once(tmp_path: Path, jail: Jail) -> None:
    dies = "import numpy as np, os\ndef double(x):\n    os._exit(7)\n"
    result, _ = graded(project(tmp_path / "p"), jail, tmp_path / "s.ipynb", [dies, HALVE])
    double = messages(result, "double")
    assert len(double) == 5 and len(set(double)) == 1 and "ended the Python process" in double[0]
    assert {q.name: q.score for q in result.questions}["halve"] == 1.0


def test_a_looping_top_level_cell_costs_the_master_following_cell_limit(tmp_path: Path, jail: Jail) -> None:
    cells = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)",
             "while True:\n    pass", HALVE]
    result, took = graded(project(tmp_path / "p", master=True), jail, tmp_path / "s.ipynb", cells)
    assert any("Cell 3 ran longer than 1 s" in e for e in result.errors), result.errors
    assert result.score == result.max_score and took < 10  # not the 20 s ceiling


def test_a_parallel_batch_times_the_master_once_for_all_its_grader_processes(
        tmp_path: Path, jail: Jail, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cell limit for the whole batch, not one per grader process (each timing the
    master on its own could land on either side of a step)."""
    timed = tmp_path / "timed"
    real = timing.master_seconds

    def counted(run: Any, cells: Any) -> float | None:
        with timed.open("a") as log:  # the forked grader processes append here too
            log.write(f"{os.getpid()}\n")
        return real(run, cells)

    monkeypatch.setattr(timing, "master_seconds", counted)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # not a time another test measured
    config = project(tmp_path / "p", master=True)
    cells = [[f"# student {i}\nimport numpy as np", HALVE] for i in range(6)]
    submissions = [Submission(f"s{i}", write_notebook(tmp_path / f"s{i}.ipynb", c)) for i, c in enumerate(cells)]
    results = grade_batch(submissions, "mini", load_settings(config), tmp_path / "out", jobs=2, jail=jail)
    assert len(results) == 6 and len(timed.read_text().splitlines()) == 1


def test_limits_follow_the_reference_with_a_floor_a_ceiling_and_steps() -> None:
    limits = Limits(call_timeout_s=10, call_floor_s=1, cell_floor_s=3, cell_timeout_s=30, reference_factor=50)
    assert timing.call_limit(2e-6, limits) == 1.0          # a microsecond reference: the floor
    assert timing.call_limit(0.05, limits) == 3.0          # 2.5 s rounded up to a step
    assert timing.call_limit(0.5, limits) == 10.0          # 25 s: the ceiling
    assert timing.call_limit(None, limits) == 10.0         # nothing to follow: the ceiling
    assert timing.call_limit(0.05, limits, ceiling_s=2.0) == 2.0  # a check's own timeout= is a ceiling
    assert timing.call_limit(2e-6, replace(limits, call_floor_s=0.4)) == 0.5
    assert timing.cell_limits(limits, 0.02).cell_timeout_s == 3.0
    assert timing.cell_limits(limits, None).cell_timeout_s == 30.0
    off = replace(limits, reference_factor=0)
    assert timing.call_limit(2e-6, off) == 10.0


def test_the_reference_is_timed_once_per_call_site() -> None:
    runs: list[float] = []

    def slow(x: float) -> float:
        runs.append(x)
        time.sleep(0.04)
        return x

    limits = timing.CallLimits(types.SimpleNamespace(slow=slow))
    config = Limits(call_timeout_s=10, call_floor_s=1, reference_factor=50)
    first = limits.limit(("test_a", "slow", 1), (1.0,), {}, config)
    assert first == 3.0 and 1 <= len(runs) <= timing.REPEATS  # 50 x 0.04 s = 2 s, stepped up
    assert limits.limit(("test_a", "slow", 1), (2.0,), {}, config) == first
    assert len(runs) <= timing.REPEATS  # not timed again for the next submission
    assert limits.limit(("test_a", "absent", 1), (1.0,), {}, config) == 10.0


def test_a_notebook_importing_a_package_not_preloaded_keeps_the_cell_ceiling() -> None:
    from autograder.notebook import CodeCell

    cells = [CodeCell(1, "import numpy as np, os\nfrom math import pi\nimport torch.nn as nn"),
             CodeCell(2, "if True:\n    from sklearn.linear_model import LogisticRegression\nx = 'import pandas'\n"
                         "def later():\n    import seaborn\nfrom student import checker\n")]
    assert sorted(timing.imports_beyond(cells, ["numpy"])) == ["sklearn", "torch"]
    assert timing.imports_beyond(cells, ["numpy", "torch.optim", "sklearn"]) == []


def test_the_generated_student_notebook_imports_nothing_beyond_the_preload(tmp_path: Path) -> None:
    from autograder.assign import generate_student_notebook
    from autograder.notebook import read_submission

    settings = load_settings(ROOT / "grading_config.yaml")
    for name in settings.config.assignments:
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(generate_student_notebook(name, settings), str(path))
        assert timing.imports_beyond(read_submission(path), settings.preload(name)) == [], name
