"""What people see on the server's pages, found by using them (desktop and phone):
ways back, times a reader can place, names and status words as they should be."""

from __future__ import annotations

import json
import re
from pathlib import Path

from autograder.server.store import Store
from tests.server_helpers import make_course, register, sample
from tests.test_server_pages import _csrf, _graded, _signed_in


def test_the_class_summary_leads_back_to_the_class(tmp_path: Path) -> None:
    """The summary is ``grade``'s summary.html, written for a folder: served by the server
    it had no link at all, and on a phone no way back but the browser's."""
    course = make_course(tmp_path / "course", language="ru")
    tokens = {**register(course, {"ann": "Анна Ли"}), **register(course, {"teacher": "Т"}, "instructor")}
    _graded(course, _signed_in(course, tokens["ann"]), 2.0)
    summary = _signed_in(course, tokens["teacher"]).get("/class/activations/summary.html").text
    main = summary.split("<main>", 1)[1]
    assert main.lstrip().startswith('<p class="back"><a href="/class/activations">← к группе</a></p>')


def test_every_time_on_the_pages_names_its_zone(tmp_path: Path) -> None:
    """The class table's "Latest" column showed "2026-12-08 00:41:54", no zone, on a course
    whose due dates are Moscow's; times are now in the course's ``timezone:`` when set,
    with its name, on the student's, the class's and the history pages alike."""
    course = make_course(tmp_path / "course", language="ru")
    tokens = {**register(course, {"ann": "Анна Ли"}), **register(course, {"teacher": "Т"}, "instructor")}
    ann = _signed_in(course, tokens["ann"])
    _graded(course, ann, 2.0)
    teacher = _signed_in(course, tokens["teacher"])
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d( UTC)?")
    for text in (ann.get("/").text, teacher.get("/class/activations").text, teacher.get("/students/ann").text):
        shown = [match.group(0) for match in stamp.finditer(text)]
        assert shown and all(time.endswith(" UTC") for time in shown), shown
    config = course / "grading_config.yaml"
    config.write_text("timezone: Europe/Moscow\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    moscow = _signed_in(course, tokens["teacher"]).get("/class/activations").text
    utc = stamp.search(teacher.get("/class/activations").text)
    assert utc is not None
    hour = (int(utc.group(0)[11:13]) + 3) % 24
    assert re.search(rf"\d{{4}}-\d\d-\d\d {hour:02d}:\d\d:\d\d MSK", moscow), moscow


def test_a_question_not_scored_by_hand_yet_is_neither_passed_nor_failed(tmp_path: Path) -> None:
    """An essay (``manual:``) the instructor has not read yet was shown with a green ✔ and
    a green border, as if it had passed; its mark is now a neutral "…" (⏳ in Markdown)."""
    from autograder.manual import pending
    from autograder.reports import ReportContext
    from autograder.reports.feedback import render_feedback
    from autograder.results import SubmissionResult

    course = make_course(tmp_path / "course", language="ru")
    tokens = {**register(course, {"ann": "Анна Ли"}), **register(course, {"teacher": "Т"}, "instructor")}
    ann = _signed_in(course, tokens["ann"])
    ann.post("/upload", data={"assignment": "activations", "csrf": _csrf(ann)},
             files={"notebook": ("hw.ipynb", sample("activations", "ivanov"))})
    store = Store(course / "server")
    row = store.claim("test:1")
    assert row is not None
    checks = [{"name": "matches", "passed": True, "score": 2.0, "max_score": 2.0, "visibility": "hidden"}]
    result = {"assignment": "activations", "submission": "ann", "score": 2.0, "max_score": 2.0,
              "questions": [{"name": "sigmoid", "score": 2.0, "max_score": 2.0, "checks": checks},
                            *(question.to_json() for question in pending({"essay": 3}, "ru"))],
              "errors": [], "duration_s": 0.1}
    assert store.finish(row.id, "test:1", "graded", json.dumps(result))
    ident = row.id
    page = ann.get(f"/submissions/{ident}").text
    assert '<section class="question pending" id="q-essay">' in page
    essay = page[page.index('id="q-essay"'):]
    essay = essay[:essay.index("</section>")]
    assert "оценка преподавателя" in essay and "ещё не оценено" in essay
    assert "✔" not in essay and "✘" not in essay and '<span class="mark">…</span>' in essay
    result = SubmissionResult.from_json(ann.get(f"/api/v1/submissions/{ident}").json()["result"])
    markdown = render_feedback(result, ReportContext("activations", "Функции активации", "ru", ("sigmoid", "essay")),
                               "feedback.md.j2")
    assert "### ⏳ `essay`" in markdown and "- ⏳ оценка преподавателя" in markdown
    assert "### ✅ `sigmoid`" in markdown



def test_the_instructor_without_a_roster_is_named_in_the_courses_language(tmp_path: Path) -> None:
    """``tokens --instructor`` named them "Instructor", and a Russian course's pages said
    "Вы вошли как Instructor"."""
    from click.testing import CliRunner

    from autograder.cli import cli

    course = make_course(tmp_path / "course", language="ru")
    out = tmp_path / "staff.csv"
    result = CliRunner().invoke(cli, ["tokens", "--course", str(course), "--instructor", "--out", str(out)])
    assert result.exit_code == 0, result.output
    token = out.read_text(encoding="utf-8").splitlines()[1].split(",")[2]
    page = _signed_in(course, token).get("/class/activations").text
    assert "Вы вошли как Преподаватель" in page and "Instructor" not in page
