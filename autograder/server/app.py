"""The ASGI application: routes, error pages without stack traces, the grading pool.

:func:`create_app` builds it for ``autograder serve`` (uvicorn) and for tests
(Starlette's ``TestClient``); the pool of grading workers starts and stops with the
application's lifespan, so a test that never enters the lifespan grades nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from autograder.config import Settings
from autograder.sandbox import affinity
from autograder.server import api, pages, staff
from autograder.server.auth import server_secret
from autograder.server.limits import FORM_OVERHEAD, BodyLimit, Scope, TooLarge
from autograder.server.pool import Pool
from autograder.server.service import CourseService
from autograder.server.texts import tr
from autograder.server.views import SECURITY_HEADERS, message_page, refusal_html

log = logging.getLogger("autograder.server")


@dataclass(frozen=True)
class ServerOptions:
    state: Path
    workers: int | None = None   # None: the config's server.workers, 0 there meaning one per core
    scheduler: str | None = None


def pool_size(settings: Settings, options: ServerOptions) -> int:
    if options.workers is not None:
        return options.workers
    return settings.config.server.workers or len(affinity.usable())


def _is_api(request: Request | Scope) -> bool:
    path = request.url.path if isinstance(request, Request) else str(request.get("path", ""))
    return path.startswith("/api/")


def create_app(settings: Settings, options: ServerOptions) -> Any:
    """The server's ASGI application (Starlette inside a body-size limit)."""
    pool = Pool(settings.path, options.state, pool_size(settings, options), options.scheduler,
                tuple(settings.config.server.warm))
    service = CourseService(settings, options.state, pool)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if pool.size:
            pool.start()
        try:
            yield
        finally:
            pool.stop()

    async def http_error(request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        key = {404: "error.not_found", 405: "error.method"}.get(status, "error.server")
        if _is_api(request):
            return JSONResponse({"detail": tr(key, service.language)}, status)
        return message_page(request, None, status, key)

    async def too_large(request: Request, error: Exception) -> Response:
        content_type, body = refusal(request.scope)
        return Response(body, 413, media_type=content_type)

    async def server_error(request: Request, error: Exception) -> Response:
        log.error("autograder: %s %s failed: %s: %s", request.method, request.url.path, type(error).__name__, error)
        if _is_api(request):
            return JSONResponse({"detail": tr("error.server", service.language)}, 500)
        return message_page(request, None, 500, "error.server")

    def refusal(scope: Scope) -> tuple[str, bytes]:
        mb = f"{settings.config.server.max_upload_mb:g}"
        if _is_api(scope):
            text = tr("error.too_large", service.language, mb=mb)
            return "application/json; charset=utf-8", json.dumps({"detail": text}, ensure_ascii=False).encode()
        html = refusal_html(service.language, "error.too_large", mb=mb)
        return "text/html; charset=utf-8", html.encode("utf-8")

    app = Starlette(routes=[*api.ROUTES, *pages.ROUTES, *staff.ROUTES], lifespan=lifespan,
                    exception_handlers={HTTPException: http_error, TooLarge: too_large, Exception: server_error})
    app.state.service = service
    app.state.pool = pool
    app.state.secret = server_secret(options.state)
    return BodyLimit(app, service.max_upload_bytes + FORM_OVERHEAD, refusal, SECURITY_HEADERS)
