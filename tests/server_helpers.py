"""Helpers for the course server's tests: a course folder, tokens, uploads, a real server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from autograder.config import load_settings
from autograder.server.roster import Member
from autograder.server.store import Store
from autograder.server.tokens import issue
from tests.helpers import ROOT

SAMPLES = ROOT / "samples"


def make_course(folder: Path, assignments: tuple[str, ...] = ("activations",), language: str = "en",
                **server: Any) -> Path:
    """A copy of the bundled course with only ``assignments`` and ``server`` settings."""
    config = yaml.safe_load((ROOT / "grading_config.yaml").read_text(encoding="utf-8"))
    config["assignments"] = {name: config["assignments"][name] for name in assignments}
    config["language"] = language
    config["server"] = server
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "grading_config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for name in assignments:
        shutil.copytree(ROOT / "assignments" / name, folder / "assignments" / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return folder


def register(course: Path, people: dict[str, str], role: str = "student") -> dict[str, str]:
    """Register ``people`` (id -> name); their tokens."""
    store = Store.create(course / "server")
    issued = issue(store, [Member(i, n) for i, n in people.items()], role, {})  # type: ignore[arg-type]
    return {row.id: row.token for row in issued}


def sample(assignment: str, student: str) -> bytes:
    return (SAMPLES / assignment / f"{student}.ipynb").read_bytes()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Served:
    """A real ``autograder serve`` process."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def request(self, method: str, path: str, token: str | None = None, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, dict[str, str], Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.url + path, body, headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, json.loads(error.read() or b"null")

    def submit(self, token: str, assignment: str, data: bytes) -> tuple[int, dict[str, str], Any]:
        body, content_type = multipart({"assignment": assignment}, {"notebook": ("n.ipynb", data)})
        return self.request("POST", "/api/v1/submissions", token, body, content_type)

    def wait_graded(self, token: str, ident: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, data = self.request("GET", f"/api/v1/submissions/{ident}", token)
            if status == 200 and data["status"] in ("graded", "error"):
                return dict(data)
            time.sleep(0.05)
        raise AssertionError(f"{ident} not graded in {timeout} s; log:\n{self.log.read_text()}")


@contextmanager
def serve(course: Path, workers: int = 1, extra: tuple[str, ...] = ()) -> Iterator[Served]:
    """``autograder serve`` on a free port of 127.0.0.1, stopped (or found killed) at the end."""
    port = free_port()
    log = course / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "autograder", "serve", "--course", str(course),
                                    "--port", str(port), "--workers", str(workers), *extra],
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_up(served)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_up(served: Served, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"the server ended at start:\n{served.log.read_text()}")
        try:
            urllib.request.urlopen(served.url + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not start:\n{served.log.read_text()}")


def settings_of(course: Path) -> Any:
    return load_settings(course / "grading_config.yaml")
