"""`autograder gradescope`: the autograder zip, and what it runs for one submission."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
import yaml

from autograder.gradescope.run import run
from tests.helpers import make_mini_project, run_cli
from tests.lms_fixtures import GOOD, HALF, notebook_bytes


def test_the_zip_holds_setup_run_the_grader_and_the_course(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "course")
    out = tmp_path / "autograder.zip"
    assert run_cli("gradescope", "mini", "--config", str(config), "--out", str(out)) == 0
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        run_script = zf.read("run_autograder").decode()
        course = yaml.safe_load(zf.read("course/grading_config.yaml"))
    assert {"setup.sh", "run_autograder", "autograder/pyproject.toml", "autograder/autograder/cli.py",
            "autograder/student/checker.py", "course/assignments/mini/checks/test_mini.py"} <= names
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert "--assignment mini" in run_script and "results.json" in run_script
    assert list(course["assignments"]) == ["mini"]
    assert not any("__pycache__" in n for n in names)
    assert run_cli("gradescope", "nope", "--config", str(config), "--out", str(out)) == 2


@pytest.mark.slow
def test_run_grades_with_gradescopes_due_date_and_submission_time(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "course")
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "homework.ipynb").write_bytes(notebook_bytes(GOOD))
    metadata = tmp_path / "submission_metadata.json"
    metadata.write_text(json.dumps({"created_at": "2026-12-03T12:00:00+00:00", "id": 1,
                                    "assignment": {"due_date": "2026-12-01T23:59:00+00:00"}}))
    results = tmp_path / "results" / "results.json"
    run(config.parent, "mini", submission, metadata, results)
    data = json.loads(results.read_text())
    assert data["score"] == pytest.approx(3.0 * 0.8)  # 2 started days late, 10% a day by default
    assert {t["visibility"] for t in data["tests"]} == {"visible"}

    raw = yaml.safe_load(config.read_text())
    raw["feedback"] = {"show_hidden_details": False}
    config.write_text(yaml.safe_dump(raw))
    (submission / "homework.ipynb").write_bytes(notebook_bytes(HALF))
    metadata.write_text(json.dumps({"created_at": "2026-12-01T12:00:00+00:00"}))
    data = json.loads(run(config.parent, "mini", submission, metadata, results) and results.read_text())
    assert data["score"] == 2.0 and {t["visibility"] for t in data["tests"]} == {"after_published"}

    (submission / "homework.ipynb").unlink()
    (submission / "homework.pdf").write_bytes(b"%PDF")
    data = run(config.parent, "mini", submission, metadata, results)
    assert data["score"] == 0.0 and "homework.pdf" in str(data["output"])


@pytest.mark.slow
def test_a_zip_made_by_macos_finder_is_graded_not_refused_as_two_notebooks(tmp_path: Path) -> None:
    """Gradescope unpacks an uploaded zip; Finder's puts ``__MACOSX/hw/._hw.ipynb`` in it."""
    config = make_mini_project(tmp_path / "course")
    submission = tmp_path / "submission"
    (submission / "hw").mkdir(parents=True)
    (submission / "__MACOSX" / "hw").mkdir(parents=True)
    (submission / "hw" / "hw.ipynb").write_bytes(notebook_bytes(GOOD))
    (submission / "__MACOSX" / "hw" / "._hw.ipynb").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (submission / "hw" / ".ipynb_checkpoints").mkdir()
    (submission / "hw" / ".ipynb_checkpoints" / "hw-checkpoint.ipynb").write_bytes(notebook_bytes(GOOD))
    data = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "results.json")
    assert data["score"] == 3.0 and data["tests"]

    (submission / "hw" / "hw.ipynb").rename(submission / "hw" / "hw.pdf")
    data = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "results.json")
    assert data["score"] == 0.0 and "hw/hw.pdf" in str(data["output"]) and "._hw" not in str(data["output"])
