"""Size limits on what a client sends, enforced before the body is read whole.

:class:`BodyLimit` answers ``413`` at once for a declared ``Content-Length`` over the
limit, and stops a body sent without one (chunked) as soon as it passes the limit, so a
client cannot fill the disk or the memory with one request. The per-student
submission limit (``429``) is counted in the database (:meth:`Store.accept`), where
every web process sees the same count.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FORM_OVERHEAD = 64 * 1024  # multipart boundaries, headers and the assignment field


class TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: request bodies of at most ``limit`` bytes; ``refusal`` gives the
    413 answer's content type and body for a request (JSON for the API, a page else),
    sent with ``headers`` (the pages' security headers)."""

    def __init__(self, app: ASGIApp, limit: int, refusal: Callable[[Scope], tuple[str, bytes]],
                 headers: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.refusal = refusal
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                        for name, value in (headers or {}).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge()
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watched)
        except TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        content_type, body = self.refusal(scope)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", content_type.encode()),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
                                *self.headers]})
        await send({"type": "http.response.body", "body": body})
