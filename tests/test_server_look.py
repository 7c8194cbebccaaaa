"""What people see on the server's pages, found by using them (desktop and phone):
ways back, times a reader can place, names and status words as they should be."""

from __future__ import annotations

import re
from pathlib import Path

from tests.server_helpers import make_course, register
from tests.test_server_pages import _graded, _signed_in


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
