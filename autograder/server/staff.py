"""The instructors' pages: the class table, a student's history, downloads, regrades.

Names in addresses are looked up, never used as paths: an assignment must be one of
the config's, a student one of the database's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from autograder.lms.base import ExportInfo, grade_of
from autograder.lms.export import FORMATS
from autograder.reports import ReportContext
from autograder.reports.summary_html import render_summary
from autograder.reports.text import first_error, number
from autograder.results import SubmissionResult
from autograder.server.api import service_of
from autograder.server.auth import csrf_ok
from autograder.server.hand_scores import BadScores, apply_scores
from autograder.server.limits import TooLarge
from autograder.server.pages import current
from autograder.server.service import CourseService, result_of
from autograder.server.store import Person, SubmissionRow
from autograder.server.texts import tr
from autograder.server.views import (SECURITY_HEADERS, message_page, page, score_text, title_of, when,
                                     with_back_link)

EXPORTS = {"moodle": "moodle.csv", "canvas": "canvas.csv", "csv": "grades-plain.csv"}


class Denied(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


async def instructor(request: Request) -> tuple[CourseService, Person]:
    person = await current(request)
    if person is None:
        raise Denied(message_page(request, None, 401, "sign_in_needed"))
    if person.role != "instructor":
        raise Denied(message_page(request, person, 403, "error.forbidden", back="/"))
    return service_of(request), person


def assignment_of(request: Request, service: CourseService, person: Person) -> str:
    name = str(request.path_params.get("assignment") or request.query_params.get("assignment") or "")
    if name not in service.settings.config.assignments:
        raise Denied(message_page(request, person, 404, "error.not_found", back="/class"))
    return name


Endpoint = Callable[[Request], Awaitable[Response]]


def guarded(handler: Endpoint) -> Endpoint:
    """The handler, with a :class:`Denied` raised inside it answered by its page."""
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Denied as denied:
            return denied.response

    return endpoint


@guarded
async def class_index(request: Request) -> Response:
    service, _ = await instructor(request)
    names = service.assignments
    return RedirectResponse(f"/class/{names[0]}" if names else "/", 303)


def _late(service: CourseService, result: SubmissionResult | None) -> str:
    if result is None or result.late is None:
        return ""
    return tr("late_days", service.language, days=number(result.late.days_late),
              penalty=number(result.late.penalty_percent))


def _class_rows(service: CourseService, assignment: str) -> list[dict[str, str]]:
    people = service.store.people()
    latest = {row.student: row for row in service.store.latest(assignment)}
    graded = {row.student: row for row in service.store.latest_graded(assignment)}
    counts: dict[str, int] = {}
    zone = service.settings.config.timezone
    rows = []
    for person in people.values():
        if person.role != "student":
            continue
        counts[person.id] = len(service.store.of_student(person.id, assignment))
        last, counted = latest.get(person.id), graded.get(person.id)
        result = result_of(counted) if counted is not None else None
        rows.append({
            "id": person.id, "name": person.name, "count": str(counts[person.id]),
            "score": score_text(counted, result) if counted is not None else "",
            "feedback": f"/submissions/{counted.id}" if counted is not None else "",
            "status": last.status if last is not None else "",
            "submitted": when(last, zone) if last is not None else "",
            "late": _late(service, result),
            "error": (first_error(result) if result is not None and result.errors else "")
                     or _problem(service, last),
        })
    return rows


def _problem(service: CourseService, row: SubmissionRow | None) -> str:
    """Why the grader could not grade ``row`` (not the student's fault), for the instructor."""
    if row is None or not row.problem:
        return ""
    if row.problem == "grader.crashed":
        return tr("grader_failed", service.language)
    return row.problem.removeprefix("grader.assignment: ")


@guarded
async def class_table(request: Request) -> Response:
    service, person = await instructor(request)
    assignment = assignment_of(request, service, person)
    return await _class_page(request, service, person, assignment, _notice(request, service))


def _notice(request: Request, service: CourseService) -> str:
    """What the action that led here did (a regrade, a scores table), from its redirect."""
    requeued, scored = request.query_params.get("requeued", ""), request.query_params.get("scored", "")
    if requeued.isdigit():
        return tr("requeued", service.language, count=int(requeued))
    return tr("hand_scores_taken", service.language, count=int(scored)) if scored.isdigit() else ""


async def _class_page(request: Request, service: CourseService, person: Person, assignment: str, notice: str = "",
                      problems: list[str] | None = None, status: int = 200) -> Response:
    """The class table of ``assignment``; ``problems``: why a scores table was refused."""
    rows = await run_in_threadpool(_class_rows, service, assignment)
    counts = await run_in_threadpool(service.store.counts)
    return page(request, "class.html.j2", person, status, assignment=assignment,
                title=title_of(service, assignment),
                assignments=[(name, title_of(service, name)) for name in service.assignments],
                rows=rows, notice=notice, queued=counts.get("queued", 0), grading=counts.get("grading", 0),
                hand_graded=bool(service.settings.assignment(assignment).manual), problems=problems or [])


@guarded
async def upload_scores(request: Request) -> Response:
    """The instructor's scores of questions graded by hand (``grade --manual``'s table),
    merged into the class's latest results; every bad row shown on the class page."""
    service, person = await instructor(request)
    assignment = assignment_of(request, service, person)
    csrf, data = await _scores_form(request)
    if not csrf_ok(request.app.state.secret, request, csrf):
        return message_page(request, person, 403, "error.csrf")
    if not data:
        return await _class_page(request, service, person, assignment,
                                 problems=[tr("hand_scores_no_file", service.language)], status=400)
    if len(data) > service.max_upload_bytes:
        return message_page(request, person, 413, "error.too_large", back=f"/class/{assignment}",
                            mb=f"{service.settings.config.server.max_upload_mb:g}")
    try:
        count = await run_in_threadpool(apply_scores, service, assignment, data)
    except BadScores as refused:
        return await _class_page(request, service, person, assignment, problems=refused.lines, status=400)
    return RedirectResponse(f"/class/{assignment}?scored={count}", 303)


def _history_rows(service: CourseService, student: str) -> list[dict[str, str]]:
    rows = []
    for row in service.store.of_student(student):
        result = result_of(row) if row.result_json and row.status in ("graded", "error") else None
        rows.append({"id": row.id, "title": title_of(service, row.assignment),
                     "submitted": when(row, service.settings.config.timezone),
                     "status": row.status, "score": score_text(row, result)})
    return rows


@guarded
async def history(request: Request) -> Response:
    service, person = await instructor(request)
    student = service.store.people().get(request.path_params["student"])
    if student is None:
        return message_page(request, person, 404, "error.not_found", back="/class")
    assignment = request.query_params.get("assignment", "")
    if assignment not in service.settings.config.assignments:
        assignment = service.assignments[0] if service.assignments else ""
    rows = await run_in_threadpool(_history_rows, service, student.id)
    return page(request, "history.html.j2", person, student=student, rows=rows, assignment=assignment)


@guarded
async def grades_download(request: Request) -> Response:
    service, person = await instructor(request)
    assignment = assignment_of(request, service, person)
    text = await run_in_threadpool(service.grades_csv, assignment)   # grade's grades.csv, manual questions too
    # with a BOM, as the LMS exports: Excel opens a CSV without one in the system's code
    # page (Windows-1251 on a Russian Windows), and the students' names come out garbled
    return _download(text.encode("utf-8-sig"), f"{assignment}-grades.csv")


@guarded
async def lms_export(request: Request) -> Response:
    service, person = await instructor(request)
    assignment = assignment_of(request, service, person)
    kind = request.path_params["kind"]
    if kind not in EXPORTS or kind not in FORMATS:
        return message_page(request, person, 404, "error.not_found", back="/class")
    results = await run_in_threadpool(service.latest_results, assignment)
    show = service.settings.config.feedback.show_hidden_details
    info = ExportInfo(assignment, title_of(service, assignment), datetime.now().astimezone())
    outcome = FORMATS[kind].fresh([grade_of(result, show) for result in results], info)
    return _download(outcome.data, f"{assignment}-{EXPORTS[kind]}")


def _download(data: bytes, filename: str) -> Response:
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'})


@guarded
async def summary(request: Request) -> Response:
    service, person = await instructor(request)
    assignment = assignment_of(request, service, person)
    results = await run_in_threadpool(service.latest_results, assignment)
    if not results:
        return message_page(request, person, 200, "none_yet", kind="", back=f"/class/{assignment}")
    context = ReportContext.from_settings(service.settings, assignment)
    html = await run_in_threadpool(render_summary, results, context)
    html = with_back_link(html, f"/class/{assignment}", tr("back_class", service.language))
    return Response(html, media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)


@guarded
async def summary_feedback(request: Request) -> Response:
    """``feedback/<student>.html`` as the summary page links it: that student's latest."""
    service, person = await instructor(request)
    assignment = assignment_of(request, service, person)
    rows = [row for row in service.store.latest_graded(assignment) if row.student == request.path_params["student"]]
    if not rows:
        return message_page(request, person, 404, "error.not_found", back=f"/class/{assignment}")
    return RedirectResponse(f"/submissions/{rows[0].id}", 303)


@guarded
async def regrade_class(request: Request) -> Response:
    service, person = await instructor(request)
    assignment = assignment_of(request, service, person)
    if not await _form_ok(request):
        return message_page(request, person, 403, "error.csrf")
    count = await run_in_threadpool(service.requeue, [row.id for row in service.store.latest(assignment)])
    return RedirectResponse(f"/class/{assignment}?requeued={count}", 303)


@guarded
async def regrade_one(request: Request) -> Response:
    service, person = await instructor(request)
    if not await _form_ok(request):
        return message_page(request, person, 403, "error.csrf")
    row: SubmissionRow | None = service.store.get(request.path_params["ident"])
    if row is None:
        return message_page(request, person, 404, "error.not_found", back="/class")
    await run_in_threadpool(service.requeue, [row.id])
    return RedirectResponse(f"/students/{row.student}?assignment={row.assignment}", 303)


async def _scores_form(request: Request) -> tuple[str, bytes]:
    """The form's ``csrf`` and the ``scores`` file's bytes (empty when there is none, or the
    form cannot be parsed); the spooled upload closed whatever happens."""
    try:
        form = await request.form(max_files=1, max_fields=4)
    except TooLarge:
        raise
    except Exception:  # noqa: BLE001 -- python-multipart's many parse errors: no table sent
        return "", b""
    try:
        upload = form.get("scores")
        return str(form.get("csrf", "")), await upload.read() if isinstance(upload, UploadFile) else b""
    finally:
        await form.close()


async def _form_ok(request: Request) -> bool:
    form = await request.form(max_files=0, max_fields=4)
    return csrf_ok(request.app.state.secret, request, str(form.get("csrf", "")))


ROUTES = [
    Route("/class", class_index, methods=["GET"]),
    Route("/class/{assignment}", class_table, methods=["GET"]),
    Route("/class/{assignment}/grades.csv", grades_download, methods=["GET"]),
    Route("/class/{assignment}/export/{kind}", lms_export, methods=["GET"]),
    Route("/class/{assignment}/summary.html", summary, methods=["GET"]),
    Route("/class/{assignment}/feedback/{student}.html", summary_feedback, methods=["GET"]),
    Route("/class/{assignment}/regrade", regrade_class, methods=["POST"]),
    Route("/class/{assignment}/scores", upload_scores, methods=["POST"]),
    Route("/students/{student}", history, methods=["GET"]),
    Route("/submissions/{ident}/regrade", regrade_one, methods=["POST"]),
]
