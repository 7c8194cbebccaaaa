"""Loud preload (issue 12): a module the jail preloads that does not import there is the
grader's failure (exit 3, the module and why, one line), never every student's 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograder.exceptions import PreloadError
from autograder.sandbox.jail import Jail
from autograder.sandbox.inside import zygote
from tests.helpers import make_mini_project, write_notebook

MISSING = "no_such_module_preloaded_for_the_test"
GOOD = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]


def test_a_preload_module_that_is_missing_stops_the_command_with_exit_3(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text() + f"    preload: [numpy, {MISSING}]\n")
    write_notebook(tmp_path / "subs" / "alice.ipynb", GOOD)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--config", str(config), "-a", "mini",
                           str(tmp_path / "subs"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert f"cannot import '{MISSING}'" in lines[0] and "ModuleNotFoundError" in lines[0]
    assert not (tmp_path / "out" / "alice.json").exists()  # nobody got a grade for it


def test_an_auto_jail_does_not_fall_back_when_a_preload_module_is_missing(
        capfd: pytest.CaptureFixture[str]) -> None:
    with Jail.start("auto", ["numpy", MISSING]) as jail:
        for _ in range(2):  # and every later use says the same
            with pytest.raises(PreloadError) as caught:
                jail.ready()
            assert caught.value.module == MISSING
    assert "failed to start" not in capfd.readouterr().err  # a bad module, not a bad jail


def test_a_module_that_raises_on_import_is_named_with_its_error(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "needs_a_driver.py").write_text("raise RuntimeError('no driver found\\nsecond line')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(zygote.PreloadFailed) as caught:
        zygote.preload(["json", "needs_a_driver"])
    assert (caught.value.module, caught.value.reason) == ("needs_a_driver", "RuntimeError: no driver found")
    sys.modules.pop("needs_a_driver", None)


def test_google_colab_in_a_master_notebook_preloads_the_jails_stand_in() -> None:
    code = ("from autograder.sandbox.inside import zygote\n"
            "zygote.preload(['google.colab'])  # served by the stand-in, as in the workers\n"
            "import google.colab; print(google.colab.__doc__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "stand-in" in done.stdout, done.stderr
