"""Fixed data sets shared by the perceptron checks."""

from __future__ import annotations

import numpy as np

from autograder.checks import fixture

# Linearly separable with a small margin: the perceptron needs 23 epochs at lr=0.1, so
# (w, b) after 1, 7 and 10 epochs all differ and a wrong default is visible.
SEPARABLE_X = np.array([[0.7, 1.5], [1.7, -1.3], [1.2, 2.6], [0.1, 2.2],
                        [2.0, -1.6], [2.0, -2.9], [-1.7, -1.2], [-2.3, -0.4]])
SEPARABLE_Y = np.array([1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0])

LOGIC_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
LOGIC = {"AND": np.array([0.0, 0.0, 0.0, 1.0]), "OR": np.array([0.0, 1.0, 1.0, 1.0])}


@fixture
def separable() -> tuple[np.ndarray, np.ndarray]:
    return SEPARABLE_X.copy(), SEPARABLE_Y.copy()


@fixture
def logic() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return LOGIC_X.copy(), {name: labels.copy() for name, labels in LOGIC.items()}
