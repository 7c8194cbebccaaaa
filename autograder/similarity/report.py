"""``similarity.csv`` (every pair, most alike first) and ``similarity.html`` (the most
alike pairs side by side, the matching code highlighted): files for the instructor."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from autograder.i18n import Language, Text
from autograder.reports.templating import environment
from autograder.results import write_atomic
from autograder.similarity.compare import Comparison, Spans

CSV_NAME = "similarity.csv"
HTML_NAME = "similarity.html"
TEMPLATE = "similarity.html.j2"

LABELS = {  # the page speaks the course's language, like the class summary
    "title": Text(en="Code similarity: {title}", ru="Похожесть кода: {title}"),
    "students": Text(en="Submissions compared", ru="Сравнено работ"),
    "pairs": Text(en="Pairs", ru="Пар"),
    "shown": Text(en="Pairs shown", ru="Показано пар"),
    "skipped": Text(en="Not compared (unreadable)", ru="Не сравнивались (не читаются)"),
    "how": Text(
        en="Score: the larger share of one student's own code (the starter code and what more than "
           "{common} notebooks share left out) found in the other's, in runs long enough not to be "
           "chance; names, comments, formatting and order do not count. A high score is a reason to "
           "look, not a verdict. All pairs: {csv}.",
        ru="Оценка: бóльшая доля собственного кода одного студента (без кода задания и без того, что "
           "встречается больше чем в {common} тетрадках), найденная у другого кусками длиннее "
           "случайных совпадений; имена, комментарии, форматирование и порядок не важны. Высокая "
           "оценка — повод посмотреть, а не вердикт. Все пары: {csv}."),
    "rank": Text(en="#", ru="№"),
    "a": Text(en="Submission A", ru="Работа A"),
    "b": Text(en="Submission B", ru="Работа B"),
    "score": Text(en="Score", ru="Оценка"),
    "none": Text(en="No two submissions share code beyond chance.",
                 ru="Общего кода сверх случайных совпадений нет ни у одной пары."),
    "empty": Text(en="(no code for the questions)", ru="(нет кода к вопросам)"),
}


@dataclass(frozen=True)
class PairView:
    rank: int
    a: str
    b: str
    score: float
    code_a: Markup
    code_b: Markup


def highlight(text: str, spans: Spans) -> Markup:
    """``text`` HTML-escaped, with each span in ``<mark>``."""
    out, at = io.StringIO(), 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        out.write(str(escape(text[at:start])))
        out.write(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.write(str(escape(text[at:])))
    return Markup(out.getvalue())


def write_csv(comparison: Comparison, path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["a", "b", "score"])
    writer.writerows([pair.a, pair.b, f"{pair.score:.4f}"] for pair in comparison.pairs)
    write_atomic(path, out.getvalue())
    return path


def pair_views(comparison: Comparison, top: int, threshold: float) -> list[PairView]:
    views = []
    for rank, pair in enumerate(comparison.pairs[:top], 1):
        if pair.score < threshold or pair.score <= 0:
            break
        spans_a, spans_b = comparison.matches(pair)
        codes = comparison.prints.codes
        views.append(PairView(rank, pair.a, pair.b, pair.score, highlight(codes[pair.i].text, spans_a),
                              highlight(codes[pair.j].text, spans_b)))
    return views


def write_html(comparison: Comparison, path: Path, *, title: str, language: Language, common: int,
               skipped: Sequence[str] = (), top: int = 30, threshold: float = 0.0) -> Path:
    def t(key: str, **fields: object) -> str:
        return LABELS[key].format(**fields).render(language) if fields else LABELS[key].render(language)

    page = environment().get_template(TEMPLATE).render(
        t=t, lang=language, title=title, students=len(comparison.prints.codes),
        pairs=len(comparison.pairs), views=pair_views(comparison, top, threshold), skipped=list(skipped),
        common=common, csv=CSV_NAME)
    write_atomic(path, page)
    return path
