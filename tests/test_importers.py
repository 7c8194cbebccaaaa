"""`autograder import otter|nbgrader`: the other graders' notebooks become assignments of
ours whose tests run in the grader against the jailed submission."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder.assign import generate_student_notebook
from autograder.config import Settings, load_settings
from autograder.grading import Grader, Submission
from autograder.importers.writer import add_to_config
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, run_cli
from tests.importer_fixtures import code, nbgrader_source, otter_master, submission_from


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("import")
    make_mini_project(root / "course")
    assert run_cli("import", "otter", str(otter_master(root / "hw1-master.ipynb")),
                   "--course", str(root / "course"), "--name", "hw1") == 0
    assert run_cli("import", "nbgrader", str(nbgrader_source(root / "lab1.ipynb")),
                   "--course", str(root / "course")) == 0
    return root / "course"


@pytest.fixture(scope="module")
def settings(course: Path) -> Settings:
    return load_settings(course / "grading_config.yaml")


def _grade(settings: Settings, jail: Jail, assignment: str, notebook: Path) -> SubmissionResult:
    return Grader(assignment, settings, jail).grade(Submission(notebook.stem, notebook))


def _points(result: SubmissionResult) -> dict[str, float]:
    """The automatic questions' points (a question graded by hand is worth 0 until scored)."""
    return {q.name: q.score for q in result.questions if q.max_score > 0}


def test_otter_import_writes_an_assignment_of_ours(course: Path, settings: Settings) -> None:
    folder = course / "assignments" / "hw1"
    assert settings.assignment("hw1").questions == {"q1": 2.0, "q2": 3.0}
    assert settings.assignment("hw1").manual == {"q3": 1.0}  # otter's manual question, graded by hand
    checks = (folder / "checks" / "test_imported.py").read_text()
    assert checks.count("@check(") == 4 and "weight=2.0" in checks  # q2's hidden test: 2 of 3 points
    assert "def square(x):\n    return x ** 2" in (folder / "reference.py").read_text()
    assert "graded by hand" in (folder / "IMPORTED.md").read_text()  # q3 is manual
    student = generate_student_notebook("hw1", settings)
    sources = "\n".join(c.source for c in student.cells[1:])  # after the generated setup cell
    assert "return x ** 2" not in sources and "answer = square" not in sources and "Because squares" not in sources
    assert "grader.check" not in sources and "BEGIN SOLUTION" not in sources
    assert ">>> square(3)\n9" in sources and "np.isclose" not in sources  # public tests shown, hidden not


def test_an_import_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    notebook = otter_master(tmp_path / "hw1-master.ipynb")
    made = []
    for run in ("first", "second"):
        make_mini_project(tmp_path / run)
        assert run_cli("import", "otter", str(notebook), "--course", str(tmp_path / run), "--name", "hw1") == 0
        made.append((tmp_path / run / "assignments" / "hw1" / "source.ipynb").read_text())
    assert made[0] == made[1] and '"id": "autograder-setup"' in made[0]  # nbformat's new cells: random ids


def test_an_nbgrader_import_of_an_old_notebook_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    """nbformat 4.4, as Colab and older Jupyter save: its cells have no ids, and our master
    (4.5) would get random ones when written."""
    old = nbformat.read(nbgrader_source(tmp_path / "lab1.ipynb"), as_version=4)
    old.nbformat_minor = 4
    for cell in old.cells:
        cell.pop("id", None)
    nbformat.write(old, tmp_path / "lab1-old.ipynb")
    made = []
    for run in ("first", "second"):
        make_mini_project(tmp_path / run)
        assert run_cli("import", "nbgrader", str(tmp_path / "lab1-old.ipynb"), "--course", str(tmp_path / run),
                       "--name", "lab1") == 0
        made.append((tmp_path / run / "assignments" / "lab1" / "source.ipynb").read_text())
    assert made[0] == made[1] and '"id": "autograder-cell-2"' in made[0]


def test_a_notebook_with_a_byte_order_mark_is_imported(tmp_path: Path) -> None:
    source = nbgrader_source(tmp_path / "lab1.ipynb")
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())  # as Windows editors save
    make_mini_project(tmp_path / "course")
    assert run_cli("import", "nbgrader", str(source), "--course", str(tmp_path / "course")) == 0
    assert (tmp_path / "course" / "assignments" / "lab1" / "source.ipynb").is_file()


def test_otter_solution_full_blank_zero_wrong_partial(course: Path, settings: Settings, jail: Jail,
                                                      tmp_path: Path) -> None:
    master = course / "assignments" / "hw1" / "source.ipynb"
    solution = _grade(settings, jail, "hw1", submission_from(master, tmp_path / "solution.ipynb"))
    assert _points(solution) == {"q1": 2.0, "q2": 3.0}, solution.dumps()
    blank = tmp_path / "blank.ipynb"
    nbformat.write(generate_student_notebook("hw1", settings), str(blank))
    assert _grade(settings, jail, "hw1", blank).score == 0.0
    wrong = _grade(settings, jail, "hw1", submission_from(master, tmp_path / "wrong.ipynb",
                                                          {"return x ** 2": "return x * 2"}))
    # square wrong: both q1 tests fail; answer = square(4) + 1 = 9: the public test fails,
    # the hidden one (answer - 1 == square(4)) passes: 2 of q2's 3 points
    assert _points(wrong) == {"q1": 0.0, "q2": 2.0}
    failed = [c for q in wrong.questions for c in q.checks if not c.passed]
    assert "expected:\n9\ngot:\n6" in failed[0].message


def test_otter_attacks_gain_nothing(course: Path, settings: Settings, jail: Jail, tmp_path: Path) -> None:
    """What gives full marks in otter's own kernel: patch numpy, return objects that equal
    everything, change the test's names. Here the tests run in the grader."""
    master = course / "assignments" / "hw1" / "source.ipynb"
    hostile = submission_from(master, tmp_path / "hostile.ipynb", {"return x ** 2": "return Always()",
                                                                   "answer = square(4) + 1": "answer = Always()"},
                              extra_cells=["import numpy as np\nnp.isclose = lambda *a, **k: True\n"
                                           "import builtins\nbuiltins.isinstance = lambda *a: True\n"])
    notebook = nbformat.read(hostile, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(
        "class Always:\n    def __eq__(self, other): return True\n    def __repr__(self): return '9'\n"
        "    def __bool__(self): return True\n    def __sub__(self, other): return self\n"))
    nbformat.write(notebook, str(hostile))
    result = _grade(settings, jail, "hw1", hostile)
    assert result.score == 0.0, result.dumps()
    messages = " ".join(c.message for q in result.questions for c in q.checks)
    assert "not as data" in messages


def test_nbgrader_import_and_grading(course: Path, settings: Settings, jail: Jail, tmp_path: Path) -> None:
    folder = course / "assignments" / "lab1"
    assert settings.assignment("lab1").questions == {"test_squares": 2.0, "test_norm": 3.0}
    assert settings.assignment("lab1").manual == {"explain": 1.0}  # nbgrader's hand-graded cell
    student = generate_student_notebook("lab1", settings)
    sources = "\n".join(c.source for c in student.cells[1:])
    assert "assert squares(3) == [1, 4, 9]" in sources  # the visible tests stay, as nbgrader releases them
    assert "squares(1) == [1]" not in sources and "range(1, n + 1)" not in sources  # hidden tests, solutions
    assert "graded by hand" in (folder / "IMPORTED.md").read_text()

    master = folder / "source.ipynb"
    assert _points(_grade(settings, jail, "lab1", submission_from(master, tmp_path / "s.ipynb"))) == \
        {"test_squares": 2.0, "test_norm": 3.0}
    blank = tmp_path / "blank.ipynb"
    nbformat.write(student, str(blank))
    assert _grade(settings, jail, "lab1", blank).score == 0.0
    wrong = _grade(settings, jail, "lab1", submission_from(master, tmp_path / "w.ipynb",
                                                           {"range(1, n + 1)": "range(n)"}))
    assert _points(wrong) == {"test_squares": 0.0, "test_norm": 3.0}
    # right up to n = 3, wrong after, where only np.allclose would notice; numpy patched in the
    # notebook (and numpy under another name, which must not reach the test either)
    sneaky = _grade(settings, jail, "lab1", submission_from(
        master, tmp_path / "x.ipynb", {"return [i ** 2 for i in range(1, n + 1)]":
                                       "return [i ** 2 for i in range(1, n + 1)] if n < 4 else [0] * n"},
        extra_cells=["np.allclose = lambda *a, **k: True"]))
    assert _points(sneaky) == {"test_squares": 0.0, "test_norm": 3.0}
    failed = next(c for q in sneaky.questions for c in q.checks if not c.passed)
    assert "np.allclose(squares(4)" in failed.message


def test_tests_that_change_student_state_are_reported(tmp_path: Path) -> None:
    from autograder.importers.common import mutations

    assert mutations("x = 5\nassert f() == 10", {"x", "f"}) == []  # rebinding is done in the jail
    assert mutations("def t():\n    global x\n    x = 1", {"x"}) == ["`global x`"]
    assert mutations("model.weight = 0\nitems[0] = 1", {"model", "items"}) == \
        ["changes `items[0]`", "changes `model.weight`"]
    assert mutations("y = f(2)\nassert y == 4", {"f"}) == []


def test_config_entry_keeps_the_file_and_refuses_duplicates(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path)
    before = config.read_text()
    add_to_config(config, "new", {"q1": 1.5, "what's up": 2})
    after = config.read_text()
    assert after.startswith(before.split("assignments:")[0]) and "mini:" in after
    assert load_settings(config).assignment("new").questions == {"q1": 1.5, "what's up": 2.0}
    assert run_cli("import", "nbgrader", str(nbgrader_source(tmp_path / "new.ipynb")),
                   "--course", str(tmp_path)) == 2  # "new" is configured already
    assert config.read_text() == after


def test_otter_master_seed_and_support_files_become_run_rules(tmp_path: Path) -> None:
    from autograder.importers.otter import read_otter

    master = otter_master(tmp_path / "hw-master.ipynb")
    notebook = nbformat.read(master, as_version=4)
    notebook.cells[0].source += ("\nfiles:\n  - data/points.csv\nseed:\n  variable: rng_seed\n"
                                 "  autograder_value: 42\n  student_value: 90")
    nbformat.write(notebook, str(master))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "points.csv").write_text("x,y\n1,2\n")
    imported = read_otter(master, "hw")
    assert (imported.rules.seed, imported.rules.seed_variable, imported.rules.in_data) == (42, "rng_seed", True)
    assert imported.files == {"data/points.csv": b"x,y\n1,2\n"}
    assert imported.manual == {"q3": 1.0}


def test_an_nbgrader_autotest_cell_is_not_free_points(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``### AUTOTEST a`` lines are comments until nbgrader's release writes the asserts:
    run as they are, they raise nothing, and a blank notebook would get the cell's points."""
    source = nbgrader_source(tmp_path / "lab2.ipynb")
    notebook = nbformat.read(source, as_version=4)
    notebook.cells.insert(5, code("### AUTOTEST squares(2)\n### BEGIN HIDDEN TESTS\n### HASHED AUTOTEST squares(5)\n"
                                  "### END HIDDEN TESTS", solution=False, grade=True, points=4,
                                  grade_id="auto_squares", locked=True))
    nbformat.write(notebook, str(source))
    config = make_mini_project(tmp_path / "course")
    assert run_cli("import", "nbgrader", str(source), "--course", str(tmp_path / "course")) == 0
    assignment = load_settings(config).assignment("lab2")
    assert assignment.questions == {"test_squares": 2.0, "test_norm": 3.0}  # no check that always passes
    assert assignment.manual == {"auto_squares": 4.0, "explain": 1.0}
    assert "test cell 6 ('auto_squares', 4 points) uses nbgrader's `### AUTOTEST`" in capsys.readouterr().out
    assert "AUTOTEST" not in (tmp_path / "course" / "assignments" / "lab2" / "checks" / "test_imported.py").read_text()

    only = tmp_path / "only_auto.ipynb"
    notebook.cells = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_squares"
                      and c.metadata.get("nbgrader", {}).get("grade_id") != "test_norm"]
    nbformat.write(notebook, str(only))
    assert run_cli("import", "nbgrader", str(only), "--course", str(tmp_path / "course")) == 2
    assert "test cell 5 ('auto_squares') uses nbgrader's `### AUTOTEST`" in capsys.readouterr().err


def _lecture(path: Path, manual_points: int | None) -> Path:
    """An otter master with no tests: a lecture notebook, with or without a question graded by hand."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_raw_cell("# ASSIGNMENT CONFIG\ninit_cell: false\nexport_cell: false"),
                      code("import numpy as np\ndata = np.arange(5) # SOLUTION")]
    if manual_points is not None:
        notebook.cells += [nbformat.v4.new_raw_cell(f"# BEGIN QUESTION\nname: reflect\nmanual: true\n"
                                                    f"points: {manual_points}"),
                           nbformat.v4.new_markdown_cell("What does `data` hold?"),
                           nbformat.v4.new_raw_cell("# END QUESTION")]
    nbformat.write(notebook, str(path))
    return path


@pytest.mark.parametrize("manual_points", [None, 0])
def test_an_otter_master_with_nothing_to_grade_is_refused_plainly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], manual_points: int | None) -> None:
    """A lecture notebook (no tests worth points, no question graded by hand worth points) has
    nothing to grade: said so, not as a config entry that broke, and the course is unchanged."""
    master = _lecture(tmp_path / "lecture.ipynb", manual_points)
    config = make_mini_project(tmp_path / "course")
    before = config.read_text()
    assert run_cli("import", "otter", str(master), "--course", str(tmp_path / "course")) == 2
    err = capsys.readouterr().err
    assert "no question with tests worth points and none graded by hand worth points: nothing to grade" in err, err
    assert "add it by hand" not in err and config.read_text() == before
    assert not (tmp_path / "course" / "assignments" / "lecture").exists()


def _essay(path: Path) -> Path:
    """An nbgrader source graded by hand only: a function written in a cell graded by hand, an answer."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [code("import numpy as np"),
                      code("def trend(x):\n    ### BEGIN SOLUTION\n    return np.cumsum(x) * 2\n    ### END SOLUTION",
                           solution=True, grade=True, points=3, grade_id="trend"),
                      nbformat.v4.new_markdown_cell("Why?")]
    notebook.cells[-1].metadata["nbgrader"] = {"schema_version": 3, "solution": True, "grade": True, "points": 4,
                                               "grade_id": "why", "locked": False}
    nbformat.write(notebook, str(path))
    return path


def test_an_assignment_graded_by_hand_only_is_imported_graded_and_verified(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """nbgrader and otter notebooks whose questions are all graded by hand import as
    assignments with manual questions only; grade lists them (0 of 0 until scored), `grade
    --manual` scores them, and verify has nothing automatic to verify (exit 0)."""
    course = tmp_path / "course"
    config = make_mini_project(course)
    assert run_cli("import", "nbgrader", str(_essay(tmp_path / "essay.ipynb")), "--course", str(course)) == 0
    assert run_cli("import", "otter", str(_lecture(tmp_path / "lecture.ipynb", 2)), "--course", str(course)) == 0
    assert "imported 'essay' from nbgrader: 0 question(s), 0 test(s), 0 points + 2 graded by hand (7 points)" \
        in capsys.readouterr().out
    settings = load_settings(config)
    assert (settings.assignment("essay").questions, settings.assignment("essay").manual) == \
        ({}, {"trend": 3.0, "why": 4.0})
    assert (settings.assignment("lecture").questions, settings.assignment("lecture").manual) == ({}, {"reflect": 2.0})
    notebook = submission_from(course / "assignments" / "essay" / "source.ipynb", tmp_path / "alice.ipynb")
    out = tmp_path / "out"
    assert run_cli("grade", "--config", str(config), "-a", "essay", str(notebook), "--out", str(out)) == 0
    result = json.loads((out / "alice.json").read_text())
    assert [(q["name"], q["max_score"]) for q in result["questions"]] == [("trend", 0.0), ("why", 0.0)]
    scores = tmp_path / "scores.csv"
    scores.write_text("student,question,points,comment\nalice,trend,2,\nalice,why,4,good\n")
    assert run_cli("grade", "--config", str(config), "-a", "essay", str(notebook), "--out", str(out),
                   "--manual", str(scores), "--fail-under", "80") == 0
    result = json.loads((out / "alice.json").read_text())
    assert (result["score"], result["max_score"]) == (6.0, 7.0)
    assert "alice,2,4,6,7,85.71,graded" in (out / "grades.csv").read_text()
    capsys.readouterr()
    assert run_cli("verify", "essay", "--course", str(course)) == 0
    assert "0 mutants" in capsys.readouterr().out


def test_zero_point_tests_are_noted_once_and_zero_point_manual_questions_alike(tmp_path: Path) -> None:
    """otter's tests worth 0 points in one question are one note (with their number), not one
    each; a question graded by hand worth 0 points has nothing to score, and both importers
    leave it out with the same note (otter imported it, nbgrader said it did and did not)."""
    from autograder.importers.nbgrader import read_nbgrader
    from autograder.importers.otter import read_otter

    master = otter_master(tmp_path / "hw.ipynb")
    notebook = nbformat.read(master, as_version=4)
    at = next(i for i, c in enumerate(notebook.cells) if c.source == "square(3)") + 1
    notebook.cells[at:at] = [code(f'""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\nsquare({n})', str(n * n))
                             for n in (0, 1)]
    for cell in notebook.cells:
        cell.source = cell.source.replace("name: q3\nmanual: true\npoints: 1", "name: q3\nmanual: true\npoints: 0")
    nbformat.write(notebook, str(master))
    otter = read_otter(master, "hw")
    assert [n for n in otter.notes if "worth 0 points" in n] == [
        "question 'q1': 2 tests worth 0 points left out (they change no score in otter; a check of ours carries "
        "a share of the points)",
        "question 'q3' is graded by hand in otter and worth 0 points: nothing to score, not imported"]
    source = nbgrader_source(tmp_path / "lab.ipynb")
    notebook = nbformat.read(source, as_version=4)
    notebook.cells[-1].metadata["nbgrader"]["points"] = 0
    nbformat.write(notebook, str(source))
    nbgrader = read_nbgrader(source, "lab")
    assert (otter.manual, nbgrader.manual) == ({}, {})
    assert [n for n in nbgrader.notes if "graded by hand" in n] == [
        "cell 8 ('explain') is graded by hand in nbgrader and worth 0 points: nothing to score, not imported"]


def test_an_otter_r_master_is_named_as_r(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """otter reads an R master with its R reader; read with the Python one, its tests were
    called bad Python, which sends the instructor looking for a typo."""
    master = tmp_path / "hw-r.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    notebook.cells = [nbformat.v4.new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: 1"),
                      nbformat.v4.new_raw_cell("# BEGIN SOLUTION"), code("v <- c(1, 2) # SOLUTION"),
                      nbformat.v4.new_raw_cell("# END SOLUTION"), nbformat.v4.new_raw_cell("# BEGIN TESTS"),
                      code("testthat::expect_length(v, 2)"), nbformat.v4.new_raw_cell("# END TESTS"),
                      nbformat.v4.new_raw_cell("# END QUESTION")]
    nbformat.write(notebook, str(master))
    make_mini_project(tmp_path / "course")
    assert run_cli("import", "otter", str(master), "--course", str(tmp_path / "course")) == 2
    err = capsys.readouterr().err
    assert "an R assignment; only Python is graded here" in err and "Python syntax" not in err, err


def test_an_emptied_or_retyped_nbgrader_test_cell_still_runs(course: Path, settings: Settings, jail: Jail,
                                                             tmp_path: Path) -> None:
    """nbgrader restores a test cell's type and text by its grade_id and runs it; a student who
    cleared one (or made it Markdown) lost its points here, told the cell was deleted."""
    master = course / "assignments" / "lab1" / "source.ipynb"
    edited = submission_from(master, tmp_path / "edited.ipynb", {"assert squares(3) == [1, 4, 9]": "  \n"})
    notebook = nbformat.read(edited, as_version=4)
    index = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "test_norm")
    retyped = nbformat.v4.new_markdown_cell(notebook.cells[index].source, metadata=notebook.cells[index].metadata)
    notebook.cells[index] = retyped
    nbformat.write(notebook, str(edited))
    result = _grade(settings, jail, "lab1", edited)
    assert _points(result) == {"test_squares": 2.0, "test_norm": 3.0}, result.dumps()
    wrong = submission_from(edited, tmp_path / "wrong.ipynb", {"range(1, n + 1)": "range(n)"})
    assert _points(_grade(settings, jail, "lab1", wrong)) == {"test_squares": 0.0, "test_norm": 3.0}


def test_an_otter_config_file_is_read_beside_the_master(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``config_file:`` in the master's ASSIGNMENT CONFIG names a YAML file beside it, as
    ``otter assign`` reads it (from the master's folder), not from where the command runs."""
    from autograder.importers.otter import read_otter

    (tmp_path / "hw").mkdir()
    master = otter_master(tmp_path / "hw" / "hw-master.ipynb")
    notebook = nbformat.read(master, as_version=4)
    notebook.cells[0].source += "\nconfig_file: hw_config.yml"
    nbformat.write(notebook, str(master))
    (tmp_path / "hw" / "hw_config.yml").write_text("seed:\n  variable: rng_seed\n  autograder_value: 7\n")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    imported = read_otter(Path("..") / "hw" / "hw-master.ipynb", "hw")
    assert (imported.rules.seed, imported.rules.seed_variable) == (7, "rng_seed")
    assert Path.cwd() == tmp_path / "elsewhere"


def test_an_otter_blank_left_as_ellipsis_fails_as_an_unanswered_value(course: Path, settings: Settings,
                                                                      jail: Jail, tmp_path: Path) -> None:
    """otter's students' copies leave ``answer = ...`` in every blank: its tests fail as in
    otter, not with "came back as an object of your notebook" (which reads as a wrong type)."""
    master = course / "assignments" / "hw1" / "source.ipynb"
    blank = submission_from(master, tmp_path / "ellipsis.ipynb", {"answer = square(4) + 1": "answer = ..."})
    result = _grade(settings, jail, "hw1", blank)
    assert _points(result) == {"q1": 2.0, "q2": 0.0}, result.dumps()
    messages = [c.message for q in result.questions if q.name == "q2" for c in q.checks]
    assert any("answer == 17" in m and "True" in m and "False" in m for m in messages), messages
    assert not any("not as data" in m or "не как данные" in m for m in messages), messages


def test_questions_alike_but_for_punctuation_or_alphabet_get_a_check_each(tmp_path: Path) -> None:
    """``test-a`` and ``test_a``, or ``тест_а`` and ``тест_б`` (a Russian course's grade_ids),
    are one Python name apart from the letters a name can hold: each needs its own function,
    or the later one replaces the earlier and that question cannot be graded."""
    import ast

    from autograder.importers.nbgrader import read_nbgrader
    from autograder.importers.writer import checks_source

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [code("def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION",
                           solution=True, grade=False, grade_id="f")]
    for n, grade_id in enumerate(["test-a", "test_a", "тест_а", "тест_б"], 1):
        notebook.cells.append(code(f"assert f({n}) == {n + 1}", solution=False, grade=True, points=1,
                                   grade_id=grade_id, locked=True))
    nbformat.write(notebook, str(tmp_path / "ids.ipynb"))
    module = ast.parse(checks_source(read_nbgrader(tmp_path / "ids.ipynb", "ids")))
    functions = [node for node in module.body if isinstance(node, ast.FunctionDef)]
    assert len({f.name for f in functions}) == len(functions) == 4
    marked = [ast.literal_eval(f.decorator_list[0].args[0]) for f in functions]  # @check('тест_а', ...)
    assert marked == ["test-a", "test_a", "тест_а", "тест_б"]


def test_an_otter_generate_seed_seeds_every_cell(tmp_path: Path) -> None:
    """``generate: seed: 42`` (otter's own example masters) is otter's intercell seeding as
    much as a ``seed:`` block: without it a random answer never matched the master's
    expected values, and the solution itself lost the points."""
    from autograder.importers.otter import read_otter

    master = otter_master(tmp_path / "hw-master.ipynb")
    notebook = nbformat.read(master, as_version=4)
    notebook.cells[0].source = notebook.cells[0].source.replace("init_cell: false", "init_cell: false\ngenerate:\n"
                                                                "  seed: 42")
    nbformat.write(notebook, str(master))
    rules = read_otter(master, "hw").rules
    assert (rules.seed, rules.seed_variable) == (42, None)


def test_verify_leaves_the_questions_graded_by_hand_alone(course: Path, settings: Settings, jail: Jail) -> None:
    """An imported assignment's hand-graded questions have no checks to catch mutants: their
    "not scored yet" line was listed as a check that fails on nothing, and as a confusing
    first message of the student notebook."""
    from autograder.verify.run import verify_assignment

    report = verify_assignment("lab1", settings, jail, jobs=1)
    assert report.ok, report.render()
    assert {question for question, _ in report.checks} == {"test_squares", "test_norm"}
    assert all(note.question != "explain" for note in report.stub_notes)


def test_otters_generated_cells_go_with_their_leading_comments(tmp_path: Path) -> None:
    """``otter assign`` writes its init cell as ``# Initialize Otter`` + ``import otter`` ...
    and its export cell as ``# Save your notebook first...`` + ``grader.export()``: they
    stayed in our master, and with ``init_cell: false`` every notebook raised NameError."""
    from autograder.importers.otter import read_otter

    master = otter_master(tmp_path / "hw-master.ipynb")
    notebook = nbformat.read(master, as_version=4)
    notebook.cells[0].source = notebook.cells[0].source.replace("export_cell: false", "export_cell: true")
    notebook.cells.insert(1, code("# Initialize Otter\nimport otter\ngrader = otter.Notebook(\"hw-master.ipynb\")"))
    notebook.cells.insert(2, code("%pip install -q otter-grader"))
    nbformat.write(notebook, str(master))
    sources = "\n".join(c.source for c in read_otter(master, "hw").master.cells if c.cell_type == "code")
    assert "grader" not in sources.replace("autograder", "") and "otter" not in sources, sources


def test_an_otter_test_of_a_handed_in_file_is_left_out_with_a_note(tmp_path: Path) -> None:
    """otter's ``student_files`` are handed in beside the notebook; we grade the notebook, so a
    test that imports one failed for everyone (in an all_or_nothing question: the question),
    and IMPORTED.md told the instructor to pip-install the student's file."""
    from autograder.importers.otter import read_otter

    master = otter_master(tmp_path / "hw-master.ipynb")
    notebook = nbformat.read(master, as_version=4)
    notebook.cells[0].source += "\nstudent_files:\n  - helper.py"
    tests_end = next(i for i, c in enumerate(notebook.cells) if c.source == "# END TESTS")
    notebook.cells.insert(tests_end, code("import helper\nhelper.VALUE", "1"))
    nbformat.write(notebook, str(master))
    imported = read_otter(master, "hw")
    assert not any("helper" in test.code for test in imported.tests)
    assert [t.question for t in imported.tests] == ["q1", "q1", "q2", "q2"] and imported.questions["q1"] == 2.0
    assert any("imports helper, a file students hand in" in note for note in imported.notes), imported.notes
