"""Writes ``data/apples_pears.csv``: the fruits the `neuron` perceptron learns to tell apart.

1000 fruits, half apples (target 0) and half pears (target 1), each with two features in
[0, 1]: ``symmetry`` (apples are rounder) and ``yellowness`` (pears are yellower).
Each class is a Gaussian cloud (standard deviation 0.12) around its centre, apples at
(0.7, 0.3) and pears at (0.4, 0.75); a fruit on the wrong side of the line
``yellowness = 0.5 * symmetry + 0.3``, or closer to it than 0.02, is drawn again, so
one straight line separates the classes. Values are rounded to 4 decimals, as
measurements would be, and the rows shuffled.

The generator is seeded: running this again writes the same bytes (a test checks that
the committed file is what this script writes).

    python assignments/neuron/make_data.py
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

SEED = 2
ROWS = 1000
CENTRES = {0: (0.7, 0.3), 1: (0.4, 0.75)}  # apples, pears: (symmetry, yellowness)
SPREAD = 0.12
SLOPE, INTERCEPT, MARGIN = 0.5, 0.3, 0.02
PATH = Path(__file__).resolve().parent / "data" / "apples_pears.csv"


def fruits(seed: int = SEED, rows: int = ROWS) -> np.ndarray:
    """Rows (symmetry, yellowness, target), linearly separable with a margin."""
    rng = np.random.default_rng(seed)
    found: list[tuple[float, float, int]] = []
    norm = np.hypot(1.0, SLOPE)
    while len(found) < rows:
        target = len(found) % 2
        symmetry, yellowness = np.round(rng.normal(CENTRES[target], SPREAD), 4)
        if not (0.0 <= symmetry <= 1.0 and 0.0 <= yellowness <= 1.0):
            continue
        distance = (yellowness - SLOPE * symmetry - INTERCEPT) / norm  # > 0 above the line: pears
        if abs(distance) <= MARGIN or (distance > 0) != bool(target):
            continue
        found.append((float(symmetry), float(yellowness), target))
    table = np.array(found)
    return table[rng.permutation(rows)]


def csv_text(table: np.ndarray) -> str:
    out = io.StringIO()
    out.write("symmetry,yellowness,target\n")
    for symmetry, yellowness, target in table:
        out.write(f"{symmetry:.4f},{yellowness:.4f},{int(target)}\n")
    return out.getvalue()


def main() -> None:
    PATH.parent.mkdir(parents=True, exist_ok=True)
    PATH.write_text(csv_text(fruits()), encoding="utf-8", newline="\n")
    print(f"wrote {PATH} ({ROWS} rows)")


if __name__ == "__main__":
    main()
