"""`autograder validate`: ready notebooks exit 0; problems are listed, never hidden checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli as run, write_notebook

ROOT = Path(__file__).resolve().parent.parent




@pytest.mark.slow
def test_correct_sample_is_ready(capsys: pytest.CaptureFixture[str]) -> None:
    code = run("validate", "-a", "activations", str(ROOT / "samples/activations/ivanov.ipynb"),
               "--language", "en")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Ready to submit" in out and "public examples pass" in out


@pytest.mark.slow
def test_stub_notebook_lists_each_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notebook = write_notebook(tmp_path / "nb.ipynb", [
        "import numpy as np",
        "def step(x):\n    raise NotImplementedError",
        "def sigmoid(x):\n    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))",
        "1 / 0",
    ])
    code = run("validate", "-a", "activations", str(notebook), "--language", "en")
    out = capsys.readouterr().out
    assert code == 1
    assert "ZeroDivisionError" in out
    assert "`step` is not implemented yet" in out
    assert "`relu` is not defined" in out
    assert "✓ `sigmoid`: public examples pass" in out
    assert "Not ready yet" in out
    assert "matches the reference" not in out  # hidden checks are never run or named
