"""The jail from threads, from forked processes, and after its owner dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.exceptions import BadValue
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.inside import protocol

CELLS = [CodeCell(0, "def square(x):\n    return x * x")]


def test_sessions_from_several_threads(jail, fast_limits):
    def one(n):
        with Session(jail.spawn, CELLS, fast_limits) as session:
            return session.call("square", n)

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(one, range(12))) == [n * n for n in range(12)]


def test_jail_preloads_what_it_is_told_and_students_import_the_rest(fast_limits):
    with Jail.start("auto", ["numpy"]) as numpy_only:
        cells = [CodeCell(0, "import sys\n"
                             "before = sorted(m for m in ('numpy', 'torch', 'decimal') if m in sys.modules)"),
                 CodeCell(1, "import decimal\nhalf = float(decimal.Decimal(1) / 2)")]
        with Session(numpy_only.spawn, cells, fast_limits) as session:
            assert [c.status for c in session.run.cells] == ["ok", "ok"]
            assert session.getattr("before") == ["numpy"]
            assert session.getattr("half") == 0.5


def test_session_from_a_process_forked_after_start(jail, fast_limits):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with Session(jail.spawn, CELLS, fast_limits) as session:
                os.write(write, str(session.call("square", 7)).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100) == b"49"
    os.close(read)
    with Session(jail.spawn, CELLS, fast_limits) as session:  # the parent's jail still works
        assert session.call("square", 3) == 9


def test_forged_frame_from_the_worker_is_bad_value(jail, fast_limits):
    source = ("import os, struct, gc, socket\n"
              "def forge():\n"
              "    s = [o for o in gc.get_objects() if isinstance(o, socket.socket)][0]\n"
              "    s.sendall(struct.pack('>II', 8, 4) + b'nope')\n"
              "    import time; time.sleep(5)")
    with Session(jail.spawn, [CodeCell(0, source)], fast_limits) as session:
        with pytest.raises(BadValue):
            session.call("forge")
        assert session.has("forge")  # a fresh worker took over


@pytest.mark.parametrize("header", [b'{"x": NaN, "_blobs": []}', b"[1]", b'{"_blobs": [5]}'])
def test_protocol_rejects_bad_headers(header):
    import socket

    a, b = socket.socketpair()
    with a, b:
        a.sendall((len(header) + 4).to_bytes(4, "big") + len(header).to_bytes(4, "big") + header)
        with pytest.raises(protocol.WireError):
            protocol.recv_frame(b, time.monotonic() + 1)


def test_protocol_rejects_array_whose_data_does_not_match_its_shape():
    blob = protocol.array_blob(__import__("numpy").zeros(4))
    with pytest.raises(protocol.WireError):
        protocol.load_array(blob[:-8])


def test_nothing_survives_the_grader(tmp_path):
    script = tmp_path / "owner.py"
    script.write_text(
        "from autograder.sandbox.jail import Jail\n"
        "from autograder.session import Session\n"
        "from autograder.notebook import CodeCell\n"
        "from autograder.config import Limits\n"
        "import sys, time\n"
        "jail = Jail.start(sys.argv[1], ['numpy'])  # what it preloads plays no part here\n"
        "session = Session(jail.spawn, [CodeCell(0, 'x = 1')], Limits())\n"
        "print(jail._process.pid, session._client._worker.pid, flush=True)\n"
        "time.sleep(60)\n")
    from autograder.sandbox.backends import landlock

    for backend in ("auto", "none", *(() if landlock.missing() else ("landlock",))):
        owner = subprocess.Popen([sys.executable, str(script), backend], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)
        assert owner.stdout is not None
        pids = [int(p) for p in owner.stdout.readline().split()]
        # landlock's workers run in a folder of their own, under the zygote's: it must go too
        folder = Path(os.readlink(f"/proc/{pids[1]}/cwd")) if backend == "landlock" else None
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        owner.stdout.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.05)
        assert not any(_alive(p) for p in pids)
        if folder is not None:
            assert folder.parent.name.startswith("autograder-landlock-")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and folder.parent.exists():
                time.sleep(0.05)
            assert not folder.parent.exists(), "the zygote's folder outlived the grader"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone before or while /proc was read
        return False


def test_auto_falls_back_loudly_when_bwrap_cannot_start(monkeypatch, fast_limits, capfd):
    from autograder.exceptions import SandboxError
    from autograder.sandbox.backends import bwrap, landlock

    monkeypatch.setattr(bwrap, "path", lambda: "/bin/false")
    monkeypatch.setattr(bwrap, "command", lambda *args: (["/bin/false"], None))
    with Jail.start("auto", ["numpy"]) as jail:
        with Session(jail.spawn, CELLS, fast_limits) as session:
            assert session.call("square", 3) == 9
        assert jail.backend == ("none" if landlock.missing() else "landlock")
    assert "bwrap failed to start the jail" in capfd.readouterr().err
    with Jail.start("bwrap", ["numpy"]) as strict:
        for _ in range(2):  # and every later use says the same
            with pytest.raises(SandboxError, match="did not start"):
                strict.ready()


def test_landlock_that_does_not_hold_is_refused_and_auto_moves_on(monkeypatch, fast_limits, capfd):
    """The zygote tries the confinement in a throwaway child before saying ready: a
    policy that leaves /proc readable fails there, never in a student's worker."""
    from autograder.exceptions import SandboxError
    from autograder.sandbox.backends import bwrap, landlock

    if landlock.missing():
        pytest.skip(f"landlock cannot run here: {landlock.missing()}")
    policy = landlock.policy
    monkeypatch.setattr(landlock, "policy",
                        lambda data: {"read_only": ["/proc", *policy(data)["read_only"]]})
    with Jail.start("landlock", ["numpy"]) as strict:
        with pytest.raises(SandboxError, match="Landlock did not hide /proc"):
            strict.ready()
    monkeypatch.setattr(bwrap, "path", lambda: None)
    with Jail.start("auto", ["numpy"]) as jail:
        with Session(jail.spawn, CELLS, fast_limits) as session:
            assert session.call("square", 3) == 9
        assert jail.backend == "none"
    err = capfd.readouterr().err
    assert "NOTE: bwrap cannot run here (bwrap is not installed)" in err
    assert "landlock failed to start the jail" in err and "WARNING: neither bubblewrap" in err


def test_landlock_is_refused_at_once_where_the_kernel_has_none(monkeypatch):
    from autograder.exceptions import SandboxError
    from autograder.sandbox.backends import landlock as backend
    from autograder.sandbox.inside import landlock

    monkeypatch.setattr(landlock, "abi_version", lambda: 0)
    with pytest.raises(SandboxError, match="Landlock is not enabled in this kernel"):
        Jail.start("landlock", ["numpy"])
    assert backend.missing() is not None


def test_call_many_is_one_round_trip_that_answers_as_separate_calls(jail, fast_limits):
    """Independent calls in one request; the worker stops at the first that raises, and
    the calls after it are made (one by one, on a fresh worker after a hang) only when asked."""
    from autograder.exceptions import CallTimeout, StudentException

    source = ("calls = []\n"
              "def f(x):\n"
              "    calls.append(x)\n"
              "    if x == 'boom':\n"
              "        raise ValueError('boom')\n"
              "    if x == 'hang':\n"
              "        while True:\n"
              "            pass\n"
              "    return x * 2\n"
              "def seen():\n"
              "    return list(calls)\n")
    with Session(jail.spawn, [CodeCell(0, source)], fast_limits) as session:
        replies = session.call_many([("f", (1,), {}), ("f", (2.5,), {}), ("f", ("boom",), {}), ("f", (4,), {})])
        assert [replies[0].get(), replies[1].get()] == [2, 5.0]
        with pytest.raises(StudentException, match="boom"):
            replies[2].get()
        assert session.call("seen") == [1, 2.5, "boom"]  # 4 was not run in the batch
        assert replies[3].get() == 8 and session.call("seen") == [1, 2.5, "boom", 4]

        replies = session.call_many([("f", ("hang",), {}), ("f", (5,), {})], timeout=0.5)
        with pytest.raises(CallTimeout):
            replies[0].get()
        assert replies[1].get() == 10  # on a fresh worker that ran the cells again
        assert session.call("seen") == [5]


def test_numpy_errors_go_with_each_call_and_are_restored_after(jail, fast_limits):
    """``numpy_errors`` switches the worker's NumPy error state for the calls made
    inside (single and batched), with no round trip of its own; a notebook that replaces
    ``np.seterr`` does not switch it off; the state is back after each call."""
    from autograder.exceptions import BadValue, StudentException

    source = ("import numpy as np\n"
              "def big(x):\n"
              "    return np.exp(np.asarray(x, dtype=float))\n"
              "def state():\n"
              "    return np.geterr()['over']\n"
              "np.seterr = lambda **kwargs: {}  # a notebook that turns the switch into a no-op\n")
    with Session(jail.spawn, [CodeCell(0, source)], fast_limits) as session:
        assert session.call("big", [1000.0]).tolist() == [float("inf")]  # a warning, lost on the way
        with session.numpy_errors(over="raise"):
            with pytest.raises(StudentException, match="overflow") as raised:
                session.call("big", [1000.0])
            assert raised.value.exc_type == "FloatingPointError"
            replies = session.call_many([("big", ([1.0],), {}), ("big", ([1000.0],), {})])
            assert replies[0].get().tolist() == pytest.approx([2.718281828])
            with pytest.raises(StudentException, match="overflow"):
                replies[1].get()
        assert session.call("state") == "warn"  # restored after each call
        with session.numpy_errors(over="explode"):  # not an errstate mode: refused by the worker
            with pytest.raises(BadValue, match="numpy_errors"):
                session.call("big", [1.0])


def test_the_folders_every_worker_reveals_are_found_once() -> None:
    """``limits.python_dirs``: the interpreter's folders and the jail's code, resolved
    (``realpath`` reads every folder of each path) once in the zygote, not twice a worker."""
    from autograder.sandbox.inside import limits

    found = limits.python_dirs()
    assert found is limits.python_dirs()
    assert os.path.realpath(sys.prefix) in found
    assert os.path.realpath(os.path.dirname(os.path.dirname(limits.__file__))) in found
