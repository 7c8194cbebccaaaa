"""Batches: a hanging or crashing submission costs only itself; a killed batch resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch import find_submissions, grade_batch
from autograder.config import load_settings
from autograder.exceptions import UsageError
from autograder.gradebook import Gradebook
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, write_notebook

GOOD = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]


# unseeded randomness, as students write it: right or wrong by chance, a different wrong
# value each time; the jail seeds each worker from the notebook's hash (CONTRACT §3)
RANDOM = ["import random\nimport numpy as np\n"
          "def double(x):\n    return 2.0 * np.asarray(x, dtype=float) + random.random()\n"
          "def halve(x):\n    return np.asarray(x, dtype=float) / 2 + (np.random.rand() < 0.5)"]


def make_class(folder: Path, count: int, pause_from: int | None = None) -> None:
    """``count`` notebooks; from ``pause_from`` on, each waits half a second in a cell of its own."""
    for i in range(count):
        cells = list(GOOD) if i % 3 == 0 else [GOOD[0].split("def halve")[0]] if i % 3 == 1 else RANDOM
        if pause_from is not None and i >= pause_from:
            cells.append("import time\ntime.sleep(0.5)")
        # the same code, one comment apart: other bytes, so other random numbers
        write_notebook(folder / f"student{i:02d}.ipynb", [f"# student {i}", *cells])


@pytest.mark.slow
def test_hanging_and_crashing_submissions_do_not_stop_the_batch(tmp_path: Path, jail: Jail) -> None:
    settings = load_settings(make_mini_project(tmp_path / "p"))
    subs = tmp_path / "subs"
    write_notebook(subs / "a_good.ipynb", GOOD)
    write_notebook(subs / "b_hangs.ipynb", ["while True:\n    pass", *GOOD])
    write_notebook(subs / "c_exits.ipynb", [*GOOD, "import os\nos._exit(3)"])
    write_notebook(subs / "d_bomb.ipynb", ["x = bytearray(8 * 1024**3)", *GOOD])
    write_notebook(subs / "e_good.ipynb", GOOD)
    results = grade_batch(find_submissions([subs]), "mini", settings, tmp_path / "out", jobs=2, jail=jail)
    scores = {r.submission: r.score for r in results}
    assert scores == {"a_good": 3.0, "b_hangs": 3.0, "c_exits": 3.0, "d_bomb": 3.0, "e_good": 3.0}
    errors = {r.submission: " ".join(r.errors) for r in results}
    assert "3 s" in errors["b_hangs"] and "stopped" in errors["b_hangs"]
    assert "ended the Python process" in errors["c_exits"]
    assert "MemoryError" in errors["d_bomb"]


@pytest.mark.slow
def test_killed_batch_resumes_to_the_same_grades(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "p")
    subs = tmp_path / "subs"
    # the later notebooks take seconds, so the kill lands mid-batch however fast the machine
    make_class(subs, 8, pause_from=2)
    command = [sys.executable, "-m", "autograder", "grade", "--config", str(config), "-a", "mini",
               str(subs), "--jobs", "1", "--out"]
    subprocess.run([*command, str(tmp_path / "clean")], check=True, capture_output=True)

    out = tmp_path / "killed"
    process = subprocess.Popen([*command, str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    graded_before = len(list(out.glob("student*.json")))
    assert 2 <= graded_before < 8 and not (out / "grades.csv").exists()

    subprocess.run([*command, str(out)], check=True, capture_output=True)
    assert (out / "grades.csv").read_bytes() == (tmp_path / "clean" / "grades.csv").read_bytes()
    with Gradebook.open(out / "gradebook.sqlite") as book:
        runs = book.runs("mini")
    assert len(runs) == 2  # the killed run and the one that finished it
    assert not list(out.glob(".*.tmp"))  # no half-written file left behind


def test_submission_ids_follow_the_contract(tmp_path: Path) -> None:
    write_notebook(tmp_path / "alice.ipynb", GOOD)
    write_notebook(tmp_path / "bob" / "hw1.ipynb", GOOD)
    write_notebook(tmp_path / ".ipynb_checkpoints" / "alice-checkpoint.ipynb", GOOD)
    (tmp_path / "._alice.ipynb").write_bytes(b"\x00\x05\x16\x07 Mac OS X")  # a Mac's resource fork
    (tmp_path / "bob" / "._hw1.ipynb").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
    found = find_submissions([tmp_path])
    assert [(s.id, s.path.name) for s in found] == [("alice", "alice.ipynb"), ("bob", "hw1.ipynb")]
    assert all(s.problem is None for s in found)


def test_a_notebook_named_in_capitals_is_found(tmp_path: Path) -> None:
    """A Windows tool saves ``HW.IPYNB``: still the student's notebook, as in an LMS archive."""
    write_notebook(tmp_path / "ivanov" / "HW.IPYNB", GOOD)
    write_notebook(tmp_path / "Petrova.Ipynb", GOOD)
    (tmp_path / "notes.txt").write_text("not a notebook")
    found = find_submissions([tmp_path])
    assert [(s.id, s.path.name) for s in found] == [("Petrova", "Petrova.Ipynb"), ("ivanov", "HW.IPYNB")]


def test_a_student_with_several_notebooks_gets_a_result_that_says_so(tmp_path: Path) -> None:
    """One student's folder with two notebooks (or a notebook beside a folder of the same
    name) is not guessed at, and does not stop the class: a result that names the files."""
    write_notebook(tmp_path / "alice.ipynb", GOOD)
    write_notebook(tmp_path / "bob" / "a.ipynb", GOOD)
    write_notebook(tmp_path / "bob" / "b.ipynb", GOOD)
    write_notebook(tmp_path / "carol.ipynb", GOOD)
    write_notebook(tmp_path / "carol" / "hw.ipynb", GOOD)
    found = {s.id: s for s in find_submissions([tmp_path])}
    assert sorted(found) == ["alice", "bob", "carol"] and found["alice"].problem is None
    bob, carol = found["bob"].problem, found["carol"].problem
    assert bob is not None and "bob/a.ipynb, bob/b.ipynb" in bob.en and "несколько блокнотов" in bob.ru
    assert carol is not None and "carol/hw.ipynb, carol.ipynb" in carol.en
    assert found["bob"].sha256 == ""  # a later run with one notebook left is graded again


def test_two_paths_with_one_id_are_a_usage_error(tmp_path: Path) -> None:
    write_notebook(tmp_path / "a" / "bob.ipynb", GOOD)
    write_notebook(tmp_path / "b" / "bob.ipynb", GOOD)
    with pytest.raises(UsageError, match="'bob'"):
        find_submissions([tmp_path / "a" / "bob.ipynb", tmp_path / "b" / "bob.ipynb"])




FORKED_TORCH = """
import os, sys, time, torch
from autograder import batch
torch.set_num_threads(2)
a = torch.ones(1500, 1500)
for _ in range(3):
    a @ a  # the parent's OpenMP pool is up
pid = os.fork()
if pid == 0:
    if sys.argv[1] == "grader":
        batch._torch_without_thread_pool()
    layer = torch.nn.Linear(1500, 1500)
    for _ in range(3):
        layer(a)
    os._exit(0)
start = time.monotonic()
while time.monotonic() - start < 20:
    if os.waitpid(pid, os.WNOHANG)[0]:
        print("finished")
        break
    time.sleep(0.05)
else:
    os.kill(pid, 9)
    print("hung")
"""


def test_a_forked_grader_process_does_not_wait_for_its_parents_torch_threads() -> None:
    """A forked process's first parallel torch operation waits forever for the parent's
    OpenMP threads (`verify digits` hung so, in the grader processes of its batch); a
    grader process runs torch on one thread. Run with "plain" instead of "grader", the
    same script prints "hung" on this machine: the case is real, the pass is not luck."""
    done = subprocess.run([sys.executable, "-c", FORKED_TORCH, "grader"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "finished", done.stderr


def test_a_resumed_batch_removes_the_half_written_files_a_kill_left(tmp_path: Path, jail: Jail) -> None:
    """SIGKILL can land between an atomic write's temporary file and its rename; the next
    run into the folder removes what is left, and only that."""
    config = make_mini_project(tmp_path / "p")
    make_class(tmp_path / "subs", 2)
    out = tmp_path / "out"
    (out / "feedback").mkdir(parents=True)
    left = [out / ".student01.json.k3x_9q2a.tmp", out / "feedback" / ".student01.md.0abcdefz.tmp"]
    kept = [out / ".notes.tmp", out / "feedback" / "draft.tmp"]  # not what a write leaves
    for path in left + kept:
        path.write_text("half")
    grade_batch(find_submissions([tmp_path / "subs"]), "mini", load_settings(config), out, jail=jail, jobs=1)
    assert [path.exists() for path in left] == [False, False]
    assert [path.exists() for path in kept] == [True, True]
    assert (out / "student01.json").is_file()
