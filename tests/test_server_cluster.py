"""``autograder serve --scheduler``: submissions graded on a Dask cluster, to the same result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.server_helpers import make_course, register, sample, serve

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


def test_a_server_grades_on_a_dask_cluster(tmp_path: Path) -> None:
    from autograder.cluster.client import local_cluster

    course = make_course(tmp_path / "course")
    token = register(course, {"ann": "Ann"})["ann"]
    notebook = sample("activations", "ivanov")
    with serve(course, workers=1) as here:
        _, _, body = here.submit(token, "activations", notebook)
        local = here.wait_graded(token, body["id"])
    with local_cluster(1) as cluster, serve(course, workers=1, extra=("--scheduler", cluster.scheduler_address)) \
            as server:
        status, _, body = server.submit(token, "activations", notebook)
        assert status == 202
        remote = server.wait_graded(token, body["id"], timeout=180)
        with distributed.Client(cluster) as client:
            graded_there = sum(stats.get("graded", 0) for stats in client.run(_stats).values())
    assert graded_there == 1  # graded on the cluster's worker, not here
    for view in (local, remote):
        view["result"].pop("duration_s")
        view["result"]["late"].pop("submitted_at")  # two submissions, two times; the same penalty
    assert remote["result"] == local["result"]


def _stats(dask_worker: Any) -> dict[str, int]:
    plugins = dask_worker.plugins
    return {"graded": sum(getattr(getattr(p, "service", None), "graded", 0) for p in plugins.values())}
