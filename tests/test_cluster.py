"""Grading on Dask: a LocalCluster of 2 process workers gives what a local batch gives.

The cluster is started once for this module (about 5 s) and stopped at its end.
Each test compares with a local batch of the same submissions graded by the
session's jail: the same result files (but for times) and the same grades.csv.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

from autograder.batch import find_submissions, grade_batch  # noqa: E402
from autograder.cluster import ClusterBackend, parse_local, parse_reply, parse_result  # noqa: E402
from autograder.cluster.archive import CourseArchive, load_unpacked  # noqa: E402
from autograder.cluster.worker import plugin_name, worker_stats  # noqa: E402
from autograder.config import Settings, load_settings  # noqa: E402
from autograder.exceptions import GraderError, UsageError  # noqa: E402
from autograder.reports import write_reports  # noqa: E402
from autograder.results import SubmissionResult  # noqa: E402
from autograder.sandbox.jail import Jail  # noqa: E402
from tests.helpers import make_mini_project, write_notebook  # noqa: E402

GOOD = ("import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2")
WRONG = GOOD.replace("2.0 * np", "np")  # double returns its input: a known mistake
HALF = GOOD.split("def halve")[0]  # halve missing


def make_mixed_class(folder: Path, count: int) -> None:
    """Right, wrong, incomplete, raising, unreadable and empty notebooks, in a cycle."""
    for i in range(count):
        path = folder / f"s{i:03d}.ipynb"
        kind = i % 6
        if kind == 4:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("{ not a notebook")
        elif kind == 5:
            write_notebook(path, ["1 / 0", GOOD])
        else:
            write_notebook(path, [[GOOD, WRONG, HALF, "x = 1"][kind]])


def comparable(result: SubmissionResult) -> dict[str, Any]:
    data = result.to_json()
    data.pop("duration_s")
    return data


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(make_mini_project(tmp_path_factory.mktemp("project")))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of 2 process workers, one thread each, as `--cluster local:2` starts."""
    from autograder.cluster.client import local_cluster

    with local_cluster(2) as cluster, distributed.Client(cluster) as started:
        yield started


@pytest.fixture(scope="module")
def local_run(project: Settings, jail: Jail, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, Path, dict[str, dict[str, Any]]]:
    """40 mixed submissions graded by a local batch: their folder, its results, each result."""
    root = tmp_path_factory.mktemp("class")
    make_mixed_class(root / "subs", 40)
    results = grade_batch(find_submissions([root / "subs"]), "mini", project, root / "local",
                          jobs=2, jail=jail)
    write_reports(results, project, "mini", root / "local", formats=["csv"])
    return root / "subs", root / "local", {r.submission: comparable(r) for r in results}


@pytest.mark.slow
def test_cluster_results_are_those_of_a_local_batch(project: Settings, client: Any, local_run: Any,
                                                    tmp_path: Path) -> None:
    subs, local_out, expected = local_run
    backend = ClusterBackend("mini", project, client=client)
    arrived: list[str] = []
    results = grade_batch(find_submissions([subs]), "mini", project, tmp_path / "out",
                          backend=backend, on_result=lambda r: arrived.append(r.submission))
    assert {r.submission: comparable(r) for r in results} == expected
    assert Counter(arrived) == Counter(set(expected))  # each once
    write_reports(results, project, "mini", tmp_path / "out", formats=["csv"])
    assert (tmp_path / "out" / "grades.csv").read_bytes() == (local_out / "grades.csv").read_bytes()
    for name in expected:  # the same result files as a local batch writes
        saved = json.loads((tmp_path / "out" / f"{name}.json").read_text())
        saved.pop("duration_s")
        assert saved == expected[name]
    # one zygote per worker, started once and reused by every task it ran
    stats = list(backend.workers.values())
    assert len(stats) == 2 and sum(s["graded"] for s in stats) == len(expected)
    assert all(s["graded"] >= 2 for s in stats)
    assert len({s["zygote_pid"] for s in stats}) == 2


@pytest.mark.slow
def test_200_mixed_submissions_grade_as_a_local_batch(project: Settings, client: Any, jail: Jail,
                                                      tmp_path: Path) -> None:
    """The issue's 200 (the tests above use 40 of the same mix, to keep make test short)."""
    make_mixed_class(tmp_path / "subs", 200)
    submissions = find_submissions([tmp_path / "subs"])
    local = grade_batch(submissions, "mini", project, tmp_path / "local", jobs=2, jail=jail)
    on_cluster = grade_batch(submissions, "mini", project, tmp_path / "cluster",
                             backend=ClusterBackend("mini", project, client=client))
    assert [comparable(r) for r in on_cluster] == [comparable(r) for r in local]
    assert len({r.submission for r in on_cluster}) == 200


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing(project: Settings, client: Any, local_run: Any,
                                                 tmp_path: Path) -> None:
    subs, local_out, expected = local_run
    backend = ClusterBackend("mini", project, client=client)
    arrived: list[str] = []
    victim: dict[str, int] = {}

    plugin = plugin_name(CourseArchive.pack(project, "mini"))

    def on_result(result: SubmissionResult) -> None:
        arrived.append(result.submission)
        if len(arrived) == 5:  # SIGKILL one worker process, with the tasks it holds
            pids = client.run(os.getpid)
            name = sorted(pids)[0]
            victim["zygote"] = client.run(worker_stats, plugin)[name]["zygote_pid"]
            os.kill(pids[name], signal.SIGKILL)

    results = grade_batch(find_submissions([subs]), "mini", project, tmp_path / "out",
                          backend=backend, on_result=on_result)
    assert victim, "the batch ended before a worker could be killed"
    assert {r.submission: comparable(r) for r in results} == expected
    assert Counter(arrived) == Counter(set(expected))  # all arrived, none twice
    write_reports(results, project, "mini", tmp_path / "out", formats=["csv"])
    assert (tmp_path / "out" / "grades.csv").read_bytes() == (local_out / "grades.csv").read_bytes()
    assert _gone(victim["zygote"]), "the killed worker's jail outlived it"
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it, for the next test


def _gone(pid: int, within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie is gone too, until whoever inherited it reaps it
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except OSError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_an_interrupted_client_reruns_only_what_is_missing(project: Settings, client: Any,
                                                           local_run: Any, tmp_path: Path) -> None:
    """The real command against the cluster's scheduler: Ctrl-C, then the same command again."""
    subs, local_out, expected = local_run
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "grade", "--config", str(project.path), "-a", "mini",
               str(subs), "--out", str(out), "--scheduler", client.scheduler.address]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = started + 120
    while len(list(out.glob("s*.json"))) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    seen = (len(list(out.glob("s*.json"))), round(time.monotonic() - started, 2), process.poll())
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (seen, stderr.decode())  # (results, seconds, exit code) when interrupted
    assert not (out / "grades.csv").exists()
    first = _recorded(out)
    assert 4 <= first[0] < len(expected), first  # a result may be saved and not yet recorded

    rerun = subprocess.run(command, capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert _recorded(out) == [first[0], len(expected) - first[0]]  # only what was missing
    assert (out / "grades.csv").read_bytes() == (local_out / "grades.csv").read_bytes()


@pytest.mark.slow
def test_a_batch_interrupted_with_ctrl_c_unregisters_its_plugin(project: Settings, client: Any,
                                                               tmp_path: Path) -> None:
    """Ctrl-C mid-batch left the grading plugin registered: a long-lived cluster kept every
    worker's jail for a batch long over, and started one in each worker joining later."""
    make_mixed_class(tmp_path / "subs", 12)
    name = plugin_name(CourseArchive.pack(project, "mini"))
    while_grading: list[list[str]] = []

    def interrupt(result: SubmissionResult) -> None:
        while_grading.append(_plugins(client))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ClusterBackend("mini", project, client=client).grade(find_submissions([tmp_path / "subs"]), interrupt)
    assert while_grading == [[name] * 3]  # the scheduler's and both workers'
    assert _plugins(client) == []


SLOW_BUGGY_CHECK = """

@check("halve", en="a slow buggy check", ru="медленная проверка с ошибкой")
def test_halve_slow_buggy(submission):
    import time
    time.sleep(0.3)  # long enough that both workers take submissions
    submission.halve(1.0) + None
"""


@pytest.mark.slow
def test_a_check_bug_is_told_once_naming_the_instructors_file(client: Any, tmp_path: Path) -> None:
    """A bug of the assignment's checks was told by every Dask worker (once each, on the
    worker's stderr: ``--cluster local:2`` showed it twice), naming the worker's unpacked
    copy of the course. Now each task's reply carries its lines and the command prints
    each once, naming the instructor's own file, on its own cluster and on a long-lived
    one, again in a rerun (``--regrade``) on the same workers."""
    config = make_mini_project(tmp_path / "course")
    checks = config.parent / "assignments" / "mini" / "checks" / "test_mini.py"
    checks.write_text(checks.read_text() + SLOW_BUGGY_CHECK)
    line = checks.read_text().splitlines().index("    submission.halve(1.0) + None") + 1
    for number in range(6):
        write_notebook(tmp_path / "class" / f"s{number}.ipynb", [GOOD, f"# student {number}"])
    command = [sys.executable, "-m", "autograder", "grade", "--config", str(config), "-a", "mini",
               str(tmp_path / "class"), "--out", str(tmp_path / "out")]
    expected = [f"autograder: check bug in halve/a slow buggy check ({checks.resolve()}:{line}): "
                "TypeError: unsupported operand type(s) for +: 'float' and 'NoneType'"]
    on_cluster = ("--scheduler", client.scheduler.address)
    for extra in (("--cluster", "local:2"), (*on_cluster, "--regrade"), (*on_cluster, "--regrade")):
        done = subprocess.run([*command, *extra], capture_output=True, text=True, timeout=300)
        assert done.returncode == 3, done.stderr
        assert [t for t in done.stderr.splitlines() if t.startswith("autograder: check bug")] == expected, \
            (extra, done.stderr)
        assert "6 of 6 submission(s) hit a bug" in done.stderr


def _plugins(client: Any) -> list[str]:
    """The autograder plugins the scheduler keeps for workers to come, then each worker's."""
    scheduler = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.worker_plugins))
    workers = client.run(lambda dask_worker: list(dask_worker.plugins))
    return [plugin for found in [scheduler, *workers.values()] for plugin in found if plugin.startswith("autograder-")]


def _recorded(out: Path) -> list[int]:
    """How many results each grading run of the gradebook recorded, in run order."""
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        rows = db.execute("SELECT run_id, count(*) FROM results GROUP BY run_id ORDER BY run_id")
        return [count for _, count in rows]


# ---- without a cluster ------------------------------------------------------------------


def test_the_course_archive_is_content_hashed_and_unpacks_to_the_same_settings(
        project: Settings, tmp_path: Path) -> None:
    first, second = CourseArchive.pack(project, "mini"), CourseArchive.pack(project, "mini")
    assert first.data == second.data and first.sha256 == second.sha256
    folder = first.unpack(tmp_path / "courses")
    assert folder == tmp_path / "courses" / first.sha256
    unpacked = load_unpacked(folder)
    assert unpacked.config == project.config
    checks = project.assignment_dir("mini") / "checks" / "test_mini.py"
    assert (unpacked.assignment_dir("mini") / "checks" / "test_mini.py").read_bytes() == checks.read_bytes()
    assert first.unpack(tmp_path / "courses") == folder  # unpacked once, then reused

    changed = load_settings(project.path, language="ru")  # an override reaches the workers
    assert CourseArchive.pack(changed, "mini").sha256 != first.sha256


def test_the_archive_keeps_the_order_of_the_questions(tmp_path: Path) -> None:
    """Results list questions in the config's order: a sorted config would reorder them."""
    config = make_mini_project(tmp_path / "p")
    config.write_text(config.read_text().replace("{double: 2, halve: 1}", "{halve: 1, double: 2}"))
    settings = load_settings(config)
    unpacked = load_unpacked(CourseArchive.pack(settings, "mini").unpack(tmp_path / "courses"))
    assert list(unpacked.assignment("mini").questions) == ["halve", "double"]


def test_a_tampered_archive_is_refused(project: Settings, tmp_path: Path) -> None:
    archive = CourseArchive.pack(project, "mini")
    forged = CourseArchive("mini", archive.data + b"x", archive.sha256)
    with pytest.raises(GraderError, match="hash"):
        forged.unpack(tmp_path)


def test_only_a_result_of_the_schema_for_the_asked_submission_is_kept(project: Settings) -> None:
    good = json.dumps({"assignment": "mini", "submission": "alice", "questions": [],
                       "score": 0, "max_score": 0})
    assert parse_result(good, "mini", "alice").submission == "alice"
    for bad in (b"{}", "[1, 2]", "{\"assignment\": \"mini\"}", "not json"):
        with pytest.raises(GraderError):
            parse_result(bad, "mini", "alice")
    with pytest.raises(GraderError, match="for mini/bob"):
        parse_result(good, "mini", "bob")
    reply = json.dumps({"result": json.loads(good), "notes": ["autograder: check bug in x (/w/a/t.py:3)"],
                        "folder": "/w/a"})
    assert parse_reply(reply, "mini", "alice").lines(Path("/course/a")) == ["autograder: check bug in x (/course/a/t.py:3)"]
    for bad in (good, json.dumps({"result": {}, "notes": [], "folder": "/w"}),
                json.dumps({"result": json.loads(good), "notes": [1], "folder": "/w"})):
        with pytest.raises(GraderError):
            parse_reply(bad, "mini", "alice")


def test_cluster_specs() -> None:
    assert parse_local("local:3") == 3
    for bad in ("local", "local:0", "remote:2", "local:x"):
        with pytest.raises(UsageError):
            parse_local(bad)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_a_scheduler_lost_mid_batch_is_one_line_and_keeps_what_was_graded(
        project: Settings, local_run: Any, tmp_path: Path) -> None:
    """A scheduler and a worker started by hand; the scheduler killed (-9) mid-batch: exit 3,
    one line naming the scheduler (not a worker, not Dask's traceback), results kept."""
    subs, _, expected = local_run
    address = f"tcp://127.0.0.1:{_free_port()}"
    quiet = {**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", address.rsplit(":", 1)[1], "--dashboard-address", ":0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                               "--no-nanny", "--local-directory", str(tmp_path / "worker")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=quiet)
    out = tmp_path / "out"
    try:
        process = subprocess.Popen([sys.executable, "-m", "autograder", "grade", "--config", str(project.path),
                                    "-a", "mini", str(subs), "--out", str(out), "--scheduler", address],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while len(list(out.glob("s*.json"))) < 3 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        scheduler.kill()
        _, stderr = process.communicate(timeout=120)
    finally:
        for started in (scheduler, worker):
            started.kill()
            started.wait(timeout=30)
    lines = stderr.decode().strip().splitlines()
    assert process.returncode == 3, lines
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    assert f"lost the Dask scheduler at {address}" in lines[0] and "worker" not in lines[0], lines
    kept = {path.stem for path in out.glob("s*.json")}
    assert 3 <= len(kept) < len(expected)


@pytest.mark.parametrize("address", ["not an address", "http://127.0.0.1:8786", "tcp://127.0.0.1",
                                     "tcp://host:port"])
def test_a_scheduler_address_dask_cannot_read_is_a_usage_error(
        address: str, project: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A typo in --scheduler is the user's to fix (exit 2, one line), for grade and serve
    alike: not 'grader failure (a bug)', not a server that starts and then cannot grade."""
    from tests.helpers import run_cli

    write_notebook(tmp_path / "subs" / "ann.ipynb", [GOOD])
    code = run_cli("grade", "--config", str(project.path), "-a", "mini", str(tmp_path / "subs"),
                   "--out", str(tmp_path / "out"), "--scheduler", address)
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1, lines
    expected = f"autograder: error: --scheduler {address!r} is not a Dask scheduler's address ("
    assert lines[0].startswith(expected) and lines[0].endswith("expected tcp://HOST:8786"), lines
    assert not (tmp_path / "out").exists()
    try:  # without the check, the server would start and serve until stopped
        served = subprocess.run([sys.executable, "-m", "autograder", "serve", "--config", str(project.path),
                                 "--port", "0", "--state", str(tmp_path / "state"), "--scheduler", address],
                                capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve --scheduler {address!r} started")
    assert served.returncode == 2 and served.stderr.splitlines() == lines, served.stderr


@pytest.mark.slow
def test_a_local_cluster_leaves_nothing_in_the_temporary_folder(project: Settings, tmp_path: Path) -> None:
    """`grade --cluster local:N` removes the scheduler's and workers' scratch space (Dask's
    dask-scratch-space with its lock files, the courses unpacked there) when it ends."""
    write_notebook(tmp_path / "subs" / "ann.ipynb", [GOOD])
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    graded = subprocess.run([sys.executable, "-m", "autograder", "grade", "--config", str(project.path),
                             "-a", "mini", str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                             "--cluster", "local:1"],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TMPDIR": str(temporary)})
    assert graded.returncode == 0, graded.stderr
    assert (tmp_path / "out" / "ann.json").is_file()
    assert sorted(p.relative_to(temporary).as_posix() for p in temporary.rglob("*")) == []


def test_the_scheduler_closing_a_gather_is_the_scheduler_lost(tmp_path: Path) -> None:
    """Killed while the client gathers a result, the scheduler shows as the connection
    closed, the client still "running": that too is the scheduler lost, not a worker's
    failure to grade that submission."""
    from types import SimpleNamespace

    from distributed.comm import CommClosedError

    from autograder.cluster.client import _result_text, _scheduler_lost_reported
    from autograder.grading import Submission

    def gather() -> str:
        raise CommClosedError("in <TCP (closed) ConnectionPool.gather>: Stream is closed")

    running = SimpleNamespace(status="running")
    with pytest.raises(GraderError, match=r"^lost the Dask scheduler at tcp://10\.0\.0\.1:8786 mid-batch"):
        with _scheduler_lost_reported(running, "tcp://10.0.0.1:8786"):
            _result_text(SimpleNamespace(result=gather), Submission("s004", tmp_path / "s004.ipynb"))
