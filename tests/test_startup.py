"""A one-notebook `autograder grade` starts its jail before it imports the grader's own
modules (NumPy, the check runner, the reports), so the zygote boots while they load; the
errors of a command stay what they were, and a jail started before one is stopped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.exceptions import SandboxError
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, run_cli, write_notebook

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
from autograder.sandbox import jail
seen = {}
started = jail.Jail.__init__

def recording(self, *args, **kwargs):
    seen.update({name: name in sys.modules for name in WATCHED})
    started(self, *args, **kwargs)

WATCHED = ("numpy", "autograder.checks.suite", "autograder.grading", "autograder.reports")
jail.Jail.__init__ = recording
from autograder.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit_:
    assert not exit_.code, exit_.code
print(json.dumps({"at_jail_start": seen, "loaded": sorted(sys.modules)}))
"""


def test_grade_starts_its_jail_before_numpy_and_the_check_runner_are_imported(tmp_path: Path) -> None:
    notebook = ROOT / "samples" / "activations" / "ivanov.ipynb"
    done = subprocess.run([sys.executable, "-c", PROBE, "grade", "--course", str(ROOT), "-a", "activations",
                           str(notebook), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["at_jail_start"] == {"numpy": False, "autograder.checks.suite": False,
                                      "autograder.grading": False, "autograder.reports": False}
    result = json.loads((tmp_path / "out" / "ivanov.json").read_text())
    assert result["status"] == "graded" and result["score"] == result["max_score"] > 0  # graded as before
    loaded = set(probe["loaded"])  # what one notebook's command never needs
    assert not loaded & {"rich.progress", "autograder.lms.export", "autograder.server.command",
                         "autograder.similarity.command", "autograder.verify.command",
                         "importlib.metadata",  # only for a course with a requirements.txt
                         "autograder.lms.archives"}  # only for a zip of submissions


def test_every_command_is_still_listed_and_runs_when_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("--help") == 0
    listed = capsys.readouterr().out
    for name in ("assign", "export", "grade", "gradescope", "import", "init", "new", "serve",
                 "similarity", "tokens", "validate", "verify"):
        assert f"\n  {name} " in listed, name
    assert run_cli("tokens", "--help") == 0
    assert "personal token" in capsys.readouterr().out
    assert run_cli("no-such-command") == 2


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Jail]:
    """Every jail a command starts, to see whether it was stopped."""
    jails: list[Jail] = []
    original = Jail.__init__

    def recording(self: Jail, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        jails.append(self)

    monkeypatch.setattr(Jail, "__init__", recording)
    return jails


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_config_error_stops_grade_before_its_jail_starts(tmp_path: Path, started: list[Jail],
                                                           capfd: pytest.CaptureFixture[str]) -> None:
    config = make_mini_project(tmp_path / "course")
    notebook = write_notebook(tmp_path / "alice.ipynb", ["def double(x):\n    return 2 * x\n"])
    assert run_cli("grade", "--config", str(config), "-a", "nope", str(notebook), "--out", str(tmp_path / "out")) == 2
    assert "nope" in _one_line(capfd.readouterr().err)
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(tmp_path / "missing.ipynb"),
                   "--out", str(tmp_path / "out")) == 2
    assert "no such file" in _one_line(capfd.readouterr().err)
    assert started == []


@pytest.mark.parametrize("broken", ["checks", "manual"])
def test_an_error_after_the_jail_started_stops_it(tmp_path: Path, started: list[Jail], broken: str,
                                                  capfd: pytest.CaptureFixture[str]) -> None:
    """A check file that does not import, a --manual file that is not one: exit 2, one
    line, and the zygote the command had started is gone (no process left behind)."""
    config = make_mini_project(tmp_path / "course")
    notebook = write_notebook(tmp_path / "alice.ipynb", ["def double(x):\n    return 2 * x\n"])
    extra: list[str] = []
    if broken == "checks":
        (config.parent / "assignments" / "mini" / "checks" / "test_broken.py").write_text("import no_such_module_x\n")
    else:
        extra = ["--manual", str(notebook)]
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(notebook),
                   "--out", str(tmp_path / "out"), *extra) == 2
    line = _one_line(capfd.readouterr().err)
    assert ("no_such_module_x" if broken == "checks" else "needs the columns") in line
    assert len(started) == 1
    assert not Path(f"/proc/{started[0].pid}").exists()  # stopped and reaped
    assert not (tmp_path / "out" / "alice.json").exists()


def test_a_zygote_that_ends_with_its_prebuild_requests_unread_did_not_start(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The packages to prebuild are sent at launch; a jail process that ends without
    reading them (bwrap refused) resets the socket, and that still reads as "did not
    start", never as a grader failure."""
    from autograder.sandbox.backends import bwrap

    monkeypatch.setattr(bwrap, "missing", lambda: None)
    monkeypatch.setattr(bwrap, "command", lambda *args: (["/bin/sh", "-c", "sleep 0.3"], None))
    with Jail.start("bwrap", ["numpy"], prebuilt=[("pkg", [("pkg", "X = 1\n")])]) as jail:
        for _ in range(2):  # and every later use says the same
            with pytest.raises(SandboxError, match="did not start"):
                jail.ready()


TEARDOWN_PROBE = """
import atexit, sys
atexit.register(lambda: print("torn down", file=sys.stderr))  # runs only in the usual exit
from autograder.cli import console
sys.argv[1:] = ARGS
console()
"""


@pytest.mark.parametrize("extra, code, quick", [
    ([], 0, True),                           # graded: out without the teardown, output whole
    (["--fail-under", "90"], 1, True),       # its exit code kept
    (["--jobs", "-1"], 2, False),            # a usage error: the usual exit
])
def test_grade_ends_without_the_interpreters_teardown_once_everything_is_written(
        tmp_path: Path, extra: list[str], code: int, quick: bool) -> None:
    project = make_mini_project(tmp_path / "project")
    notebook = write_notebook(tmp_path / "bob.ipynb", [
        "import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)"])
    args = ["grade", "--config", str(project), "-a", "mini", str(notebook), "--out", str(tmp_path / "out"), *extra]
    done = subprocess.run([sys.executable, "-c", TEARDOWN_PROBE.replace("ARGS", repr(args))],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == code, done.stderr
    assert ("torn down" not in done.stderr) is quick
    if code != 2:
        assert done.stdout.splitlines()[-1].startswith("bob") and "66.7" in done.stdout  # the table, flushed
        assert json.loads((tmp_path / "out" / "bob.json").read_text())["score"] == 2.0
        assert (tmp_path / "out" / "summary.html").read_text().rstrip().endswith("</html>")


def test_the_grader_runs_numpy_on_one_blas_thread_unless_the_user_asks_for_more() -> None:
    """OpenBLAS's own threads start and spin when NumPy loads (about 0.1 CPU-s a process)
    on the cores the jail grades on; the grader's arrays are small. A user's setting wins."""
    probe = ("import os, autograder; "
             "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'], os.environ['MKL_NUM_THREADS'])")
    clean = {k: v for k, v in os.environ.items()
             if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    ours = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=clean, timeout=60)
    assert ours.stdout.split() == ["1", "1", "1"], ours.stderr
    theirs = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**clean, "OPENBLAS_NUM_THREADS": "4"}, timeout=60)
    assert theirs.stdout.split() == ["4", "1", "1"], theirs.stderr
