"""The course server's state without HTTP: rosters, tokens, the queue's claims."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import cli
from autograder.exceptions import UsageError
from autograder.server.files import Files, new_id
from autograder.server.roster import read_roster
from autograder.server.store import MAX_ATTEMPTS, Person, Store
from autograder.server.tokens import token_hash
from tests.server_helpers import make_course


def test_roster_reads_plain_moodle_and_canvas_files(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("id;name;group\nivanov;Иван Иванов;1\n\npetrova;Анна Петрова;2\n", encoding="utf-8-sig")
    assert [(m.id, m.name) for m in read_roster(plain)] == [("ivanov", "Иван Иванов"), ("petrova", "Анна Петрова")]
    moodle = tmp_path / "worksheet.csv"
    moodle.write_text('Identifier,"Full name","Email address",Status,Grade\n'
                      '"Participant 123456","Ann Lee",ann@example.org,"Submitted",\n', encoding="utf-8")
    assert [(m.id, m.name) for m in read_roster(moodle)] == [("123456", "Ann Lee")]
    users = tmp_path / "users.csv"
    users.write_text("username,firstname,lastname,email\nalee,Ann,Lee,ann@example.org\n", encoding="utf-8")
    assert [(m.id, m.name) for m in read_roster(users)] == [("alee", "Ann Lee")]
    canvas = tmp_path / "canvas.csv"
    canvas.write_text("Student,ID,SIS User ID,SIS Login ID,Section,HW 1 (77)\n"
                      "    Points Possible,,,,,16\n\"Lee, Ann\",4242,,alee,S1,\n", encoding="utf-8")
    assert [(m.id, m.name) for m in read_roster(canvas)] == [("4242", "Lee, Ann")]


def test_roster_reads_canvas_with_first_and_last_names_apart(tmp_path: Path) -> None:
    """Canvas's gradebook export when names are shown apart: ``LastName, FirstName, ID``
    and no ``Student`` column (it was "not a roster")."""
    canvas = tmp_path / "canvas.csv"
    canvas.write_text("LastName,FirstName,ID,SIS User ID,SIS Login ID,Section,HW 1 (77)\n"
                      ",,,,,,Manual Posting\n    Points Possible,,,,,,16\n"
                      "Lee,Ann,4242,,alee,S1,\nПетрова,Анна,4243,,apetrova,S1,\n", encoding="utf-8")
    assert [(m.id, m.name) for m in read_roster(canvas)] == [("4242", "Ann Lee"), ("4243", "Анна Петрова")]


def test_a_roster_excel_saved_in_russian_keeps_its_names(tmp_path: Path) -> None:
    """Excel's "CSV" on a Russian Windows is Windows-1251, without a BOM: read as Latin-1,
    every name came out as "Èâàí Èâàíîâ"; a Western file is read as before."""
    russian = tmp_path / "russian.csv"
    russian.write_bytes("id;name\nivanov;Иван Иванов\nlee;Ann Lee\nsemenov;Семён Семёнов\n".encode("cp1251"))
    assert [m.name for m in read_roster(russian)] == ["Иван Иванов", "Ann Lee", "Семён Семёнов"]
    western = tmp_path / "western.csv"
    western.write_bytes("id,name\nfm,François Müller\n".encode("latin-1"))
    assert [m.name for m in read_roster(western)] == ["François Müller"]


@pytest.mark.parametrize("text, reason", [
    ("who,what\na,b\n", "not a roster"),
    ("id,name\na,A\na,B\n", "appears twice"),
    ("id,name\n../x,A\n", "not usable"),
    ("id,name\n", "no students"),
])
def test_a_bad_roster_is_one_clear_error(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=reason):
        read_roster(path)


def test_tokens_are_stored_hashed_and_kept_on_rerun(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nivanov,Иван\npetrova,Анна\n", encoding="utf-8")
    out = tmp_path / "tokens.csv"
    runner = CliRunner()
    first = runner.invoke(cli, ["tokens", "--course", str(course), "--roster", str(roster), "--out", str(out)])
    assert first.exit_code == 0, first.output
    issued = dict(line.split(",")[::2] for line in out.read_text(encoding="utf-8").splitlines()[1:])
    assert set(issued) == {"ivanov", "petrova"} and all(len(t) >= 30 for t in issued.values())
    database = (course / "server" / "server.sqlite").read_bytes()
    assert all(token.encode() not in database for token in issued.values())  # only the hashes
    roster.write_text("id,name\nivanov,Иван\npetrova,Анна\nsidorov,Пётр\n", encoding="utf-8")
    again = runner.invoke(cli, ["tokens", "--course", str(course), "--roster", str(roster), "--out", str(out)])
    assert again.exit_code == 0, again.output
    rerun = dict(line.split(",")[::2] for line in out.read_text(encoding="utf-8").splitlines()[1:])
    assert rerun["ivanov"] == issued["ivanov"] and rerun["petrova"] == issued["petrova"]
    assert rerun["sidorov"] and rerun["sidorov"] not in issued.values()
    store = Store(course / "server")
    assert store.person_by_token_hash(token_hash(issued["ivanov"])) == Person("ivanov", "Иван", "student")


def test_a_token_not_in_the_out_file_is_kept_working_and_reissued_on_demand(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nivanov,Иван\n", encoding="utf-8")
    runner = CliRunner()
    args = ["tokens", "--course", str(course), "--roster", str(roster)]
    runner.invoke(cli, [*args, "--out", str(tmp_path / "a.csv")])
    old = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[2]
    lost = runner.invoke(cli, [*args, "--out", str(tmp_path / "b.csv")])
    assert "not in the --out file" in lost.output
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").splitlines()[1] == "ivanov,Иван,"
    store = Store(course / "server")
    assert store.person_by_token_hash(token_hash(old)) is not None  # still works
    runner.invoke(cli, [*args, "--out", str(tmp_path / "b.csv"), "--reissue", "ivanov"])
    new = (tmp_path / "b.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[2]
    assert new and new != old
    assert store.person_by_token_hash(token_hash(old)) is None
    assert store.person_by_token_hash(token_hash(new)) == Person("ivanov", "Иван", "student")


def test_an_instructor_token_without_a_roster(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    out = tmp_path / "staff.csv"
    result = CliRunner().invoke(cli, ["tokens", "--course", str(course), "--instructor", "--out", str(out)])
    assert result.exit_code == 0, result.output
    token = out.read_text(encoding="utf-8").splitlines()[1].split(",")[2]
    assert Store(course / "server").person_by_token_hash(token_hash(token)) == \
        Person("instructor", "Instructor", "instructor")
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def _store(tmp_path: Path) -> Store:
    store = Store.create(tmp_path / "state")
    store.register(Person("ann", "Ann", "student"), token_hash("t"))
    return store


def test_the_rate_limit_counts_within_the_window(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.accept(new_id(), "ann", "activations", "h", 1, limit=2, window_s=3600) is None
    assert store.accept(new_id(), "ann", "activations", "h", 1, limit=2, window_s=3600) is None
    wait = store.accept(new_id(), "ann", "activations", "h", 1, limit=2, window_s=3600)
    assert wait is not None and 3590 < wait <= 3600
    assert store.accept(new_id(), "ann", "perceptron", "h", 1, limit=2, window_s=3600) is None  # per assignment
    assert store.accept(new_id(), "ann", "activations", "h", 1, limit=2, window_s=0.0) is None  # window passed


def test_a_grading_counts_once_only_while_its_claim_stands(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ident = new_id()
    store.accept(ident, "ann", "activations", "h", 1, limit=0, window_s=3600)
    claim = store.claim("host:1")
    assert claim is not None and claim.id == ident and claim.status == "grading"
    assert store.claim("host:2") is None  # one worker at a time
    assert store.release("host:1") == 1  # host:1 died
    again = store.claim("host:2")
    assert again is not None and again.attempts == 2
    assert not store.finish(ident, "host:1", "graded", "{}")  # the dead worker's late answer is dropped
    assert store.finish(ident, "host:2", "graded", '{"score": 1}')
    assert not store.finish(ident, "host:2", "graded", "{}")
    assert store.gradings(ident) == 1
    assert store.get(ident).status == "graded"  # type: ignore[union-attr]


def test_a_submission_that_keeps_killing_workers_ends_as_an_error(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ident = new_id()
    store.accept(ident, "ann", "activations", "h", 1, limit=0, window_s=3600)
    for attempt in range(MAX_ATTEMPTS):
        assert store.claim(f"host:{attempt}") is not None
        store.release(f"host:{attempt}")
    row = store.get(ident)
    assert row is not None and row.status == "error" and row.problem == "grader.crashed"
    assert store.requeue([ident]) == 1 and store.get(ident).status == "queued"  # type: ignore[union-attr]


def test_the_database_is_in_wal_mode_and_notebooks_are_named_by_server_ids(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    files = Files(tmp_path / "state").create()
    path = files.store_notebook(new_id(), b"{}")
    assert path.parent == tmp_path / "state" / "submissions" and path.read_bytes() == b"{}"
    with pytest.raises(ValueError):
        files.notebook("../../etc/passwd")
