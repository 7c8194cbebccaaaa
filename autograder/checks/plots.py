"""A student's matplotlib figures read back as data, for checks such as "the loss curve
you plotted is your losses". Nothing is rendered in the grader, and no image is compared:
each figure the notebook left open is described by what matplotlib answers about it in the
jail (each axes' title and labels, each line's x and y, each scatter's points), and only
those strings and arrays cross.

    from autograder.checks.plots import figures, expect_plotted

    @check("train", en="the loss curve you plotted is your losses", ru="...")
    def test_plot(submission, values):
        losses = values("losses", submission.value("losses"))
        expect_plotted(figures(submission), losses, what="losses")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.checks.api import fail
from autograder.sandbox.values import TensorValue


@dataclass(frozen=True)
class Line:
    x: np.ndarray
    y: np.ndarray
    label: str


@dataclass(frozen=True)
class Axes:
    title: str
    xlabel: str
    ylabel: str
    lines: tuple[Line, ...]
    scatters: tuple[np.ndarray, ...]  # each scatter's points, (n, 2)


@dataclass(frozen=True)
class Figure:
    number: int
    axes: tuple[Axes, ...]


def _data(value: Any) -> np.ndarray:
    if isinstance(value, TensorValue):
        value = value.array
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return np.zeros(0)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def figures(submission: Any) -> list[Figure]:
    """The figures the notebook left open, in order, as data."""
    builtins = submission.value("__builtins__")
    importer = submission.getattr(builtins, "__import__")
    pyplot = importer("matplotlib.pyplot", None, None, ["pyplot"])
    numpy = importer("numpy")
    listing = submission.getattr(builtins, "list")  # matplotlib's own list types stay in the jail; plain lists cross
    found = []
    for number in listing(pyplot.get_fignums()):
        figure = pyplot.figure(number)
        axes = []
        for ax in listing(figure.get_axes()):
            lines = tuple(Line(_data(line.get_xdata()), _data(line.get_ydata()), _text(line.get_label()))
                          for line in listing(ax.get_lines()))
            scatters = tuple(_data(numpy.asarray(collection.get_offsets()))
                             for collection in listing(submission.getattr(ax, "collections")))
            axes.append(Axes(_text(ax.get_title()), _text(ax.get_xlabel()), _text(ax.get_ylabel()), lines,
                             tuple(s for s in scatters if s.size)))
        found.append(Figure(int(number), tuple(axes)))
    return found


def expect_plotted(found: list[Figure], values: Any, *, what: str, rtol: float = 1e-5, atol: float = 1e-8) -> Line:
    """Some line of some figure must have ``values`` as its y (x is free: epochs from 0 or 1)."""
    want = _data(values).reshape(-1)
    lines = [line for figure in found for axes in figure.axes for line in axes.lines]
    for line in lines:
        if line.y.shape == want.shape and np.allclose(line.y, want, rtol=rtol, atol=atol):
            return line
    if not lines:
        raise fail("The notebook has no plotted line: plot {what} with plt.plot({what}).",
                   "В блокноте нет ни одного графика-линии: нарисуйте {what} через plt.plot({what}).", what=what)
    shapes = ", ".join(str(line.y.size) for line in lines[:6])
    raise fail("No plotted line shows {what} ({count} values); the lines have {shapes} points. Plot the values "
               "your code computed: plt.plot({what}).",
               "Ни одна линия на графиках не показывает {what} ({count} значений); в линиях {shapes} точек. "
               "Нарисуйте значения, которые посчитал ваш код: plt.plot({what}).",
               what=what, count=want.size, shapes=shapes)


