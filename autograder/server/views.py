"""Rendering the pages: the server's Jinja2 templates beside the reports' own.

The templates folder of the reports comes second in the search path, so the pages
share the reports' stylesheet, and a student's feedback page is the very
``feedback.html.j2`` page that ``grade`` writes to ``feedback/<id>.html``
(:func:`feedback_page`), with one link back added.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from autograder.i18n import Language
from autograder.reports import ReportContext
from autograder.reports.feedback import render_feedback
from autograder.reports.templating import TEMPLATES as REPORT_TEMPLATES
from autograder.reports.text import number, shown_time
from autograder.results import SubmissionResult
from autograder.server.auth import csrf_token
from autograder.server.service import CourseService
from autograder.server.store import Person, SubmissionRow
from autograder.server.texts import tr

TEMPLATES = Path(__file__).parent / "templates"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; "
                               "script-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(REPORT_TEMPLATES)]),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


def page(request: Request, template: str, person: Person | None, status: int = 200, **context: Any) -> HTMLResponse:
    service: CourseService = request.app.state.service
    language = service.language
    html = render(template, language, person, csrf_token(request.app.state.secret, request), **context)
    return HTMLResponse(html, status, headers=SECURITY_HEADERS)


def render(template: str, language: Language, person: Person | None, csrf: str, **context: Any) -> str:
    """A page's HTML; apart from :func:`page` so that an answer given before the
    application runs (:func:`refusal_html`) is the same page."""
    def t(key: str, **fields: Any) -> str:
        return tr(key, language, **fields)

    return environment().get_template(template).render(t=t, lang=language, person=person, csrf=csrf, **context)


def refusal_html(language: Language, key: str, **fields: Any) -> str:
    """The message page for a request refused before it reached a route (an upload over
    the size limit): the course's layout and a way back, not bare text."""
    return render("message.html.j2", language, None, "", heading=tr("title", language),
                  message=tr(key, language, **fields), kind="danger", back="/", back_text=tr("back", language))


def message_page(request: Request, person: Person | None, status: int, key: str, kind: str = "danger",
                 back: str = "", **fields: Any) -> HTMLResponse:
    """A message with a link ``back``, named for where it leads: an instructor's pages
    lead back to the class, a student's to their submissions."""
    service: CourseService = request.app.state.service
    text = tr(key, service.language, **fields)
    back_text = tr("back_class" if person is not None and person.role == "instructor" else "back", service.language)
    return page(request, "message.html.j2", person, status, heading=tr("title", service.language),
                message=text, kind=kind, back=back, back_text=back_text)


def feedback_page(request: Request, person: Person, result: SubmissionResult, back: str, back_text: str,
                  show_all: bool = False) -> HTMLResponse:
    """The feedback page ``grade`` writes, with the site's header (who is signed in, a way
    out) and a link back at the top of ``<main>``; ``show_all`` (an instructor's view)
    shows hidden checks' messages whatever the config says."""
    service: CourseService = request.app.state.service
    context = ReportContext.from_settings(service.settings, result.assignment)
    if show_all:
        context = dataclasses.replace(context, show_hidden_details=True)
    html = with_back_link(render_feedback(result, context, "feedback.html.j2"), back, back_text)
    return HTMLResponse(with_header(html, request, person), headers=SECURITY_HEADERS)


def with_header(html: str, request: Request, person: Person) -> str:
    """A report page of ``grade`` served as a page of the site gets the header every other
    page has: written for a folder, it says neither who is signed in nor how to sign out
    (on a shared computer in a classroom, the next student would be signed in as this one)."""
    service: CourseService = request.app.state.service
    header = render("bar.html.j2", service.language, person, csrf_token(request.app.state.secret, request))
    style = environment().get_template("bar.css").render()
    html = html.replace("</head>", f"<style>\n{style}</style>\n</head>", 1)
    return html.replace("<body>\n", f"<body>\n{header}", 1)


def with_back_link(html: str, back: str, back_text: str) -> str:
    """A report page of ``grade`` (feedback, the class summary) served as a page of the
    site: written for a folder, it has no way back to where the reader came from."""
    link = Markup('<p class="back"><a href="{}">{}</a></p>\n').format(back, back_text)
    return html.replace("<main>\n", f"<main>\n{link}", 1)


def title_of(service: CourseService, assignment: str) -> str:
    config = service.settings.config.assignments.get(assignment)
    return (config.title if config and config.title else assignment)


def score_text(row: SubmissionRow, result: SubmissionResult | None) -> str:
    if result is None:
        return ""
    return f"{number(result.score)} / {number(result.max_score)}"


def when(row: SubmissionRow, zone: str | None = None) -> str:
    """When ``row`` was submitted, as the reports show a time (:func:`shown_time`)."""
    return shown_time(row.submitted_at, zone)


