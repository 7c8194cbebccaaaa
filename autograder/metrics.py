"""Metrics a model is graded by on hidden data, and the bands that turn one into points.

A metric is a plain function of (predictions, labels) -> float over NumPy arrays,
registered by name (``@register("accuracy")``), so a course picks one in
``grading_config.yaml`` and a new one is a few lines here or in a course's own module.
NumPy only: the configuration validates names against this registry, and the checks,
the reports and the leaderboard read it without importing the check runner.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# NumPy is imported by the metrics when they run, not with this module: the configuration
# validates metric names against the registry, and reading it must not cost a command
# NumPy's import before its jail can start (the jail overlaps that import).
Metric = Callable[["np.ndarray", "np.ndarray"], float]


@dataclass(frozen=True)
class Registered:
    """A metric and which way is better (accuracy: higher; mean squared error: lower)."""

    compute: Metric
    higher_is_better: bool = True


METRICS: dict[str, Registered] = {}


def register(name: str, *, higher_is_better: bool = True) -> Callable[[Metric], Metric]:
    """Add a metric under ``name`` (a decorator)."""
    def add(function: Metric) -> Metric:
        METRICS[name] = Registered(function, higher_is_better)
        return function
    return add


def get(name: str) -> Registered:
    try:
        return METRICS[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r} (known: {', '.join(sorted(METRICS))})") from None


def higher_is_better(name: str) -> bool:
    """Which way ``name`` ranks: a metric of ours says; an unknown one counts as higher."""
    return METRICS[name].higher_is_better if name in METRICS else True


@register("accuracy")
def accuracy(predictions: np.ndarray, labels: np.ndarray) -> float:
    """The share of rows whose predicted class is the label."""
    import numpy as np

    return float(np.mean(predictions.reshape(-1) == labels.reshape(-1))) if labels.size else 0.0


@register("macro_f1")
def macro_f1(predictions: np.ndarray, labels: np.ndarray) -> float:
    """F1 of every class that occurs in the labels, averaged (classes weigh the same)."""
    import numpy as np

    predictions, labels = predictions.reshape(-1), labels.reshape(-1)
    scores = []
    for cls in np.unique(labels):
        true_pos = float(np.sum((predictions == cls) & (labels == cls)))
        predicted, actual = float(np.sum(predictions == cls)), float(np.sum(labels == cls))
        scores.append(2 * true_pos / (predicted + actual) if predicted + actual else 0.0)
    return float(np.mean(scores)) if scores else 0.0


@register("mse", higher_is_better=False)
def mse(predictions: np.ndarray, labels: np.ndarray) -> float:
    """Mean squared error of a regression (lower is better)."""
    import numpy as np

    return float(np.mean((predictions.reshape(-1).astype(float) - labels.reshape(-1).astype(float)) ** 2))


@dataclass(frozen=True)
class Bands:
    """Full credit at ``full`` or better, nothing at ``zero`` or worse, linear between.

    For a metric where lower is better, ``full`` is below ``zero``.
    """

    full: float
    zero: float

    def fraction(self, value: float) -> float:
        if not math.isfinite(value):
            return 0.0
        span = self.full - self.zero
        if span == 0:
            return 1.0 if (value >= self.full) else 0.0
        return float(min(1.0, max(0.0, (value - self.zero) / span)))
