"""A real ``autograder serve`` on 127.0.0.1: a burst, SIGKILL and restart, a grading
worker killed mid-grading (and a clean stop)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tests.server_helpers import make_course, register, sample, serve

pytestmark = pytest.mark.slow


def _slow_notebook(seconds: float) -> bytes:
    """A correct-enough notebook whose first cell takes ``seconds``: time to kill a worker mid-grading."""
    notebook = nbformat.reads(sample("activations", "ivanov").decode(), as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})"))
    return nbformat.writes(notebook).encode()


def _warm_workers(course: Path) -> list[int]:
    """The pids of this course's grading workers that have started a jail (a child process)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            children = (proc / "task" / proc.name / "children").read_text().split()
        except OSError:
            continue
        if b"autograder.server.worker" in command and str(course / "server").encode() in command and children:
            found.append(int(proc.name))
    return found


def _db(course: Path) -> sqlite3.Connection:
    return sqlite3.connect(course / "server" / "server.sqlite")


def test_a_burst_is_accepted_or_refused_never_dropped(tmp_path: Path) -> None:
    """40 submissions from 20 students at once, one allowed per student and hour:
    each is a 202 or a 429, and every 202 ends graded."""
    course = make_course(tmp_path / "course", limits={"submissions_per_hour": 1}, warm=["activations"])
    tokens = register(course, {f"s{n:02d}": f"Student {n}" for n in range(20)})
    notebook = sample("activations", "petrova")
    with serve(course, workers=2) as server:
        deadline = time.monotonic() + 60
        while len(_warm_workers(course)) < 2 and time.monotonic() < deadline:  # server.warm: jails up first
            time.sleep(0.1)
        assert len(_warm_workers(course)) == 2
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda who: (who, server.submit(tokens[who], "activations", notebook)),
                                    [who for who in tokens for _ in range(2)]))
        statuses = sorted(status for _, (status, _, _) in answers)
        assert statuses == [202] * 20 + [429] * 20
        accepted = [(who, body["id"]) for who, (status, _, body) in answers if status == 202]
        assert sorted(who for who, _ in accepted) == sorted(tokens)
        assert all(int(headers["retry-after"]) > 0 for _, (status, headers, _) in answers if status == 429)
        scores = {server.wait_graded(tokens[who], ident, timeout=120)["result"]["score"] for who, ident in accepted}
    assert len(scores) == 1  # the same notebook, the same score, whichever worker graded it
    with _db(course) as db:
        assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 20
        assert db.execute("SELECT count(*), count(DISTINCT submission) FROM gradings").fetchone() == (20, 20)


def test_killed_and_restarted_every_accepted_submission_is_graded_once(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course", limits={"submissions_per_hour": 0})
    tokens = register(course, {"ann": "Ann", "bob": "Bob"})
    slow, quick = _slow_notebook(1.5), sample("activations", "ivanov")
    accepted: list[tuple[str, str]] = []
    with serve(course, workers=1) as server:
        for index in range(8):
            who = "ann" if index % 2 else "bob"
            status, _, body = server.submit(tokens[who], "activations", slow if index < 2 else quick)
            assert status == 202
            accepted.append((who, body["id"]))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill while a submission is being graded
            with _db(course) as db:
                grading = db.execute("SELECT worker FROM submissions WHERE status = 'grading'").fetchall()
            if grading:
                break
            time.sleep(0.02)
        assert grading, "nothing was being graded"
        server.process.send_signal(signal.SIGKILL)  # the server and, below, its worker: no goodbye
        server.process.wait()
        for (worker,) in grading:
            os.kill(int(worker.rsplit(":", 1)[1]), signal.SIGKILL)
    with serve(course, workers=1) as again:
        for who, ident in accepted:
            assert again.wait_graded(tokens[who], ident, timeout=120)["status"] == "graded"
    with _db(course) as db:
        counts = dict(db.execute("SELECT submission, count(*) FROM gradings GROUP BY submission").fetchall())
        attempts = dict(db.execute("SELECT id, attempts FROM submissions").fetchall())
    assert counts == {ident: 1 for _, ident in accepted}  # none lost, none graded twice
    assert max(attempts.values()) == 2  # the one being graded at the kill was graded again
    for _, ident in accepted:
        assert json.loads((course / "server" / "results" / f"{ident}.json").read_text())["status"] == "graded"


def test_a_worker_killed_mid_grading_is_replaced_and_its_submission_graded_again(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    tokens = register(course, {"ann": "Ann"})
    with serve(course, workers=1) as server:
        status, _, body = server.submit(tokens["ann"], "activations", _slow_notebook(2.0))
        assert status == 202
        deadline = time.monotonic() + 60
        worker = ""
        while not worker and time.monotonic() < deadline:
            with _db(course) as db:
                worker = db.execute("SELECT worker FROM submissions WHERE status = 'grading'").fetchone() or ""
            time.sleep(0.02)
        assert worker
        os.kill(int(worker[0].rsplit(":", 1)[1]), signal.SIGKILL)
        view = server.wait_graded(tokens["ann"], body["id"], timeout=120)
        assert view["status"] == "graded" and view["result"]["score"] > 0
        with _db(course) as db:
            assert db.execute("SELECT attempts FROM submissions").fetchone()[0] == 2
            assert db.execute("SELECT count(*) FROM gradings").fetchone()[0] == 1
    assert server.process.returncode == 0  # stopped cleanly (Ctrl-C), its workers with it
    assert re.search(r"grading worker \d+ ended \(exit code -9\); 1 submission\(s\) queued again",
                     server.log.read_text())  # the pool said what happened


def test_a_port_in_use_is_a_usage_error_before_anything_starts(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from tests.helpers import run_cli

    course = make_course(tmp_path / "course")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = run_cli("serve", "--course", str(course), "--port", str(port))
    assert code == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
