"""The command line as CONTRACT §2 says: files written, result file shape, exit codes."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import make_mini_project, run_cli as run, write_notebook

GOOD = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]
HALF = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_mini_project(tmp_path / "project")




@pytest.mark.slow
def test_grade_folder_writes_results_csv_and_exits_0(project: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    subs = tmp_path / "subs"
    write_notebook(subs / "alice.ipynb", GOOD)
    write_notebook(subs / "bob" / "homework.ipynb", HALF)
    (subs / "carol.ipynb").write_bytes(b"")
    out = tmp_path / "out"
    code = run("grade", "--config", str(project), "--assignment", "mini", str(subs),
                  "--out", str(out), "--jobs", "2")
    assert code == 0
    alice = json.loads((out / "alice.json").read_text())
    assert {"assignment", "submission", "score", "max_score", "questions", "errors",
            "duration_s"} <= alice.keys()
    assert (alice["submission"], alice["score"], alice["max_score"]) == ("alice", 3.0, 3.0)
    check = alice["questions"][0]["checks"][0]
    assert set(check) == {"name", "passed", "score", "max_score", "visibility", "message"}
    bob = json.loads((out / "bob.json").read_text())
    assert bob["score"] == 2.0 and "`halve` is not defined" in bob["questions"][1]["cause"]
    carol = json.loads((out / "carol.json").read_text())
    assert carol["score"] == 0 and "empty" in carol["errors"][0]
    assert (out / "grades.csv").read_text().count("\n") == 4
    assert "alice" in capsys.readouterr().out


@pytest.mark.slow
def test_fail_under_exits_1_only_when_a_submission_is_below(project: Path, tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "bob.ipynb", HALF)
    args = ["grade", "--config", str(project), "-a", "mini", str(notebook), "--out", str(tmp_path / "o")]
    assert run(*args, "--fail-under", "50") == 0
    assert run(*args, "--fail-under", "90") == 1


@pytest.mark.slow
def test_rerun_skips_unchanged_submissions(project: Path, tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "alice.ipynb", GOOD)
    out = tmp_path / "o"
    args = ["grade", "--config", str(project), "-a", "mini", str(notebook), "--out", str(out)]
    assert run(*args) == 0
    first = (out / "alice.json").read_text()
    assert run(*args) == 0
    assert (out / "alice.json").read_text() == first  # same duration: not graded again
    write_notebook(notebook, HALF)
    assert run(*args) == 0
    assert json.loads((out / "alice.json").read_text())["score"] == 2.0


@pytest.mark.parametrize("args, fragment", [
    (["grade", "-a", "nope", "x.ipynb", "--out", "o"], "unknown assignment 'nope'"),
    (["grade", "-a", "mini", "missing.ipynb", "--out", "o"], "missing.ipynb: no such file"),
    (["grade", "-a", "mini", "--out", "o"], "Missing argument"),
])
def test_user_errors_exit_2_with_one_line(project: Path, tmp_path: Path, args: list[str], fragment: str,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = run(*args[:1], "--config", str(project), *args[1:])
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in err and "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_checks_exit_2_before_grading(project: Path, tmp_path: Path, jobs: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (project.parent / "assignments" / "mini" / "checks" / "test_broken.py").write_text("def test_(:\n")
    write_notebook(tmp_path / "subs" / "alice.ipynb", GOOD)
    write_notebook(tmp_path / "subs" / "bob.ipynb", GOOD)
    out = tmp_path / "out"
    code = run("grade", "--config", str(project), "-a", "mini", str(tmp_path / "subs"),
               "--out", str(out), "--jobs", jobs)
    err = capsys.readouterr().err
    assert code == 2
    assert "checks" in err and "could not be collected" in err and "Traceback" not in err
    assert not list(out.glob("*.json"))


def test_bad_config_exits_2_naming_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "grading_config.yaml"
    config.write_text("jobs: -3\nassignments: {a: {questions: {f: 1}}}\n")
    code = run("grade", "--config", str(config), "-a", "a", str(tmp_path), "--out", str(tmp_path / "o"))
    assert code == 2 and "jobs" in capsys.readouterr().err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code = run("--help")
    out = capsys.readouterr().out
    assert code == 0 and all(word in out for word in ("assign", "grade", "validate"))


@pytest.mark.parametrize("command, where, kind", [
    (["grade", "-a", "mini", "NB", "--out"], "a file", "folder"),
    (["grade", "-a", "mini", "NB", "--out"], "under a file", "folder"),
    (["grade", "-a", "mini", "NB", "--out", "{tmp}/o", "--summary"], "a folder", "file"),
    (["grade", "-a", "mini", "NB", "--out", "{tmp}/o", "--gradescope"], "under a file", "file"),
    (["assign", "mini", "--out"], "a file", "folder"),
    (["similarity", "-a", "mini", "NB", "--out"], "under a file", "folder"),
    (["gradescope", "mini", "--out"], "a folder", "file"),
    (["export", "--results", "{tmp}", "--format", "csv", "--out"], "under a file", "file"),
    (["verify", "mini", "--json"], "a folder", "file"),
])
def test_an_output_path_that_cannot_be_written_exits_2_before_any_work(
        project: Path, tmp_path: Path, command: list[str], where: str, kind: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An --out that is a file (or lies under one) was an OSError after the work was
    done: exit 3, "grader failure: [Errno 17] File exists", for the user's typo."""
    notebook = write_notebook(tmp_path / "alice.ipynb", GOOD)
    blocker = tmp_path / "taken"
    blocker.write_text("keep me")
    (tmp_path / "folder").mkdir()
    target = {"a file": blocker, "under a file": blocker / "inside",
              "a folder": tmp_path / "folder"}[where]
    args = [str(notebook) if a == "NB" else a.format(tmp=tmp_path) for a in command]
    code = run(args[0], "--config", str(project), *args[1:], str(target))
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    option = command[-1]
    expected = f"{target}: it is a {'file' if kind == 'folder' else 'folder'}, not a {kind}" \
        if where != "under a file" else f"{target}: {blocker} is a file, not a folder"
    assert err == f"autograder: error: {option} {expected}\n"
    assert blocker.read_text() == "keep me" and not (tmp_path / "o").exists()


@pytest.mark.slow
def test_a_rerun_in_another_language_grades_again(project: Path, tmp_path: Path) -> None:
    """`--language en` after a Russian run kept the Russian results (the submission and the
    checks had not changed): the table under English headers, the result file and the
    feedback all said "не определено"."""
    notebook = write_notebook(tmp_path / "bob.ipynb", HALF)
    out = tmp_path / "o"
    args = ["grade", "--config", str(project), "-a", "mini", str(notebook), "--out", str(out)]
    assert run(*args, "--language", "ru") == 0
    russian = json.loads((out / "bob.json").read_text())
    assert russian["language"] == "ru" and "не определено" in russian["questions"][1]["cause"]
    assert run(*args, "--language", "en") == 0
    english = (out / "bob.json").read_text()
    assert json.loads(english)["language"] == "en"
    assert "`halve` is not defined" in json.loads(english)["questions"][1]["cause"]
    assert "is not defined" in (out / "feedback" / "bob.md").read_text()
    assert run(*args, "--language", "en") == 0
    assert (out / "bob.json").read_text() == english  # same duration: not graded a third time


def _files_capped_at(size: int) -> None:
    """In the child: every file it writes stops at ``size`` bytes, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))


@pytest.mark.slow
@pytest.mark.parametrize("cap", [0, 20_000])
def test_a_full_disk_under_the_gradebook_is_a_grader_failure_in_one_line(
        project: Path, tmp_path: Path, cap: int) -> None:
    """SQLite's "database or disk is full" was "grader failure (a bug): OperationalError" or,
    when the gradebook could not even be opened, exit 2 "gradebook.sqlite is not a
    gradebook: give --out a new folder" (seen on a full tmpfs)."""
    notebook = write_notebook(tmp_path / "alice.ipynb", GOOD)
    out = tmp_path / "o"
    out.mkdir()
    (out / "gradebook.sqlite").touch()  # the empty file a full disk leaves
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--config", str(project), "-a", "mini",
                           str(notebook), "--out", str(out), "--sandbox", "none"],
                          capture_output=True, text=True, timeout=120, preexec_fn=lambda: _files_capped_at(cap),
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})  # no .pyc cut short
    lines = [line for line in done.stderr.splitlines() if not line.startswith("WARNING")]
    assert done.returncode == 3, done.stderr
    assert len(lines) == 1 and lines[0].startswith("autograder: grader failure: SQLite: "), done.stderr


def test_help_says_what_the_readme_and_contract_promise(capsys: pytest.CaptureFixture[str]) -> None:
    """`grade --help` names the exit codes (3 for a bug in the assignment's checks too) and
    the manifest's optional columns; `tokens --help` the link column that --url adds."""
    assert run("grade", "--help") == 0
    grade_help = " ".join(capsys.readouterr().out.split())
    assert all(f"{code} " in grade_help for code in ("0", "1", "2", "3", "130"))
    assert "bug in its checks" in grade_help and "Ctrl-C" in grade_help
    assert "due" in grade_help and "extension_hours" in grade_help
    assert run("validate", "--help") == 0
    assert "2 or 3 as for grade" in " ".join(capsys.readouterr().out.split())
    assert run("tokens", "--help") == 0
    assert "link with --url" in " ".join(capsys.readouterr().out.split())
