"""Side by side, in one run: a local batch, the same batch on a LocalCluster, and a bare
baseline (used by ``bench_batch.py --cluster N --bare K``; see its --help).

The bare baseline is the physical floor of the work: in this one plain process, with
no jail, no pytest and no wire, each submission's cells are run in a fresh namespace
and the student's functions are called with the same inputs the checks sent them
(recorded while the real grader graded the first K submissions in this process).
Calls that pass a remote object (a torch model made by an earlier call) are left out
of the replay and counted, so the floor is exact for NumPy assignments and a lower
bound for the others.
"""

from __future__ import annotations

import contextlib
import copy
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.config import Settings
from autograder.grading import Grader, Submission
from autograder.notebook import read_submission
from autograder.sandbox.jail import Jail
from autograder.sandbox.values import RemoteObject, TensorValue
from autograder.session import Session


@dataclass
class Recording:
    """What the checks asked of one submission's worker, in order."""

    ops: list[tuple[str, Any, Any, Any]] = field(default_factory=list)  # op, target, attr, (args, kwargs)


def record_calls(submissions: list[Submission], name: str, settings: Settings) -> dict[str, Recording]:
    """Grade these submissions in this process, recording every request to the worker."""
    recordings: dict[str, Recording] = {}
    current: list[Recording] = []
    original = Session.request

    def request(self: Session, header: dict[str, Any], call: str, timeout: float,
                value: Any = None, allowance: float | None = None) -> tuple[Any, dict[str, Any]]:
        result = original(self, header, call, timeout, value, allowance)
        op, target = header.get("op"), header.get("target", header.get("name"))
        if isinstance(target, RemoteObject):
            target = ("handle", target.handle)
        kept = copy.deepcopy(value) if value is not None else ((), {})
        handle = result[0].handle if isinstance(result[0], RemoteObject) else None
        current[-1].ops.append((str(op), target, header.get("attr"), (kept, handle)))
        return result

    original_batch = Session._batch

    def batch(self: Session, calls: Any, *args: Any, **kwargs: Any) -> Any:
        """A batch's calls are calls too: the floor makes each one (those made after it,
        one by one, come through ``request``). Recorded where every batch passes, sent
        alone or gathered with other checks' requests (``WorkerClient.batch`` sees only
        the former: the floor missed half an ``activations`` submission's calls)."""
        for name, call_args, call_kwargs in calls:
            kept = copy.deepcopy((tuple(call_args), dict(call_kwargs)))
            current[-1].ops.append(("call", name, None, (kept, None)))
        return original_batch(self, calls, *args, **kwargs)

    Session.request = request  # type: ignore[method-assign]
    Session._batch = batch  # type: ignore[method-assign]
    try:
        with Jail.start(settings.config.sandbox, settings.preload(name), settings.data_dir(name)) as jail:
            grader = Grader(name, settings, jail)
            with grader.suite.runner() as run_checks:
                for submission in submissions:
                    current.append(recordings.setdefault(submission.id, Recording()))
                    grader.grade_one(submission, run_checks)
    finally:
        Session.request = original  # type: ignore[method-assign]
        Session._batch = original_batch  # type: ignore[method-assign]
    return recordings


def _plain(value: Any) -> bool:
    if isinstance(value, (RemoteObject, TensorValue)):
        return False
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return True


def replay(submission: Submission, recording: Recording) -> int:
    """Run the cells and the recorded calls in this process; the calls left out."""
    try:
        cells = read_submission(submission.path)
    except Exception:  # an unreadable notebook: no work at all
        return 0
    namespace: dict[str, Any] = {"__name__": "__main__"}
    handles: dict[int, Any] = {}
    skipped = 0
    saved_modules = {k: v for k, v in sys.modules.items() if k == "student" or k.startswith("student.")}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for cell in cells:
            try:
                exec(compile(cell.source, f"<cell {cell.index + 1}>", "exec"), namespace)
            except BaseException:  # noqa: BLE001 - as the worker: the run goes on
                pass
        for op, target, attr, (value, handle) in recording.ops:
            try:
                if op == "has":
                    _ = target in namespace
                    continue
                if isinstance(target, tuple):
                    if target[1] not in handles:
                        skipped += 1
                        continue
                    obj = handles[target[1]]
                elif target in namespace:
                    obj = namespace[target]
                else:
                    continue
                if op == "get":
                    got = getattr(obj, attr) if attr else obj
                elif op == "call" and _plain(value):
                    args, kwargs = copy.deepcopy(value)
                    got = (getattr(obj, attr) if attr else obj)(*args, **kwargs)
                else:
                    skipped += 1
                    continue
                if handle is not None:
                    handles[handle] = got
            except BaseException:  # noqa: BLE001 - the student's exception, as the worker records it
                pass
    for key in [k for k in sys.modules if k == "student" or k.startswith("student.")]:
        del sys.modules[key]
    sys.modules.update(saved_modules)
    return skipped


BARE_ROUNDS = 3  # the floor is a fraction of a second of work: its median of a few replays


def bare_baseline(submissions: list[Submission], name: str, settings: Settings, count: int,
                  rounds: int = BARE_ROUNDS) -> tuple[float, float, int]:
    """(submissions per second, CPU ms per submission, calls left out) of the floor: the
    median round of ``rounds`` replays of the same recorded calls."""
    chosen = submissions[:count]
    recordings = record_calls(chosen, name, settings)
    measured = []
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        skipped = sum(replay(s, recordings[s.id]) for s in chosen)
        measured.append((time.process_time() - cpu, time.perf_counter() - started))
    used, wall = sorted(measured)[len(measured) // 2]
    return len(chosen) / wall, 1000 * used / len(chosen), skipped


def cluster_batch(submissions: list[Submission], name: str, settings: Settings, out: Path,
                  workers: int) -> tuple[float, float, float, list[Any]]:
    """(submissions per second, cluster start s, plugin set-up s, results) on a LocalCluster
    of ``workers`` process workers; the rate counts from the first task to the last result."""
    from distributed import Client

    from autograder.batch import grade_batch
    from autograder.cluster import ClusterBackend
    from autograder.cluster.client import local_cluster

    started = time.perf_counter()
    with local_cluster(workers) as cluster, Client(cluster) as client:
        up = time.perf_counter() - started
        first: list[float] = []
        backend = ClusterBackend(name, settings, client=client)
        graded_at = time.perf_counter()
        results = grade_batch(submissions, name, settings, out, backend=backend, resume=False,
                              on_result=lambda r: first.append(time.perf_counter()))
        done = time.perf_counter()
    setup = first[0] - graded_at if first else 0.0  # packing, plugin set-up, the first result
    rate = (len(submissions) - 1) / (done - first[0]) if len(first) > 1 else 0.0
    return rate, up, setup, results
