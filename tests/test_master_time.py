"""The master's run time is measured once per course version (``master_time.py``), not at
every command: a second grader of the same course does not run the master again; a changed
master, limit or data file is measured again; a broken cache file is measured around."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder import master_time
from autograder.config import Limits, load_settings
from autograder.grading import Grader
from autograder.opener import Opener
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project

CELLS = [CodeCell(0, "import numpy as np"), CodeCell(1, "x = np.ones(3)")]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "autograder" / master_time.FILE


def test_a_course_version_is_measured_once(cache: Path) -> None:
    runs: list[float] = []

    def measure() -> float:
        runs.append(0.25)
        return 0.25

    version = master_time.course_version(CELLS, Limits(), ["numpy"], "bwrap", None)
    assert master_time.master_seconds(version, measure) == 0.25
    assert master_time.master_seconds(version, measure) == 0.25
    assert len(runs) == 1 and cache.is_file()
    other = master_time.course_version(CELLS[:1], Limits(), ["numpy"], "bwrap", None)
    assert master_time.master_seconds(other, measure) == 0.25 and len(runs) == 2


def test_the_version_follows_everything_the_time_depends_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("1,2\n")
    base = master_time.course_version(CELLS, Limits(), ["numpy"], "bwrap", data)
    assert base == master_time.course_version(CELLS, Limits(), ["numpy"], "bwrap", data)
    changed = [
        master_time.course_version([CELLS[0], CodeCell(1, "x = np.zeros(3)")], Limits(), ["numpy"], "bwrap", data),
        master_time.course_version(CELLS, Limits(cell_timeout_s=5), ["numpy"], "bwrap", data),
        master_time.course_version(CELLS, Limits(), ["numpy", "torch"], "bwrap", data),
        master_time.course_version(CELLS, Limits(), ["numpy"], "none", data),
    ]
    (data / "a.csv").write_text("1,2\n3,4\n")
    changed.append(master_time.course_version(CELLS, Limits(), ["numpy"], "bwrap", data))
    assert base not in changed and len(set(changed)) == len(changed)


def test_a_broken_cache_is_measured_around_and_nothing_is_kept_for_no_time(cache: Path) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json")
    assert master_time.master_seconds("v", lambda: 1.5) == 1.5
    assert master_time.master_seconds("v", lambda: 9.0) == 1.5  # rewritten, then read
    assert master_time.master_seconds("w", lambda: None) is None
    assert master_time.master_seconds("w", lambda: 2.0) == 2.0


def test_a_second_grader_of_the_same_course_does_not_run_the_master(
        tmp_path: Path, jail: Jail, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_mini_project(tmp_path / "p")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import numpy as np\nx = np.ones(3)")]
    nbformat.write(notebook, str(config.parent / "assignments" / "mini" / "source.ipynb"))
    runs: list[int] = []
    real = Opener._run_time  # the one way in measures the master (opener.py)

    def counted(self: Opener, limits: Limits, cells: list[CodeCell]) -> float:
        runs.append(len(cells))
        return real(self, limits, cells)

    monkeypatch.setattr(Opener, "_run_time", counted)
    first = Grader("mini", load_settings(config), jail).limits
    assert len(runs) == 2  # the master, and an empty cell to subtract
    second = Grader("mini", load_settings(config), jail).limits
    assert len(runs) == 2 and second == first
