"""The pages for people: sign in by link, upload, one's submissions, the feedback.

Every form that changes something is checked with :func:`auth.csrf_ok`; a refused
upload shows the same page again with the reason (and the API's status code).
"""

from __future__ import annotations

import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from autograder.results import SubmissionResult
from autograder.server.api import read_upload, service_of
from autograder.server.auth import csrf_ok, person_of, sign_in, sign_out, token_of
from autograder.server.limits import TooLarge
from autograder.server.service import Refusal
from autograder.server.store import Person, SubmissionRow
from autograder.server.texts import tr
from autograder.server.views import feedback_page, message_page, page, score_text, title_of, when


async def current(request: Request) -> Person | None:
    return await run_in_threadpool(person_of, service_of(request).store, token_of(request))


async def home(request: Request) -> Response:
    person = await current(request)
    if person is None:
        return message_page(request, None, 200, "sign_in_needed", kind="")
    if person.role == "instructor":
        return RedirectResponse("/class", 303)
    if request.query_params.get("sent") == "1":  # back from an upload: say it went through
        return await _home(request, person, notice=tr("accepted", service_of(request).language))
    return await _home(request, person)


async def _home(request: Request, person: Person, status: int = 200, notice: str = "",
                notice_kind: str = "ok", chosen: str = "") -> Response:
    service = service_of(request)
    rows = await run_in_threadpool(service.store.of_student, person.id)
    names = service.assignments
    chosen = chosen or (rows[0].assignment if rows else names[0] if names else "")
    return page(request, "home.html.j2", person, status, notice=notice, notice_kind=notice_kind, chosen=chosen,
                assignments=[(name, title_of(service, name)) for name in names],
                rows=[_row_view(request, row) for row in rows])


def _row_view(request: Request, row: SubmissionRow) -> dict[str, str]:
    service = service_of(request)
    result = SubmissionResult.from_json(json.loads(row.result_json)) \
        if row.result_json and row.status in ("graded", "error") else None
    return {"id": row.id, "title": title_of(service, row.assignment),
            "submitted": when(row, service.settings.config.timezone),
            "status": row.status, "score": score_text(row, result)}


# Where a sign-in link may lead after signing in: a page of this site, by its path alone
# (never "//host" or "/\\host", which browsers read as another site)
_NEXT = re.compile(r"/(?:[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*)?")


async def login(request: Request) -> Response:
    """Sign in with a personal link; ``next``: the page to show then (``submit()``'s
    links to a submission), the home page by default or for anything but a local path."""
    token = request.query_params.get("token", "")
    person = await run_in_threadpool(person_of, service_of(request).store, token)
    if person is None:
        return message_page(request, None, 401, "bad_token")
    wanted = request.query_params.get("next", "/")
    response = RedirectResponse(wanted if _NEXT.fullmatch(wanted) else "/", 303)  # the token leaves the address bar
    sign_in(response, request, token)
    return response


async def logout(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=4)
    if not csrf_ok(request.app.state.secret, request, str(form.get("csrf", ""))):
        return message_page(request, None, 403, "error.csrf")
    response = RedirectResponse("/", 303)
    sign_out(response)
    return response


async def upload(request: Request) -> Response:
    service = service_of(request)
    person = await current(request)
    if person is None:
        return message_page(request, None, 401, "sign_in_needed")
    chosen = ""
    try:
        assignment, data = await read_upload_with_csrf(request)
        chosen = assignment
        await run_in_threadpool(service.submit, person, assignment, data)
    except Refusal as refusal:
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after is not None else {}
        response = await _home(request, person, refusal.status, tr(refusal.key, service.language, **refusal.fields),
                               "danger", chosen)
        response.headers.update(headers)
        return response
    return RedirectResponse("/?sent=1", 303)


async def read_upload_with_csrf(request: Request) -> tuple[str, bytes]:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Refusal(400, "error.bad_form")
    try:
        form = await request.form(max_files=1, max_fields=8)
    except TooLarge:
        raise
    except Exception:  # noqa: BLE001 -- python-multipart's many parse errors: a bad form
        raise Refusal(400, "error.bad_form") from None
    if not csrf_ok(request.app.state.secret, request, str(form.get("csrf", ""))):
        await form.close()  # the spooled file, if any
        raise Refusal(403, "error.csrf")
    return await read_upload(request)  # the same form, parsed once by Starlette and cached


async def submission(request: Request) -> Response:
    service = service_of(request)
    person = await current(request)
    if person is None:
        return message_page(request, None, 401, "sign_in_needed")
    try:
        row = await run_in_threadpool(service.submission, person, request.path_params["ident"])
    except Refusal as refusal:
        return message_page(request, person, refusal.status, refusal.key, back="/")
    mine = person.role != "instructor"
    back = "/" if mine else f"/students/{row.student}?assignment={row.assignment}"
    back_text = tr("back" if mine else "back_class", service.language)
    if row.result_json is None or row.status not in ("graded", "error"):
        return page(request, "waiting.html.j2", person, back=back, title=title_of(service, row.assignment),
                    state=row.status, failed=row.status == "error")
    result = SubmissionResult.from_json(json.loads(row.result_json))
    return feedback_page(request, person, result, back, back_text, show_all=not mine)


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/login", login, methods=["GET"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/upload", upload, methods=["POST"]),
    Route("/submissions/{ident}", submission, methods=["GET"]),
]
