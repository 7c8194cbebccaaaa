"""`autograder init` makes a course that grades out of the box; `autograder new` adds a
skeleton assignment that does too, and keeps the config's comments."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from autograder.config import load_settings
from tests.helpers import run_cli
from tests.test_notebook_kernel import kernel_env  # noqa: F401 (a fixture)

MARKER = re.compile(r"^\s*#+\s*(BEGIN|END)\s+SOLUTION\s*$")


def solution_notebook(master: Path, student: Path, out: Path) -> Path:
    """The master with its solutions in place and the student notebook's setup cell:
    what a student who solved everything submits."""
    notebook = json.loads(master.read_text(encoding="utf-8"))
    setup = next(c for c in json.loads(student.read_text(encoding="utf-8"))["cells"]
                 if c["cell_type"] == "code")
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if "setup" in cell.get("metadata", {}).get("tags", []):
            source = "".join(setup["source"]) if isinstance(setup["source"], list) else setup["source"]
        cell["source"] = "\n".join(line for line in source.split("\n") if not MARKER.match(line))
    out.write_text(json.dumps(notebook), encoding="utf-8")
    return out


def grade(course: Path, assignment: str, *notebooks: Path, out: Path) -> dict[str, dict]:
    assert run_cli("grade", "--course", str(course), "-a", assignment, *map(str, notebooks),
                   "--out", str(out)) == 0
    return {nb.stem: json.loads((out / f"{nb.stem}.json").read_text()) for nb in notebooks}


@pytest.mark.slow
def test_init_makes_a_course_that_grades_out_of_the_box(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # every command finds the course by --course alone
    course = tmp_path / "mycourse"
    assert run_cli("init", str(course)) == 0
    for name in ("README.md", "requirements.txt", ".gitignore", ".github/workflows/autograder.yml",
                 "assignments/linear/source.ipynb", "assignments/linear/reference.py",
                 "assignments/linear/examples.py", "assignments/linear/data/points.csv"):
        assert (course / name).is_file(), name
    assert list((course / "assignments" / "linear" / "checks").glob("test_*.py"))
    assert "autograder verify" in (course / ".github/workflows/autograder.yml").read_text()
    links = re.findall(r"\]\((https?://[^)]+)\)", (course / "README.md").read_text())
    assert not [link for link in links if "example." in link], links  # no placeholder to click
    config = yaml.safe_load((course / "grading_config.yaml").read_text())
    assert re.fullmatch(r"[\w-]{32,}", config["secret"])
    assert load_settings(course=course).assignment("linear").questions == {
        "standardize": 2, "mse_loss": 1, "fit_line": 2}

    student = tmp_path / "student"
    assert run_cli("assign", "--course", str(course), "--out", str(student)) == 0
    assert (student / "data" / "points.csv").is_file()
    master = course / "assignments" / "linear" / "source.ipynb"
    solved = solution_notebook(master, student / "linear.ipynb", tmp_path / "solved.ipynb")
    wrong_source = solved.read_text().replace("np.mean((y_pred - y) ** 2)", "np.sum((y_pred - y) ** 2)")
    assert wrong_source != solved.read_text()
    wrong = tmp_path / "wrong.ipynb"
    wrong.write_text(wrong_source)
    results = grade(course, "linear", solved, student / "linear.ipynb", wrong, out=tmp_path / "results")
    assert results["solved"]["score"] == results["solved"]["max_score"] == 5
    assert results["solved"]["errors"] == []  # ./data/points.csv was there for the notebook
    assert results["linear"]["score"] == 0
    wrong_scores = {q["name"]: q["score"] for q in results["wrong"]["questions"]}
    assert wrong_scores == {"standardize": 2, "mse_loss": 0, "fit_line": 2}
    messages = " ".join(c["message"] for q in results["wrong"]["questions"] for c in q["checks"])
    assert "поделите на число значений" in messages  # the sum-instead-of-mean hint


def test_init_refuses_a_folder_with_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert run_cli("init", str(tmp_path / "taken")) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_each_course_gets_its_own_secret(tmp_path: Path) -> None:
    secrets = {yaml.safe_load((tmp_path / c / "grading_config.yaml").read_text())["secret"]
               for c in ("a", "b") if run_cli("init", str(tmp_path / c)) == 0}
    assert len(secrets) == 2


@pytest.mark.slow
def test_new_adds_a_skeleton_that_grades_and_keeps_the_config_comments(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    course = tmp_path / "course"
    assert run_cli("init", str(course)) == 0
    before = (course / "grading_config.yaml").read_text()
    monkeypatch.chdir(course)  # the current folder is the course
    assert run_cli("new", "week2", "--title", "Неделя 2") == 0
    after = (course / "grading_config.yaml").read_text()
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in before.splitlines() if line.lstrip().startswith("#")]
    settings = load_settings()
    assert list(settings.config.assignments) == ["linear", "week2"]
    assert settings.assignment("week2").title == "Неделя 2"
    assert settings.assignment("linear").questions == {"standardize": 2, "mse_loss": 1, "fit_line": 2}
    student = tmp_path / "student"
    assert run_cli("assign", "week2", "--out", str(student)) == 0
    solved = solution_notebook(course / "assignments" / "week2" / "source.ipynb", student / "week2.ipynb",
                               tmp_path / "solved.ipynb")
    results = grade(course, "week2", solved, student / "week2.ipynb", out=tmp_path / "results")
    assert results["solved"]["score"] == results["solved"]["max_score"] > 0
    assert results["week2"]["score"] == 0


@pytest.mark.parametrize("name, fragment", [
    ("linear", "already exists"),
    ("2nd week", "use letters, digits"),
])
def test_new_refuses_a_taken_or_bad_name(tmp_path: Path, name: str, fragment: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "course"
    assert run_cli("init", str(course)) == 0
    config = (course / "grading_config.yaml").read_text()
    capsys.readouterr()
    assert run_cli("new", name, "--course", str(course)) == 2
    assert fragment in capsys.readouterr().err
    assert (course / "grading_config.yaml").read_text() == config


def test_three_checks_of_a_third_sum_to_the_points_after_a_round_trip() -> None:
    """The sample's mse_loss (1 point, three checks) once scored 0.999999 of 1 when its
    result came back from a parallel grader as JSON (check scores were cut to 6 digits)."""
    from autograder.results import CheckResult, QuestionResult

    third = 1 / 3
    question = QuestionResult("mse_loss", tuple(CheckResult(f"c{i}", True, third, third) for i in range(3)), 1.0)
    assert QuestionResult.from_json(question.to_json()).score == 1.0


@pytest.mark.slow
def test_the_sample_master_runs_in_jupyter_from_its_folder(tmp_path: Path, kernel_env: Path) -> None:
    """What the instructor does first: open the master and run it; check() computes the
    expected values from the course's reference and ./data is the assignment's data."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    course = tmp_path / "course"
    assert run_cli("init", str(course)) == 0
    folder = course / "assignments" / "linear"
    notebook = nbformat.read(folder / "source.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}).execute()
    outputs = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert "40 точек" in outputs and "w = 0." in outputs
    assert "Всего пройдено примеров: 5 из 5" in outputs  # check_all()


@pytest.mark.slow
def test_the_sample_reads_its_data_when_graded_on_gradescope(tmp_path: Path) -> None:
    from autograder.gradescope.run import run

    course = tmp_path / "course"
    assert run_cli("init", str(course)) == 0
    assert run_cli("assign", "--course", str(course), "--out", str(tmp_path / "student")) == 0
    submission = tmp_path / "submission"
    submission.mkdir()
    solution_notebook(course / "assignments" / "linear" / "source.ipynb", tmp_path / "student" / "linear.ipynb",
                      submission / "linear.ipynb")
    metadata = tmp_path / "submission_metadata.json"
    metadata.write_text(json.dumps({"created_at": "2026-12-01T12:00:00+00:00"}))
    data = run(course, "linear", submission, metadata, tmp_path / "results" / "results.json")
    assert data["score"] == 5.0 and "points.csv" not in str(data.get("output", ""))
