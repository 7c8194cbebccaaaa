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
from tests.lms_fixtures import GOOD, HALF, notebook_bytes, write_special_zip, write_zip


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

    (submission / "homework.pdf").unlink()  # an upload of nothing: said so, not "found -"
    data = run(config.parent, "mini", submission, metadata, results)
    assert data["score"] == 0.0 and str(data["output"]).startswith("Nothing was uploaded.")


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


def _metadata(tmp_path: Path, **extra: object) -> Path:
    """A submission_metadata.json as Gradescope writes it: due 1 December, submitted 3 December."""
    data = {"id": 123456, "created_at": "2026-12-03T12:00:00.365935+03:00", "submission_method": "upload",
            "assignment": {"due_date": "2026-12-01T23:59:00.000000+03:00", "late_due_date": None,
                           "release_date": "2026-11-20T00:00:00.000000+03:00", "title": "ДЗ 1",
                           "total_points": "3.0"},
            "users": [{"email": "a@example.com", "id": 1, "name": "Анна"}], "previous_submissions": []}
    path = tmp_path / "submission_metadata.json"
    path.write_text(json.dumps({**data, **extra}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_an_extension_granted_in_gradescope_moves_the_due_date(tmp_path: Path) -> None:
    """Gradescope writes a student's extension into their own ``users[].assignment``, not the
    assignment's ``due_date``; a group is due at its latest member's date."""
    config = make_mini_project(tmp_path / "course")
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "hw.ipynb").write_bytes(notebook_bytes(GOOD))
    own = {"release_date": "2026-11-20T00:00:00.000000+03:00", "late_due_date": None}
    extended = {**own, "due_date": "2026-12-04T23:59:00.000000+03:00"}
    usual = {**own, "due_date": "2026-12-01T23:59:00.000000+03:00"}
    metadata = _metadata(tmp_path, users=[{"email": "a@example.com", "id": 1, "name": "Анна", "assignment": usual},
                                          {"email": "b@example.com", "id": 2, "name": "Борис", "assignment": extended}])
    data = run(config.parent, "mini", submission, metadata, tmp_path / "results.json")
    assert data["score"] == 3.0 and "опоздание" not in str(data["output"])

    metadata = _metadata(tmp_path, users=[{"email": "a@example.com", "id": 1, "name": "Анна", "assignment": usual}])
    data = run(config.parent, "mini", submission, metadata, tmp_path / "results.json")
    assert data["score"] == pytest.approx(3.0 * 0.8)  # no extension: 2 started days late

    data = run(config.parent, "mini", submission, _metadata(tmp_path), tmp_path / "results.json")
    assert data["score"] == pytest.approx(3.0 * 0.8)  # metadata without users' own dates: the assignment's


@pytest.mark.slow
def test_grade_gradescope_hides_hidden_details_as_the_config_says(tmp_path: Path) -> None:
    """``grade --gradescope`` and ``run_autograder`` write the same tests for one notebook:
    with ``show_hidden_details: false``, a hidden check's inputs and expected values are not
    shown until the grades are published."""
    config = make_mini_project(tmp_path / "course")
    raw = yaml.safe_load(config.read_text())
    raw["feedback"] = {"show_hidden_details": False}
    config.write_text(yaml.safe_dump(raw))
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "hw.ipynb").write_bytes(notebook_bytes(HALF))
    written = tmp_path / "grade" / "results.json"
    assert run_cli("grade", "-a", "mini", str(submission / "hw.ipynb"), "--config", str(config),
                   "--out", str(tmp_path / "out"), "--gradescope", str(written)) == 0
    from_grade = json.loads(written.read_text(encoding="utf-8"))["tests"]
    from_run = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "run.json")["tests"]
    assert from_grade == from_run
    failed = [t for t in from_grade if t["status"] == "failed"]
    assert failed and {t["visibility"] for t in failed} == {"after_published"}
    assert all("expected" not in t["output"] and "input" not in t["output"] for t in failed)


@pytest.mark.slow
def test_run_autograder_gives_gradescope_the_leaderboard_metric(tmp_path: Path) -> None:
    """The bundled ``digits`` has ``leaderboard: {question: accuracy}``: its results.json carries
    the measured accuracy for the leaderboard Gradescope shows when the assignment enables it."""
    root = Path(__file__).resolve().parents[1]
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "hw.ipynb").write_bytes((root / "samples" / "digits" / "petrova.ipynb").read_bytes())
    data = run(root, "digits", submission, tmp_path / "none.json", tmp_path / "results.json")
    (board,) = data["leaderboard"]
    assert board["name"] == "accuracy" and board["order"] == "desc" and 0.8 < board["value"] <= 1.0


@pytest.mark.slow
def test_a_container_without_bwrap_is_told_in_the_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The jail falls back where bwrap cannot run; results.json says which one graded."""
    config = make_mini_project(tmp_path / "course")
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "hw.ipynb").write_bytes(notebook_bytes(GOOD))
    monkeypatch.setenv("AUTOGRADER_SANDBOX", "none")
    data = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "results.json")
    assert data["score"] == 3.0 and data["extra_data"] == {"sandbox": "none"}
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["extra_data"] == {"sandbox": "none"}


@pytest.mark.slow
def test_the_late_line_shows_gradescopes_submission_time_to_the_second(tmp_path: Path) -> None:
    """Gradescope's ``created_at`` has microseconds; the student reads the time to the second
    (the result keeps it whole), in UTC as the course's pages show it (no ``timezone:``)."""
    config = make_mini_project(tmp_path / "course")
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "hw.ipynb").write_bytes(notebook_bytes(GOOD))
    data = run(config.parent, "mini", submission, _metadata(tmp_path), tmp_path / "results.json")
    assert "Submitted 2026-12-03 09:00:00 UTC, 2 day(s) late" in str(data["output"])
    assert ".365935" not in str(data["output"])


def test_a_notebook_uploaded_in_capitals_is_found(tmp_path: Path) -> None:
    """``HW.IPYNB`` from a Windows tool was "no notebook" (score 0)."""
    from autograder.gradescope.run import notebooks_in

    (tmp_path / "HW.IPYNB").write_text("{}")
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    assert [p.name for p in notebooks_in(tmp_path)] == ["HW.IPYNB"]


def test_an_upload_left_packed_as_a_zip_is_graded_from_inside_it(tmp_path: Path) -> None:
    """The student uploaded ``hw.zip`` and Gradescope left it packed: it was "no notebook"
    (score 0). Its notebook, here under a Russian name as Windows' "compressed folder"
    writes it (cp866, no UTF-8 flag), is read out through the LMS archive reader."""
    config = make_mini_project(tmp_path / "course")
    submission = tmp_path / "submission"
    submission.mkdir()
    archive = write_zip(submission / "hw.zip", {"QQQQQQQQ/QQQQQQQQ.ipynb": notebook_bytes(GOOD),
                                                "__MACOSX/QQQQQQQQ/._QQQQQQQQ.ipynb": b"\x00\x05\x16\x07"})
    data = archive.read_bytes().replace(b"QQQQQQQQ", "домашка1".encode("cp866"))
    archive.write_bytes(data)
    result = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "results.json")
    assert result["score"] == 3.0 and result["tests"]
    assert json.loads((tmp_path / "results.json").read_text())["score"] == 3.0


def test_a_packed_upload_keeps_the_archive_readers_refusals(tmp_path: Path) -> None:
    """A zip bomb in a packed upload is not unpacked: the result says why (score 0), and a
    zip of two notebooks names both, as an unpacked upload of two does."""
    config = make_mini_project(tmp_path / "course")
    submission = tmp_path / "submission"
    submission.mkdir()
    bomb = b'{"cells": []}' + b" " * (4 << 20)  # 4 MB of spaces packs to a few KB
    write_zip(submission / "hw.zip", {"hw.ipynb": bomb})
    data = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "results.json")
    assert data["score"] == 0.0 and "x its packed size" in json.dumps(data)

    write_zip(submission / "hw.zip", {"a.ipynb": notebook_bytes(GOOD), "b/b.ipynb": notebook_bytes(HALF)})
    data = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "results.json")
    assert data["score"] == 0.0 and data["tests"] == []
    assert "(hw.zip:a.ipynb, hw.zip:b/b.ipynb)" in str(data["output"])


@pytest.mark.parametrize(("language", "said"), [
    ("en", "The file hw.ipynb in the zip you uploaded "),
    ("ru", "Файл hw.ipynb в загруженном вами архиве "),
])
def test_a_refusal_in_a_students_own_zip_names_their_upload(tmp_path: Path, language: str, said: str) -> None:
    """A notebook refused inside the zip a student uploaded read "The file hw.ipynb in the
    LMS archive was refused", words for an instructor's download of the class; and an
    encrypted notebook or one under a path leaving the zip was not said at all: the student
    read "no notebook, found hw.zip". Each is now the student's, said about their upload."""
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text().replace("language: en", f"language: {language}"))
    submission = tmp_path / "submission"
    submission.mkdir()
    uploads = {
        "zip bomb": lambda path: write_zip(path, {"hw.ipynb": b'{"cells": []}' + b" " * (4 << 20)}),
        "encrypted": lambda path: write_special_zip(path, {}, encrypted={"hw.ipynb": notebook_bytes(GOOD)}),
        "zip-slip": lambda path: write_zip(path, {"../hw.ipynb": notebook_bytes(GOOD)}),
    }
    for kind, upload in uploads.items():
        upload(submission / "hw.zip")
        data = run(config.parent, "mini", submission, tmp_path / "none.json", tmp_path / "results.json")
        output = str(data["output"])
        assert data["score"] == 0.0, kind
        assert said in output.replace("../hw.ipynb", "hw.ipynb"), (kind, output)
        assert "LMS" not in output, (kind, output)
