"""The JSON API of CONTRACT §4, under ``/api/v1``.

``POST /submissions`` takes the token from the ``Authorization`` header only (never
the cookie), so a page on another site cannot submit in a student's name; the reads
also accept the pages' cookie, which is how the submissions page updates its table.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from autograder.server.limits import TooLarge
from autograder.server.auth import person_of, token_of
from autograder.server.service import CourseService, Refusal, submission_json
from autograder.server.store import Person
from autograder.server.texts import tr

MAX_FIELDS = 8


def service_of(request: Request) -> CourseService:
    service: CourseService = request.app.state.service
    return service


def refusal_response(service: CourseService, refusal: Refusal) -> JSONResponse:
    headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after is not None else None
    return JSONResponse({"detail": tr(refusal.key, service.language, **refusal.fields)}, refusal.status,
                        headers=headers)


async def _person(request: Request, cookie: bool = True) -> Person:
    person = await run_in_threadpool(person_of, service_of(request).store, token_of(request, cookie))
    if person is None:
        raise Refusal(401, "error.unauthorized")
    return person


async def post_submission(request: Request) -> Response:
    service = service_of(request)
    try:
        person = await _person(request, cookie=False)
        assignment, data = await read_upload(request)
        ident = await run_in_threadpool(service.submit, person, assignment, data)
    except Refusal as refusal:
        return refusal_response(service, refusal)
    return JSONResponse({"id": ident, "status": "queued"}, 202,
                        headers={"Location": f"/api/v1/submissions/{ident}"})


async def read_upload(request: Request) -> tuple[str, bytes]:
    """The form's ``assignment`` and ``notebook`` file; 400 for any other shape."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Refusal(400, "error.bad_form")
    try:
        form = await request.form(max_files=1, max_fields=MAX_FIELDS)
    except TooLarge:
        raise
    except Exception:  # noqa: BLE001 -- python-multipart's many parse errors: a bad form
        raise Refusal(400, "error.bad_form") from None
    try:
        assignment, notebook = form.get("assignment"), form.get("notebook")
        if not isinstance(assignment, str) or not isinstance(notebook, UploadFile):
            raise Refusal(400, "error.bad_form")
        data = await notebook.read()
    finally:
        await form.close()
    return assignment.strip(), data


async def get_submission(request: Request) -> Response:
    service = service_of(request)
    try:
        person = await _person(request)
        row = await run_in_threadpool(service.submission, person, request.path_params["ident"])
    except Refusal as refusal:
        return refusal_response(service, refusal)
    return JSONResponse(_view(service, person, row))


async def list_submissions(request: Request) -> Response:
    service = service_of(request)
    try:
        person = await _person(request)
    except Refusal as refusal:
        return refusal_response(service, refusal)
    rows = await run_in_threadpool(service.store.of_student, person.id, request.query_params.get("assignment"))
    return JSONResponse([_view(service, person, row) for row in rows])


def _view(service: CourseService, person: Person, row: Any) -> dict[str, Any]:
    show = person.role == "instructor" or service.settings.config.feedback.show_hidden_details
    return submission_json(row, show, service.language)


async def get_grades(request: Request) -> Response:
    service = service_of(request)
    try:
        person = await _person(request)
        if person.role != "instructor":
            raise Refusal(403, "error.forbidden")
        assignment = request.query_params.get("assignment", "")
        if "text/csv" in request.headers.get("accept", ""):
            text = await run_in_threadpool(service.grades_csv, assignment)
            return Response(text, media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{assignment}-grades.csv"'})
        results = await run_in_threadpool(service.latest_results, assignment)
    except Refusal as refusal:
        return refusal_response(service, refusal)
    return JSONResponse([result.to_json() for result in results])


async def post_scores(request: Request) -> Response:
    """The page's table of hand scores for scripts: the body is the table itself
    (``curl --data-binary @scores.csv``); the token from the header only, as for submissions."""
    from autograder.server.hand_scores import BadScores, apply_scores

    service = service_of(request)
    try:
        person = await _person(request, cookie=False)
        if person.role != "instructor":
            raise Refusal(403, "error.forbidden")
        assignment = request.query_params.get("assignment", "")
        if assignment not in service.settings.config.assignments:
            raise Refusal(404, "error.unknown_assignment",
                          {"name": assignment, "known": ", ".join(service.assignments)})
        data = await request.body()
        if len(data) > service.max_upload_bytes:
            raise Refusal(413, "error.too_large", {"mb": f"{service.settings.config.server.max_upload_mb:g}"})
        applied = await run_in_threadpool(apply_scores, service, assignment, data)
    except Refusal as refusal:
        return refusal_response(service, refusal)
    except BadScores as refused:
        return JSONResponse({"detail": tr("hand_scores_refused", service.language), "errors": refused.lines}, 400)
    return JSONResponse({"assignment": assignment, "applied": applied})


ROUTES = [
    Route("/api/v1/submissions", post_submission, methods=["POST"]),
    Route("/api/v1/submissions", list_submissions, methods=["GET"]),
    Route("/api/v1/submissions/{ident}", get_submission, methods=["GET"]),
    Route("/api/v1/grades", get_grades, methods=["GET"]),
    Route("/api/v1/scores", post_scores, methods=["POST"]),
]
