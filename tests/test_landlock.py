"""The ``landlock`` backend (where bwrap cannot run): what a worker can still do, what it
cannot, and results that say which backend graded them. The attack catalogue
(test_sandbox_attacks.py) runs against it too."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.backends import landlock as landlock_backend
from tests.helpers import make_mini_project, write_notebook

pytestmark = pytest.mark.skipif(landlock_backend.missing() is not None,
                                reason=f"landlock cannot run here: {landlock_backend.missing()}")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("course") / "data"
    folder.mkdir()
    (folder / "points.csv").write_text("x,y\n1,2\n")
    return folder


@pytest.fixture(scope="module")
def landlocked(data: Path) -> Iterator[Jail]:
    with Jail.start("landlock", ["numpy"], data) as jail:
        assert jail.backend == "landlock"
        yield jail


WORKER = '''
import ctypes, os, signal, socket, tempfile, threading
def attempt(what):
    try:
        return repr(what())[:200]
    except BaseException as error:
        return type(error).__name__ + (f" {os.strerror(error.errno)}" if type(error) is OSError else "")
def own():
    with open("notes.txt", "w") as out:
        out.write("mine")
    fd, name = tempfile.mkstemp()
    os.close(fd)
    threads = []
    thread = threading.Thread(target=lambda: threads.append(1))
    thread.start(); thread.join()
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    a, b = socket.socketpair()
    a.sendall(b"x")
    return {"read_back": open("notes.txt").read(), "tmp_in_own": name.startswith(os.getcwd()),
            "thread": threads, "child": os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]),
            "pair": b.recv(1).decode(), "null": attempt(lambda: open(os.devnull, "w").write("x")),
            "data": open("data/points.csv").read()}
def refused():
    return {"data_write": attempt(lambda: open("data/points.csv", "a")),
            "data_new": attempt(lambda: open("data/new.csv", "w")),
            "zygote": attempt(lambda: os.kill(os.getppid(), signal.SIGKILL)),
            "init": attempt(lambda: os.kill(1, 0)),
            "unix": attempt(lambda: socket.socket(socket.AF_UNIX)),
            "udp": attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM)),
            "proc_self": attempt(lambda: open("/proc/self/environ").read()),
            "etc": attempt(lambda: open("/etc/hostname").read()),
            "root": attempt(lambda: os.listdir("/")),
            "parent": attempt(lambda: os.listdir("..")),
            "unshare": ctypes.CDLL(None, use_errno=True).unshare(0x10000000) == -1  # CLONE_NEWUSER
                       and os.strerror(ctypes.get_errno())}
'''


def test_a_worker_keeps_what_notebooks_need(landlocked: Jail, fast_limits: Limits) -> None:
    with Session(landlocked.spawn, [CodeCell(0, WORKER)], fast_limits) as session:
        assert session.call("own") == {"read_back": "mine", "tmp_in_own": True, "thread": [1], "child": 7,
                                       "pair": "x", "null": "1", "data": "x,y\n1,2\n"}


def test_a_worker_is_refused_the_rest(landlocked: Jail, fast_limits: Limits) -> None:
    with Session(landlocked.spawn, [CodeCell(0, WORKER)], fast_limits) as session:
        refused = session.call("refused")
    # data under a private folder (pytest's, 0700) is bound read-only for the worker's uid
    assert refused.pop("data_new") in ("PermissionError", "OSError Read-only file system")
    assert refused == {"data_write": "PermissionError",
                       "zygote": "PermissionError", "init": "PermissionError",
                       "unix": "PermissionError", "udp": "PermissionError",
                       "proc_self": "PermissionError", "etc": "PermissionError",
                       "root": "PermissionError", "parent": "PermissionError",
                       "unshare": "Operation not permitted"}


def test_a_workers_folder_is_gone_when_it_ends(landlocked: Jail, fast_limits: Limits) -> None:
    source = "import os\nopen('big.bin', 'wb').write(b'0' * 1000)\nhere = os.getcwd()"
    with Session(landlocked.spawn, [CodeCell(0, source)], fast_limits) as session:
        here = Path(session.getattr("here"))
        assert here.is_dir() and here.parent.name.startswith("autograder-landlock-")
    assert not here.exists()


def test_grade_with_sandbox_landlock_says_so_in_the_results(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "course")
    write_notebook(tmp_path / "subs" / "alice.ipynb",
                   ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
                    "def halve(x):\n    return np.asarray(x, dtype=float) / 2"])
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--config", str(config), "-a", "mini",
                           str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--sandbox", "landlock"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out" / "alice.json").read_text())
    assert (result["sandbox"], result["score"], result["errors"]) == ("landlock", 3.0, [])
    assert "WITHOUT" not in done.stderr and "landlock" in (tmp_path / "out" / "grades.csv").read_text()
