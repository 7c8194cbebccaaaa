"""``submit(token)``: send this notebook to the course server and print the feedback.

Embedded in the student notebook by ``autograder assign --server URL`` (its setup cell
builds it with :func:`make_submit`). Standard library only: it runs in Colab or in any
Jupyter without installing anything. What it sends is the notebook as saved: in Colab
the notebook Colab holds (asked of Colab's frontend, the way Colab's own download
does), in Jupyter the ``.ipynb`` file, so the student saves first (Ctrl+S).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable

TEXTS: dict[str, dict[str, str]] = {
    "sending": {"en": "Sending {name} to {server} ...", "ru": "Отправляю {name} на {server} ..."},
    "save_first": {"en": "(the file as last saved: press Ctrl+S first if you changed it)",
                   "ru": "(файл в последнем сохранённом виде: если что-то меняли, сначала нажмите Ctrl+S)"},
    "no_file": {"en": "Cannot find this notebook's file. Call submit(token, \"path/to/notebook.ipynb\").",
                "ru": "Не удалось найти файл блокнота. Вызовите submit(token, \"путь/к/блокноту.ipynb\")."},
    "accepted": {"en": "Accepted ({ident}); grading", "ru": "Принято ({ident}); идёт проверка"},
    "refused": {"en": "The server refused the notebook ({status}): {detail}",
                "ru": "Сервер не принял блокнот ({status}): {detail}"},
    "unreachable": {"en": "The server cannot be reached: {reason}. Try again later.",
                    "ru": "Сервер недоступен: {reason}. Попробуйте позже."},
    "no_answer": {"en": "The server did not answer in time. The notebook may have arrived: look at {link} "
                        "before sending it again.",
                  "ru": "Сервер не ответил вовремя. Блокнот мог дойти: посмотрите {link}, прежде чем "
                        "отправлять его снова."},
    "still_grading": {"en": "Still being graded; see {link} in a minute.",
                      "ru": "Проверка ещё идёт; загляните на {link} через минуту."},
    "score": {"en": "Score: {score} of {max_score}", "ru": "Баллы: {score} из {max_score}"},
    "late": {"en": "Late by {days} day(s): {penalty}% off", "ru": "Опоздание {days} дн.: штраф {penalty}%"},
    "all_passed": {"en": "Every check passed.", "ru": "Все проверки пройдены."},
    "fix_first": {"en": "Fix first:", "ru": "Исправьте сначала:"},
    "then": {"en": "Then: {names}", "ru": "Затем: {names}"},
    "grader_failed": {"en": "The grader could not grade it; your instructor will see this. Submit again later.",
                      "ru": "Проверяющая система не смогла проверить блокнот; преподаватель это увидит. "
                            "Отправьте позже ещё раз."},
    "full": {"en": "Full feedback: {link}", "ru": "Полный отзыв: {link}"},
}
POLL_S = 0.3
PROXY_DOWN = (502, 503, 504)  # Bad Gateway, Service Unavailable, Gateway Timeout


def _t(key: str, language: str, **fields: Any) -> str:
    entry = TEXTS[key]
    return entry.get(language, entry["en"]).format(**fields)


def colab_notebook() -> bytes | None:
    """The notebook as Colab holds it, or None outside Colab."""
    try:
        from google.colab import _message
    except ImportError:
        return None
    reply = _message.blocking_request("get_ipynb", request="", timeout_sec=60)
    notebook = reply.get("ipynb") if isinstance(reply, dict) else None
    return json.dumps(notebook).encode("utf-8") if notebook else None


def notebook_file(assignment: str, path: str | None = None) -> Path | None:
    """This notebook's file in Jupyter: the path given, the one the editor names (VS Code,
    Jupyter Server's ``JPY_SESSION_NAME``), else ``<assignment>.ipynb`` here."""
    names = [path, os.environ.get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME"), f"{assignment}.ipynb"]
    for name in names:
        if name and name.endswith(".ipynb") and Path(name).is_file():
            return Path(name)
    return None


def _form(assignment: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"assignment\"\r\n\r\n{assignment}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"notebook\"; filename=\"{assignment}.ipynb\"\r\n"
            "Content-Type: application/x-ipynb+json\r\n\r\n").encode("utf-8")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _call(url: str, token: str, body: bytes | None = None, content_type: str = "",
          timeout: float = 60.0) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, body, headers, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read())
        except ValueError:
            answer = None  # a proxy's HTML page
        detail = answer.get("detail") if isinstance(answer, dict) else None
        return error.code, {"detail": detail or f"{error.code} {error.reason}"}


def _reason(error: Exception) -> str:
    """Why a request failed, in words ("Connection refused"), not urllib's repr
    ("<urlopen error [Errno 111] Connection refused>")."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return getattr(reason, "strerror", None) or str(reason)


def feedback_lines(view: dict[str, Any], language: str) -> list[str]:
    """What to print for a graded submission: the score, then what to fix first."""
    result = view.get("result")
    if not isinstance(result, dict):
        return [_t("grader_failed", language)]
    lines = [_t("score", language, score=_num(result["score"]), max_score=_num(result["max_score"]))]
    late = result.get("late")
    if late:
        lines.append(_t("late", language, days=_num(late["days_late"]), penalty=_num(late["penalty_percent"])))
    failed = [q for q in result.get("questions", []) if q["score"] < q["max_score"]]
    errors = list(result.get("errors", []))
    if not failed and not errors:
        return lines + [_t("all_passed", language)]
    lines.append(_t("fix_first", language))
    if errors:
        lines.append("  " + str(errors[0]).strip())
    elif failed:
        first = failed[0]
        lines.append(f"  {first['name']}: {_num(first['score'])} / {_num(first['max_score'])}")
        message = next((c["message"] for c in first["checks"] if not c["passed"] and c["message"]), "")
        lines.extend("    " + line for line in message.strip().splitlines()[:12])
    rest = [q["name"] for q in failed[0 if errors else 1:]]
    if rest:
        lines.append(_t("then", language, names=", ".join(rest)))
    return lines


def _num(value: float) -> str:
    return f"{value:g}"


def in_kernel() -> bool:
    """True in a Jupyter or Colab kernel. False when the grader runs the notebook's cells
    (no IPython shell there): a ``submit(...)`` left in a cell then sends nothing, so
    grading a notebook never submits it again."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _timed_out(error: Exception) -> bool:
    """The request went out and no answer came in time (the upload may have arrived)."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return isinstance(reason, TimeoutError)


def make_submit(server: str, assignment: str, language: str, out: Callable[[str], None] = print,
                kernel: Callable[[], bool] = in_kernel, timeout: float = 60.0) -> Callable[..., None]:
    """The notebook's ``submit(token, path=None, wait=120)``: prints, returns nothing.

    The pages it points to are the student's own, which need the student signed in: the
    links it prints sign in first (``/login?token=...&next=...``), as the personal link
    the instructor sent does, so they open from Colab in any browser."""
    base = server.rstrip("/")

    def page(token: str, path: str) -> str:
        return f"{base}/login?" + urllib.parse.urlencode({"token": token, "next": path})

    def submit(token: str, path: str | None = None, wait: float = 120.0) -> None:
        if not kernel():
            return None
        data = colab_notebook() if path is None else None
        if data is None:
            found = notebook_file(assignment, path)
            if found is None:
                out(_t("no_file", language))
                return None
            out(_t("sending", language, name=found.name, server=base) + " " + _t("save_first", language))
            data = found.read_bytes()
        else:
            out(_t("sending", language, name=f"{assignment}.ipynb", server=base))
        body, content_type = _form(assignment, data)
        try:
            status, answer = _call(f"{base}/api/v1/submissions", token, body, content_type, timeout)
        except (OSError, ValueError) as error:
            out(_t("no_answer", language, link=page(token, "/")) if _timed_out(error)
                else _t("unreachable", language, reason=_reason(error)))
            return None
        if status in PROXY_DOWN:  # the proxy answers; the course server behind it does not
            out(_t("unreachable", language, reason=answer["detail"]))
            return None
        if status != 202:
            out(_t("refused", language, status=status, detail=answer.get("detail", "")))
            return None
        ident = answer["id"]
        out(_t("accepted", language, ident=ident))
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                status, view = _call(f"{base}/api/v1/submissions/{ident}", token)
            except (OSError, ValueError):
                status, view = 0, {}
            if status == 200 and view.get("status") in ("graded", "error"):
                for line in feedback_lines(view, language):
                    out(line)
                out(_t("full", language, link=page(token, f"/submissions/{ident}")))
                return None  # printed, not returned: a cell ending in submit(...) shows no dict
            time.sleep(POLL_S)
        out(_t("still_grading", language, link=page(token, f"/submissions/{ident}")))
        return None

    return submit
