"""Hostile notebooks: each attack ends as a clean error for the grader, changes nothing
outside the jail, and leaves no process behind. Run on every backend (bwrap, landlock, none);
the file system, environment and network attacks on the two that hide them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pytest

from autograder.config import Limits, replace
from autograder.exceptions import CallTimeout, OutOfMemory, StudentException, WorkerDied
from autograder.notebook import CodeCell, transform_ipython
from autograder.sandbox.jail import Jail
from autograder.sandbox.values import RemoteObject
from autograder.session import Session
from autograder.sandbox import launcher
from autograder.sandbox.backends import landlock as landlock_backend
from tests.helpers import ROOT

JAIL_UID_MIN = 200_000  # workers run as uids from here up (see sandbox/inside/zygote.py)


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _descends_from_us(pid: int) -> bool:
    me = os.getpid()
    while pid > 1:
        pid = _parent(pid)
        if pid == me:
            return True
    return False


def jail_processes() -> list[int]:
    """Host pids of processes running as a worker uid below this test process.

    Processes of the "none" backend have the worker uid but no bwrap pid namespace, so
    ancestry is followed on the host; jails started by other programs are ignored.
    """
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid >= JAIL_UID_MIN and _descends_from_us(int(entry)):
                    found.append(int(entry))
            except FileNotFoundError:
                continue
    return found


def _jail_of(backend: str, shared: Jail) -> Iterator[Jail]:
    """The session's jail when it runs ``backend``, else a jail of that backend, or a skip."""
    if backend == "bwrap":
        if shared.backend != "bwrap":
            pytest.skip("bwrap is not available")
        yield shared
        return
    if backend == "landlock" and landlock_backend.missing():
        pytest.skip(f"landlock cannot run here: {landlock_backend.missing()}")
    with Jail.start(backend, ["numpy"]) as started:  # type: ignore[arg-type]  # no attack needs torch
        yield started


@pytest.fixture(scope="module", params=["bwrap", "landlock", "none"])
def any_jail(request: pytest.FixtureRequest, jail: Jail) -> Iterator[Jail]:
    yield from _jail_of(request.param, jail)


@pytest.fixture(scope="module", params=["bwrap", "landlock"])
def secure_jail(request: pytest.FixtureRequest, jail: Jail) -> Iterator[Jail]:
    """The backends that hide the grader's files and environment (not ``none``)."""
    yield from _jail_of(request.param, jail)


def one_second_cells(limits: Limits) -> Limits:
    """For the tests that wait a cell's limit out (and the grader's grace after it)."""
    return replace(limits, cell_timeout_s=1.0)


def start(jail: Jail, limits: Limits, *sources: str) -> Session:
    return Session(jail.spawn, [CodeCell(i, transform_ipython(s)) for i, s in enumerate(sources)], limits)


@pytest.fixture(autouse=True)
def no_process_left() -> Iterator[None]:
    """No jailed process started during the test survives it (others' may exist)."""
    before = set(jail_processes())
    yield
    assert sorted(set(jail_processes()) - before) == []


def test_infinite_loop_in_a_cell_times_out_and_the_run_goes_on(any_jail, fast_limits):
    with start(any_jail, one_second_cells(fast_limits), "while True: pass", "after = 1") as session:
        assert [c.status for c in session.run.cells] == ["timeout", "ok"]
        assert session.has("after")


def test_loop_that_blocks_sigalrm_is_killed_by_the_grader(any_jail, fast_limits):
    source = "import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])\nwhile True: pass"
    with start(any_jail, one_second_cells(fast_limits), "x = 1", source, "y = 2") as session:
        assert [c.status for c in session.run.cells] == ["ok", "timeout", "not_run"]
        assert session.has("x") and not session.has("y")  # replay of the cells before it
        assert "was stopped" in session.run.errors()[0].en


def test_infinite_loop_in_a_function_times_out_then_recovers(any_jail, fast_limits):
    source = "def spin():\n    while True: pass\ndef ok():\n    return 5\nclass C: pass\nkeep = C()"
    with start(any_jail, fast_limits, source) as session:
        old = session.proxy.value("keep")
        with pytest.raises(CallTimeout):
            session.call_ex("spin", timeout=0.5)
        assert session.call("ok") == 5  # a fresh worker replayed the cells
        with pytest.raises(WorkerDied):
            session.getattr(old, "x")


def test_memory_bomb(any_jail, fast_limits):
    source = "import numpy as np\ndef grab():\n    return np.ones(10**10)\nblob = bytearray(10**11)"
    with start(any_jail, fast_limits, source, "z = 1") as session:
        assert session.run.cells[0].status == "error"
        assert "MemoryError" in session.run.cells[0].exc_type
        with pytest.raises(OutOfMemory):
            session.call("grab")
        assert session.has("z")


def test_fork_bomb_is_stopped(any_jail, fast_limits):
    source = "import os\nwhile True:\n    os.fork()"
    with start(any_jail, fast_limits, source, "alive = True") as session:
        assert session.run.cells[0].status in ("error", "timeout")
        assert session.has("alive")


def test_printing_200_mb_is_cut_and_counted(any_jail, fast_limits):
    source = "line = 'x' * 1_000_000\nfor _ in range(200):\n    print(line)"
    with start(any_jail, fast_limits, source) as session:
        cell = session.run.cells[0]
        assert cell.status == "ok" and len(cell.stdout) == fast_limits.output_kb * 1024
        assert session.run.output_truncated
        assert any("KB" in text.en for text in session.run.errors())


def test_os_exit_ends_the_run_and_replay_works(any_jail, fast_limits):
    cells = ("def f():\n    return 1", "import os\nos._exit(0)", "def g():\n    return 2")
    with start(any_jail, fast_limits, *cells) as session:
        statuses = [c.status for c in session.run.cells]
        assert statuses == ["ok", "ended_process", "not_run"]
        assert session.run.cells[1].message == "exit code 0"
        assert "Cell 2" in session.run.errors()[0].en
        assert session.call("f") == 1 and not session.has("g")


def test_exit_in_a_call_is_worker_died(any_jail, fast_limits):
    with start(any_jail, fast_limits, "import os\ndef die():\n    os.kill(os.getpid(), 9)") as session:
        with pytest.raises(WorkerDied) as caught:
            session.call("die")
        assert caught.value.detail == "killed by signal 9"


def test_system_exit_and_input_are_recorded_errors(any_jail, fast_limits):
    with start(any_jail, fast_limits, "raise SystemExit(3)", "name = input('?')", "ok = 1") as session:
        first, second, third = session.run.cells
        assert (first.status, first.exc_type) == ("error", "SystemExit")
        assert second.status == "error" and "cannot be used during grading" in second.message
        assert third.status == "ok"


def test_always_equal_object_stays_remote(any_jail, fast_limits):
    source = "class Eq:\n    def __eq__(self, other): return True\n    def __repr__(self): raise RuntimeError\ndef f(): return [Eq()]"
    with start(any_jail, fast_limits, source) as session:
        value = session.call("f")
        assert isinstance(value[0], RemoteObject) and value[0].type_name == "Eq"
        assert value[0] != 1 and not value[0] == value[0].handle


def test_patching_numpy_and_builtins_stays_in_the_worker(any_jail, fast_limits):
    source = ("import numpy as np, numpy.testing, builtins\n"
              "np.allclose = lambda *a, **k: True\n"
              "numpy.testing.assert_allclose = lambda *a, **k: None\n"
              "builtins.isinstance = lambda *a: True\n"
              "def patched():\n    return np.allclose(1, 2)")
    with start(any_jail, fast_limits, source) as session:
        assert session.call("patched") is True  # the worker's own numpy is patched...
        assert not np.allclose(1, 2)  # ...the grader's is not
        with pytest.raises(AssertionError):
            np.testing.assert_allclose(1, 2)


def test_jail_cannot_see_the_repository(secure_jail, fast_limits):
    source = '''
import os, sys
def search(python_paths):
    python = tuple(p + "/" for p in python_paths)  # the Python installation the jail is given
    hits = []
    try:
        tops = os.listdir("/")
    except OSError:  # landlock: not even the root folder can be listed
        tops = ["work", "root", "home", "opt", "srv", "tmp", "etc", "var", "mnt"]
    for top in tops:
        if top in ("proc", "sys", "dev", "usr", "lib", "lib64", "bin", "sbin"):  # system files
            continue
        for root, dirs, files in os.walk("/" + top):
            for name in dirs + files:
                if name in ("assignments", "checks", "reference.py", "grading_config.yaml", "autograder"):
                    hits.append(os.path.join(root, name))
    return [hit for hit in hits if not hit.startswith(python)]
'''
    with start(secure_jail, fast_limits, source, "import autograder") as session:
        assert session.run.cells[1].exc_type in ("ModuleNotFoundError", "PermissionError")
        found = session.call_ex("search", (launcher.python_paths(),), timeout=60).value
        assert found == []  # (a disk walk is slow under load: a long time limit)


def test_hidden_checks_cannot_be_found_through_proc_or_read_by_path(secure_jail, fast_limits):
    """The attack that leaked the checks without bwrap: the grader's command line from
    /proc/*/cmdline, its install path, then assignments/*/checks/test_*.py; and, as if
    the path were known anyway, the checks opened by their real path."""
    from autograder.config import PROJECT_ROOT

    known = sorted(str(p) for p in (PROJECT_ROOT / "assignments").glob("*/checks/test_*.py"))
    assert known  # the bundled course's hidden checks exist on this disk
    source = '''
import glob, os
def leak(known):
    found = {}
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pids = [str(n) for n in range(1, 70000)]
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                words = handle.read().decode(errors="replace").split("\\0")
        except OSError:
            continue
        for word in words:
            path = os.path.dirname(os.path.abspath(word)) if word.startswith("/") else ""
            while path not in ("", "/"):
                for name in glob.glob(path + "/assignments/*/checks/test_*.py"):
                    try:
                        found[name] = open(name).read()[:100]
                    except OSError:
                        pass
                path = os.path.dirname(path)
    for name in known:
        try:
            found[name] = open(name).read()[:100]
        except OSError:
            pass
    return found
'''
    with start(secure_jail, fast_limits, source) as session:
        assert session.call_ex("leak", (known,), timeout=60).value == {}


def test_nothing_of_the_graders_environment_is_visible(secure_jail, fast_limits):
    """The worker's environment is the jail's own: none of the grader's variables (an
    LMS token, a course secret), not even its PATH."""
    source = "import os\ndef env():\n    return dict(os.environ)"
    with start(secure_jail, fast_limits, source) as session:
        seen = session.call("env")
    # torch writes its default inductor cache folder into os.environ of whichever process
    # asks for it, the grader's and the worker's alike: the same default, not inherited.
    torch_defaults = {"TORCHINDUCTOR_CACHE_DIR"}
    grader_only = {k: v for k, v in os.environ.items()
                   if k not in launcher.ENV and k not in torch_defaults and len(v) > 3}
    assert grader_only  # PYTHONPATH, HOME's value, the shell's own...
    assert [k for k, v in grader_only.items() if v in seen.values()] == []
    assert seen["PATH"] == launcher.ENV["PATH"] and seen["HOME"] != os.environ.get("HOME")


def test_network_and_other_workers_are_out_of_reach(secure_jail, fast_limits):
    """No connection to the host (a server the test listens on), no new sockets at all
    under Landlock, and no reading another worker's files."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    source = '''
import os, socket
def call_home(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"stolen")
        return "connected"
    except OSError as error:
        return type(error).__name__
def mine():
    with open("answer.txt", "w") as out:
        out.write("alice's answer")
    return os.path.abspath("answer.txt")
def read(path):
    try:
        return open(path).read()
    except OSError as error:
        return type(error).__name__
'''
    with server, start(secure_jail, fast_limits, source) as alice, \
            start(secure_jail, fast_limits, source) as bob:
        assert alice.call("call_home", server.getsockname()[1]) != "connected"
        with pytest.raises(socket.timeout):
            server.accept()
        path = alice.call("mine")
        assert alice.call("read", path) == "alice's answer"
        assert bob.call("read", path) != "alice's answer"


def test_writes_outside_the_jail_do_not_happen(any_jail, fast_limits, tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    results.chmod(0o777)
    source = f"""
import os
def write(path):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write("forged")
        return "written"
    except OSError as error:
        return type(error).__name__
"""
    probe = ROOT / "results" / f"forged-{os.getpid()}.json"  # our checkout, wherever it is
    with start(any_jail, fast_limits, source) as session:
        session.call("write", str(results / "alice.json"))
        session.call("write", str(probe))  # may "succeed" in the jail's own /tmp: never here
        assert session.call("write", "/usr/forged.txt") != "written"
    assert list(results.iterdir()) == [] and not probe.exists()


def test_syntax_error_cell(any_jail, fast_limits):
    with start(any_jail, fast_limits, "def f(:\n    pass", "g = 1") as session:
        first = session.run.cells[0]
        assert first.status == "syntax_error" and "line 1" in first.message
        assert "syntax error" in session.run.errors()[0].en and session.has("g")


def test_magics_and_shell_lines_run(any_jail, fast_limits):
    cells = ("%matplotlib inline\n!pip install nothing\nx = 2", "%%time\ny = x * 3",
             "%timeit -n 1 z = y + 1", "x?", "display(x)")
    with start(any_jail, fast_limits, *cells) as session:
        assert [c.status for c in session.run.cells] == ["ok"] * 5
        assert session.proxy.value("y") == 6 and session.proxy.value("z") == 7
        assert session.run.cells[4].stdout == "2\n"


def test_a_cell_that_raises_keeps_what_it_printed_and_annotations_are_the_students_own(any_jail, fast_limits):
    cells = ("print('epoch 1: loss 0.5')\nraise ValueError('shapes do not match')",
             "def f(x: int) -> int:\n    return x\nkinds = [type(v).__name__ for v in f.__annotations__.values()]")
    with start(any_jail, fast_limits, *cells) as session:
        raised = session.run.cells[0]
        assert raised.status == "error" and raised.stdout == "epoch 1: loss 0.5\n"
        assert session.proxy.value("kinds") == ["type", "type"]  # not postponed: no strings
