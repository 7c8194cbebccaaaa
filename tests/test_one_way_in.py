"""Every command opens a submission through ``opener.Opener``: ``pytest --notebook`` runs
the hidden checks on the same session ``grade`` gets (limits, seeds, jail), so a notebook
with unseeded randomness fails the same checks under both."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.config import load_settings
from autograder.grading import Grader, Submission
from autograder.opener import Opener
from tests.catalogue.activations import notebook
from tests.helpers import ROOT, write_notebook
from tests.test_call_seeds import RANDOM_RELU, fixed_bytes


@pytest.mark.slow
def test_pytest_notebook_fails_the_checks_grade_fails(tmp_path: Path) -> None:
    path = fixed_bytes(write_notebook(tmp_path / "rand.ipynb", notebook(relu=RANDOM_RELU)))
    settings = load_settings(ROOT / "grading_config.yaml")
    with Opener.start(settings, "activations") as opener:
        result = Grader.through(opener).grade(Submission("rand", path))
    failed = sum(not c.passed for q in result.questions for c in q.checks if c.visibility == "hidden")
    run = subprocess.run([sys.executable, "-m", "pytest", str(ROOT / "assignments" / "activations" / "checks"),
                          "--notebook", str(path), "-q", "-p", "no:cacheprovider"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    found = re.search(r"(\d+) failed", run.stdout)
    assert found is not None, run.stdout[-2000:]
    assert int(found.group(1)) == failed > 0
