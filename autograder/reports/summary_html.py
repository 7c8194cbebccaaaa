"""``summary.html``: the class at a glance, one self-contained page for the instructor.

Score distribution, pass rate per question and per check, the most common failure
messages, the slowest submissions, status counts, and a loud warning when anything was
graded without the sandbox. The charts are inline SVG (``charts.py`` and the macro in
``templates/charts.html.j2``); the only links are relative ones to each student's
``feedback/<id>.html``. A class of one gets the tables without charts: a distribution of
one score says nothing.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.i18n import msg
from autograder.reports import charts
from autograder.reports.base import ReportContext, register
from autograder.reports.leaderboard import ranking
from autograder.reports.templating import render, translator
from autograder.reports.text import first_error, first_line, number, percent
from autograder.atomic import write_atomic
from autograder.results import SubmissionResult

FILENAME = "summary.html"
TOP = 12
MIN_FOR_CHARTS = 2


@dataclass(frozen=True)
class Rate:
    """How many of ``total`` passed; ``awaiting`` more are graded by hand and not scored yet,
    so they are neither passed nor failed, and out of ``total`` and the percentage."""

    question: str
    check: str
    passed: int
    total: int
    awaiting: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class Failure:
    count: int
    question: str
    check: str
    message: str


def question_rates(results: Sequence[SubmissionResult], questions: Sequence[str]) -> list[Rate]:
    rates = []
    for name in questions:
        found = [(r, q) for r in results for q in r.questions if q.name == name]
        scored = [q for r, q in found if not r.awaits_hand_score(q)]
        rates.append(Rate(name, "", sum(q.passed for q in scored), len(scored), len(found) - len(scored)))
    return rates


def check_rates(results: Sequence[SubmissionResult], questions: Sequence[str]) -> list[Rate]:
    passed: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    awaiting: Counter[tuple[str, str]] = Counter()
    for result in results:
        for question in result.questions:
            unscored = result.awaits_hand_score(question)
            for check in question.checks:
                if unscored and check.graded_by_hand:
                    awaiting[question.name, check.name] += 1
                    continue
                total[question.name, check.name] += 1
                passed[question.name, check.name] += check.passed
    order = {name: i for i, name in enumerate(questions)}
    keys = sorted(total | awaiting, key=lambda k: (order.get(k[0], len(order)), k[0]))
    return [Rate(q, c, passed[q, c], total[q, c], awaiting[q, c]) for q, c in keys]


def charted(rates: Sequence[Rate]) -> list[Rate]:
    """The rates a chart can draw: one with nothing scored yet (every answer awaits the
    instructor) has no pass rate, and a bar at 0 % or 100 % would invent one."""
    return [rate for rate in rates if rate.total]


def common_failures(results: Sequence[SubmissionResult], notebook_label: str) -> list[Failure]:
    """Errors, then failed checks, each grouped by first line (values differ, the sentence
    does not), most common first. Errors come first: they cost a whole submission."""
    errors: Counter[tuple[str, str, str]] = Counter()
    checks: Counter[tuple[str, str, str]] = Counter()
    for result in results:
        for error in result.errors:
            errors["", notebook_label, first_line(error, 200)] += 1
        for question in result.questions:
            for check in question.checks:
                if not check.passed and not check.graded_by_hand:  # a score by hand is no failure
                    checks[question.name, check.name, first_line(check.message, 200)] += 1
    ranked = [
        *sorted(errors.items(), key=lambda item: (-item[1], item[0]))[: TOP // 2],
        *sorted(checks.items(), key=lambda item: (-item[1], item[0]))[:TOP],
    ]
    return [Failure(n, q, c, m) for (q, c, m), n in ranked]


def render_summary(results: Sequence[SubmissionResult], context: ReportContext) -> str:
    language = context.language
    t = translator(language)
    ordered = sorted(results, key=lambda r: r.submission)
    percents = [r.percent for r in ordered]
    by_question = question_rates(ordered, context.questions)
    by_check = check_rates(ordered, context.questions)
    statuses = Counter(r.status for r in ordered)
    figures = {}
    if len(ordered) >= MIN_FOR_CHARTS:
        drawn_questions, drawn_checks = charted(by_question), charted(by_check)
        figures = {
            "distribution": charts.histogram("distribution", percents, title=t("report.distribution"),
                             xlabel=t("report.percent_axis"), ylabel=t("report.count_axis")),
            "questions": charts.pass_rates("questions", [r.question for r in drawn_questions],
                              [r.percent for r in drawn_questions],
                              title=t("report.pass_rate_question"), xlabel=t("report.pass_rate_axis")),
            "checks": charts.pass_rates("checks", [f"{r.question}: {r.check}" for r in drawn_checks],
                              [r.percent for r in drawn_checks],
                              title=t("report.pass_rate_check"), xlabel=t("report.pass_rate_axis")),
        }
    return render(
        "summary.html.j2", language,
        title=context.title,
        results=ordered,
        count=len(ordered),
        graded=statuses.get("graded", 0),
        errored=statuses.get("error", 0),
        late=sum(r.late is not None for r in ordered),
        mean=number(statistics.fmean(percents), 1) if percents else "–",
        median=number(statistics.median(percents), 1) if percents else "–",
        unsandboxed=[r.submission for r in ordered if r.sandbox == "none"],
        sandbox_warning=msg("grade.sandbox_none").render(language),
        figures=figures,
        by_question=by_question,
        by_check=by_check,
        failures=common_failures(ordered, t("report.notebook")),
        slowest=sorted(ordered, key=lambda r: (-r.duration_s, r.submission))[:TOP],
        board=ranking(ordered, context.leaderboard.question, names=context.leaderboard.names,
                      salt=context.pseudonym_salt) if context.leaderboard else [],
        board_names=bool(context.leaderboard and context.leaderboard.names),
        number=number, percent=percent, first_error=first_error,
    )


class SummaryHtml:
    name = "summary-html"

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]:
        path = out_dir / FILENAME
        write_atomic(path, render_summary(results, context))
        return [path]


register(SummaryHtml())
