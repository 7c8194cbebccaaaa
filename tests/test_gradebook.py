"""The SQLite gradebook: runs, results, history, skip-if-current, survival of a kill."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from autograder.gradebook import FILENAME, Gradebook, Versions, checks_hash, sha256_file
from autograder.results import CheckResult, LateInfo, QuestionResult, SubmissionResult

V1 = Versions("0.1.0", "a" * 64)
V2 = Versions("0.1.0", "b" * 64)


def result(submission: str, passed: bool = True, sha: str = "s1",
           late: LateInfo | None = None) -> SubmissionResult:
    checks = (
        CheckResult("matches the reference", passed, 1.0 if passed else 0.0, 1.0,
                    "hidden", "" if passed else "`sigmoid(x)` returned wrong values."),
        CheckResult("открытые примеры", True, 1.0, 1.0, "public"),
    )
    return SubmissionResult("activations", submission, (QuestionResult("sigmoid", checks, 2.0),),
                            duration_s=0.5, sha256=sha, late=late)


def test_open_a_folder_creates_the_file_in_wal_mode(tmp_path: Path) -> None:
    with Gradebook.open(tmp_path) as book:
        assert book.path == tmp_path / FILENAME
        book.start_run("activations", V1)
    mode = sqlite3.connect(tmp_path / FILENAME).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_record_and_latest_per_submission(tmp_path: Path) -> None:
    with Gradebook.open(tmp_path / FILENAME) as book:
        first = book.start_run("activations", V1)
        book.record(first, result("bob", passed=False))
        book.record(first, result("alice"))
        second = book.start_run("activations", V1)
        book.record(second, result("bob", passed=True, sha="s2"))
        book.record(second, SubmissionResult("perceptron", "zed", ()))
        latest = book.latest("activations")
    assert [r.submission for r in latest] == ["alice", "bob"]
    assert latest[1].score == 2.0 and latest[1].sha256 == "s2"
    assert latest[0] == result("alice")


def test_checks_are_rows_that_can_be_queried(tmp_path: Path) -> None:
    with Gradebook.open(tmp_path) as book:
        run = book.start_run("activations", V1)
        book.record(run, result("bob", passed=False, late=LateInfo("2026-12-02T10:00", 1, 10)))
    db = sqlite3.connect(tmp_path / FILENAME)
    rows = db.execute("SELECT question, name, passed, visibility, message FROM checks "
                      "ORDER BY position").fetchall()
    assert rows == [
        ("sigmoid", "matches the reference", 0, "hidden", "`sigmoid(x)` returned wrong values."),
        ("sigmoid", "открытые примеры", 1, "public", ""),
    ]
    score, penalty, status = db.execute(
        "SELECT score, late_penalty_percent, status FROM results").fetchone()
    assert (score, penalty, status) == (0.9, 10.0, "graded")


def test_is_current_needs_same_content_and_same_versions(tmp_path: Path) -> None:
    with Gradebook.open(tmp_path) as book:
        run = book.start_run("activations", V1)
        book.record(run, result("alice", sha="s1"))
        assert book.is_current("alice", "s1", V1)
        assert book.is_current("alice", "s1", V1, assignment="activations")
        assert not book.is_current("alice", "s1", V1, assignment="perceptron")
        assert not book.is_current("alice", "s2", V1)      # the notebook changed
        assert not book.is_current("alice", "s1", V2)      # the checks changed
        assert not book.is_current("bob", "s1", V1)


def test_history_lists_every_grading_oldest_first(tmp_path: Path) -> None:
    with Gradebook.open(tmp_path) as book:
        first = book.start_run("activations", V1)
        book.record(first, result("alice", passed=False, sha="s1"), path="subs/alice.ipynb")
        book.finish_run(first)
        second = book.start_run("activations", V2)
        book.record(second, result("alice", passed=True, sha="s2"))
        history = book.history("alice")
        runs = book.runs("activations")
    assert [(h.run_id, h.versions, h.sha256, h.result.score) for h in history] == [
        (first, V1, "s1", 1.0), (second, V2, "s2", 2.0)]
    assert runs[0][2] is not None and runs[1][2] is None   # the second run never finished


def test_results_survive_a_process_that_never_closed(tmp_path: Path) -> None:
    book = Gradebook.open(tmp_path)
    run = book.start_run("activations", V1)
    book.record(run, result("alice"))
    book.record(run, result("bob"))
    # no close(), no checkpoint: a second connection stands for the rerun after a kill
    with Gradebook.open(tmp_path) as reopened:
        assert [r.submission for r in reopened.latest("activations")] == ["alice", "bob"]
        assert reopened.is_current("bob", "s1", V1)
    book.close()


def test_a_failed_record_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = SubmissionResult("activations", "eve", (QuestionResult(
        "q", (CheckResult("same", True, 1, 1), CheckResult("same", True, 1, 1)), 2),))
    with Gradebook.open(tmp_path) as book:
        run = book.start_run("activations", V1)
        book._db.execute("CREATE TRIGGER boom BEFORE INSERT ON checks WHEN NEW.position = 1 "
                         "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        with pytest.raises(sqlite3.DatabaseError, match="disk full"):
            book.record(run, broken)
        assert book.latest("activations") == []
        count = book._db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert count == 0


def test_hashes_change_with_content(tmp_path: Path) -> None:
    notebook = tmp_path / "a.ipynb"
    notebook.write_text("{}")
    before = sha256_file(notebook)
    notebook.write_text("{ }")
    assert sha256_file(notebook) != before
    folder = tmp_path / "assignment"
    (folder / "checks" / "__pycache__").mkdir(parents=True)
    (folder / "checks" / "test_a.py").write_text("x = 1\n")
    base = checks_hash(folder, "{}")
    (folder / "checks" / "__pycache__" / "test_a.pyc").write_bytes(b"junk")
    assert checks_hash(folder, "{}") == base
    assert checks_hash(folder, '{"points": 3}') != base
    (folder / "checks" / "test_a.py").write_text("x = 2\n")
    assert checks_hash(folder, "{}") != base


def test_assignment_versions_follow_checks_and_config(tmp_path: Path) -> None:
    from autograder.config import GradingConfig, Settings, validated
    from autograder.gradebook import assignment_versions

    checks = tmp_path / "assignments" / "mini" / "checks"
    checks.mkdir(parents=True)
    (checks / "test_double.py").write_text("WEIGHT = 1\n")

    def versions(points: float) -> Versions:
        config = validated(GradingConfig, {"assignments": {"mini": {"questions": {"double": points}}}},
                           "grading_config.yaml")
        return assignment_versions(Settings(config, tmp_path / "grading_config.yaml"), "mini")

    base = versions(2)
    assert base == versions(2)
    assert base.checks != versions(3).checks
    (checks / "test_double.py").write_text("WEIGHT = 2\n")
    assert versions(2).checks != base.checks


def test_grades_csv_from_the_gradebook_matches_the_results(tmp_path: Path) -> None:
    from autograder.reports import write_grades_csv

    results = [result("bob", passed=False), result("alice")]
    with Gradebook.open(tmp_path) as book:
        run = book.start_run("activations", V1)
        for item in results:
            book.record(run, item)
        latest = book.latest("activations")
    from_book = write_grades_csv(latest, tmp_path / "a.csv", ["sigmoid"]).read_bytes()
    from_list = write_grades_csv(results, tmp_path / "b.csv", ["sigmoid"]).read_bytes()
    assert from_book == from_list
    assert from_book.splitlines()[1:] == [b"alice,2,2,2,100.00,graded,0,bwrap",
                                          b"bob,1,1,2,50.00,graded,0,bwrap"]
