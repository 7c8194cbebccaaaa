"""An assignment's data/: read-only at ./data in the jail, copied beside the student notebook."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from autograder.assign import write_student_notebooks
from autograder.config import Limits, load_settings
from autograder.exceptions import AssignmentError
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.backends import bwrap as bwrap_backend
from autograder.sandbox.backends import landlock as landlock_backend
from tests.helpers import make_mini_project

CSV = "x,y\n1.5,2.0\n-1.0,0.5\n"
PROBE = """
import os
cwd_listing = sorted(os.listdir("."))
rows = open("./data/points.csv").read()
nested = open("data/sub/more.txt").read()
def attempt(action):
    try:
        action()
        return "done"
    except OSError as error:
        return type(error).__name__
write_data = attempt(lambda: open("data/points.csv", "w").write("forged"))
new_file = attempt(lambda: open("data/new.csv", "w").write("forged"))
remove = attempt(lambda: os.remove("data/points.csv"))
unlink_folder = attempt(lambda: os.rename("data", "elsewhere"))
own_file = attempt(lambda: open("plot.png", "w").write("mine"))
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "course" / "assignments" / "a" / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "points.csv").write_text(CSV)
    (folder / "sub" / "more.txt").write_text("more")
    return folder


BACKENDS = ["none", pytest.param("bwrap", marks=pytest.mark.skipif(
    bwrap_backend.path() is None, reason="bwrap is not installed")),
    pytest.param("landlock", marks=pytest.mark.skipif(
        landlock_backend.missing() is not None, reason="landlock cannot run here"))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cells_read_the_data_at_dot_data_and_cannot_change_it(backend: str, data_dir: Path,
                                                              fast_limits: Limits) -> None:
    with Jail.start(backend, ["numpy"], data_dir) as jail:  # type: ignore[arg-type]
        with Session(jail.spawn, [CodeCell(0, PROBE)], fast_limits) as session:
            assert session.run.ok, session.run.cells
            assert session.getattr("rows") == CSV and session.getattr("nested") == "more"
            if backend != "none" or os.geteuid() == 0:  # a plain subprocess of the
                # instructor's own user may write the instructor's files: no jail at all
                assert session.getattr("write_data") != "done"
                assert session.getattr("new_file") != "done"
                assert session.getattr("remove") != "done"
                if backend != "landlock":  # there ./data is a link in the worker's own folder,
                    # removed with it: renaming it changes nothing for the next student (below)
                    assert session.getattr("unlink_folder") != "done"
            assert session.getattr("own_file") == "done"  # the working folder stays writable
        with Session(jail.spawn, [CodeCell(0, PROBE)], fast_limits) as again:  # the next student
            assert again.getattr("rows") == CSV
            assert "plot.png" not in again.getattr("cwd_listing")
    assert (data_dir / "points.csv").read_text() == CSV


def test_without_data_the_cells_see_no_data_folder(jail: Jail, fast_limits: Limits) -> None:
    cells = [CodeCell(0, "import os\nhas_data = os.path.exists('data')\n")]
    with Session(jail.spawn, cells, fast_limits) as session:
        assert session.getattr("has_data") is False


def _course_with_data(root: Path) -> Path:
    config = make_mini_project(root)
    folder = root / "assignments" / "mini"
    notebook = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell("import numpy as np")
    setup.metadata["tags"] = ["setup"]
    notebook.cells = [setup, nbformat.v4.new_code_cell(
        "def double(x):\n    ### BEGIN SOLUTION\n    return 2.0 * np.asarray(x)\n    ### END SOLUTION")]
    nbformat.write(notebook, folder / "source.ipynb")
    (folder / "examples.py").write_text(
        "from autograder.examples import Example\nEXAMPLES = [Example('double', args=([1.0],))]\n")
    (folder / "data" / "sub").mkdir(parents=True)
    (folder / "data" / "points.csv").write_text(CSV)
    (folder / "data" / "sub" / "more.txt").write_text("more")
    (folder / "data" / ".DS_Store").write_text("junk")
    return config


def test_assign_writes_the_data_beside_the_notebook_with_a_note(tmp_path: Path) -> None:
    settings = load_settings(_course_with_data(tmp_path / "course"))
    out = tmp_path / "out"
    write_student_notebooks(["mini"], settings, out)
    assert (out / "data" / "points.csv").read_text() == CSV
    assert (out / "data" / "sub" / "more.txt").read_text() == "more"
    assert not (out / "data" / ".DS_Store").exists()
    cells = json.loads((out / "mini.ipynb").read_text())["cells"]
    note = "".join(cells[1]["source"])
    assert cells[1]["cell_type"] == "markdown" and "`data/points.csv`" in note and "Colab" in note
    nbformat.validate(nbformat.read(out / "mini.ipynb", as_version=4))


def test_assignments_with_different_files_under_one_name_do_not_share_a_folder(tmp_path: Path) -> None:
    config = _course_with_data(tmp_path / "course")
    twin = tmp_path / "course" / "assignments" / "twin"
    import shutil

    shutil.copytree(tmp_path / "course" / "assignments" / "mini", twin)
    config.write_text(config.read_text() + "  twin:\n    questions: {double: 2, halve: 1}\n")
    settings = load_settings(config)
    write_student_notebooks(["mini", "twin"], settings, tmp_path / "same")  # same bytes: fine
    (twin / "data" / "points.csv").write_text("x,y\n0,0\n")
    with pytest.raises(AssignmentError, match="data/points.csv differs"):
        write_student_notebooks(["mini", "twin"], settings, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-written
