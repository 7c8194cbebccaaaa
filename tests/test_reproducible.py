"""Reproducible grading (CONTRACT §3): a notebook that draws unseeded random numbers and
iterates over a set of strings gets byte-identical scores and messages in every run, in
every batch order, from every command (the jail seeds each worker from the submission's
hash and runs with a fixed hash seed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from autograder.config import load_settings
from autograder.grading import Grader, Submission
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.seeds import call_seed, submission_seed
from tests.helpers import graded_part, make_mini_project, write_notebook

GOOD_MINI = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
             "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]

# wrong by an amount that depends on every generator a student reaches for, and on the
# iteration order of a set of strings (the hash seed); `halve` right or wrong by chance
RANDOM = [
    "import random\nimport numpy as np\nimport torch\n"
    "WORDS = list({'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'})",
    "def double(x):\n"
    "    noise = random.random() + np.random.rand() + float(torch.rand(1)) + WORDS.index('alpha')\n"
    "    return 2.0 * np.asarray(x, dtype=float) + noise",
    "def halve(x):\n"
    "    lucky = random.random() + np.random.rand() + float(torch.rand(1)) < 1.5\n"
    "    return np.asarray(x, dtype=float) / 2 + (0.0 if lucky else 1.0)",
]



@pytest.fixture
def course(tmp_path: Path) -> Path:
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text() + "    preload: [numpy, torch]\n")
    return config


def test_random_notebook_grades_the_same_in_every_jail_and_order(tmp_path: Path, course: Path,
                                                                 jail: Jail) -> None:
    """20 gradings of the same bytes in three jails (three interpreter starts: the
    zygote's own random state and hash seed differ), first, last and between others."""
    settings = load_settings(course)
    no_torch = [RANDOM[0].replace("import torch\n", ""), *(c.replace(" + float(torch.rand(1))", "")
                                                           for c in RANDOM[1:])]
    rand = write_notebook(tmp_path / "rand.ipynb", no_torch)
    others = [write_notebook(tmp_path / f"other{i}.ipynb", cells)
              for i, cells in enumerate([GOOD_MINI, no_torch[:2], [no_torch[0], *GOOD_MINI]])]
    results: list[SubmissionResult] = []
    with Jail.start("auto", ["numpy"]) as second, Jail.start("auto", ["numpy"]) as third:
        for number, used in enumerate([jail, second, third, jail]):
            batch = []
            for run in range(5):
                batch += [Submission(f"other{run}", others[(run + number) % 3])] * ((run + number) % 3 != 1)
                batch.append(Submission(f"rand{number}.{run}", rand))
            Grader("mini", settings, used).grade_many(batch[::-1] if number % 2 else batch, results.append)
    seen = {graded_part(r) for r in results if r.submission.startswith("rand")}
    assert len(seen) == 1 and len(results) > 20
    result = json.loads(seen.pop())
    assert 0 < result["score"] < result["max_score"]  # the noise is really in the result


def test_every_worker_starts_from_the_submissions_seed(jail: Jail, fast_limits: Any) -> None:
    """random, NumPy's global state and torch's generator, seeded from the session's
    seed and the cell, in the first worker and in the one that replays the cells after a
    time-out."""
    import random

    import numpy as np
    import torch

    from autograder.exceptions import CallTimeout
    from autograder.notebook import CodeCell

    cells = [CodeCell(0, RANDOM[0]), CodeCell(1, "first = (random.random(), float(np.random.rand()), "
                                                   "float(torch.rand(1)))\n"
                                                   "def spin():\n    while True: pass")]
    seed = submission_seed("ab" * 32)
    with Session(jail.spawn, cells, fast_limits, seed) as session:
        first = session.getattr("first")
        with pytest.raises(CallTimeout):
            session.call_ex("spin", timeout=0.3)
        assert session.getattr("first") == first  # the fresh worker replayed and drew the same
    cell_seed = call_seed(seed, "cell 1", 0)
    generator = torch.Generator().manual_seed(cell_seed)
    expected = (random.Random(cell_seed).random(), float(np.random.RandomState(cell_seed % 2**32).rand()),
                float(torch.rand(1, generator=generator)))
    assert first == pytest.approx(expected, rel=0, abs=0)
    with Session(jail.spawn, cells, fast_limits, submission_seed("ac" * 32)) as other:
        assert all(a != b for a, b in zip(other.getattr("first"), first))


@pytest.mark.slow
def test_separate_commands_in_other_orders_give_identical_results(tmp_path: Path, course: Path) -> None:
    """Three commands (three jails, each with its own interpreter start), the random
    notebook graded first, last, and beside another in parallel."""
    source = write_notebook(tmp_path / "rand.ipynb", RANDOM)
    parts = []
    for run, (name, jobs) in enumerate([("a_rand", 1), ("z_rand", 1), ("m_rand", 2)]):
        subs = tmp_path / f"subs{run}"
        subs.mkdir()
        shutil.copy(source, subs / f"{name}.ipynb")
        for other in ("b", "y"):
            write_notebook(subs / f"{other}_good.ipynb", GOOD_MINI)
        out = tmp_path / f"out{run}"
        subprocess.run([sys.executable, "-m", "autograder", "grade", "--config", str(course), "-a", "mini",
                        str(subs), "--jobs", str(jobs), "--out", str(out)], check=True, capture_output=True)
        parts.append(graded_part(SubmissionResult.from_json(json.loads((out / f"{name}.json").read_text()))))
    assert parts[0] == parts[1] == parts[2]


def test_a_slow_jail_start_is_not_charged_to_the_first_notebook(jail: Jail, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first submission of a batch waits for the zygote (seconds under load); its
    cells' time budget starts when its worker does, or it would time out by chance."""
    from autograder.config import Limits
    from autograder.notebook import CodeCell

    ready = jail.ready

    def slow_ready() -> Any:
        time.sleep(4)
        return ready()

    monkeypatch.setattr(jail, "ready", slow_ready)
    limits = Limits(cell_timeout_s=1, run_timeout_s=1, call_timeout_s=1)
    with Session(jail.spawn, [CodeCell(0, "x = 1")], limits) as session:
        assert [c.status for c in session.run.cells] == ["ok"]
