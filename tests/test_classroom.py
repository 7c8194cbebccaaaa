"""GitHub Classroom: the ``result`` output as its grading reporter reads it, and the
workflow ``autograder init`` writes for the students' repositories.

The reporter (classroom-resources/autograding-grading-reporter) decodes the base64 of
``<STEP-ID>_RESULTS``, posts ``sum(test.score)`` out of ``max_score`` to the classroom,
fails the run when ``status`` is ``fail`` or ``error``, and prints ``- line N`` after a
test's name unless ``line_no`` is 0. These tests read our output back the same way.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.helpers import make_mini_project, run_cli as run, write_notebook

from autograder.exceptions import UsageError
from autograder.reports.classroom import append_output, check_classroom, classroom_json
from autograder.results import CheckResult, QuestionResult, SubmissionResult
from autograder.scaffold.course import init_course

REPORTER = "classroom-resources/autograding-grading-reporter@v1"
# the reporter (v1) writes "Points N/M" into the check run of this name in the workflow
# run, and only there: the name GitHub Classroom gives the job of the workflows it writes
REPORTER_CHECK_RUN = "run-autograding-tests"
TEST_KEYS = {"name", "status", "score", "max_score", "message", "line_no"}


def result(*questions: QuestionResult, status: str = "graded", errors: tuple[str, ...] = ()) -> SubmissionResult:
    return SubmissionResult("mini", "alice", questions, errors=errors, status=status,  # type: ignore[arg-type]
                            language="en")


def question(name: str, *checks: tuple[bool, float, float], cause: str = "") -> QuestionResult:
    made = tuple(CheckResult(f"check {i}", passed, score, top, "public", "" if passed else f"{name} is wrong\nmore")
                 for i, (passed, score, top) in enumerate(checks))
    return QuestionResult(name, made, sum(c[2] for c in checks), cause)


def decoded_output(path: Path) -> dict[str, Any]:
    """What the reporter gets: the last ``result=`` line of the step's output file, decoded."""
    line = [line for line in path.read_text().splitlines() if line.startswith("result=")][-1]
    return json.loads(base64.b64decode(line.removeprefix("result=")).decode("utf-8"))


def reporter_points(data: dict[str, Any]) -> tuple[float, float]:
    """The points the reporter posts to the classroom: the tests' scores over max_score."""
    return sum(test["score"] for test in data["tests"]), data["max_score"]


def test_one_test_per_question_weighted_as_graded(tmp_path: Path) -> None:
    graded = result(question("double", (True, 1.0, 1.0), (True, 1.0, 1.0)),
                    question("halve", (True, 0.5, 0.5), (False, 0.0, 1.5)))
    output = tmp_path / "github_output"
    output.write_text("earlier=1\n")
    append_output(graded, output)
    data = decoded_output(output)
    assert output.read_text().startswith("earlier=1\n")  # appended, never overwritten
    assert set(data) == {"version", "status", "max_score", "tests"} and data["version"] == 1
    assert [t["name"] for t in data["tests"]] == ["double", "halve"]
    assert all(set(t) == TEST_KEYS and t["line_no"] == 0 for t in data["tests"])
    assert [(t["status"], t["score"], t["max_score"]) for t in data["tests"]] == \
        [("pass", 2.0, 2.0), ("fail", 0.5, 2.0)]
    assert reporter_points(data) == (graded.score, graded.max_score) == (2.5, 4.0)
    assert data["status"] == "fail"  # the reporter fails the run: not every point earned
    assert data["tests"][1]["message"] == "check 1: halve is wrong"


def test_full_marks_pass_and_an_unreadable_notebook_is_an_error() -> None:
    full = classroom_json(result(question("double", (True, 2.0, 2.0))))
    assert (full["status"], full["tests"][0]["status"]) == ("pass", "pass")
    broken = classroom_json(result(question("double", (False, 0.0, 2.0)), status="error",
                                   errors=("The file is not a notebook: invalid JSON\ndetails",)))
    assert broken["status"] == "error" and broken["max_score"] == 2.0
    assert broken["tests"][0] == {"name": "double", "status": "error", "score": 0.0, "max_score": 2.0,
                                  "message": "The file is not a notebook: invalid JSON", "line_no": 0}


def test_a_question_that_could_not_be_called_says_why() -> None:
    data = classroom_json(result(question("halve", (False, 0.0, 1.0), cause="`halve` is not defined")))
    assert data["tests"][0]["message"].startswith("`halve` is not defined\n")


def test_refused_before_grading_without_one_submission_or_an_output_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="exactly one submission; 2 found"):
        check_classroom(2, {"GITHUB_OUTPUT": str(tmp_path / "out")})
    with pytest.raises(UsageError, match=r"\$GITHUB_OUTPUT, which is not set"):
        check_classroom(1, {})
    assert check_classroom(1, {"GITHUB_OUTPUT": str(tmp_path / "out")}) == tmp_path / "out"


def test_an_output_file_that_cannot_be_appended_to_is_refused_before_grading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """$GITHUB_OUTPUT naming a folder, or a file in a folder that does not exist, used to
    be found out only after grading, as "grader failure: [Errno 21] Is a directory"."""
    with pytest.raises(UsageError, match=r"\$GITHUB_OUTPUT names .*, a folder"):
        check_classroom(1, {"GITHUB_OUTPUT": str(tmp_path)})
    with pytest.raises(UsageError, match=r"in a folder that does not exist"):
        check_classroom(1, {"GITHUB_OUTPUT": str(tmp_path / "нет" / "out")})
    project = make_mini_project(tmp_path / "project")
    write_notebook(tmp_path / "a.ipynb", ["x = 1"])
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "missing" / "output"))
    assert run("grade", "--config", str(project), "-a", "mini", "--out", str(tmp_path / "o"),
               "--github-classroom", str(tmp_path / "a.ipynb")) == 2
    err = capsys.readouterr().err
    assert "in a folder that does not exist" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()  # nothing graded


def test_cli_usage_errors_exit_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    project = make_mini_project(tmp_path / "project")
    subs = tmp_path / "subs"
    write_notebook(subs / "a.ipynb", ["x = 1"])
    write_notebook(subs / "b.ipynb", ["x = 2"])
    args = ["grade", "--config", str(project), "-a", "mini", "--out", str(tmp_path / "o"), "--github-classroom"]
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    assert run(*args, str(subs / "a.ipynb")) == 2
    assert "GITHUB_OUTPUT" in capsys.readouterr().err
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))
    assert run(*args, str(subs)) == 2
    err = capsys.readouterr().err
    assert "exactly one submission; 2 found" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "output").exists() and not (tmp_path / "o").exists()


GOOD = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"]


@pytest.mark.slow
def test_grade_github_classroom_matches_the_result_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_mini_project(tmp_path / "project")
    notebook = write_notebook(tmp_path / "alice.ipynb", GOOD)  # double right, halve missing
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    out = tmp_path / "o"
    assert run("grade", "--config", str(project), "-a", "mini", str(notebook), "--out", str(out),
               "--github-classroom") == 0
    graded = json.loads((out / "alice.json").read_text())
    data = decoded_output(output)
    assert reporter_points(data) == (graded["score"], graded["max_score"]) == (2.0, 3.0)
    assert [(t["name"], t["score"], t["max_score"]) for t in data["tests"]] == \
        [(q["name"], q["score"], q["max_score"]) for q in graded["questions"]]
    assert data["status"] == "fail" and "`halve`" in data["tests"][1]["message"]
    assert json.loads((out / "classroom.json").read_text()) == data


def workflow(tmp_path: Path) -> dict[Any, Any]:
    course = tmp_path / "course"
    init_course(course)
    return yaml.safe_load((course / ".github/workflows/classroom.yml").read_text())


def test_init_writes_the_classroom_workflow(tmp_path: Path) -> None:
    flow = workflow(tmp_path)
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["push"]["paths"][0] == "*.ipynb" and "workflow_dispatch" in triggers
    assert flow["env"]["ASSIGNMENT"] == "linear" and flow["env"]["NOTEBOOK"] == "linear.ipynb"
    steps = flow["jobs"][REPORTER_CHECK_RUN]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@") and "with" not in steps[0]  # the student's repository
    assert steps[1]["uses"].startswith("actions/checkout@")  # the course, with a token: not in the repository
    assert steps[1]["with"] == {"repository": "${{ env.COURSE_REPOSITORY }}",
                                "token": "${{ secrets.COURSE_TOKEN }}", "path": ".course"}
    assert any(u.startswith("actions/setup-python@") for u in uses)
    install = next(step["run"] for step in steps if "bubblewrap" in step.get("run", ""))
    assert "apt-get install" in install and "pip install -r .course/requirements.txt" in install
    grade = next(step for step in steps if step.get("id") == "grade")
    assert grade["run"].split()[:2] == ["autograder", "grade"] and "--github-classroom" in grade["run"]
    assert "--course .course" in grade["run"]
    report = steps[-1]
    assert report["uses"] == REPORTER and report["with"]["runners"] == "grade"
    # the reporter reads <RUNNER IN CAPITALS>_RESULTS
    assert report["env"] == {"GRADE_RESULTS": "${{ steps.grade.outputs.result }}"}


def test_the_reporter_finds_the_check_run_and_may_write_the_points(tmp_path: Path) -> None:
    """A check run is named after its job (``name:``, else the job's id); the reporter lists
    the run's check runs by the name ``run-autograding-tests`` and updates that one with
    the points, which needs ``checks: write``. Any other job name: no points reach the
    classroom, silently."""
    flow = workflow(tmp_path)
    names = [job.get("name", job_id) for job_id, job in flow["jobs"].items()]
    assert names == [REPORTER_CHECK_RUN]
    assert flow["permissions"].get("checks") == "write"
    assert flow["permissions"].get("actions") == "read"  # the reporter reads the workflow run


@pytest.mark.slow
def test_the_workflow_grades_a_student_repository_made_by_assign(tmp_path: Path) -> None:
    """The workflow's grade step, run as written in a student's repository that `assign`
    filled, with the course where the course checkout puts it."""
    course = tmp_path / "course"
    init_course(course)
    repo = tmp_path / "student"
    assert run("assign", "linear", "--course", str(course), "--out", str(repo)) == 0
    (repo / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(course / ".github/workflows/classroom.yml", repo / ".github/workflows")
    shutil.copytree(course, repo / ".course")
    flow = yaml.safe_load((repo / ".github/workflows/classroom.yml").read_text())
    grade = next(step for step in flow["jobs"][REPORTER_CHECK_RUN]["steps"] if step.get("id") == "grade")
    output = tmp_path / "github_output"
    env = {**os.environ, **flow["env"], "GITHUB_OUTPUT": str(output),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-e", "-c", grade["run"]], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = decoded_output(output)
    assert [t["name"] for t in data["tests"]] == ["standardize", "mse_loss", "fit_line"]
    assert data["status"] == "fail" and reporter_points(data) == (0.0, 5.0)  # the blank notebook


def test_a_question_graded_by_hand_reaches_the_student_with_the_instructors_comment(tmp_path: Path) -> None:
    """The reporter's test of a question graded by hand said "the instructor's score: Graded by
    hand: 1.5 of 2." without the comment that says why, nothing at full marks, and nothing for
    one not scored yet (a bare "pass" worth 0 of 0). Each now carries the instructor's note."""
    from autograder.manual import Score, merge

    automatic = result(question("double", (True, 2.0, 2.0)))
    manual = {"essay": 2.0, "plot": 1.0, "proof": 3.0}
    scores = {("alice", "essay"): Score(1.5, "Нет графика"), ("alice", "plot"): Score(1.0, "Отлично")}
    data = classroom_json(merge(automatic, manual, scores, "en"))
    tests = {t["name"]: t for t in data["tests"]}
    assert (tests["essay"]["status"], tests["essay"]["score"], tests["essay"]["max_score"]) == ("fail", 1.5, 2.0)
    assert tests["essay"]["message"] == "the instructor's score: Graded by hand: 1.5 of 2. Нет графика"
    assert tests["plot"]["message"] == "the instructor's score: Graded by hand: 1 of 1. Отлично"
    assert tests["proof"]["message"].startswith("the instructor's score: Graded by hand (3 points): not scored yet")
    assert reporter_points(data) == (4.5, 5.0)
