"""Exit codes through the command line (CONTRACT §2): 1 only for --fail-under, 2 for the
user's mistakes (before grading starts), 3 for the grader's own failure, 130 for Ctrl-C;
each with one line on stderr and no traceback."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from autograder import batch, grading
from autograder.sandbox.backends import bwrap as bwrap_backend
from tests.helpers import make_mini_project, run_cli, write_notebook

GOOD = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]
HALF = [GOOD[0].split("def halve")[0]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_mini_project(tmp_path / "project")


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    write_notebook(tmp_path / "subs" / "a.ipynb", GOOD)
    write_notebook(tmp_path / "subs" / "b.ipynb", HALF)
    return tmp_path / "subs"


def grade(project: Path, *args: str) -> int:
    return run_cli("grade", "--config", str(project), "-a", "mini", *args)


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("WARNING")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_fail_under_is_the_only_exit_1(project: Path, subs: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert grade(project, str(subs), "--out", str(out), "--jobs", "1", "--fail-under", "50") == 0
    capsys.readouterr()
    assert grade(project, str(subs), "--out", str(out), "--jobs", "1", "--fail-under", "90") == 1
    assert "1 submission(s) scored under 90%" in capsys.readouterr().err


def test_gradescope_with_several_submissions_is_refused_before_grading(
        project: Path, subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    started: list[bool] = []
    monkeypatch.setattr(grading.Grader, "grade_one", lambda *a: started.append(True))
    code = grade(project, str(subs), "--out", str(tmp_path / "out"), "--gradescope", str(tmp_path / "gs.json"))
    assert code == 2
    assert "--gradescope needs exactly one submission; 2 found" in one_line(capsys.readouterr().err)
    assert not started and not (tmp_path / "out").exists()


@pytest.mark.parametrize("content", ["another version", "not a database"])
def test_an_out_folder_with_a_foreign_gradebook_exits_2(project: Path, subs: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       content: str) -> None:
    import sqlite3

    out = tmp_path / "out"
    out.mkdir()
    if content == "another version":
        with sqlite3.connect(out / "gradebook.sqlite") as connection:
            connection.execute("PRAGMA user_version = 999")
        expected = "was written by another version of autograder"
    else:
        (out / "gradebook.sqlite").write_text("my notes, not a gradebook")
        expected = "is not a gradebook"
    assert grade(project, str(subs), "--out", str(out), "--jobs", "1") == 2
    line = one_line(capsys.readouterr().err)
    assert expected in line and "--out" in line
    assert not list(out.glob("*.json"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_exits_3_and_keeps_what_was_saved(
        project: Path, subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    real_save = batch.save_result

    def save(result: Any, folder: Path) -> Path:
        if result.submission == "b":
            raise OSError(28, "No space left on device")
        return real_save(result, folder)

    monkeypatch.setattr(batch, "save_result", save)
    code = grade(project, str(subs), "--out", str(tmp_path / "out"), "--jobs", jobs)
    line = one_line(capsys.readouterr().err)
    assert code == 3 and "grader failure" in line and "No space left on device" in line
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_a_grader_process_that_fails_exits_3_with_its_reason(
        project: Path, subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("a bug in scoring")

    monkeypatch.setattr(grading, "score_questions", broken)  # inherited by the forked graders
    code = grade(project, str(subs), "--out", str(tmp_path / "out"), "--jobs", "2")
    line = one_line(capsys.readouterr().err)
    assert code == 3 and "a grader process failed: ValueError: a bug in scoring" in line


BUGGY_CHECK = """

@check("halve", en="a buggy check", ru="проверка с ошибкой")
def test_halve_buggy(submission):
    submission.halve(1.0) + None
"""


def test_a_check_bug_exits_3_once_everything_is_graded(project: Path, subs: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A check that raises (the instructor's bug, an internal error for the student) on one
    submission: every submission is still graded, saved and scored as before, and the batch
    ends with exit 3 and one line counting the submissions it hit; so does a rerun that skips
    them (the flag is in the result files), until the checks are fixed."""
    checks = project.parent / "assignments" / "mini" / "checks" / "test_mini.py"
    checks.write_text(checks.read_text() + BUGGY_CHECK)
    out = tmp_path / "out"
    for _ in range(2):  # the second run resumes: nothing is graded again
        assert grade(project, str(subs), "--out", str(out), "--jobs", "1", "--language", "en") == 3
        lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert lines[-1].startswith("autograder: error: 1 of 2 submission(s) hit a bug in the assignment's checks")
        assert "Traceback" not in "\n".join(lines)
    a, b = (json.loads((out / f"{name}.json").read_text()) for name in "ab")
    assert (a["score"], b["score"]) == (2.5, 2.0)  # the broken check earns nothing, as before
    buggy = [c for q in a["questions"] for c in q["checks"] if c["name"] == "a buggy check"]
    assert buggy[0]["check_bug"] is True and "problem in the grader" in buggy[0]["message"]
    assert not any("check_bug" in c for q in b["questions"] for c in q["checks"])  # b has no halve
    assert (out / "grades.csv").is_file()
    checks.write_text(checks.read_text().replace(" + None", ""))
    assert grade(project, str(subs), "--out", str(out), "--jobs", "1") == 0


SLOW_BUGGY_CHECK = """

@check("halve", en="a slow buggy check", ru="медленная проверка с ошибкой")
def test_halve_slow_buggy(submission):
    import time
    time.sleep(0.3)  # long enough that both grader processes take submissions
    submission.halve(1.0) + None
"""


def test_a_check_bug_is_told_once_per_command_with_two_grader_processes(
        project: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """``grade --jobs 2`` forks two grader processes: each said "check bug in ..." once, so
    the author read the same line twice. Now the processes send it to the command, which
    prints it once."""
    checks = project.parent / "assignments" / "mini" / "checks" / "test_mini.py"
    checks.write_text(checks.read_text() + SLOW_BUGGY_CHECK)
    for number in range(6):
        write_notebook(tmp_path / "class" / f"s{number}.ipynb", GOOD + [f"# student {number}"])
    assert grade(project, str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--jobs", "2") == 3
    err = capfd.readouterr().err
    told = [line for line in err.splitlines() if "check bug in halve/a slow buggy check" in line]
    assert len(told) == 1, err
    assert told[0].startswith(f"autograder: check bug in halve/a slow buggy check ({checks}:")
    assert "6 of 6 submission(s) hit a bug" in err


def test_a_jail_that_cannot_start_exits_3(project: Path, subs: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(bwrap_backend, "path", lambda: str(fake))
    code = grade(project, str(subs), "--out", str(tmp_path / "out"), "--sandbox", "bwrap")
    err = capsys.readouterr().err
    assert code == 3, err
    assert "zygote did not start" in [line for line in err.splitlines() if "autograder:" in line][0]
    assert "Traceback" not in err and not list((tmp_path / "out").glob("*.json"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_with_how_to_finish(project: Path, subs: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, jobs: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    real_save = batch.save_result

    def save(result: Any, folder: Path) -> Path:
        if result.submission == "b":
            raise KeyboardInterrupt
        return real_save(result, folder)

    monkeypatch.setattr(batch, "save_result", save)
    code = grade(project, str(subs), "--out", str(tmp_path / "out"), "--jobs", jobs)
    line = one_line(capsys.readouterr().err)
    assert code == 130 and "rerun the same command to finish" in line
