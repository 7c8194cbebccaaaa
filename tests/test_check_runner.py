"""The lean check loop: pytest's fixtures and marks as pytest runs them, without its reports.

A session-scoped fixture is computed once for a whole batch (it was torn down after
every check when each check ended with a full teardown); a function-scoped one is
fresh for every check of every submission; a skip mark still skips (and fails).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import grading
from autograder.config import load_settings
from autograder.sandbox import Jail
from tests.helpers import make_mini_project, write_notebook

GOOD = ("import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2")

COUNTING = '''
import os

import pytest
from autograder.checks import check


def _log(line):
    with open(os.environ["CHECK_RUNNER_LOG"], "a") as handle:
        handle.write(line + "\\n")


@pytest.fixture(scope="session")
def shared():
    _log("session")
    return {"made": 1}


@pytest.fixture
def fresh(submission):
    _log("function")
    return []


@check("halve", en="halves 8", ru="делит 8 пополам")
def test_halves_8(submission, shared, fresh):
    fresh.append(1)
    assert fresh == [1] and shared == {"made": 1}
    assert submission.halve(8.0) == 4.0


@check("halve", en="halves 2", ru="делит 2 пополам")
def test_halves_2(submission, shared, fresh):
    fresh.append(2)
    assert fresh == [2]
    assert submission.halve(2.0) == 1.0


@check("halve", en="is skipped", ru="пропущена")
@pytest.mark.skip(reason="marked to skip")
def test_marked(submission):
    assert submission.halve(2.0) == 1.0
'''


def test_fixtures_live_as_long_as_their_scope_and_marks_still_skip(
        tmp_path: Path, jail: Jail, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log.txt"
    monkeypatch.setenv("CHECK_RUNNER_LOG", str(log))
    config = make_mini_project(tmp_path / "p")
    (tmp_path / "p" / "assignments" / "mini" / "checks" / "test_counting.py").write_text(COUNTING)
    grader = grading.Grader("mini", load_settings(config), jail)
    submissions = [grading.Submission(f"s{i}", write_notebook(tmp_path / f"s{i}.ipynb", [GOOD]))
                   for i in range(3)]
    results: list = []
    grader.grade_many(submissions, results.append)

    assert log.read_text().splitlines().count("session") == 1  # once for the batch
    assert log.read_text().splitlines().count("function") == 2 * 3  # each check, each submission
    for result in results:
        checks = {c.name: c for c in result.questions[1].checks}
        assert checks["halves 8"].passed and checks["halves 2"].passed  # fresh list every time
        assert not checks["is skipped"].passed and "marked to skip" in checks["is skipped"].message


def test_a_wrong_value_message_keeps_multi_line_arrays_aligned_under_their_labels() -> None:
    import numpy as np

    from autograder.checks.api import CheckFailed
    from autograder.checks.compare import expect_close
    from autograder.config import Tolerance

    params = {"W1": np.full((2, 2), 1.5), "b1": np.zeros(2)}
    with pytest.raises(CheckFailed) as failed:
        expect_close("backward(params)", (params,), np.ones((2, 2)), np.zeros((2, 2)), Tolerance())
    text = failed.value.text
    assert text.en.splitlines()[1:] == [
        "  input:     ({'W1': [[1.5, 1.5],",
        "                      [1.5, 1.5]],",
        "               'b1': [0., 0.]},)",
        "  expected:  [[0., 0.],",
        "              [0., 0.]]",
        "  got:       [[1., 1.],",
        "              [1., 1.]]",
    ]
    assert [line.index("[") for line in text.ru.splitlines()[4:]] == [13, 14, 13, 14]
