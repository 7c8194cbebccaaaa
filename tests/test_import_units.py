"""The parts of importing that need no jail: the jail's stand-ins for otter's cells and the
checkpoints imported tests read (sandbox/inside/standins.py, run here as plain Python),
the run rules that rewrite a submission's cells (importers/rules.py), and otter's test
files read without running them (importers/otter_tests.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest

from autograder.sandbox.inside import standins


@pytest.fixture
def namespace() -> Iterator[dict[str, Any]]:
    saved = {name: sys.modules.get(name) for name in ("otter", standins.MODULE)}
    yield {"__name__": "__main__", "__builtins__": __builtins__}
    for name, module in saved.items():
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module


def _run(namespace: dict[str, Any], source: str) -> None:
    exec(compile(source, "<cell>", "exec"), namespace)


def test_otters_cells_do_nothing_and_check_keeps_the_state(namespace: dict[str, Any]) -> None:
    checkpoints = standins.install(namespace)
    _run(namespace, "import otter\ngrader = otter.Notebook('hw.ipynb')\nk = 2\n"
                    "def f(x):\n    return x * k\n")
    _run(namespace, "grader.check('q1')")
    _run(namespace, "k = 10\nf = None\ngrader.check_all()\ngrader.export(pdf=False)\ngrader.to_pdf()")
    snapshot_f = checkpoints.resolve("q1@f")
    assert snapshot_f(3) == 6  # the function and the global it reads, as at the check
    assert checkpoints.resolve("q1@k") == 2 and namespace["k"] == 10
    assert checkpoints.resolve("q2@k") == 10  # never checked: the notebook as it is
    with pytest.raises(LookupError):
        checkpoints.resolve("q1@missing")
    assert checkpoints.resolve("@reached")("q1") is True and checkpoints.resolve("@reached")("q2") is False


def test_tests_rebind_and_delete_names_at_a_checkpoint(namespace: dict[str, Any]) -> None:
    checkpoints = standins.install(namespace)
    _run(namespace, "def squares(n):\n    return [i * i for i in range(1, n + 1)]\n"
                    "def total(n):\n    return sum(squares(n))\n")
    _run(namespace, f"__import__({standins.MODULE!r}).checkpoint('test_total')")
    keep = checkpoints.resolve("test_total@squares")
    checkpoints.resolve("@delete")("test_total", "squares")
    with pytest.raises(NameError):
        checkpoints.resolve("test_total@total")(2)  # total reads squares from the checkpoint
    assert "squares" in namespace  # the notebook's own globals are untouched
    checkpoints.resolve("@assign")("test_total", "squares", keep)
    assert checkpoints.resolve("test_total@total")(2) == 5
    with pytest.raises(NameError):
        checkpoints.resolve("@delete")("test_total", "nothing")
    with pytest.raises(LookupError):
        checkpoints.resolve("@unknown_tool")


def test_run_rules_rewrite_the_cells_as_the_other_grader_runs_them(tmp_path: Path) -> None:
    import nbformat

    from autograder.importers.rules import ImportRules, rewrite_cells
    from autograder.notebook import read_submission

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("print('debug')"),
                      nbformat.v4.new_code_cell("assert x == 1")]
    notebook.cells[1].metadata["tags"] = ["otter_ignore"]
    notebook.cells[2].metadata["nbgrader"] = {"grade": True, "grade_id": "t1", "points": 1}
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, str(path))
    cells = read_submission(path)
    otter = rewrite_cells(ImportRules("otter", seed=3, in_data=True), path, cells)
    assert [c.index for c in otter] == [0, 2]  # the otter_ignore cell is not run
    assert otter[0].source.startswith("__import__('os').chdir('data')\n__import__('numpy').random.seed(3)")
    assert rewrite_cells(ImportRules("otter", seed=3, seed_variable="rng"), path, cells)[1].source == \
        "rng = 3\nassert x == 1\n"
    nbgrader = rewrite_cells(ImportRules("nbgrader", test_cells=["t1"]), path, cells)
    assert nbgrader[2].source == f"__import__({standins.MODULE!r}).checkpoint('t1')\n"
    assert [c.source for c in nbgrader[:2]] == [c.source for c in cells[:2]]


def test_otter_test_files_are_read_without_running_them() -> None:
    from autograder.exceptions import AssignmentError
    from autograder.importers.otter_tests import parse_test_file, resolve_points

    source = ("from otter.test_files import test_case\nimport math\nOK_FORMAT = False\nname = 'q1'\n"
              "@test_case('first', 2, True)\ndef test_a(f):\n    assert f(1) == math.e\n"
              "@test_case(points=1)\ndef test_b(f):\n    assert f(0) == 1\n"
              "open('/tmp/never-created-by-reading', 'w')\n")
    parsed = parse_test_file(source, "q1.py")
    assert [(c.function, c.points, c.hidden) for c in parsed.cases] == [("test_a", 2.0, True), ("test_b", 1.0, False)]
    assert parsed.cases[0].body.startswith("import math\ndef test_a(f):")  # the otter import and decorator go
    assert not Path("/tmp/never-created-by-reading").exists()
    with pytest.raises(AssignmentError, match="literal"):
        parse_test_file("OK_FORMAT = False\nname = 'q'\n@test_case(points=P)\ndef test_x(): pass\n", "q.py")
    with pytest.raises(AssignmentError, match="OK_FORMAT"):
        parse_test_file("test = {}\n", "q.py")
    # otter's rule: a total shared by the cases without points; no total: 1 point when none has any
    assert resolve_points(4, [None, 1.0, None], "q") == [1.5, 1.0, 1.5]
    assert resolve_points(None, [None, None], "q") == [0.5, 0.5]
    assert resolve_points(None, [2.0, None], "q") == [2.0, 0.0]
    assert resolve_points([1, 0], [None, None], "q") == [1.0, 0.0]
    with pytest.raises(AssignmentError):
        resolve_points(1, [2.0], "q")


def test_an_otter_suites_zero_point_tests_are_one_note(tmp_path: Path) -> None:
    """A tests folder whose q1.py has two test cases worth 0 points: one note saying so,
    with their number, not the same line twice."""
    from autograder.importers.otter_tests import read_otter_suite

    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "q1.py").write_text(
        "OK_FORMAT = False\nname = 'q1'\n"
        "@test_case(points=2)\ndef test_a(f):\n    assert f(1) == 1\n"
        "@test_case(points=0)\ndef test_b(f):\n    assert f(0) == 0\n"
        "@test_case(points=0)\ndef test_c(f):\n    assert f(2) == 4\n")
    notes = [n for n in read_otter_suite(tmp_path / "tests", "hw").notes if "0 points" in n]
    assert notes == ["question 'q1': 2 tests worth 0 points left out (they change no score in otter; a check "
                     "of ours carries a share of the points)"]


def test_modules_the_tests_import_that_the_grader_lacks_are_named() -> None:
    from autograder.importers.common import imported_modules

    assert imported_modules("import numpy as np\nfrom scipy.stats import norm\nfrom . import x\n"
                            "def f():\n    import tqdm.auto\n") == {"numpy", "scipy", "tqdm"}


def test_otters_import_is_not_a_slow_first_import() -> None:
    from autograder import timing
    from autograder.notebook import CodeCell

    cells = [CodeCell(0, "import otter\ngrader = otter.Notebook('hw.ipynb')\n"), CodeCell(1, "import tqdm\n")]
    assert timing.imports_beyond(cells, ["numpy"]) == ["tqdm"]  # otter is the jail's stand-in
