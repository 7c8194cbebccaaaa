"""Per-call determinism (CONTRACT §3): every call into the student's code, and every
cell, draws from generators seeded by the submission, the check and the call's place in
it, so a notebook with unseeded randomness gets the same result file graded alone, in a
batch in any order, in another jail, and when a call's worker is replayed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.config import load_settings
from autograder.grading import Grader, Submission
from autograder.notebook import CodeCell
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from autograder.session import Session
from tests.catalogue.activations import notebook
from tests.helpers import ROOT, write_notebook

# `relu` right or wrong by chance, on each call: random, NumPy's and torch's global
# generators all decide (a wrong value where their sum is high)
RANDOM_RELU = """
import random
import torch

def relu(x):
    x = np.asarray(x, dtype=float)
    noise = random.random() + np.random.rand() + float(torch.rand(1))
    return np.maximum(x, 0.0) + (0.0 if noise < 1.5 else 1.0)
"""


def fixed_bytes(path: Path) -> Path:
    """The notebook with cell ids of its own (nbformat draws random ones), so its bytes,
    and so its seed and score, are the same in every test run."""
    notebook = nbformat.read(str(path), as_version=4)
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    nbformat.write(notebook, str(path))
    return path


def whole_file(result: SubmissionResult) -> str:
    """A result file as written, without its duration (the one field that may differ)."""
    data: dict[str, Any] = result.to_json()
    data.pop("duration_s")
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.mark.slow
def test_a_random_relu_gets_the_same_result_file_alone_and_in_any_batch(tmp_path: Path, jail: Jail) -> None:
    settings = load_settings(ROOT / "grading_config.yaml")
    random_nb = fixed_bytes(write_notebook(tmp_path / "rand.ipynb", notebook(relu=RANDOM_RELU)))
    others = [write_notebook(tmp_path / f"other{i}.ipynb", cells) for i, cells in enumerate(
        [notebook(), notebook(relu="def relu(x):\n    return np.asarray(x, dtype=float)"), [notebook()[0]]])]
    rand = Submission("rand", random_nb)
    files: list[str] = []
    with Jail.start("auto", settings.preload("activations")) as other_jail:
        for used in (jail, other_jail, jail):  # alone: a fresh grader each time
            files.append(whole_file(Grader("activations", settings, used).grade(rand)))
        for number, used in enumerate((jail, other_jail)):  # in batches, first, last, between
            batch = [Submission(f"other{i}", path) for i, path in enumerate(others)]
            batch.insert([0, 2][number], rand)
            found: list[SubmissionResult] = []
            Grader("activations", settings, used).grade_many(batch[::-1] if number else batch, found.append)
            files += [whole_file(r) for r in found if r.submission == "rand"]
    assert len(files) == 5
    assert len(set(files)) == 1, [json.loads(f)["score"] for f in files]
    relu = next(q for q in json.loads(files[0])["questions"] if q["name"] == "relu")
    assert 0 < relu["score"] < relu["max_score"]  # the noise is in the result, right by chance


def test_each_call_draws_from_its_own_place_not_from_the_calls_before(jail: Jail, fast_limits: Any) -> None:
    """The same call in the same check draws the same numbers whatever was called before
    it, in a batch or alone; another place in the check draws others."""
    cells = [CodeCell(0, "import random\nimport numpy as np\nimport torch\n"
                         "def draw(x=0):\n    return (random.random(), float(np.random.rand()), "
                         "float(torch.rand(1)))")]
    with Session(jail.spawn, cells, fast_limits, seed=7) as session:
        session.seeding("test_x.py::test_a")
        alone = [session.call("draw") for _ in range(3)]
        session.seeding("test_x.py::test_b")
        session.call("draw")  # another check's calls in between
        session.seeding("test_x.py::test_a")
        batched = [reply.get() for reply in session.call_many([("draw", (), {})] * 3)]
    assert alone == batched
    assert len({alone[0][0], alone[1][0], alone[2][0]}) == 3
    with Session(jail.spawn, cells, fast_limits, seed=8) as other:
        other.seeding("test_x.py::test_a")
        assert other.call("draw") != alone[0]  # another submission, other numbers


def test_cells_are_seeded_each_so_a_replay_without_a_timed_out_cell_draws_the_same(
        jail: Jail, fast_limits: Any) -> None:
    """After a call kills the worker, the fresh one replays the cells that ran, skipping
    the one that timed out: the later cells still draw what they drew the first time."""
    from autograder.exceptions import CallTimeout

    cells = [CodeCell(0, "import random\nfirst = random.random()"),
             CodeCell(1, "import time\nwaste = random.random()\ntime.sleep(30)"),
             CodeCell(2, "second = random.random()\ndef spin():\n    while True: pass")]
    with Session(jail.spawn, cells, fast_limits, seed=11) as session:
        assert [c.status for c in session.run.cells] == ["ok", "timeout", "ok"]
        before = session.getattr("second")
        with pytest.raises(CallTimeout):
            session.call_ex("spin", timeout=0.3)
        assert session.getattr("second") == before
