"""Writes the `digits` splits from scikit-learn's handwritten digits (``load_digits``: 1797
8x8 images that ship inside the package, no download).

Pixels are scaled from 0..16 to 0..1 and stored as float32 rows of 64, labels as int64.
A stratified split with a fixed seed keeps 360 images (20%) apart:

* ``data/digits_train.npz`` (``X_train``, ``y_train``: 1437 images): what the notebook
  reads at ``./data/``, and what ``assign`` hands out;
* ``checks/hidden/digits_test.npz`` (``inputs``, ``labels``): the hidden test split. It
  stays with the checks, which never enter the jail nor the student's notebook; only its
  inputs are sent to the jail when a submission is graded.

Running this again writes the same arrays (a test checks the committed files).

    python assignments/digits/make_data.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEED = 7
TEST_SHARE = 0.2
HERE = Path(__file__).resolve().parent
TRAIN = HERE / "data" / "digits_train.npz"
HIDDEN = HERE / "checks" / "hidden" / "digits_test.npz"


def splits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, y_train, X_test, y_test): stratified, the same on every run."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    rng = np.random.default_rng(SEED)
    test = np.zeros(len(y), dtype=bool)
    for cls in range(10):  # the same share of every digit in the test split
        rows = np.flatnonzero(y == cls)
        test[rng.choice(rows, size=round(len(rows) * TEST_SHARE), replace=False)] = True
    train_rows, test_rows = rng.permutation(np.flatnonzero(~test)), rng.permutation(np.flatnonzero(test))
    return X[train_rows], y[train_rows], X[test_rows], y[test_rows]


def main() -> None:
    X_train, y_train, X_test, y_test = splits()
    TRAIN.parent.mkdir(parents=True, exist_ok=True)
    HIDDEN.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(TRAIN, X_train=X_train, y_train=y_train)
    np.savez_compressed(HIDDEN, inputs=X_test, labels=y_test)
    print(f"wrote {TRAIN} ({len(y_train)} images) and {HIDDEN} ({len(y_test)} images)")


if __name__ == "__main__":
    main()
