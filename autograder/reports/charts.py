"""The class summary's charts as plain geometry, drawn as inline SVG by the template macro
``templates/charts.html.j2``.

The charts were matplotlib PNGs: importing matplotlib and drawing three figures cost
1.2-1.5 s of every batch, a fifth of grading a folder of 100 notebooks. Here a chart is
a list of rectangles, lines and texts in the units of its ``viewBox``; the browser scales
it to the page and the template escapes every label. Texts are measured by an estimate
(no font is read), generous enough that a label never reaches the edge of its chart.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

BLUE = "#3b6fb6"
GREEN = "#1a7f37"
YELLOW = "#d4a72c"
RED = "#cf222e"
WIDTH = 480          # viewBox units: drawn at this many CSS pixels, smaller on a phone
FONT = 13            # labels and values; the title is 15, ticks 12
LABEL_LIMIT = 60     # longer labels end in "…"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    tip: str          # shown on hover, as the bar's own <title>


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str         # "axis" or "grid" (a CSS class)


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    kind: str                 # "title", "caption" (an axis), "tick", "value", "name" (a CSS class)
    anchor: str = "middle"    # SVG text-anchor: start, middle, end
    vertical: bool = False    # turned a quarter left around (x, y): the y axis' label


@dataclass(frozen=True)
class Chart:
    key: str          # unique on the page: the ids of its <title> and <desc>
    width: float
    height: float
    title: str
    description: str  # the data in words, for a screen reader
    bars: tuple[Bar, ...]
    lines: tuple[Line, ...]
    texts: tuple[Label, ...]


def text_width(text: str, size: float = FONT) -> float:
    """An upper estimate of ``text``'s width in a sans-serif font: wide (CJK) characters
    take a whole em, everything else 0.62 em (Latin and Cyrillic average less)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.62 * size for ch in text)


def short(label: str, limit: int = LABEL_LIMIT) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def rate_colour(rate: float) -> str:
    """Green from 80 %, red under 50 %, yellow between."""
    return GREEN if rate >= 80 else (RED if rate < 50 else YELLOW)


def bins(percents: Sequence[float]) -> list[int]:
    """Counts in ten-point bins from 0 to 100; 100 % falls in the last, out-of-range
    values in the nearest."""
    counts = [0] * 10
    for value in percents:
        counts[min(int(min(max(value, 0.0), 100.0) // 10), 9)] += 1
    return counts


def _step(top: float) -> int:
    """A tick step of 1, 2, 5, 10, 20, 50, ... giving at most five steps up to ``top``."""
    for magnitude in (10 ** k for k in range(12)):
        for base in (1, 2, 5):
            if top / (base * magnitude) <= 5:
                return base * magnitude
    return 10 ** 12


def _r(value: float) -> float:
    return round(value, 1)


def histogram(key: str, percents: Sequence[float], *, title: str, xlabel: str,
              ylabel: str) -> Chart:
    """Submissions per ten-point band of the score, the count over each bar."""
    counts = bins(percents)
    left, right, top, bottom = 52.0, 18.0, 40.0, 48.0
    height = 290.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    base = top + plot_h
    ceiling = max(max(counts) * 1.15, 1.0)
    scale = plot_h / ceiling
    step = _step(ceiling)
    lines = [Line(left, _r(base - v * scale), WIDTH - right, _r(base - v * scale), "grid")
             for v in range(step, int(ceiling) + 1, step)]
    texts = [Label(WIDTH / 2, 22, title, "title"),
             Label(_r(left + plot_w / 2), height - 10, xlabel, "caption"),
             Label(16, _r(top + plot_h / 2), ylabel, "caption", vertical=True)]
    texts += [Label(left - 6, _r(base - v * scale + 4), str(v), "tick", "end")
              for v in range(0, int(ceiling) + 1, step)]
    band = plot_w / 10
    bars = []
    for i, count in enumerate(counts):
        texts.append(Label(_r(left + i * band), base + 16, str(10 * i), "tick"))
        if count:
            x, h = left + i * band, count * scale
            bars.append(Bar(_r(x + 1), _r(base - h), _r(band - 2), _r(h), BLUE,
                            f"{10 * i}–{10 * i + 10}%: {count}"))
            texts.append(Label(_r(x + band / 2), _r(base - h - 4), str(count), "value"))
    texts.append(Label(WIDTH - right, base + 16, "100", "tick"))
    lines += [Line(left, base, WIDTH - right, base, "axis"), Line(left, top, left, base, "axis")]
    description = "; ".join(f"{10 * i}–{10 * i + 10}%: {n}" for i, n in enumerate(counts))
    return Chart(key, WIDTH, height, title, description, tuple(bars), tuple(lines), tuple(texts))


def pass_rates(key: str, labels: Sequence[str], rates: Sequence[float], *, title: str,
               xlabel: str) -> Chart:
    """One bar per label, top to bottom in the given order, each label written above its
    bar (so a long one has the chart's whole width, on a phone too) and "NN%" after it."""
    names = [short(label) for label in labels]
    pad, room, top, pitch = 10.0, 48.0, 36.0, 36.0
    width = max(WIDTH, math.ceil(max((text_width(n) for n in names), default=0) + 2 * pad))
    plot_w = width - pad - room
    base = top + pitch * len(names) + 2
    height = base + 44
    texts = [Label(width / 2, 22, title, "title"), Label(_r(pad + plot_w / 2), height - 8, xlabel, "caption")]
    lines = []
    for tick in range(0, 101, 20):
        x = _r(pad + plot_w * tick / 100)
        lines.append(Line(x, top, x, base, "grid"))
        texts.append(Label(x, base + 16, str(tick), "tick"))
    bars = []
    for i, (name, rate) in enumerate(zip(names, rates)):
        y = top + pitch * i
        w = plot_w * min(max(rate, 0.0), 100.0) / 100
        texts.append(Label(pad, y + 13, name, "name", "start"))
        bars.append(Bar(pad, y + 18, _r(w), 13, rate_colour(rate), f"{name}: {rate:.0f}%"))
        texts.append(Label(_r(pad + w + 4), y + 29, f"{rate:.0f}%", "value", "start"))
    lines.append(Line(pad, base, pad + plot_w, base, "axis"))
    description = "; ".join(f"{name}: {rate:.0f}%" for name, rate in zip(names, rates))
    return Chart(key, width, height, title, description, tuple(bars), tuple(lines), tuple(texts))
