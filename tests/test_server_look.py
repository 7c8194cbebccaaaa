"""What people see on the server's pages, found by using them (desktop and phone):
ways back, times a reader can place, names and status words as they should be."""

from __future__ import annotations

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

