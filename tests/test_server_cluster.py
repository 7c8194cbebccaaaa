"""``autograder serve --scheduler``: submissions graded on a Dask cluster, to the same result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from autograder.grading import Grader, Submission
from autograder.sandbox.jail import Jail
from tests.server_helpers import make_course, register, sample, serve, settings_of

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


def test_a_server_grades_on_a_dask_cluster(tmp_path: Path, jail: Jail) -> None:
    from autograder.cluster.client import local_cluster

    course = make_course(tmp_path / "course")
    token = register(course, {"ann": "Ann"})["ann"]
    notebook = sample("activations", "ivanov")
    (tmp_path / "ann.ipynb").write_bytes(notebook)
    here = Grader("activations", settings_of(course), jail).grade(Submission("ann", tmp_path / "ann.ipynb"))
    with local_cluster(1) as cluster, serve(course, workers=1, extra=("--scheduler", cluster.scheduler_address)) \
            as server:
        status, _, body = server.submit(token, "activations", notebook)
        assert status == 202
        remote = server.wait_graded(token, body["id"], timeout=180)
        with distributed.Client(cluster) as client:
            graded_there = sum(stats.get("graded", 0) for stats in client.run(_stats).values())
    assert graded_there == 1  # graded on the cluster's worker, not here
    assert remote["result"]["questions"] == [q.to_json() for q in here.questions]
    assert remote["result"]["score"] == here.score / 2  # activations was due 2026-12-01: 50% off


def _stats(dask_worker: Any) -> dict[str, int]:
    plugins = dask_worker.plugins
    return {"graded": sum(getattr(getattr(p, "service", None), "graded", 0) for p in plugins.values())}


def test_a_server_whose_scheduler_cannot_be_reached_says_so_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A grading worker of `serve --scheduler` that cannot reach the scheduler fails with the
    line `grade --scheduler` prints (its pool logs it, puts the submission back and starts
    another), not with Dask's connection traceback."""
    import socket

    from autograder.cluster import client as cluster_client
    from autograder.exceptions import AutograderError
    from autograder.server.engine import open_grader

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setattr(cluster_client, "CONNECT_TIMEOUT_S", 1.0)
    course = make_course(tmp_path / "course")
    with pytest.raises(AutograderError, match=f"^cannot reach the Dask scheduler at {address}: "):
        open_grader("activations", settings_of(course), address)


def test_a_scheduler_down_leaves_the_submission_queued_and_uncounted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The cluster down is not the notebook's fault: its grading never started, so the
    submission goes back to the queue without an attempt counted (three outages ended it as
    "the grader crashed" for the student), and the worker says why and waits."""
    import socket

    from autograder.cluster import client as cluster_client
    from autograder.server.files import new_id
    from autograder.server.store import MAX_ATTEMPTS, Store
    from autograder.server.worker import Worker

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setattr(cluster_client, "CONNECT_TIMEOUT_S", 0.5)
    course = make_course(tmp_path / "course")
    register(course, {"ann": "Ann"})
    store = Store.create(course / "server")
    ident = new_id()
    store.accept(ident, "ann", "activations", "h", 1, limit=0, window_s=3600)
    worker = Worker(course / "grading_config.yaml", course / "server", address)
    for _ in range(MAX_ATTEMPTS + 1):
        row = store.claim(worker.name)
        assert row is not None and row.id == ident
        assert worker.grade(row) is False
    row = store.get(ident)
    assert row is not None and row.status == "queued" and row.attempts == 0 and row.problem == ""
    assert f"cannot reach the Dask scheduler at {address}" in capsys.readouterr().err
