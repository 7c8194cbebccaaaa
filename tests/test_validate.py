"""`autograder validate`: ready notebooks exit 0; problems are listed, never hidden checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli as run, write_notebook

ROOT = Path(__file__).resolve().parent.parent




@pytest.mark.slow
def test_correct_sample_is_ready(capsys: pytest.CaptureFixture[str]) -> None:
    code = run("validate", "-a", "activations", str(ROOT / "samples/activations/ivanov.ipynb"),
               "--language", "en")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Ready to submit" in out and "public examples pass" in out


@pytest.mark.slow
def test_a_notebook_made_by_assign_names_its_assignment(capsys: pytest.CaptureFixture[str]) -> None:
    """A student types ``autograder validate hw.ipynb``: ``assign`` wrote the assignment
    into the notebook's metadata, and validate reads it there."""
    code = run("validate", str(ROOT / "samples/activations/ivanov.ipynb"), "--language", "en")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Ready to submit" in out and "`relu`: public examples pass" in out


@pytest.mark.parametrize("metadata, expected", [
    ({}, "does not say which assignment it is for"),
    ({"autograder": {"assignment": "nosuch"}}, "made for the assignment 'nosuch', which this course does not have"),
    ({"autograder": "activations"}, "does not say which assignment it is for"),
])
def test_without_an_assignment_name_validate_says_how_to_give_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], metadata: dict[str, object], expected: str) -> None:
    import json

    notebook = write_notebook(tmp_path / "hw.ipynb", ["import numpy as np"])
    data = json.loads(notebook.read_text())
    data["metadata"] = metadata
    notebook.write_text(json.dumps(data))
    code = run("validate", str(notebook), "--language", "en")
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected in err and "--assignment NAME" in err and "Traceback" not in err


def test_an_unreadable_notebook_without_an_assignment_name_says_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "hw.ipynb"
    broken.write_text('{"cells": [')
    assert run("validate", str(broken), "--language", "en") == 2
    err = capsys.readouterr().err
    assert "hw.ipynb" in err and "JSON" in err and "Traceback" not in err


@pytest.mark.slow
def test_stub_notebook_lists_each_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notebook = write_notebook(tmp_path / "nb.ipynb", [
        "import numpy as np",
        "def step(x):\n    raise NotImplementedError",
        "def sigmoid(x):\n    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))",
        "1 / 0",
    ])
    code = run("validate", "-a", "activations", str(notebook), "--language", "en")
    out = capsys.readouterr().out
    assert code == 1
    assert "ZeroDivisionError" in out
    assert "`step` is not implemented yet" in out
    assert "`relu` is not defined" in out
    assert "✓ `sigmoid`: public examples pass" in out
    assert "Not ready yet" in out
    assert "matches the reference" not in out  # hidden checks are never run or named


@pytest.mark.slow
def test_validate_reports_the_cell_grade_would_stop_in_the_same_words(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both open the notebook through the one way in (``opener.py``): the cell limit that
    follows the master's run time (2 s here, with the course's 30 s ceiling) is validate's
    too, so a top-level sleep(3) that grade stops is no "ready to submit"."""
    import json
    import shutil

    from tests.catalogue.activations import notebook

    course = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "activations", course / "assignments" / "activations")
    config = (ROOT / "grading_config.yaml").read_text()
    (course / "grading_config.yaml").write_text(config.replace(
        "  cell_timeout_s: 30", "  cell_floor_s: 2\n  reference_factor: 0.01\n  cell_timeout_s: 30"))
    slow = write_notebook(tmp_path / "slow.ipynb", [*notebook(), "import time\ntime.sleep(3)"])
    code = run("validate", "--course", str(course), "-a", "activations", str(slow), "--language", "en")
    out = capsys.readouterr().out
    assert code == 1, out
    assert run("grade", "--course", str(course), "-a", "activations", str(slow), "--out", str(tmp_path / "out"),
               "--language", "en") == 0
    errors = json.loads((tmp_path / "out" / "slow.json").read_text())["errors"]
    assert len(errors) == 1 and "longer than 2 s" in errors[0]
    assert errors[0] in out  # the same words
