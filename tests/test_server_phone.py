"""The server's pages in a phone-sized window (360 x 740, headless Chromium): every table
cell on screen, nothing to scroll sideways. Gradings are recorded as a worker records
them (no jail), so only the pages are under test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.server.store import Store
from tests.browser import MARKS, chromium
from tests.server_helpers import Served, make_course, register, sample, serve

pytestmark = MARKS

PHONE = (360, 740)

# what a phone cuts off: a page or a box (a table, its scrolling frame) that scrolls
# sideways, and cells or buttons that end past the right edge of the window
OFF_SCREEN = """
const width = document.documentElement.clientWidth, out = [];
if (document.documentElement.scrollWidth > width) { out.push('page ' + document.documentElement.scrollWidth); }
document.querySelectorAll('main table, main .scroll').forEach(function (e) {
  if (e.scrollWidth > e.clientWidth + 1) { out.push('scrolls ' + e.scrollWidth + ' > ' + e.clientWidth); }
});
document.querySelectorAll('main td, main th, main button, main a').forEach(function (e) {
  const box = e.getBoundingClientRect();
  if (box.width > 0 && box.right > width + 1) { out.push(e.tagName + ' ' + e.textContent.trim().slice(0, 30)); }
});
return out;
"""


def _graded(served: Served, course: Path, token: str, student: str) -> str:
    """A submission through the API, recorded as graded as the bundled course grades it:
    6.4 of 16, a week late, a wrong sigmoid and a cell that raised."""
    status, _, data = served.submit(token, "activations", sample("activations", "ivanov"))
    assert status == 202
    store = Store(course / "server")
    row = store.claim("test:1")
    assert row is not None
    checks = [{"name": "matches the reference", "passed": False, "score": 4.8, "max_score": 8.0,
               "visibility": "hidden", "message": "sigmoid(0) returned 0, expected 0.5 " * 3}]
    stable = [{"name": "устойчива при больших |z|: softmax([1000, 1000]) = [0.5, 0.5]", "passed": True,
               "score": 8.0, "max_score": 8.0, "visibility": "hidden", "message": ""}]
    result = {"assignment": "activations", "submission": student, "score": 6.4, "max_score": 16.0,
              "raw_score": 12.8, "questions": [{"name": "sigmoid_grad", "score": 4.8, "max_score": 8.0,
                                                "checks": checks},
                                               {"name": "softmax", "score": 8.0, "max_score": 8.0,
                                                "checks": stable}],
              "late": {"submitted_at": "2026-12-08T00:41:54+00:00", "days_late": 7, "penalty_percent": 50},
              "errors": ["Cell 3 raised NameError: name 'np' is not defined"], "duration_s": 0.1}
    assert store.finish(row.id, "test:1", "graded", json.dumps(result))
    return str(data["id"])


@pytest.fixture
def phone() -> Iterator[Any]:
    with chromium(*PHONE, emulate=True) as driver:
        yield driver


def test_the_tables_fit_a_phone(phone: Any, tmp_path: Path) -> None:
    """The student's submissions, the class table and a student's history scrolled sideways
    inside their box at 360 px: the score (the student's own table) and the regrade
    buttons (the history) were cut off at the right edge."""
    course = make_course(tmp_path / "course", language="ru")
    students = register(course, {"ivanov": "Иванов Иван Иванович", "petrova": "Петрова Анна-Мария"})
    teacher = register(course, {"teacher": "Преподаватель"}, "instructor")["teacher"]
    with serve(course, workers=0) as served:
        for student, token in students.items():
            _graded(served, course, token, student)
        phone.get(f"{served.url}/login?token={students['ivanov']}")
        assert phone.execute_script("return window.innerWidth") == PHONE[0]
        assert "6.4 / 16" in phone.find_element("id", "submissions").text
        assert phone.execute_script(OFF_SCREEN) == [], "a student's submissions"
        phone.delete_all_cookies()
        phone.get(f"{served.url}/login?token={teacher}")
        assert "Петрова Анна-Мария" in phone.find_element("id", "class").text
        assert phone.execute_script(OFF_SCREEN) == [], "the class table"
        phone.get(f"{served.url}/students/ivanov?assignment=activations")
        assert phone.execute_script(OFF_SCREEN) == [], "a student's history"


def test_the_class_summary_does_not_scroll_a_phone_sideways(phone: Any, tmp_path: Path) -> None:
    """The summary's pass rate by check (a plain table: question, check, passed, %) was
    wider than a 360 px window, and the whole page scrolled sideways; a report's tables
    now scroll inside themselves on a phone, as its wide tables already did."""
    course = make_course(tmp_path / "course", language="ru")
    students = register(course, {"ivanov": "Иванов Иван Иванович"})
    teacher = register(course, {"teacher": "Преподаватель"}, "instructor")["teacher"]
    with serve(course, workers=0) as served:
        _graded(served, course, students["ivanov"], "ivanov")
        phone.get(f"{served.url}/login?token={teacher}")
        phone.get(f"{served.url}/class/activations/summary.html")
        assert "сводка по группе" in phone.find_element("tag name", "h1").text
        assert phone.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
