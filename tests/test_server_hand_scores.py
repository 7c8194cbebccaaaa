"""The instructor's scores of questions graded by hand, uploaded on the class page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from autograder.server.app import ServerOptions, create_app
from autograder.server.files import Files, new_id
from autograder.server.store import Store
from autograder.server.worker import Worker
from tests.helpers import make_mini_project, run_cli, write_notebook
from tests.server_helpers import register, settings_of


def _course(tmp_path: Path, language: str = "en") -> tuple[Path, dict[str, str]]:
    """A course with an essay graded by hand, ann and bob graded by ``grade`` (not scored yet)
    and recorded as the server's worker would have."""
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text().replace("language: en", f"language: {language}")
                      + "    manual: {essay: 2}\n")
    folder = tmp_path / "in"
    for student in ("ann", "bob"):
        write_notebook(folder / f"{student}.ipynb", ["def double(x):\n    return 2 * x\n"])
    out = tmp_path / "out"
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(folder), "--out", str(out)) == 0
    course = config.parent
    tokens = {**register(course, {"ann": "Ann Lee", "bob": "Bob Roe"}),
              **register(course, {"teacher": "T"}, "instructor")}
    store = Store(course / "server")
    for student in ("ann", "bob"):
        assert store.accept(new_id(), student, "mini", "0" * 64, 1, 0, 3600.0) is None
        row = store.claim("test:1")
        assert row is not None
        result = json.loads((out / f"{student}.json").read_text(encoding="utf-8"))
        result["student_name"] = {"ann": "Ann Lee", "bob": "Bob Roe"}[student]  # as the server's worker names it
        assert store.finish(row.id, "test:1", "graded", json.dumps(result))
    return course, tokens


def _signed_in(course: Path, token: str) -> TestClient:
    client = TestClient(create_app(settings_of(course), ServerOptions(state=course / "server", workers=0)),
                        base_url="http://testserver", follow_redirects=False)
    assert client.get(f"/login?token={token}").status_code == 303
    return client


def _upload(client: TestClient, table: str) -> tuple[int, str]:
    page = client.get("/class/mini").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert csrf is not None and 'action="/class/mini/scores"' in page
    response = client.post("/class/mini/scores", data={"csrf": csrf.group(1)},
                           files={"scores": ("scores.csv", table.encode("cp1251"))})
    if response.status_code == 303:
        return 303, client.get(response.headers["location"]).text
    return response.status_code, response.text


def test_uploaded_hand_scores_reach_the_score_feedback_csv_and_the_students_page(tmp_path: Path) -> None:
    """The server took no hand scores: an essay stayed "not scored yet" there. A table as
    ``grade --manual`` reads it (Excel's semicolons, decimal comma) now goes into each
    student's latest graded result; the table is kept under the server's folder."""
    course, tokens = _course(tmp_path)
    teacher = _signed_in(course, tokens["teacher"])
    status, page = _upload(teacher, "student;question;points;comment\nann;essay;1,5;Clear, but short\n"
                                    "Bob Roe;essay;2;\n")
    assert status == 303 and "Scores taken into 2 result(s)." in page
    csv_lines = teacher.get("/class/mini/grades.csv").content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[4:6] for line in csv_lines[1:]] == [["1.5", "3.5"], ["2", "4"]]  # essay, score
    graded = {row.student: row for row in Store(course / "server").latest_graded("mini")}
    ann = _signed_in(course, tokens["ann"])
    feedback = ann.get(f"/submissions/{graded['ann'].id}").text
    assert "Graded by hand: 1.5 of 2." in feedback and "Clear, but short" in feedback
    assert ann.get(f"/api/v1/submissions/{graded['ann'].id}").json()["result"]["manual"]["essay"]["score"] == 1.5
    kept = list((course / "server" / "manual" / "mini").iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".csv" and "Clear, but short" in kept[0].read_text("cp1251")


def test_a_table_with_bad_rows_changes_nothing_and_says_each_in_the_courses_language(tmp_path: Path) -> None:
    course, tokens = _course(tmp_path, language="ru")
    teacher = _signed_in(course, tokens["teacher"])
    before = {row.id: row.result_json for row in Store(course / "server").latest_graded("mini")}
    status, page = _upload(teacher, "student;question;points\nann;essay;много\nann;plot;1\nbob;essay;2\n")
    assert status == 400 and "Таблица не принята, ничего не изменено:" in page
    assert "<li>строка 2: баллы &#39;много&#39; — не число</li>" in page
    assert "<li>строка 3: &#39;plot&#39; — не вопрос с ручной проверкой (такие вопросы: essay)</li>" in page
    status, page = _upload(teacher, "student;question;points\nann;essay;1\nsidorv;essay;2\n")
    assert status == 400 and "<li>строка 3: у &#39;sidorv&#39; нет проверенной отправки этого задания</li>" in page
    assert {row.id: row.result_json for row in Store(course / "server").latest_graded("mini")} == before
    assert not list((course / "server" / "manual" / "mini").iterdir())


def test_only_an_instructor_with_the_forms_token_uploads_scores(tmp_path: Path) -> None:
    course, tokens = _course(tmp_path)
    table = {"scores": ("s.csv", b"student,question,points\nann,essay,2\n")}
    assert _signed_in(course, tokens["ann"]).post("/class/mini/scores", files=table).status_code == 403
    assert _signed_in(course, tokens["teacher"]).post("/class/mini/scores", files=table).status_code == 403
    assert not (course / "server" / "manual" / "mini").exists()


def test_the_api_takes_the_same_table_with_an_instructors_token(tmp_path: Path) -> None:
    course, tokens = _course(tmp_path)
    client = TestClient(create_app(settings_of(course), ServerOptions(state=course / "server", workers=0)))
    staff = {"Authorization": f"Bearer {tokens['teacher']}", "Content-Type": "text/csv"}
    url = "/api/v1/scores?assignment=mini"
    bad = client.post(url, content=b"student,question,points\nann,essay,9\n", headers=staff)
    assert bad.status_code == 400
    assert bad.json()["errors"] == ["row 2: points 9 outside 0..2 for 'essay'"]
    assert client.post(url, content=b"student,question,points\nann,essay,2\n",
                       headers={**staff, "Authorization": f"Bearer {tokens['ann']}"}).status_code == 403
    assert client.post("/api/v1/scores?assignment=nope", content=b"", headers=staff).status_code == 404
    done = client.post(url, content=b"student,question,points\nann,essay,2\n", headers=staff)
    assert done.status_code == 200 and done.json() == {"assignment": "mini", "applied": 2}
    grades = client.get("/api/v1/grades?assignment=mini", headers=staff).json()
    assert [g["manual"]["essay"]["score"] for g in grades] == [2.0, None]


@pytest.mark.slow
def test_a_submission_graded_after_the_upload_keeps_the_instructors_score(tmp_path: Path) -> None:
    """Ann submits again after the instructor's table was taken: the server's own worker
    grades the new notebook, and its result carries the table's score and comment, as the
    one before it did (it said "not scored yet" until the table was sent again)."""
    course, tokens = _course(tmp_path)
    assert _upload(_signed_in(course, tokens["teacher"]), "student,question,points,comment\nann,essay,1.5,Short\n")[0] == 303
    state = course / "server"
    store = Store(state)
    ident = new_id()
    assert store.accept(ident, "ann", "mini", "1" * 64, 1, 0, 3600.0) is None
    write_notebook(Files(state).notebook(ident), ["def double(x):\n    return 2 * x\n"])
    worker = Worker(course / "grading_config.yaml", state)
    try:
        row = store.claim(worker.name)
        assert row is not None and row.id == ident
        assert worker.grade(row)
    finally:
        worker.close()
    latest = {row.student: json.loads(row.result_json) for row in store.latest_graded("mini")}
    assert latest["ann"]["manual"]["essay"] == {"max_score": 2.0, "score": 1.5, "comment": "Short"}
    assert latest["bob"]["manual"]["essay"]["score"] is None
