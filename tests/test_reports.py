"""Every report format, from results built here (no grading needed)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from junitparser import Error, Failure, JUnitXml
from rich.console import Console
from rich.style import Style

from autograder import reports
from autograder.config import Feedback, GradingConfig, Settings, to_data, validated
from autograder.exceptions import UsageError
from autograder.i18n import msg
from autograder.reports.base import REGISTRY, ReportContext
from autograder.reports.charts import bins
from autograder.reports.ci_markdown import summary_markdown
from autograder.reports.feedback import render_feedback
from autograder.reports.gradescope import gradescope_json
from autograder.results import CheckResult, LateInfo, QuestionResult, SubmissionResult

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = {"sigmoid": 2.0, "relu": 2.0, "softmax": 2.0}   # not alphabetical on purpose
PUBLIC = "открытые примеры"
HIDDEN = "совпадает с эталоном"
WRONG = ("`relu(array(shape=(5,)))` вернула неверные значения.\n"
         "  вход:     [-1, 0, 1]\n  ожидалось: [0, 0, 1]\n  получено: [-1, 0, 1]")
MISSING = "В блокноте не определено имя `softmax`."


def question(name: str, public: bool = True, hidden: bool = True,
             message: str = WRONG) -> QuestionResult:
    return QuestionResult(name, (
        CheckResult(PUBLIC, public, 1.0 if public else 0.0, 1.0, "public",
                    "" if public else message),
        CheckResult(HIDDEN, hidden, 1.0 if hidden else 0.0, 1.0, "hidden",
                    "" if hidden else message),
    ), QUESTIONS[name])


def submission(name: str, relu_hidden: bool = True, softmax: bool = True,
               **fields: object) -> SubmissionResult:
    questions = (question("sigmoid"), question("relu", hidden=relu_hidden),
                 question("softmax", softmax, softmax, MISSING))
    values: dict[str, object] = {"duration_s": 0.4, "sha256": "x"} | fields
    return SubmissionResult("activations", name, questions, **values)  # type: ignore[arg-type]


def broken(name: str) -> SubmissionResult:
    questions = tuple(question(q, False, False, msg("grade.not_graded").ru) for q in QUESTIONS)
    return SubmissionResult(
        "activations", name, questions, duration_s=0.1, status="error",
        errors=("Отправленный файл не является корректным JSON (<script>alert(1)</script>).\x00",),
    )


@pytest.fixture()
def results() -> list[SubmissionResult]:
    return [
        submission("eve", sandbox="none", duration_s=2.5),
        submission("alice"),
        submission("bob", relu_hidden=False, softmax=False),
        broken("carol"),
        submission("dave", relu_hidden=False,
                   late=LateInfo("2026-12-03T10:00:00+03:00", 2.0, 20.0)),
    ]


def settings(tmp_path: Path, language: str = "ru", show_hidden: bool = True) -> Settings:
    config = validated(GradingConfig, {
        "language": language,
        "feedback": to_data(Feedback(show_hidden_details=show_hidden)),
        "assignments": {"activations": {"title": "Функции активации", "questions": QUESTIONS}},
    }, "grading_config.yaml")
    return Settings(config, tmp_path / "grading_config.yaml")


def context(language: str = "ru", show_hidden: bool = True) -> ReportContext:
    return ReportContext("activations", "Функции активации", language,  # type: ignore[arg-type]
                         tuple(QUESTIONS), show_hidden)


# ---- grades.csv -----------------------------------------------------------------------


def test_csv_columns_rows_and_numbers(tmp_path: Path, results: list[SubmissionResult]) -> None:
    path = reports.write_grades_csv(results, tmp_path / "grades.csv", list(QUESTIONS))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["submission", "sigmoid", "relu", "softmax", "score", "max_score",
                       "percent", "status", "late_penalty_percent", "sandbox"]
    assert [r[0] for r in rows[1:]] == ["alice", "bob", "carol", "dave", "eve"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["alice"][1:] == ["2", "2", "2", "6", "6", "100.00", "graded", "0", "bwrap"]
    assert by_id["bob"][1:5] == ["2", "1", "0", "3"]
    assert by_id["carol"][4:8] == ["0", "6", "0.00", "error"]
    assert by_id["dave"][4:] == ["4", "6", "66.67", "graded", "20", "bwrap"]   # 5 - 20%
    assert by_id["eve"][-1] == "none"


def test_csv_is_byte_identical_whatever_the_input_order(
        tmp_path: Path, results: list[SubmissionResult]) -> None:
    first = reports.write_grades_csv(results, tmp_path / "a.csv", list(QUESTIONS)).read_bytes()
    again = reports.write_grades_csv(results[::-1], tmp_path / "b.csv",
                                     list(QUESTIONS)).read_bytes()
    assert first == again
    assert b"\r" not in first


# ---- JUnit XML ------------------------------------------------------------------------


def test_junit_parses_with_one_suite_per_submission(
        tmp_path: Path, results: list[SubmissionResult]) -> None:
    written = reports.write_reports(results, settings(tmp_path), "activations", tmp_path,
                                    formats=["junit"])
    xml = JUnitXml.fromfile(str(written[0]))
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == [f"activations.{n}" for n in ("alice", "bob", "carol", "dave", "eve")]
    alice = suites["activations.alice"]
    cases = list(alice)
    assert len(cases) == 6 and alice.failures == 0 and alice.errors == 0
    assert {(c.classname, c.name) for c in cases} >= {
        ("activations.alice.relu", HIDDEN), ("activations.alice.softmax", PUBLIC)}
    bob = suites["activations.bob"]
    failed = {c.classname: c for c in bob if not c.is_passed}
    assert set(failed) == {"activations.bob.relu", "activations.bob.softmax"}
    failure = failed["activations.bob.relu"].result[0]
    assert isinstance(failure, Failure)
    assert failure.message == WRONG.splitlines()[0] and "получено" in (failure.text or "")
    carol = suites["activations.carol"]
    assert carol.errors == 1
    errored = [c for c in carol if c.result and isinstance(c.result[0], Error)]
    assert len(errored) == 1 and "<script>" in (errored[0].result[0].message or "")
    assert xml.tests == 31 and xml.failures == 3 + 1 + 6 and xml.errors == 1


def test_junit_parses_when_a_submission_id_has_control_characters(tmp_path: Path) -> None:
    """A submission id is a file's (or folder's) name, which on Linux may hold any character
    but '/': one XML 1.0 cannot hold made the whole file unreadable for CI."""
    odd = submission("\x1b[31mbob\x07")
    written = reports.write_reports([odd], settings(tmp_path), "activations", tmp_path, formats=["junit"])
    suite, = JUnitXml.fromfile(str(written[0]))
    assert suite.name == "activations.\ufffd[31mbob\ufffd" and len(list(suite)) == 6


def by_hand(student: str, scored: float | None, comment: str = "", points: float = 2.0) -> SubmissionResult:
    """``student``'s result with an essay (2 points) graded by hand as ``grade --manual``
    merges it: not scored yet (``None``), or scored with the instructor's comment."""
    from autograder.manual import Score, merge

    scores = {} if scored is None else {(student, "essay"): Score(scored, comment)}
    return merge(submission(student), {"essay": points}, scores, "en")


def _essay_cases(results: list, tmp_path: Path) -> tuple[Any, Any, Any]:
    """junit.xml of ann's and ben's results, and the test case of each one's essay."""
    written = reports.write_reports(results, settings(tmp_path, "en"), "activations", tmp_path, formats=["junit"])
    xml = JUnitXml.fromfile(str(written[0]))
    suites = {suite.name: suite for suite in xml}
    ann, ben = (next(c for c in suites[f"activations.{who}"] if c.classname.endswith(".essay")) for who in ("ann", "ben"))
    return xml, ann, ben


def test_junit_says_a_question_graded_by_hand_is_the_instructors_score_not_a_failure(tmp_path: Path) -> None:
    """A partial hand score was a ``<failure type="CheckFailed">`` (a CI page showed the
    instructor's 1.5 of 2 as a broken test), and one not scored yet a test that passed.
    Now it passes with the note and comment as its output, or is skipped until scored."""
    xml, ann, ben = _essay_cases([by_hand("ann", 1.5, "Нет графика"), by_hand("ben", None)], tmp_path)
    suites = {suite.name: suite for suite in xml}
    assert ann.is_passed and not ann.is_skipped
    assert ann.system_out == "Graded by hand: 1.5 of 2.\nНет графика"
    assert ben.is_skipped and ben.result[0].message.startswith("Graded by hand (2 points): not scored yet")
    assert (suites["activations.ann"].failures, suites["activations.ann"].skipped) == (0, 0)
    assert (suites["activations.ben"].failures, suites["activations.ben"].skipped) == (0, 1)
    assert (xml.failures, xml.skipped) == (0, 1)


def test_a_question_graded_by_hand_worth_0_points_reads_as_scored_once_scored(tmp_path: Path) -> None:
    """A hand-graded question worth 0 points (a reflection the instructor comments on) was
    ``<skipped>`` in ``junit.xml`` and an empty cell of ``grades.csv`` even after ``grade
    --manual`` scored it: its check is worth 0 either way. The result's ``manual`` summary
    tells (``"score": null`` until scored), so scored it passes with the comment."""
    results = [by_hand("ann", 0.0, "Хорошие выводы", points=0.0), by_hand("ben", None, points=0.0)]
    xml, ann, ben = _essay_cases(results, tmp_path)
    assert ann.is_passed and not ann.is_skipped
    assert ann.system_out == "Graded by hand: 0 of 0.\nХорошие выводы"
    assert ben.is_skipped
    assert (xml.failures, xml.skipped) == (0, 1)
    grades = reports.write_grades_csv(results, tmp_path / "grades.csv", [*QUESTIONS, "essay"]).read_text()
    rows = {row["submission"]: row for row in csv.DictReader(io.StringIO(grades))}
    assert (rows["ann"]["essay"], rows["ben"]["essay"]) == ("0", "")


# ---- Gradescope -----------------------------------------------------------------------


def test_gradescope_documented_fields(tmp_path: Path, results: list[SubmissionResult]) -> None:
    dave = next(r for r in results if r.submission == "dave")
    path = reports.write_gradescope(dave, tmp_path / "results" / "results.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["score"] == 4.0                       # the top-level score carries the penalty
    assert sum(t["score"] for t in data["tests"]) == 5.0
    assert data["visibility"] in {"hidden", "after_due_date", "after_published", "visible"}
    assert data["stdout_visibility"] in {"hidden", "after_due_date", "after_published",
                                         "visible"}
    assert "20%" in data["output"]
    assert len(data["tests"]) == 6
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "visibility", "output"}
        assert test["status"] in {"passed", "failed"}
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
    failed = [t for t in data["tests"] if t["status"] == "failed"]
    assert [t["name"] for t in failed] == [f"relu: {HIDDEN}"]
    assert failed[0]["output"] == WRONG


def test_gradescope_leaves_a_question_not_scored_by_hand_to_gradescopes_own_grading() -> None:
    """On Gradescope a question graded by hand is one of the assignment's manually graded
    questions, scored in Gradescope's own rubric; the autograder never scores it. It was a
    "passed" 0/0 test saying "not scored yet", a note that never went away. Not scored, it
    is left out of the tests; scored by ``grade --manual``, its test carries the score."""
    pending = gradescope_json(by_hand("ben", None))
    assert [t["name"] for t in pending["tests"] if t["name"].startswith("essay")] == []
    assert len(pending["tests"]) == 6 and pending["score"] == 6.0
    assert "not scored yet" not in json.dumps(pending)
    scored = gradescope_json(by_hand("ann", 1.5, "Нет графика"))
    essay, = [t for t in scored["tests"] if t["name"].startswith("essay")]
    assert (essay["score"], essay["max_score"]) == (1.5, 2.0)
    assert essay["output"] == "Graded by hand: 1.5 of 2.\nНет графика"


def test_gradescope_hides_hidden_details_when_configured(results: list[SubmissionResult]) -> None:
    bob = next(r for r in results if r.submission == "bob")
    data = gradescope_json(bob, show_hidden_details=False)
    outputs = {t["name"]: t["output"] for t in data["tests"] if t["status"] == "failed"}
    assert outputs[f"relu: {HIDDEN}"] == msg("report.hidden_details").ru
    assert outputs[f"softmax: {PUBLIC}"] == MISSING     # public examples stay visible
    shown = {t["name"].split(": ", 1)[1]: t["visibility"] for t in data["tests"]}
    assert shown[HIDDEN] == "after_published" and shown[PUBLIC] == "visible"
    assert {t["visibility"] for t in gradescope_json(bob)["tests"]} == {"visible"}  # with the details


def test_gradescope_format_needs_one_submission(tmp_path: Path,
                                                results: list[SubmissionResult]) -> None:
    with pytest.raises(UsageError, match="exactly one"):
        reports.write_reports(results, settings(tmp_path), "activations", tmp_path,
                              formats=["gradescope"])


# ---- HTML -----------------------------------------------------------------------------

VOID = {"meta", "img", "br", "hr", "link", "input"}


class Checker(HTMLParser):
    """Collects images and links and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.images: list[str] = []
        self.urls: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values.get("src") or "")
        self.urls.extend(v or "" for k, v in attrs if k in ("src", "href"))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unexpected </{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(path: Path) -> Checker:
    checker = Checker()
    checker.feed(path.read_text(encoding="utf-8"))
    checker.close()
    assert checker.problems == [] and checker.stack == []
    return checker


class Svg(HTMLParser):
    """The page's inline charts: per ``<svg>``, its attributes, rectangles, lines and
    texts (with their content), as the browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self.charts.append({"attrs": values, "rect": [], "line": [], "text": [], "title": []})
        elif self.charts and tag in ("rect", "line", "text"):
            self.charts[-1][tag].append(values | {"content": ""})
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.charts and self.open and self.open[-1] == "text":
            self.charts[-1]["text"][-1]["content"] += data
        elif self.charts and self.open[-2:] == ["svg", "title"]:
            self.charts[-1]["title"].append(data)


def charts_of(html: str) -> dict[str, dict]:
    parser = Svg()
    parser.feed(html)
    return {chart["attrs"]["aria-label"]: chart for chart in parser.charts}


def ticks(chart: dict, anchor: str = "middle") -> dict[str, dict]:
    """The x axis' tick labels (centred under their tick), or the y axis' (``end``)."""
    return {t["content"]: t for t in chart["text"] if t["class"] == "tick" and t["text-anchor"] == anchor}


def summary_page(tmp_path: Path, results: list[SubmissionResult], language: str = "ru") -> str:
    [path] = reports.write_reports(results, settings(tmp_path, language), "activations",
                                   tmp_path, formats=["summary-html"])
    parsed(path)
    return path.read_text(encoding="utf-8")


def test_summary_html_is_self_contained_with_charts(
        tmp_path: Path, results: list[SubmissionResult]) -> None:
    [path] = reports.write_reports(results, settings(tmp_path), "activations", tmp_path,
                                   formats=["summary-html"])
    page = parsed(path)
    html = path.read_text(encoding="utf-8")
    assert page.images == [] and "<img" not in html and "data:" not in html
    assert "://" not in html                  # no network: no URL at all, not even xmlns
    assert not [u for u in page.urls if "://" in u or u.startswith("//")]
    assert "feedback/carol.html" in page.urls
    charts = charts_of(html)
    titles = [msg(key).ru for key in ("report.distribution", "report.pass_rate_question",
                                      "report.pass_rate_check")]
    assert list(charts) == titles
    for title, chart in charts.items():   # named for a screen reader, scaled by its viewBox
        assert chart["attrs"]["role"] == "img" and chart["title"] == [title]
        assert chart["attrs"]["viewbox"].startswith("0 0 ")
        assert chart["attrs"]["aria-describedby"] in html
    text = " ".join(page.text)
    assert msg("grade.sandbox_none").ru in text and "eve" in text
    assert msg("report.status.error").ru in text
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_summary_does_not_import_matplotlib() -> None:
    code = ("import sys\n"
            "from tests.test_reports import context, submission\n"
            "from autograder.reports.summary_html import render_summary\n"
            "page = render_summary([submission('a'), submission('b', softmax=False)], context())\n"
            "assert page.count('<svg') == 3\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_bins_are_ten_points_wide_with_100_in_the_last() -> None:
    assert bins([0, 9.99, 10, 55, 89.9, 90, 100, 100, -3, 120]) == [3, 1, 0, 0, 0, 1, 0, 0, 1, 4]


def test_histogram_bars_follow_the_scores(tmp_path: Path, results: list[SubmissionResult]) -> None:
    percents = [r.percent for r in results]           # 100, 100, 50, 0, 66.7 (late)
    expected = [sum(10 * i <= p < 10 * i + 10 or (i == 9 and p == 100) for p in percents)
                for i in range(10)]
    assert expected == [1, 0, 0, 0, 0, 1, 1, 0, 0, 2]
    chart = charts_of(summary_page(tmp_path, results))[msg("report.distribution").ru]
    tick, counts = ticks(chart), ticks(chart, "end")
    edges = [float(tick[str(10 * i)]["x"]) for i in range(11)]
    unit = float(counts["0"]["y"]) - float(counts["1"]["y"])      # one submission, on the y axis
    [axis] = [float(ln["y1"]) for ln in chart["line"] if ln["class"] == "axis" and ln["y1"] == ln["y2"]]
    drawn = [0] * 10
    for rect in chart["rect"]:
        x, width, height = float(rect["x"]), float(rect["width"]), float(rect["height"])
        band = next(i for i in range(10) if edges[i] <= x < edges[i + 1])
        assert edges[band] <= x + width <= edges[band + 1]
        drawn[band] = round(height / unit)
        assert height == pytest.approx(drawn[band] * unit, abs=0.2)
        assert float(rect["y"]) + height == pytest.approx(axis, abs=0.2)      # standing on it
        over = [t for t in chart["text"] if t["class"] == "value" and x <= float(t["x"]) <= x + width]
        assert [t["content"] for t in over] == [str(drawn[band])]          # the count over it
        assert float(over[0]["y"]) < float(rect["y"])
    assert drawn == expected
    assert {t["content"] for t in chart["text"] if t["class"] == "caption"} == {
        msg("report.percent_axis").ru, msg("report.count_axis").ru}


def test_pass_rate_bars_follow_the_rates(tmp_path: Path, results: list[SubmissionResult]) -> None:
    chart = charts_of(summary_page(tmp_path, results, "en"))[msg("report.pass_rate_question").en]
    tick = ticks(chart)
    left, full = float(tick["0"]["x"]), float(tick["100"]["x"]) - float(tick["0"]["x"])
    names = [t for t in chart["text"] if t["class"] == "name"]
    values = [t for t in chart["text"] if t["class"] == "value"]
    rects = chart["rect"]
    assert [t["content"] for t in names] == list(QUESTIONS)            # in the config's order
    assert [float(r["y"]) for r in rects] == sorted(float(r["y"]) for r in rects)
    rates = {"sigmoid": 80.0, "relu": 40.0, "softmax": 60.0}          # 4/5, 2/5, 3/5
    for name, rect, value in zip(names, rects, values):
        rate = rates[name["content"]]
        assert float(rect["x"]) == pytest.approx(left)
        assert float(rect["width"]) / full * 100 == pytest.approx(rate, abs=0.2)
        assert rect["fill"] == {80.0: "#1a7f37", 40.0: "#cf222e", 60.0: "#d4a72c"}[rate]
        assert value["content"] == f"{rate:.0f}%"
        assert float(value["x"]) >= float(rect["x"]) + float(rect["width"])
        assert float(name["y"]) < float(rect["y"]) < float(value["y"])   # name above, value on it
    assert {t["content"] for t in chart["text"] if t["class"] == "caption"} == {msg("report.pass_rate_axis").en}


def test_chart_labels_are_exact_and_escaped(tmp_path: Path) -> None:
    odd = "форма <b>&amp; [N, 2] «x»"
    long = "проверка " + "очень длинного названия " * 4
    def one(name: str, softmax: bool) -> SubmissionResult:
        base = submission(name, softmax=softmax)
        sigmoid = QuestionResult("sigmoid", (CheckResult(odd, softmax, float(softmax), 1.0, "hidden", ""),
                                             CheckResult(long, True, 1.0, 1.0, "hidden", "")), 2.0)
        return SubmissionResult("activations", name, (sigmoid, *base.questions[1:]), duration_s=0.1)
    html = summary_page(tmp_path, [one("a", True), one("b", False)])
    chart = charts_of(html)[msg("report.pass_rate_check").ru]
    names = [t["content"] for t in chart["text"] if t["class"] == "name"]
    assert names[:2] == [f"sigmoid: {odd}", f"sigmoid: {long}"[:59] + "…"]
    assert "sigmoid: форма &lt;b&gt;&amp;amp; [N, 2] «x»" in html and "<b>" not in html
    assert "<title>sigmoid: форма &lt;b&gt;&amp;amp; [N, 2] «x»: 50%</title>" in html  # the bar's tip


def test_summary_counts_failures_and_orders_slowest(
        tmp_path: Path, results: list[SubmissionResult]) -> None:
    from autograder.reports.summary_html import check_rates, common_failures, question_rates

    rates = {r.question: (r.passed, r.total) for r in question_rates(results, list(QUESTIONS))}
    assert rates == {"sigmoid": (4, 5), "relu": (2, 5), "softmax": (3, 5)}
    checks = check_rates(results, list(QUESTIONS))
    assert [(c.question, c.check) for c in checks][:2] == [("sigmoid", PUBLIC), ("sigmoid", HIDDEN)]
    failures = common_failures(results, "notebook")
    assert failures[0].check == "notebook" and failures[0].count == 1     # errors first
    relu = [f for f in failures if f.question == "relu" and f.check == HIDDEN]
    assert relu[0].count == 2 and relu[0].message == WRONG.splitlines()[0]
    html = reports.write_reports(results, settings(tmp_path, "en"), "activations", tmp_path,
                                 formats=["summary-html"])[0].read_text(encoding="utf-8")
    slowest = html.split(msg("report.slowest").en, 1)[1]
    assert slowest.index("eve") < slowest.index("alice")


def test_summary_counts_a_question_awaiting_its_hand_score_as_awaiting_not_passed() -> None:
    """An essay nobody had scored yet read "essay 3/3, 100%" in the class summary, a green
    bar in both charts: its check, worth nothing until scored, passes. Now an answer
    awaiting the instructor is neither passed nor failed: out of the rate, said as awaiting,
    and a question that awaits for everyone gets no bar (it has no pass rate yet)."""
    from autograder.reports.summary_html import check_rates, question_rates, render_summary

    questions = [*QUESTIONS, "essay"]
    some = [by_hand("ann", 1.5), by_hand("ben", 2.0), by_hand("cat", None)]
    [essay] = [r for r in question_rates(some, questions) if r.question == "essay"]
    assert (essay.passed, essay.total, essay.awaiting, essay.percent) == (1, 2, 1, 50.0)
    [check] = [r for r in check_rates(some, questions) if r.question == "essay"]
    assert (check.passed, check.total, check.awaiting) == (1, 2, 1)
    essays = ReportContext("activations", "Функции активации", "en", tuple(questions), True)
    page = render_summary(some, essays)
    assert "<title>essay: 50%</title>" in page and "1 / 2 (⏳ awaiting the instructor: 1)" in page
    nobody = render_summary([by_hand("ann", None), by_hand("ben", None)], essays)
    assert "<title>essay" not in nobody  # no bar in either chart
    assert "essay: 100%" not in nobody and "0 / 0 (⏳ awaiting the instructor: 2)" in nobody


def test_summary_of_one_submission_has_tables_but_no_plots(
        tmp_path: Path, results: list[SubmissionResult]) -> None:
    [path] = reports.write_reports(results[:1], settings(tmp_path), "activations", tmp_path,
                                   formats=["summary-html"])
    page = parsed(path)
    assert page.images == [] and "<svg" not in path.read_text(encoding="utf-8")
    assert results[0].submission in " ".join(page.text)


def test_summary_of_no_results_still_renders(tmp_path: Path) -> None:
    [path] = reports.write_reports([], settings(tmp_path), "activations", tmp_path,
                                   formats=["summary-html"])
    assert parsed(path).images == []


@pytest.mark.parametrize("language", ["ru", "en"])
def test_feedback_html_and_markdown(tmp_path: Path, results: list[SubmissionResult],
                                    language: str) -> None:
    localized = [SubmissionResult.from_json(r.to_json() | {"language": language})
                 for r in results]
    written = reports.write_reports(localized, settings(tmp_path, language), "activations",
                                    tmp_path, formats=["feedback-md", "feedback-html"])
    assert {p.name for p in written} == {f"{n}.{ext}" for n in
                                         ("alice", "bob", "carol", "dave", "eve")
                                         for ext in ("md", "html")}
    t = lambda key, **kw: msg(key, **kw).render(language)  # noqa: E731
    bob_md = (tmp_path / "feedback" / "bob.md").read_text(encoding="utf-8")
    assert t("report.score", score="3", max_score="6", percent="50") in bob_md
    assert "получено: [-1, 0, 1]" in bob_md and MISSING in bob_md
    assert "```text\n" in bob_md
    alice_md = (tmp_path / "feedback" / "alice.md").read_text(encoding="utf-8")
    assert t("report.all_passed") in alice_md and "❌" not in alice_md
    dave_md = (tmp_path / "feedback" / "dave.md").read_text(encoding="utf-8")
    assert "20%" in dave_md and t("report.late", submitted_at="2026-12-03 07:00:00 UTC",
                                  days="2", penalty="20", raw_score="5") in dave_md
    carol_page = parsed(tmp_path / "feedback" / "carol.html")
    carol_text = " ".join(carol_page.text)
    assert t("report.errors") in carol_text and "<script>alert(1)</script>" in carol_text
    assert "<script>" not in (tmp_path / "feedback" / "carol.html").read_text(encoding="utf-8")
    bob_html = (tmp_path / "feedback" / "bob.html").read_text(encoding="utf-8")
    assert "<code>relu(array(shape=(5,)))</code>" in bob_html
    to_fix = bob_html.split(f"<h2>{t('report.to_fix')}</h2>", 1)[1].split("</section>", 1)[0]
    assert '<a href="#q-relu"><code>relu</code></a>: 1 / 2' in to_fix and "sigmoid" not in to_fix
    assert 'id="q-relu"' in bob_html
    assert f"## {t('report.to_fix')}\n\n- `relu`: 1 / 2\n" in bob_md
    assert t("report.to_fix") not in alice_md


def test_feedback_hides_hidden_details_when_configured(results: list[SubmissionResult]) -> None:
    bob = next(r for r in results if r.submission == "bob")
    shown = render_feedback(bob, context(), "feedback.md.j2")
    hidden = render_feedback(bob, context(show_hidden=False), "feedback.md.j2")
    assert "получено" in shown and "получено" not in hidden
    assert msg("report.hidden_details").ru in hidden
    assert MISSING in hidden                  # the failed public example still says why


# ---- CI Markdown summary, terminal table, registry -------------------------------------


def test_summary_markdown_for_a_class(tmp_path: Path, results: list[SubmissionResult]) -> None:
    path = reports.write_summary_markdown(results, tmp_path / "step-summary.md")
    text = path.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + 5                  # header, rule, one row per submission
    assert "\x00" not in text
    assert "| dave | 4 | 6 | 66.7 |" in text and "−20%" in text
    assert "[!WARNING]" in text                # eve was graded without the sandbox
    assert "### " not in text                  # no per-question section for a class


def test_ci_summary_is_appended_not_overwritten(tmp_path: Path, results: list[SubmissionResult]) -> None:
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("## Earlier step\n", encoding="utf-8")
    bob = next(r for r in results if r.submission == "bob")
    reports.append_summary_markdown([bob], step_summary, context("en", show_hidden=False))
    text = step_summary.read_text(encoding="utf-8")
    assert text.startswith("## Earlier step\n") and "| `relu` | 1 | 2 | ❌ |" in text
    assert "получено: [-1, 0, 1]" not in text      # hidden details stay hidden in CI too


def test_ci_summary_into_a_new_folder_or_nowhere(tmp_path: Path, results: list[SubmissionResult]) -> None:
    from autograder.exceptions import UsageError

    path = reports.append_summary_markdown(results, tmp_path / "new" / "summary.md", context())
    assert path.read_text(encoding="utf-8").startswith("#")
    with pytest.raises(UsageError, match="cannot write the summary"):
        reports.append_summary_markdown(results, tmp_path / "new", context())   # a folder


def test_summary_markdown_for_one_submission(results: list[SubmissionResult]) -> None:
    bob = next(r for r in results if r.submission == "bob")
    text = summary_markdown([bob], context("en"))
    assert "| `relu` | 1 | 2 | ❌ |" in text and "| `sigmoid` | 2 | 2 | ✅ |" in text
    assert f"### {msg('report.failing').en}" in text
    assert "получено: [-1, 0, 1]" in text and MISSING in text
    assert "WARNING" not in text


def test_markdown_table_cells_cannot_break_the_table(results: list[SubmissionResult]) -> None:
    odd = SubmissionResult("activations", "a|b", (), errors=("line one | pipe\nline two",),
                           status="error")
    text = summary_markdown([odd], context())
    row = next(line for line in text.splitlines() if line.startswith("| a"))
    assert row.startswith("| a\\|b |") and "pipe" in row and "line two" not in row


def test_terminal_table(results: list[SubmissionResult]) -> None:
    console = Console(width=160, record=True, color_system=None)
    console.print(reports.terminal_table(results))
    lines = console.export_text().splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["alice", "bob", "carol", "dave", "eve"]
    carol = next(line for line in lines if line.startswith("carol"))
    assert "error" in carol and "Отправленный файл" in carol
    assert "(−20%)" in next(line for line in lines if line.startswith("dave"))


def test_terminal_table_of_a_big_class_shows_who_needs_a_look(results: list[SubmissionResult]) -> None:
    console = Console(width=200, record=True, color_system=None)
    console.print(reports.terminal_table(results, "en", limit=2, csv_path="out/grades.csv"))
    lines = console.export_text().splitlines()
    assert [line.split()[0] for line in lines[1:3]] == ["bob", "carol"]   # the error, then the lowest score
    assert "2 of 5 submissions shown" in lines[3] and "out/grades.csv" in lines[3]


def test_terminal_table_speaks_the_course_language(results: list[SubmissionResult]) -> None:
    console = Console(width=160, record=True, color_system=None)
    console.print(reports.terminal_table(results, "ru"))
    lines = console.export_text().splitlines()
    assert lines[0].split()[0] == msg("report.col.submission").ru
    carol = next(line for line in lines if line.startswith("carol"))
    assert msg("report.status.error").ru in carol and " error " not in carol


@pytest.fixture()
def extra_format() -> Iterator[list[int]]:
    calls: list[int] = []

    class Count:
        name = "count"

        def write(self, results: list[SubmissionResult], context: ReportContext,
                  out_dir: Path) -> list[Path]:
            calls.append(len(results))
            return []

    reports.register(Count())
    yield calls
    del REGISTRY["count"]


def test_registry_runs_a_new_format_and_rejects_unknown_ones(
        tmp_path: Path, results: list[SubmissionResult], extra_format: list[int]) -> None:
    reports.write_reports(results, settings(tmp_path), "activations", tmp_path, formats=["count"])
    assert extra_format == [5]
    with pytest.raises(UsageError, match="unknown report format 'pdf'"):
        reports.write_reports(results, settings(tmp_path), "activations", tmp_path / "out",
                              formats=["csv", "pdf"])
    assert not (tmp_path / "out").exists()     # nothing written before the check


def test_default_formats(tmp_path: Path, results: list[SubmissionResult]) -> None:
    written = reports.write_reports(results, settings(tmp_path), "activations", tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"grades.csv", "summary.html", "junit.xml", "feedback/bob.md",
            "feedback/bob.html"} <= names
    assert all(p.is_file() for p in written)


def test_terminal_table_keeps_ids_and_scores_in_a_narrow_log(
        results: list[SubmissionResult]) -> None:
    long_id = SubmissionResult.from_json(results[0].to_json() | {"submission": "konstantinopolsky"})
    console = Console(width=60, record=True, color_system=None)
    console.print(reports.terminal_table([*results, long_id]))
    lines = console.export_text().splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert any(line.startswith("konstantinopolsky ") for line in lines)
    carol = next(line for line in lines if line.startswith("carol"))
    assert carol.split()[1:5] == ["0", "6", "0", "error"] and carol.endswith("…")


def test_the_first_error_is_the_wrong_value_not_the_unpaid_form_note() -> None:
    unpaid = msg("check.form_needs_values", name="backward").render("ru")
    checks = (CheckResult("keys and shapes", False, 0.0, 1.0, message=unpaid),
              CheckResult("gradient", False, 0.0, 2.0, message="`backward(params, X, y)['W1']` вернула неверные значения."))
    result = SubmissionResult("xor_numpy", "petrova", (QuestionResult("backward", checks, 3.0),))
    assert reports.text.first_error(result) == "`backward(params, X, y)['W1']` вернула неверные значения."
    alone = SubmissionResult("xor_numpy", "p", (QuestionResult("backward", checks[:1], 1.0),))
    assert reports.text.first_error(alone) == reports.text.first_line(unpaid)


def test_a_writer_writes_each_submissions_files_at_once_and_the_class_files_at_the_end(
        tmp_path: Path, results: list[SubmissionResult]) -> None:
    writer = reports.ReportWriter.for_assignment(settings(tmp_path), "activations", tmp_path / "w")
    first = writer.add(results[0])
    assert [p.relative_to(tmp_path / "w").as_posix() for p in first] == ["feedback/eve.md", "feedback/eve.html"]
    assert sorted(p.name for p in (tmp_path / "w").rglob("*") if p.is_file()) == ["eve.html", "eve.md"]
    for result in results[1:]:
        writer.add(result)
    finished = writer.finish(results)
    assert sorted(p.name for p in finished) == ["grades.csv", "junit.xml", "summary.html"]
    reports.write_reports(results, settings(tmp_path), "activations", tmp_path / "r")
    written = {p.relative_to(tmp_path / "w"): p.read_bytes() for p in (tmp_path / "w").rglob("*") if p.is_file()}
    at_once = {p.relative_to(tmp_path / "r"): p.read_bytes() for p in (tmp_path / "r").rglob("*") if p.is_file()}
    assert written == at_once and len(written) == 2 * len(results) + 3


def styled_characters(renderable: object, width: int) -> list[tuple[str, object]]:
    """What a terminal shows: each character with its style, however rich cut the segments."""
    console = Console(width=width, color_system="truecolor", file=io.StringIO())
    return [(ch, segment.style or Style()) for segment in console.render(renderable) for ch in segment.text]


@pytest.mark.parametrize("width", [100, 160, 250])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_table_printed_as_lines_reads_as_richs_table_would(
        results: list[SubmissionResult], width: int, language: str) -> None:
    results = [*(r for r in results if r.submission != "carol"),  # hers ends in a NUL: left to rich
               submission("Иван Петров 李小龙 (12345)"), submission("x" * 30)]
    table = reports.terminal_table(results, language)  # type: ignore[arg-type]
    lines = table.lines(width)
    assert lines is not None
    assert styled_characters(lines, width) == styled_characters(table.table(width), width)
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(table)
    printed = console.export_text()
    assert "李小龙" in printed and len(printed.splitlines()) == len(results) + 1
    assert ("…" in printed) is (width == 100)  # the first error cut to what is left


def test_a_table_too_narrow_or_with_a_tab_is_left_to_rich(results: list[SubmissionResult]) -> None:
    assert reports.terminal_table(results).lines(40) is None
    assert reports.terminal_table([submission("a\tb")]).lines(200) is None
    assert reports.terminal_table(results).lines(200) is None  # carol's error ends in a NUL


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_40_column_terminal_keeps_every_score_whole(results: list[SubmissionResult], language: str) -> None:
    """Left to rich, 40 columns cut every column alike: `1…` for 100 %, `14…` for a score
    of 14.4, `оцен…`. Now the first error gives way (grades.csv has it) and numbers stay."""
    from autograder.reports.text import number, percent

    console = Console(width=40, record=True, color_system=None, file=io.StringIO())
    console.print(reports.terminal_table(results, language))  # type: ignore[arg-type]
    lines = console.export_text().splitlines()
    assert all(len(line) <= 40 for line in lines) and len(lines) == len(results) + 1
    status = {"en": "error", "ru": msg("report.status.error").ru}[language]
    for line, result in zip(lines[1:], sorted(results, key=lambda r: r.submission)):
        late = f" (−{number(result.late.penalty_percent)}%)" if result.late else ""
        score = number(result.score) + late
        assert line.startswith(result.submission) and f" {score} " in line
        assert line.split(score, 1)[1].split()[:2] == [number(result.max_score), percent(result)]
        assert (status in line) is (result.status == "error")


def test_grades_csv_leaves_a_question_not_scored_by_hand_empty(tmp_path: Path) -> None:
    """An essay nobody has read yet was 0 in ``grades.csv``, the same as one scored 0: the
    spreadsheet could not tell "not graded" from "earned nothing"."""
    results = [by_hand("ann", 0.0, "Не сдано"), by_hand("ben", None)]
    path = reports.write_grades_csv(results, tmp_path / "grades.csv", [*QUESTIONS, "essay"])
    rows = {row["submission"]: row for row in csv.DictReader(io.StringIO(path.read_text()))}
    assert (rows["ann"]["essay"], rows["ann"]["max_score"]) == ("0", "8")
    assert (rows["ben"]["essay"], rows["ben"]["max_score"]) == ("", "6")
