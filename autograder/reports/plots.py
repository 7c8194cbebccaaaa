"""Plots for the class summary, drawn with matplotlib's Agg canvas and embedded as
``data:image/png;base64`` URIs so the page needs no other file and no network.

``Figure`` objects are used directly (never ``pyplot``): no global state, no GUI
backend, safe in a worker thread.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

BLUE = "#3b6fb6"
GREEN = "#1a7f37"
RED = "#cf222e"
DPI = 110


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram(percents: Sequence[float], *, title: str, xlabel: str, ylabel: str) -> str:
    """Distribution of scores in percent, ten-point bins from 0 to 100."""
    figure = Figure(figsize=(6.0, 3.4), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    edges = list(range(0, 101, 10))
    counts = [0] * 10
    for value in percents:
        counts[min(int(min(max(value, 0.0), 100.0) // 10), 9)] += 1
    axes.bar([e + 5 for e in edges[:-1]], counts, width=10, color=BLUE, edgecolor="white")
    for left, count in zip(edges, counts):
        if count:
            axes.annotate(f"{count}", (left + 5, count), ha="center", va="bottom", fontsize=8,
                          xytext=(0, 2), textcoords="offset points")
    axes.set_xlim(0, 100)
    axes.set_xticks(edges)
    axes.set_ylim(0, max(max(counts, default=0) * 1.15, 1))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, fontsize=11)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)


def pass_rates(labels: Sequence[str], rates: Sequence[float], *, title: str, xlabel: str,
               width: float = 6.0) -> str:
    """Horizontal bars of percentages, one per label, top to bottom in the given order."""
    height = 1.0 + 0.28 * max(len(labels), 1)
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    colours = [GREEN if r >= 80 else (RED if r < 50 else "#d4a72c") for r in rates]
    axes.barh(positions, rates, color=colours, height=0.7)
    for y, rate in zip(positions, rates):
        axes.annotate(f"{rate:.0f}%", (rate, y), va="center", fontsize=8, xytext=(3, 0),
                      textcoords="offset points")
    axes.set_yticks(positions, labels=[_short(label) for label in labels], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 112)
    axes.set_xticks([0, 20, 40, 60, 80, 100])
    axes.set_title(title, fontsize=11)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)


def _short(label: str, limit: int = 60) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
