"""Who is asking: a personal token, from the API's header or the pages' cookie.

The API takes ``Authorization: Bearer TOKEN``. The pages take the token once, in the
sign-in link (``/login?token=...``), and keep it in a cookie that scripts cannot read
(HttpOnly), that other sites' requests do not carry (SameSite=Lax) and that travels
only over HTTPS when the server is reached by HTTPS. Forms that change something carry
a token derived from the cookie with the server's secret (:func:`csrf_token`), and a
request whose ``Origin`` is another site is refused: a page elsewhere can neither read
the form token nor pass the origin check.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from autograder.server.store import Person, Store
from autograder.server.tokens import token_hash

COOKIE = "autograder_token"
COOKIE_MAX_AGE_S = 180 * 24 * 3600  # a semester
SECRET_NAME = "secret"


def server_secret(state: Path) -> bytes:
    """The server's own random key (made on first start, kept in the state folder, 0600)."""
    path = state / SECRET_NAME
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd_path = path.with_suffix(".tmp")
        fd_path.write_bytes(secrets.token_bytes(32))
        fd_path.chmod(0o600)
        fd_path.replace(path)
    return path.read_bytes()


def bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_of(request: Request, cookie: bool = True) -> str | None:
    """The request's token: the header's, else (when allowed) the cookie's."""
    return bearer(request) or (request.cookies.get(COOKIE) if cookie else None)


def person_of(store: Store, token: str | None) -> Person | None:
    if not token or len(token) > 200:
        return None
    return store.person_by_token_hash(token_hash(token))


def sign_in(response: Response, request: Request, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE_S, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")


def sign_out(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def csrf_token(secret: bytes, request: Request) -> str:
    """The form token of this browser's session (empty when not signed in)."""
    token = request.cookies.get(COOKIE, "")
    if not token:
        return ""
    return hmac.new(secret, b"csrf:" + hashlib.sha256(token.encode()).digest(), "sha256").hexdigest()


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null" and request.headers.get("sec-fetch-site") == "same-origin":
        return True
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


def csrf_ok(secret: bytes, request: Request, sent: str) -> bool:
    expected = csrf_token(secret, request)
    return bool(expected) and hmac.compare_digest(expected, sent) and same_origin(request)
