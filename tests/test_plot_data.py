"""A student's matplotlib figures read back as data (``autograder.checks.plots``): lines,
scatter points, titles and labels, with nothing rendered in the grader; and the check
"the loss curve you plotted is your losses", which fails on a plot of something else."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from autograder.checks import CheckFailed
from autograder.checks.plots import expect_plotted, figures
from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session

CELLS = [
    "import numpy as np\nimport matplotlib.pyplot as plt",
    """
losses = [2.3 / (1 + epoch) for epoch in range(20)]
fig, (left, right) = plt.subplots(1, 2)
left.scatter([0.1, 0.5, 0.9], [1.0, 2.0, 3.0])
left.set_title("Данные")
right.plot(losses, label="train")
right.set_xlabel("эпоха"); right.set_ylabel("loss")
plt.show()
""",
    "plt.figure()\nplt.plot(np.arange(5), np.arange(5) ** 2)\nplt.title('square')",
]


@pytest.fixture(scope="module")
def notebook() -> Any:
    with Jail.start("auto", ["numpy", "matplotlib.pyplot"]) as jail, \
            Session(jail.spawn, [CodeCell(i, c) for i, c in enumerate(CELLS)], Limits()) as session:
        yield session.proxy


def test_figures_come_back_as_data(notebook: Any) -> None:
    first, second = figures(notebook)
    left, right = first.axes
    assert left.title == "Данные" and np.array_equal(left.scatters[0], [[0.1, 1.0], [0.5, 2.0], [0.9, 3.0]])
    (line,) = right.lines
    assert (right.xlabel, right.ylabel, line.label) == ("эпоха", "loss", "train")
    assert np.allclose(line.y, [2.3 / (1 + e) for e in range(20)]) and np.array_equal(line.x, np.arange(20))
    assert second.axes[0].title == "square" and np.array_equal(second.axes[0].lines[0].y, np.arange(5) ** 2)


def test_the_plotted_curve_must_be_the_losses(notebook: Any) -> None:
    found = figures(notebook)
    losses = np.asarray(notebook.value("losses"), dtype=float)
    assert expect_plotted(found, losses, what="losses").label == "train"
    with pytest.raises(CheckFailed) as error:   # a curve of something else (the losses of another run)
        expect_plotted(found, losses * 0.9, what="losses")
    assert "Ни одна линия" in error.value.text.ru and "20, 5" in error.value.text.en
    with pytest.raises(CheckFailed, match="no plotted line"):
        expect_plotted([], losses, what="losses")
