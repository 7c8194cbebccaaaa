"""The `digits` assignment: its committed splits, and the hidden split kept out of reach.

The hidden split (``checks/hidden/digits_test.npz``) is nowhere in what ``assign``
writes, and a notebook that searches the jail's file system for the labels (by name, by
the shape of every array it can open, through scikit-learn's own ``load_digits``) finds
nothing and scores by what its model predicts: nothing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from autograder.config import HiddenData, load_settings
from autograder.grading import Grader, Submission
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.validate import validate_notebook
from tests.helpers import ROOT, run_cli, write_notebook

FOLDER = ROOT / "assignments" / "digits"
HIDDEN = FOLDER / "checks" / "hidden" / "digits_test.npz"


def hidden() -> tuple[np.ndarray, np.ndarray]:
    with np.load(HIDDEN, allow_pickle=False) as data:
        return data["inputs"], data["labels"]


def test_the_committed_splits_are_what_the_seeded_script_writes() -> None:
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location("make_digits", FOLDER / "make_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    X_train, y_train, X_test, y_test = module.splits()
    with np.load(FOLDER / "data" / "digits_train.npz", allow_pickle=False) as train:
        assert np.array_equal(train["X_train"], X_train) and np.array_equal(train["y_train"], y_train)
    inputs, labels = hidden()
    assert np.array_equal(inputs, X_test) and np.array_equal(labels, y_test)
    assert X_train.shape == (1438, 64) and inputs.shape == (359, 64) and X_train.dtype == np.float32
    assert sorted(np.unique(labels)) == list(range(10)) and 0.0 <= X_train.min() and X_train.max() <= 1.0


def test_the_bundled_digits_bands_are_the_contracts() -> None:
    config = load_settings(ROOT / "grading_config.yaml").assignment("digits")
    assert config.hidden_data["accuracy"] == HiddenData(metric="accuracy", full=0.95, zero=0.80)
    assert config.leaderboard is not None and config.leaderboard.question == "accuracy"


def test_the_hidden_split_is_nowhere_in_what_assign_writes(tmp_path: Path) -> None:
    assert run_cli("assign", "digits", "--out", str(tmp_path)) == 0
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert [p.relative_to(tmp_path).as_posix() for p in written] == ["data/digits_train.npz", "digits.ipynb"]
    inputs, labels = hidden()
    rows = {row.tobytes() for row in inputs}
    with np.load(tmp_path / "data" / "digits_train.npz", allow_pickle=False) as train:
        assert not any(row.tobytes() in rows for row in train["X_train"])   # no test image among them
        assert set(train.files) == {"X_train", "y_train"}
    notebook = (tmp_path / "digits.ipynb").read_text(encoding="utf-8")
    assert "digits_test" not in notebook and "checks/hidden" not in notebook
    label_text = ", ".join(str(v) for v in labels[:40])
    assert label_text not in notebook and HIDDEN.read_bytes()[:200] not in (tmp_path / "data" / "digits_train.npz").read_bytes()


SEARCH = '''
import os
import numpy as np
import torch

def search():
    """Every file whose name says digits, test or labels, and every array file, outside /proc."""
    hits = []
    for root, dirs, files in os.walk("/"):
        if root.startswith(("/proc", "/sys", "/dev")):
            dirs[:] = []
            continue
        for name in files:
            low = name.lower()
            if "digit" in low or "test" in low and low.endswith((".npz", ".npy", ".csv", ".gz")) or low.endswith((".npz", ".npy")):
                hits.append(os.path.join(root, name))
    return hits

HITS = search()
LABELS = None
for path in HITS:
    try:
        with np.load(path, allow_pickle=False) as found:
            for key in getattr(found, "files", []):
                if found[key].shape == (359,):
                    LABELS = found[key]
    except Exception:
        pass
try:
    from sklearn.datasets import load_digits
    DIGITS = load_digits()
except Exception as error:
    DIGITS = None
    WHY = type(error).__name__

class Lookup(torch.nn.Module):
    """Answers from whatever the search found; without it, always the digit 0."""
    def forward(self, X):
        if LABELS is not None and len(X) == len(LABELS):
            return torch.nn.functional.one_hot(torch.as_tensor(LABELS), 10).float()
        if DIGITS is not None:
            table = torch.as_tensor(DIGITS.data / 16.0, dtype=torch.float32)
            nearest = torch.cdist(X, table).argmin(dim=1)
            return torch.nn.functional.one_hot(torch.as_tensor(DIGITS.target)[nearest], 10).float()
        return torch.nn.functional.one_hot(torch.zeros(len(X), dtype=torch.int64), 10).float()

model = Lookup()
'''


@pytest.mark.slow
def test_a_notebook_that_searches_for_the_labels_finds_nothing_and_gains_nothing(tmp_path: Path) -> None:
    settings = load_settings(ROOT / "grading_config.yaml")
    path = write_notebook(tmp_path / "cheat.ipynb", [SEARCH])
    with Jail.start("auto", settings.preload("digits"), settings.data_dir("digits")) as jail:
        if jail.backend != "bwrap":
            pytest.skip("the package data sets are hidden under bwrap (README: what landlock does not give)")
        result = Grader("digits", settings, jail).grade(Submission("cheat", path))
        checked = validate_notebook(path, "digits", settings, jail).render("en")
        stub = tmp_path / "stub"
        assert run_cli("assign", "digits", "--out", str(stub)) == 0
        unfinished = validate_notebook(stub / "digits.ipynb", "digits", settings, jail).render("en")
        from autograder.notebook import read_submission
        with Session(jail.spawn, read_submission(path), settings.limits("digits")) as session:
            hits, labels, digits = session.proxy.value("HITS"), session.proxy.value("LABELS"), session.proxy.value("DIGITS")
            why = session.proxy.value("WHY")
    assert hits == ["/tmp/data/digits_train.npz"] or all("digits_test" not in h and "/checks" not in h for h in hits)
    assert labels is None and digits is None and why == "FileNotFoundError"   # load_digits: its data is hidden
    assert "✓ `model` is there: `accuracy` is graded by how it does on hidden data" in checked   # validate
    assert "✗ The notebook leaves no `model`" in unfinished
    accuracy = next(q for q in result.questions if q.name == "accuracy")
    assert accuracy.score == 0.0
    assert accuracy.checks[0].metric is not None and accuracy.checks[0].metric["value"] < 0.2   # the digit 0 only
