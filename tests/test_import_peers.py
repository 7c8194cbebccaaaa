"""Imported otter and nbgrader assignments grade the students' notebooks made for those
tools as the tools do: per question, the scores otter-grader 7 and nbgrader 0.9.6 gave
the same notebooks (tests/peer_scores.json, recorded by tests/record_peer_scores.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from autograder.config import Settings, load_settings
from autograder.grading import Grader, Submission
from autograder.importers.rules import load_rules
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, run_cli
from tests.importer_suites import nbgrader_notebook, nbgrader_students, otter_students, otter_suite

PEER = json.loads((Path(__file__).parent / "peer_scores.json").read_text())


def _zip(folder: Path, path: Path) -> Path:
    """The suite as ``otter generate`` lays out its zip (tests/, otter_config.json, files/)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("run_autograder", "#!/usr/bin/env bash\n")
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("peers")
    make_mini_project(root / "course")
    archive = _zip(otter_suite(root / "suite"), root / "autograder.zip")
    assert run_cli("import", "otter", str(archive), "--course", str(root / "course"), "--name", "hw") == 0
    source = nbgrader_notebook(root / "lab.ipynb")
    assert run_cli("import", "nbgrader", str(source), "--course", str(root / "course")) == 0
    return root / "course"


@pytest.fixture(scope="module")
def settings(course: Path) -> Settings:
    return load_settings(course / "grading_config.yaml")


def _grade_all(settings: Settings, jail: Jail, assignment: str, notebooks: dict[str, Path]
               ) -> dict[str, SubmissionResult]:
    results: dict[str, SubmissionResult] = {}
    Grader(assignment, settings, jail).grade_many(
        [Submission(name, path) for name, path in notebooks.items()], lambda r: results.update({r.submission: r}))
    return results


def _scores(result: SubmissionResult) -> dict[str, float]:
    return {q.name: q.score for q in result.questions}


def _cases(result: SubmissionResult) -> dict[str, list[bool]]:
    """Each check passed or not: one check per otter test case, in order (one for all the
    cases of an all-or-nothing question)."""
    return {q.name: [c.passed for c in q.checks] for q in result.questions}


def _grouped(cases: list[bool], question: str) -> list[bool]:
    return [all(cases)] if question == "q2" else cases  # q2 is all or nothing: one check


def test_otter_suite_from_a_zip_is_read_as_otter_defines_it(course: Path, settings: Settings) -> None:
    assignment = settings.assignment("hw")
    assert assignment.questions == {"q1": 2.0, "q2": 3.0, "q3": 2.0, "q4": 1.0}
    folder = course / "assignments" / "hw"
    rules = load_rules(folder)
    assert rules is not None and (rules.seed, rules.in_data) == (7, True)
    assert (folder / "data" / "words.txt").read_text() == "alpha\nbeta\n"
    checks = (folder / "checks" / "test_imported.py").read_text()
    assert "tests (all or nothing)" in checks and "weight=3.0" in checks  # q2 with its 0-point test
    assert "from otter" not in checks and "@test_case" not in checks


def test_otter_made_notebooks_get_otters_scores(settings: Settings, tmp_path: Path) -> None:
    with Jail.start("auto", preload=settings.preload("hw"), data=settings.data_dir("hw")) as jail:  # words.txt
        results = _grade_all(settings, jail, "hw", otter_students(tmp_path))
    assert {name: _scores(r) for name, r in results.items()} == {n: p["scores"] for n, p in PEER["otter"].items()}
    assert {name: _cases(r) for name, r in results.items()} == \
        {n: {q: _grouped(c, q) for q, c in p["cases"].items()} for n, p in PEER["otter"].items()}
    for result in results.values():  # otter's own cells ran as no-ops: nothing to report
        assert result.errors == (), result.dumps()
    failed = [c.message for q in results["float_answer"].questions for c in q.checks if not c.passed]
    assert any("isinstance(answer, int)" in m for m in failed)  # the 0-point test sank the question


def test_nbgrader_notebooks_get_nbgraders_scores(settings: Settings, jail: Jail, tmp_path: Path) -> None:
    results = _grade_all(settings, jail, "lab", nbgrader_students(tmp_path))
    automatic = {name: {q: p for q, p in _scores(r).items() if q != "essay"} for name, r in results.items()}
    assert automatic == PEER["nbgrader"]  # the peer's gradebook without the hand-graded essay
    assert all(_scores(r)["essay"] == 0.0 and r.max_score == 3.0 for r in results.values())
    deleted = results["deleted_test_cell"].questions[0].checks[0]
    assert "test_squares" in deleted.message and "grade_id" in deleted.message


def test_a_failed_import_leaves_the_course_as_it_was(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "course")
    before = config.read_text()
    suite = otter_suite(tmp_path / "suite")
    (suite / "tests" / "q9.py").write_text("OK_FORMAT = True\ntest = {'name': 'q9', 'points': [1, 2], "
                                          "'suites': [{'cases': [{'code': '>>> 1\\n1'}]}]}\n")
    assert run_cli("import", "otter", str(suite), "--course", str(tmp_path / "course"), "--name", "hw") == 2
    assert config.read_text() == before
    assert sorted(p.name for p in (tmp_path / "course" / "assignments").iterdir()) == ["mini"]
    (suite / "tests" / "q9.py").unlink()  # fixed: the same command now works
    assert run_cli("import", "otter", str(suite), "--course", str(tmp_path / "course"), "--name", "hw") == 0
    assert load_settings(config).assignment("hw").questions["q3"] == 2.0


def test_a_tests_folder_alone_with_its_config_one_up(tmp_path: Path) -> None:
    make_mini_project(tmp_path / "course")
    suite = otter_suite(tmp_path / "suite")
    assert run_cli("import", "otter", str(suite / "tests"), "--course", str(tmp_path / "course")) == 0
    rules = load_rules(tmp_path / "course" / "assignments" / "suite")  # named after the folder holding tests/
    assert rules is not None and rules.seed == 7 and not rules.in_data  # files/ is not beside a bare tests/


def test_manual_questions_are_listed_and_merged_from_the_instructors_csv(course: Path, tmp_path: Path) -> None:
    notebooks = nbgrader_students(tmp_path / "in")
    paths = [str(notebooks["solution"]), str(notebooks["inlined_sum"])]
    out = tmp_path / "out"
    assert run_cli("grade", "--course", str(course), "--assignment", "lab", *paths, "--out", str(out)) == 0
    before = json.loads((out / "solution.json").read_text())
    assert (before["score"], before["max_score"]) == (3.0, 3.0)  # the essay is out of the total until scored
    pending = before["questions"][-1]["checks"][0]
    assert before["questions"][-1]["name"] == "essay" and (pending["visibility"], pending["name"]) == (
        "manual", "the instructor's score") and "Graded by hand (2 points): not scored yet" in pending["message"]
    scores = tmp_path / "scores.csv"
    scores.write_text('student,question,points,comment\nsolution,essay,1.5,"Good, say why"\n')
    assert run_cli("grade", "--course", str(course), "--assignment", "lab", *paths, "--out", str(out),
                   "--manual", str(scores)) == 0
    after = json.loads((out / "solution.json").read_text())
    assert (after["score"], after["max_score"]) == (4.5, 5.0)
    assert after["manual"] == {"essay": {"max_score": 2.0, "score": 1.5, "comment": "Good, say why"}}
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("submission,test_squares,test_uses,essay,score,max_score")
    assert rows[2].startswith("solution,2,1,1.5,4.5,5,") and rows[1].startswith("inlined_sum,2,0,,2,3,")  # essay not scored: empty
    assert run_cli("export", "--results", str(out), "--format", "csv", "--out", str(tmp_path / "lms.csv")) == 0
    assert "solution,,4.5,5," in (tmp_path / "lms.csv").read_text()
    scores.write_text("student,question,points\nsolution,essay,3\n")  # over the question's 2 points
    assert run_cli("grade", "--course", str(course), "--assignment", "lab", *paths, "--out", str(out),
                   "--manual", str(scores)) == 2


def test_a_notebook_that_lost_its_cell_metadata_is_graded_by_its_test_cells_text(
        settings: Settings, jail: Jail, tmp_path: Path) -> None:
    """Colab re-creates cells without metadata: nbgrader then finds no test cell (0); here the
    unchanged test cells are found by their text. A test cell deleted as well still scores 0."""
    import nbformat

    def stripped(name: str, **how: object) -> Path:
        path = nbgrader_notebook(tmp_path / f"{name}.ipynb", **how)  # type: ignore[arg-type]
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            cell.metadata = {}
        nbformat.write(notebook, str(path))
        return path

    results = _grade_all(settings, jail, "lab", {"lost": stripped("lost"),
                                                 "lost_deleted": stripped("lost_deleted", drop=("test_uses",))})
    assert _scores(results["lost"]) == {"test_squares": 2.0, "test_uses": 1.0, "essay": 0.0}
    assert _scores(results["lost_deleted"]) == {"test_squares": 2.0, "test_uses": 0.0, "essay": 0.0}
