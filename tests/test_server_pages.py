"""The pages in-process: sign-in cookie, CSRF, who may see what, downloads, error pages."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from autograder.server.app import ServerOptions, create_app
from autograder.server.texts import check_texts
from tests.server_helpers import make_course, register, sample, settings_of


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    course = make_course(tmp_path / "course", language="en")
    tokens = {**register(course, {"ann": "Ann Lee", "bob": "Bob Roe"}),
              **register(course, {"teacher": "Teacher"}, "instructor")}
    return course, tokens


def _client(course: Path) -> TestClient:
    return TestClient(create_app(settings_of(course), ServerOptions(state=course / "server", workers=0)),
                      base_url="http://testserver", follow_redirects=False)


def _signed_in(course: Path, token: str) -> TestClient:
    client = _client(course)
    response = client.get(f"/login?token={token}")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and token in cookie
    return client


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/").text)
    assert match is not None
    return match.group(1)


def test_both_languages_of_every_server_text() -> None:
    assert check_texts() == []


def test_a_sign_in_link_leads_to_the_page_it_names_on_this_site_only(setup: tuple[Path, dict[str, str]]) -> None:
    """``submit()`` prints links that sign in and then show the submission; ``next`` is a
    path of this site or nothing (no open redirect to another site)."""
    course, tokens = setup
    client = _client(course)
    to = client.get(f"/login?token={tokens['ann']}&next=/submissions/abc123")
    assert to.status_code == 303 and to.headers["location"] == "/submissions/abc123"
    for elsewhere in ("//evil.example/x", "/\\evil.example", "https://evil.example", "/a//b", "/a?x=1", "x"):
        response = client.get("/login", params={"token": tokens["ann"], "next": elsewhere})
        assert response.status_code == 303 and response.headers["location"] == "/", elsewhere


def test_a_bad_link_signs_nobody_in(setup: tuple[Path, dict[str, str]]) -> None:
    course, _ = setup
    response = _client(course).get("/login?token=nope")
    assert response.status_code == 401 and "set-cookie" not in response.headers
    assert "not valid" in response.text


def test_an_upload_needs_the_form_token_and_the_same_origin(setup: tuple[Path, dict[str, str]]) -> None:
    course, tokens = setup
    client = _signed_in(course, tokens["ann"])
    files = {"notebook": ("hw.ipynb", sample("activations", "ivanov"))}
    forged = client.post("/upload", data={"assignment": "activations", "csrf": "0" * 64}, files=files)
    assert forged.status_code == 403
    csrf = _csrf(client)
    other_site = client.post("/upload", data={"assignment": "activations", "csrf": csrf}, files=files,
                             headers={"Origin": "https://evil.example"})
    assert other_site.status_code == 403
    assert client.get("/api/v1/submissions").json() == []
    done = client.post("/upload", data={"assignment": "activations", "csrf": csrf}, files=files,
                       headers={"Origin": "http://testserver"})
    assert done.status_code == 303
    listed = client.get("/api/v1/submissions").json()  # the pages' poll reads with the cookie
    assert [item["status"] for item in listed] == ["queued"]
    page = client.get(done.headers["location"]).text
    assert 'data-status="queued"' in page and "queued" in page
    assert "Submitted: grading has started." in page  # the upload said to have gone through
    assert "Submitted: grading has started." not in client.get("/").text
    waiting = client.get(f"/submissions/{listed[0]['id']}")
    assert waiting.status_code == 200 and "being graded" in waiting.text


def test_a_refused_upload_shows_why_with_its_status(setup: tuple[Path, dict[str, str]]) -> None:
    course, tokens = setup
    client = _signed_in(course, tokens["ann"])
    response = client.post("/upload", data={"assignment": "activations", "csrf": _csrf(client)},
                           files={"notebook": ("hw.ipynb", b"not a notebook")})
    assert response.status_code == 400 and "not valid JSON" in response.text


def test_a_zip_upload_is_taken_or_refused_with_what_it_held(setup: tuple[Path, dict[str, str]]) -> None:
    """The form takes a zip of one notebook (Colab's or Windows' zip of it); a zip of
    several is the page again, naming them. The file chooser offers zips too."""
    course, tokens = setup
    client = _signed_in(course, tokens["ann"])
    assert 'accept=".ipynb,.zip"' in client.get("/").text
    one, two = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(one, "w") as zf:
        zf.writestr("hw.ipynb", sample("activations", "ivanov"))
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.ipynb", sample("activations", "ivanov"))
        zf.writestr("b.ipynb", sample("activations", "ivanov"))
    taken = client.post("/upload", data={"assignment": "activations", "csrf": _csrf(client)},
                        files={"notebook": ("hw.zip", one.getvalue())})
    assert taken.status_code == 303 and taken.headers["location"] == "/?sent=1"
    refused = client.post("/upload", data={"assignment": "activations", "csrf": _csrf(client)},
                          files={"notebook": ("hw.zip", two.getvalue())})
    assert refused.status_code == 400 and "several notebooks (a.ipynb, b.ipynb)" in refused.text


def test_students_see_neither_the_class_nor_each_other(setup: tuple[Path, dict[str, str]]) -> None:
    course, tokens = setup
    ann = _signed_in(course, tokens["ann"])
    ident = ann.post("/upload", data={"assignment": "activations", "csrf": _csrf(ann)},
                     files={"notebook": ("hw.ipynb", sample("activations", "ivanov"))})
    assert ident.status_code == 303
    mine = ann.get("/api/v1/submissions").json()[0]["id"]
    bob = _signed_in(course, tokens["bob"])
    assert bob.get(f"/submissions/{mine}").status_code == 404
    for path in ("/class/activations", "/class/activations/grades.csv", "/class/activations/export/moodle",
                 "/students/ann"):
        assert bob.get(path).status_code == 403, path
    assert _client(course).get("/class/activations").status_code == 401


def test_instructors_get_the_table_history_and_downloads(setup: tuple[Path, dict[str, str]]) -> None:
    course, tokens = setup
    teacher = _signed_in(course, tokens["teacher"])
    assert teacher.get("/").headers["location"] == "/class"
    table = teacher.get("/class/activations")
    assert table.status_code == 200 and "Ann Lee" in table.text and "Bob Roe" in table.text
    assert teacher.get("/class/nope").status_code == 404
    assert teacher.get("/students/ann").status_code == 200
    assert teacher.get("/students/nobody").status_code == 404
    grades = teacher.get("/class/activations/grades.csv")
    assert grades.status_code == 200 and grades.text.lstrip("\ufeff").startswith("submission,")
    moodle = teacher.get("/class/activations/export/moodle")
    assert moodle.status_code == 200 and moodle.text.lstrip("\ufeff").startswith("Identifier")
    assert teacher.get("/class/activations/export/../../x").status_code == 404
    forged = teacher.post("/class/activations/regrade", data={"csrf": "x"})
    assert forged.status_code == 403


def test_error_pages_carry_no_stack_trace(setup: tuple[Path, dict[str, str]]) -> None:
    course, _ = setup
    client = _client(course)
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "Not found" in missing.text and "Traceback" not in missing.text
    assert client.post("/login").status_code == 405


def _graded(course: Path, client: TestClient, score: float) -> str:
    """Submit through the page, then record a grading as a worker would (no jail here)."""
    from autograder.server.store import Store

    client.post("/upload", data={"assignment": "activations", "csrf": _csrf(client)},
                files={"notebook": ("hw.ipynb", sample("activations", "ivanov"))})
    store = Store(course / "server")
    row = store.claim("test:1")
    assert row is not None
    checks = [{"name": "matches", "passed": score > 0, "score": score, "max_score": 2.0,
               "visibility": "hidden", "message": "" if score else "sigmoid(0) = 0, expected 0.5"}]
    result = {"assignment": "activations", "submission": row.student, "score": score, "max_score": 2.0,
              "questions": [{"name": "sigmoid", "score": score, "max_score": 2.0, "checks": checks}],
              "errors": [], "duration_s": 0.1, "student_name": "Ann Lee"}
    import json

    assert store.finish(row.id, "test:1", "graded", json.dumps(result))
    return row.id


def test_the_class_summary_downloads_and_regrade_after_a_grading(setup: tuple[Path, dict[str, str]]) -> None:
    course, tokens = setup
    ann = _signed_in(course, tokens["ann"])
    ident = _graded(course, ann, 0.0)
    feedback = ann.get(f"/submissions/{ident}")
    assert feedback.status_code == 200 and "sigmoid(0) = 0, expected 0.5" in feedback.text
    assert "back to my submissions" in feedback.text and "Content-Security-Policy" in feedback.headers
    teacher = _signed_in(course, tokens["teacher"])
    table = teacher.get("/class/activations").text
    assert "0 / 2" in table and f"/submissions/{ident}" in table
    summary = teacher.get("/class/activations/summary.html")
    assert summary.status_code == 200 and 'href="feedback/ann.html"' in summary.text
    assert teacher.get("/class/activations/feedback/ann.html").headers["location"] == f"/submissions/{ident}"
    assert teacher.get("/class/activations/grades.csv").text.splitlines()[1].startswith("ann,Ann Lee,")
    assert "Ann Lee" in teacher.get("/class/activations/export/canvas").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', teacher.get("/class/activations").text)
    assert csrf is not None
    done = teacher.post("/class/activations/regrade", data={"csrf": csrf.group(1)})
    assert done.status_code == 303 and done.headers["location"].endswith("requeued=1")
    assert teacher.get(done.headers["location"]).text.count("queued for grading again") == 1
    assert ann.get("/api/v1/submissions").json()[0]["status"] == "queued"


def test_hidden_details_follow_the_config_for_students_only(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course", language="en")
    config = course / "grading_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("show_hidden_details: true",
                                                                 "show_hidden_details: false"), encoding="utf-8")
    tokens = {**register(course, {"ann": "Ann Lee"}), **register(course, {"teacher": "T"}, "instructor")}
    ann = _signed_in(course, tokens["ann"])
    ident = _graded(course, ann, 0.0)
    assert "expected 0.5" not in ann.get(f"/submissions/{ident}").text
    assert "expected 0.5" not in ann.get(f"/api/v1/submissions/{ident}").text
    teacher = _signed_in(course, tokens["teacher"])
    assert "expected 0.5" in teacher.get(f"/submissions/{ident}").text


def test_an_upload_far_over_the_limit_gets_a_page_with_a_way_back(tmp_path: Path) -> None:
    """Refused before the form is read (its length is declared): the page, in the course's
    layout with a link back, not bare text the student cannot leave but by the back button."""
    course = make_course(tmp_path / "course", language="ru", max_upload_mb=0.5)
    client = _signed_in(course, register(course, {"ann": "Анна"})["ann"])
    response = client.post("/upload", data={"assignment": "activations", "csrf": _csrf(client)},
                           files={"notebook": ("hw.ipynb", b"{" + b" " * 2_000_000 + b"}")})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers
    assert '<html lang="ru">' in response.text and "Блокнот больше 0.5 МБ" in response.text
    assert '<a href="/">' in response.text


def test_an_instructors_message_pages_lead_back_to_the_class(setup: tuple[Path, dict[str, str]]) -> None:
    """The link under a message says where it goes: "back to the class" for an instructor
    (it read "back to my submissions", which an instructor has none of), as before for a student."""
    course, tokens = setup
    teacher = _signed_in(course, tokens["teacher"])
    for path in ("/class/nope", "/students/nobody", "/class/activations/summary.html"):
        text = teacher.get(path).text
        assert "back to the class" in text and "back to my submissions" not in text, path
    ann = _signed_in(course, tokens["ann"])
    assert "back to my submissions" in ann.get("/submissions/0123456789ab-0123456789ab").text


def test_the_grades_download_opens_in_excel_with_its_cyrillic(setup: tuple[Path, dict[str, str]]) -> None:
    """The page's grades.csv carries a UTF-8 BOM, as the Moodle and Canvas downloads do:
    without one Excel reads it in Windows-1251 ("Р�РІР°РЅ" for "Иван"). The API's CSV,
    for scripts, is `grade`'s grades.csv as it is."""
    course, tokens = setup
    teacher = _signed_in(course, tokens["teacher"])
    download = teacher.get("/class/activations/grades.csv").content
    assert download.startswith(b"\xef\xbb\xbfsubmission,")
    api = teacher.get("/api/v1/grades?assignment=activations", headers={"Accept": "text/csv"}).content
    assert api.startswith(b"submission,") and download[3:] == api


def test_the_feedback_page_says_who_is_signed_in_and_signs_out(setup: tuple[Path, dict[str, str]]) -> None:
    """Every page of the site had the header with the name and "Sign out" but the feedback
    page (``grade``'s own page, served as it is): a student on a shared computer could not
    see whose feedback it was, nor sign out from it."""
    course, tokens = setup
    ann = _signed_in(course, tokens["ann"])
    ident = _graded(course, ann, 0.0)
    feedback = ann.get(f"/submissions/{ident}").text
    assert feedback.count('<header class="bar">') == 1 and "Signed in as Ann Lee" in feedback
    form = re.search(r'<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" '
                     r'value="([0-9a-f]+)"><button type="submit" class="link">Sign out</button></form>', feedback)
    assert form is not None and form.group(1) == _csrf(ann)
    assert ann.post("/logout", data={"csrf": form.group(1)}).status_code == 303
    teacher = _signed_in(course, tokens["teacher"])
    assert "Signed in as Teacher" in teacher.get(f"/submissions/{ident}").text
