"""Fail closed: what goes wrong on the grader's side stops the batch and reaches the command.

Nothing raised while grading or delivering a result may be swallowed on the way (by
pytest, by a grader process): the batch stops with the error, the results saved
before it are kept, and a rerun grades the rest.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from autograder import batch, grading
from autograder.batch import find_submissions, grade_batch
from autograder.config import load_settings
from autograder.exceptions import GraderError
from autograder.gradebook import Gradebook
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, run_cli, write_notebook

GOOD = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]
HALF = [GOOD[0].split("def halve")[0]]


def make_class(folder: Path, count: int) -> Path:
    for i in range(count):
        write_notebook(folder / f"s{i}.ipynb", GOOD if i % 2 == 0 else HALF)
    return folder


def expected_scores(count: int) -> dict[str, float]:
    return {f"s{i}": 3.0 if i % 2 == 0 else 2.0 for i in range(count)}


def saved_scores(out: Path) -> dict[str, float]:
    return {p.stem: json.loads(p.read_text())["score"] for p in out.glob("s*.json")}


def assert_rerun_resumes(out: Path, subs: Path, settings: Any, jail: Jail, kept: set[str]) -> None:
    """The interrupted run is left unfinished; a rerun keeps what it saved and grades the rest."""
    with Gradebook.open(out / "gradebook.sqlite") as book:
        assert [run[2] for run in book.runs("mini")] == [None]
    before = {name: (out / f"{name}.json").read_bytes() for name in kept}
    results = grade_batch(find_submissions([subs]), "mini", settings, out, jobs=1, jail=jail)
    assert {r.submission: r.score for r in results} == expected_scores(4)
    assert {name: (out / f"{name}.json").read_bytes() for name in kept} == before
    with Gradebook.open(out / "gradebook.sqlite") as book:
        assert all(len(book.history(name, assignment="mini")) == 1 for name in kept)
        assert book.runs("mini")[-1][2] is not None


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["OSError", "KeyboardInterrupt"])
def test_an_error_delivering_a_result_stops_the_batch_and_a_rerun_resumes(
        tmp_path: Path, jail: Jail, monkeypatch: pytest.MonkeyPatch, jobs: int,
        error: BaseException) -> None:
    settings = load_settings(make_mini_project(tmp_path / "p"))
    subs = make_class(tmp_path / "subs", 4)
    out = tmp_path / "out"
    real_save, saved = batch.save_result, []

    def save(result: Any, folder: Path) -> Path:
        if len(saved) == 1:
            raise error
        saved.append(result.submission)
        return real_save(result, folder)

    monkeypatch.setattr(batch, "save_result", save)
    with pytest.raises(type(error)):
        grade_batch(find_submissions([subs]), "mini", settings, out, jobs=jobs, jail=jail)
    assert set(saved_scores(out)) == set(saved) and len(saved) == 1
    monkeypatch.setattr(batch, "save_result", real_save)
    assert_rerun_resumes(out, subs, settings, jail, set(saved))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failure_inside_the_grader_stops_the_batch_with_its_reason(
        tmp_path: Path, jail: Jail, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """A full disk (or a dead jail) while a submission is graded, in this process or in
    a forked grader process, is the grader's failure: never a silently shorter batch."""
    settings = load_settings(make_mini_project(tmp_path / "p"))
    subs = make_class(tmp_path / "subs", 4)
    out = tmp_path / "out"
    real_score = grading.score_questions

    def score(points: Any, outcomes: Any, *args: Any, **kwargs: Any) -> Any:
        if not all(o.passed for o in outcomes):  # the first HALF submission, s1
            raise OSError(28, "No space left on device")
        return real_score(points, outcomes, *args, **kwargs)

    monkeypatch.setattr(grading, "score_questions", score)
    expected = OSError if jobs == 1 else GraderError
    with pytest.raises(expected, match="No space left on device"):
        grade_batch(find_submissions([subs]), "mini", settings, out, jobs=jobs, jail=jail)
    assert "s1" not in saved_scores(out)
    monkeypatch.setattr(grading, "score_questions", real_score)
    assert_rerun_resumes(out, subs, settings, jail, set(saved_scores(out)))


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_and_the_rerun_finishes_the_batch(tmp_path: Path, jobs: str) -> None:
    config = make_mini_project(tmp_path / "p")
    subs = make_class(tmp_path / "subs", 4)
    # a slow cell keeps the batch busy long enough to be interrupted in the middle
    write_notebook(subs / "s1.ipynb", ["import time\ntime.sleep(1.5)", *HALF])
    write_notebook(subs / "s3.ipynb", ["import time\ntime.sleep(1.5)", *HALF])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "grade", "--config", str(config), "-a", "mini",
               str(subs), "--jobs", jobs, "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER_")}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True, env=env)
    deadline = time.monotonic() + 60
    while not list(out.glob("s*.json")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not (out / "grades.csv").exists()
    graded_before = set(saved_scores(out))
    assert 1 <= len(graded_before) < 4

    finished = subprocess.run(command, capture_output=True, text=True, env=env)
    assert finished.returncode == 0, finished.stderr
    assert saved_scores(out) == expected_scores(4)
    with Gradebook.open(out / "gradebook.sqlite") as book:
        assert all(len(book.history(name, assignment="mini")) == 1 for name in graded_before)


def test_overflow_check_does_not_skip_without_an_np_name(tmp_path: Path, jail: Jail) -> None:
    """`import numpy` (no `np` alias) once switched the sigmoid overflow check off."""
    from tests.catalogue.activations import CORRECT

    settings = load_settings(Path(__file__).resolve().parent.parent / "grading_config.yaml")
    naive = "def sigmoid(x):\n    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))\n"
    cells = ["import numpy", *(source.replace("np.", "numpy.") for source in
                               {**CORRECT, "sigmoid": naive}.values())]
    result = grading.Grader("activations", settings, jail).grade(
        grading.Submission("plain", write_notebook(tmp_path / "plain.ipynb", cells)))
    sigmoid = next(q for q in result.questions if q.name == "sigmoid")
    failed = [c.message for c in sigmoid.checks if not c.passed]
    assert len(failed) == 1 and "переполняется" in failed[0], [c.message for c in sigmoid.checks]


# ---- checks and configuration must agree (or the assignment does not load) -------------

SLIPS = '''

def test_forgotten_mark(submission):
    assert submission.double(1.0) == 2.0


@check("halv", en="halves 2", ru="делит 2 пополам")
def test_misnamed(submission, reference, tol):
    expect_close("halve", (2.0,), submission.halve(2.0), reference.halve(2.0), tol)
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_checks_that_disagree_with_the_config_are_refused_one_line_each(
        tmp_path: Path, jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_mini_project(tmp_path / "p")
    checks = tmp_path / "p" / "assignments" / "mini" / "checks" / "test_mini.py"
    checks.write_text(checks.read_text() + SLIPS)
    config.write_text(config.read_text().replace("{double: 2, halve: 1}", "{double: 2, halve: 1, triple: 1}"))
    subs = make_class(tmp_path / "subs", 2)
    out = tmp_path / "out"
    code = run_cli("grade", "--config", str(config), "-a", "mini", str(subs), "--out", str(out), "--jobs", jobs)
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 3 and "Traceback" not in err, err
    assert f"{checks}::test_forgotten_mark" in lines[0] and "without @check" in lines[0]
    assert f"{checks}::test_misnamed" in lines[1] and "no question 'halv'" in lines[1]
    assert f"{config}: assignments.mini.questions.triple: no hidden check" in lines[2]
    assert not list(out.glob("*.json"))


SKIPPING = '''
import pytest
from autograder.checks import fixture


@fixture
def needs_something():
    pytest.skip("the notebook has no `np`")


@check("halve", en="halves 6", ru="делит 6 пополам")
def test_skipped(submission, needs_something):
    assert submission.halve(6.0) == 3.0
'''


def test_a_skipped_check_counts_as_failed_and_says_so(tmp_path: Path, jail: Jail,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    config = make_mini_project(tmp_path / "p")
    (tmp_path / "p" / "assignments" / "mini" / "checks" / "test_skip.py").write_text(
        "from autograder.checks import check\n" + SKIPPING)
    grader = grading.Grader("mini", load_settings(config), jail)
    result = grader.grade(grading.Submission("a", write_notebook(tmp_path / "a.ipynb", GOOD)))
    halve = result.questions[1]
    skipped = [c for c in halve.checks if c.name == "halves 6"]
    assert len(skipped) == 1 and not skipped[0].passed
    assert "skipped (the notebook has no `np`)" in skipped[0].message and "instructor" in skipped[0].message
    assert halve.score == pytest.approx(0.5) and not halve.passed
    assert "check skipped in halve/halves 6" in capsys.readouterr().err


def test_a_check_without_an_outcome_keeps_its_weight_and_fails() -> None:
    from autograder.i18n import Text
    from autograder.outcomes import CheckSpec
    from autograder.scoring import score_questions

    specs = [CheckSpec("q", Text.plain(name), 1.0) for name in ("a", "b", "c", "d")]
    reported = [spec.outcome(True) for spec in specs[:3]]  # "d" went missing
    question, = score_questions({"q": 4.0}, reported, "en", expected=specs)
    assert question.score == pytest.approx(3.0) and not question.passed
    assert [c.name for c in question.checks] == ["a", "b", "c", "d"]
    assert "without a verdict" in question.checks[3].message


def test_a_question_that_scored_nothing_is_never_passed() -> None:
    from autograder.results import CheckResult, QuestionResult

    assert not QuestionResult("q", (), 2.0).passed  # no checks at all: was "passed", 0 of 2
    assert not QuestionResult("q", (CheckResult("c", True, 0.0, 0.0),), 2.0).passed
    assert QuestionResult("q", (CheckResult("c", True, 2.0, 2.0),), 2.0).passed
