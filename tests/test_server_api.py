"""CONTRACT §4's API, in-process (Starlette's TestClient): statuses, ownership, limits,
and the result of a graded submission equal to what ``autograder grade`` writes."""

from __future__ import annotations

import io
import json
import random
import stat
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from autograder.cli import main
from autograder.server.app import ServerOptions, create_app
from tests.server_helpers import make_course, register, sample, settings_of


def _client(course: Path, workers: int = 0) -> TestClient:
    app = create_app(settings_of(course), ServerOptions(state=course / "server", workers=workers))
    return TestClient(app, base_url="http://testserver")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course", limits={"submissions_per_hour": 3}, max_upload_mb=0.5)


@pytest.fixture
def tokens(course: Path) -> dict[str, str]:
    return {**register(course, {"ann": "Ann Lee", "bob": "Bob Roe"}),
            **register(course, {"teacher": "T. Eacher"}, "instructor")}


@pytest.fixture
def client(course: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    yield _client(course)


def _post(client: TestClient, token: str | None, assignment: str = "activations",
          data: bytes | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/submissions", headers=headers, data={"assignment": assignment},
                       files={"notebook": ("hw.ipynb", sample("activations", "ivanov") if data is None else data)})


def test_a_submission_is_stored_before_202_and_seen_only_by_its_owner(
        client: TestClient, course: Path, tokens: dict[str, str]) -> None:
    response = _post(client, tokens["ann"])
    assert response.status_code == 202
    ident = response.json()["id"]
    assert response.json() == {"id": ident, "status": "queued"}
    stored = course / "server" / "submissions" / f"{ident}.ipynb"
    assert stored.read_bytes() == sample("activations", "ivanov")
    mine = client.get(f"/api/v1/submissions/{ident}", headers={"Authorization": f"Bearer {tokens['ann']}"})
    assert mine.status_code == 200
    assert mine.json()["status"] == "queued" and mine.json()["assignment"] == "activations"
    assert "result" not in mine.json() and mine.json()["submitted_at"].endswith("+00:00")
    other = client.get(f"/api/v1/submissions/{ident}", headers={"Authorization": f"Bearer {tokens['bob']}"})
    assert other.status_code == 404
    assert client.get("/api/v1/submissions/../../server.sqlite",
                      headers={"Authorization": f"Bearer {tokens['ann']}"}).status_code == 404
    listed = client.get("/api/v1/submissions", headers={"Authorization": f"Bearer {tokens['bob']}"})
    assert listed.json() == []


def test_the_list_is_newest_first(client: TestClient, tokens: dict[str, str]) -> None:
    first = _post(client, tokens["ann"]).json()["id"]
    second = _post(client, tokens["ann"]).json()["id"]
    listed = client.get("/api/v1/submissions", headers={"Authorization": f"Bearer {tokens['ann']}"}).json()
    assert [item["id"] for item in listed] == [second, first]


def test_refusals_have_their_status_codes(client: TestClient, tokens: dict[str, str]) -> None:
    assert _post(client, None).status_code == 401
    assert _post(client, "not-a-token").status_code == 401
    unknown = _post(client, tokens["ann"], assignment="nope")
    assert unknown.status_code == 404 and "activations" in unknown.json()["detail"]
    big = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "x": "' + b"a" * 700_000 + b'"}'
    assert _post(client, tokens["ann"], data=big).status_code == 413
    assert _post(client, tokens["ann"], data=b"print('hello')").status_code == 400
    assert _post(client, tokens["ann"], data=b'{"cells": 3}').status_code == 400
    no_file = client.post("/api/v1/submissions", headers={"Authorization": f"Bearer {tokens['ann']}"},
                          data={"assignment": "activations"})
    assert no_file.status_code == 400
    assert client.post("/api/v1/submissions", headers={"Authorization": f"Bearer {tokens['ann']}"},
                       content=b"{}").status_code == 400


def test_past_the_hourly_limit_429_with_retry_after(client: TestClient, tokens: dict[str, str]) -> None:
    assert [_post(client, tokens["ann"]).status_code for _ in range(3)] == [202, 202, 202]
    refused = _post(client, tokens["ann"])
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert _post(client, tokens["bob"]).status_code == 202  # the limit is per student


def test_a_submission_sent_with_the_cookie_only_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    client.cookies.set("autograder_token", tokens["ann"])
    assert _post(client, None).status_code == 401  # the API's POST takes the header only: no CSRF


def test_grades_are_for_instructors_only(client: TestClient, tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {tokens['ann']}"}
    assert client.get("/api/v1/grades?assignment=activations", headers=headers).status_code == 403
    staff = {"Authorization": f"Bearer {tokens['teacher']}"}
    assert client.get("/api/v1/grades?assignment=activations", headers=staff).json() == []
    assert client.get("/api/v1/grades?assignment=nope", headers=staff).status_code == 404


def test_errors_are_json_without_stack_traces(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404 and "Traceback" not in missing.text
    assert client.delete("/api/v1/submissions").status_code == 405


@pytest.mark.slow
def test_graded_by_the_pool_as_grade_grades_it(course: Path, tokens: dict[str, str], tmp_path: Path) -> None:
    """The server's result is the result file ``grade --manifest`` writes for the same
    notebook and time: same scores, messages and late penalty; only the duration differs."""
    with _client(course, workers=1) as client:
        ident = _post(client, tokens["ann"]).json()["id"]
        headers = {"Authorization": f"Bearer {tokens['ann']}"}
        deadline = time.monotonic() + 120
        while (view := client.get(f"/api/v1/submissions/{ident}", headers=headers).json())["status"] \
                not in ("graded", "error") and time.monotonic() < deadline:
            time.sleep(0.05)
        staff = {"Authorization": f"Bearer {tokens['teacher']}"}
        grades_json = client.get("/api/v1/grades?assignment=activations", headers=staff).json()
        grades_csv = client.get("/api/v1/grades?assignment=activations", headers={**staff, "Accept": "text/csv"})
    assert view["status"] == "graded", view
    served = view["result"]
    assert json.loads((course / "server" / "results" / f"{ident}.json").read_text()) == served
    notebook = tmp_path / "by-grade" / "ann.ipynb"
    notebook.parent.mkdir()
    notebook.write_bytes(sample("activations", "ivanov"))
    manifest = tmp_path / "times.csv"
    manifest.write_text(f"id,submitted_at\nann,{view['submitted_at']}\n", encoding="utf-8")
    main(["grade", "--course", str(course), "-a", "activations", str(notebook), "--out", str(tmp_path / "out"),
          "--manifest", str(manifest)])
    graded = json.loads((tmp_path / "out" / "ann.json").read_text())
    for data in (served, graded):
        data.pop("duration_s")
        data.pop("student_name", None)
    assert served == graded
    assert served["late"]["penalty_percent"] == 50.0  # activations was due 2026-12-01: the server's clock
    assert [g["submission"] for g in grades_json] == ["ann"]
    assert grades_csv.headers["content-type"].startswith("text/csv")
    assert grades_csv.text.splitlines()[1].startswith("ann,Ann Lee,")


def test_a_body_sent_without_a_length_is_cut_at_the_limit(client: TestClient, tokens: dict[str, str]) -> None:
    """Chunked upload, no Content-Length: refused with 413 once past the limit, not read whole."""
    head = (b'--b\r\nContent-Disposition: form-data; name="assignment"\r\n\r\nactivations\r\n'
            b'--b\r\nContent-Disposition: form-data; name="notebook"; filename="n.ipynb"\r\n\r\n')
    def body() -> Iterator[bytes]:
        yield head
        for _ in range(64):  # 4 MB offered; the limit is 0.5 MB
            yield b"a" * 65536
        yield b"\r\n--b--\r\n"

    response = client.post("/api/v1/submissions", content=body(),
                           headers={"Authorization": f"Bearer {tokens['ann']}",
                                    "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413 and "larger than 0.5 MB" in response.json()["detail"]
    assert client.get("/api/v1/submissions", headers={"Authorization": f"Bearer {tokens['ann']}"}).json() == []


def test_a_web_process_without_workers_leaves_the_pools_claims_alone(course: Path, tokens: dict[str, str]) -> None:
    """``serve --workers 0`` beside the process that grades: starting and stopping it
    puts back nothing that the other process's workers hold."""
    from autograder.server.store import Store

    with _client(course, workers=0) as client:
        ident = _post(client, tokens["ann"]).json()["id"]
        assert Store(course / "server").claim("elsewhere:1") is not None
    with _client(course, workers=0):
        pass
    row = Store(course / "server").get(ident)
    assert row is not None and row.status == "grading"


def test_a_notebook_saved_with_a_byte_order_mark_is_accepted(client: TestClient, tokens: dict[str, str]) -> None:
    """Windows editors save UTF-8 with a BOM; ``grade`` reads such a notebook, so the
    server takes it too (it was refused as "not JSON", quoting the file's first bytes)."""
    response = _post(client, tokens["ann"], data=b"\xef\xbb\xbf" + sample("activations", "ivanov"))
    assert response.status_code == 202, response.json()


def test_an_unreadable_upload_is_refused_with_gradings_message_in_the_course_language(tmp_path: Path) -> None:
    """A zip, an empty file or broken JSON: the message ``grade`` would give, in Russian
    for a Russian course, without English fragments or the file's bytes quoted."""
    course = make_course(tmp_path / "course", language="ru")
    token = register(course, {"ann": "Анна"})["ann"]
    client = _client(course)
    answers = {name: _post(client, token, data=data).json()["detail"] for name, data in (
        ("zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe"), ("empty", b""), ("broken", b'{"cells": [')
    )}
    assert answers["zip"].startswith("Отправленный файл не текстовый"), answers
    assert answers["empty"].startswith("Отправленный файл пуст"), answers
    assert answers["broken"].startswith("Отправленный файл не является корректным JSON"), answers
    assert not any("not UTF-8" in text or "does not appear" in text for text in answers.values()), answers


def _recorded(course: Path, student: str, assignment: str, result_json: str) -> None:
    """Record ``result_json`` as ``student``'s graded submission, as a worker would (no jail)."""
    from autograder.server.store import Store

    store = Store(course / "server")
    assert store.accept(f"s-{student}", student, assignment, "0" * 64, 1, 0, 3600.0) is None
    row = store.claim("test:1")
    assert row is not None and store.finish(row.id, "test:1", "graded", result_json)


def test_the_grades_csv_lists_questions_graded_by_hand_as_grade_writes_it(tmp_path: Path) -> None:
    """A ``manual:`` question had no column in the server's grades CSV (its columns came from
    the automatic questions alone), where ``grade``'s grades.csv has one: empty until
    scored, then the instructor's points. For the same results, the API's CSV and the
    instructors' download (less its BOM) are now ``grade``'s grades.csv byte for byte."""
    from tests.helpers import graded_essay_class

    config, _, out = graded_essay_class(tmp_path, ("ann", "bob"), "student,question,points,comment\nann,essay,1.5,clear\n")
    course = config.parent
    tokens = {**register(course, {"ann": "Ann", "bob": "Bob"}), **register(course, {"teacher": "T"}, "instructor")}
    for student in ("ann", "bob"):
        _recorded(course, student, "mini", (out / f"{student}.json").read_text(encoding="utf-8"))
    client = _client(course)
    staff = {"Authorization": f"Bearer {tokens['teacher']}"}
    api = client.get("/api/v1/grades?assignment=mini", headers={**staff, "Accept": "text/csv"}).text
    assert client.get(f"/login?token={tokens['teacher']}").status_code in (200, 303)
    page = client.get("/class/mini/grades.csv").content.decode("utf-8-sig")
    expected = (out / "grades.csv").read_text(encoding="utf-8")
    assert expected.splitlines()[0].startswith("submission,double,halve,essay,score,")
    assert [line.split(",")[3] for line in expected.splitlines()[1:]] == ["1.5", ""]  # ann scored, bob not yet
    assert api == expected
    assert page == expected
    listed = client.get("/api/v1/grades?assignment=mini", headers=staff).json()
    assert [r["manual"]["essay"]["score"] for r in listed] == [1.5, None]


def _zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_one_notebook_is_graded_from_inside_it_and_kept_as_sent(
        client: TestClient, course: Path, tokens: dict[str, str]) -> None:
    """Colab's "download" or Windows' "send to compressed folder" sends a zip: it was
    refused as "not text, send the .ipynb". Its one notebook (Finder's ``__MACOSX`` copy
    is not a second) is stored to be graded, the zip itself beside it, as received."""
    notebook = sample("activations", "ivanov")
    sent = _zipped({"hw/hw.ipynb": notebook, "__MACOSX/hw/._hw.ipynb": b"\x00\x05\x16\x07"})
    response = _post(client, tokens["ann"], data=sent)
    assert response.status_code == 202, response.json()
    ident = response.json()["id"]
    stored = course / "server" / "submissions"
    assert (stored / f"{ident}.ipynb").read_bytes() == notebook
    assert (stored / f"{ident}.zip").read_bytes() == sent


def test_a_zip_with_a_russian_name_from_windows_is_read(client: TestClient, tokens: dict[str, str]) -> None:
    """Windows' "compressed folder" writes names in cp866 without the UTF-8 flag."""
    sent = _zipped({"QQQQQQQQ.ipynb": sample("activations", "ivanov")})
    sent = sent.replace(b"QQQQQQQQ", "домашка1".encode("cp866"))
    assert _post(client, tokens["ann"], data=sent).status_code == 202


def test_a_zip_without_exactly_one_notebook_it_can_read_says_what_it_held_in_the_course_language(
        tmp_path: Path) -> None:
    """None, several, or one the archive reader refuses (a zip bomb, a link, a password):
    400 naming what was found, in Russian for a Russian course; nothing is stored."""
    course = make_course(tmp_path / "course", language="ru")
    token = register(course, {"ann": "Анна"})["ann"]
    client = _client(course)
    good = sample("activations", "ivanov")
    link = io.BytesIO()
    with zipfile.ZipFile(link, "w") as zf:
        info = zipfile.ZipInfo("hw.ipynb")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    answers = {name: _post(client, token, data=data) for name, data in (
        ("none", _zipped({"hw.pdf": b"%PDF-1.4", "notes.txt": b"hi"})),
        ("empty", _zipped({})),
        ("several", _zipped({"a.ipynb": good, "b/b.ipynb": good})),
        ("bomb", _zipped({"hw.ipynb": b'{"cells": []}' + b" " * (4 << 20)})),
        ("link", link.getvalue()),
        ("broken", _zipped({"hw.ipynb": b'{"cells": ['})),
    )}
    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(answers, 400)
    said = {name: answer.json()["detail"] for name, answer in answers.items()}
    assert said["none"].startswith("В вашей работе нет блокнота (.ipynb): найдено hw.pdf, notes.txt"), said
    assert said["empty"].startswith("В вашей работе нет блокнота"), said
    assert said["several"].startswith("В вашей работе несколько блокнотов (a.ipynb, b/b.ipynb)"), said
    assert said["bomb"].startswith("Файл hw.ipynb в загруженном вами архиве отклонён"), said
    assert said["link"].startswith("Элемент hw.ipynb в загруженном вами архиве — ссылка"), said
    assert said["broken"].startswith("Отправленный файл не является корректным JSON"), said
    assert list((course / "server" / "submissions").iterdir()) == []


def test_the_size_limit_holds_for_a_zip_as_sent(client: TestClient, tokens: dict[str, str]) -> None:
    """413 is about the upload: a zip over the limit is refused unread; one under it whose
    notebook unpacks larger than the limit is graded (the reader's caps guard unpacking)."""
    noise = random.Random(0).randbytes(600_000)  # does not pack smaller
    over = _zipped({"hw.ipynb": sample("activations", "ivanov"), "data.bin": noise})
    assert _post(client, tokens["ann"], data=over).status_code == 413
    roomy = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "x": "' + b"a" * 700_000 + b'"}'
    assert _post(client, tokens["ann"], data=_zipped({"hw.ipynb": roomy})).status_code == 202


@pytest.mark.slow
def test_a_zipped_notebook_is_graded_as_the_notebook_itself(course: Path, tokens: dict[str, str]) -> None:
    """The pool grades what was read out of the zip: the same scores as the bare notebook."""
    headers = {"Authorization": f"Bearer {tokens['ann']}"}
    with _client(course, workers=1) as client:
        idents = [_post(client, tokens["ann"], data=data).json()["id"]
                  for data in (sample("activations", "ivanov"), _zipped({"hw.ipynb": sample("activations", "ivanov")}))]
        deadline = time.monotonic() + 120
        while any(client.get(f"/api/v1/submissions/{i}", headers=headers).json()["status"] not in ("graded", "error")
                  for i in idents) and time.monotonic() < deadline:
            time.sleep(0.05)
        bare, zipped = (client.get(f"/api/v1/submissions/{i}", headers=headers).json() for i in idents)
    assert bare["status"] == zipped["status"] == "graded", (bare, zipped)
    assert zipped["result"]["score"] == bare["result"]["score"] > 0
