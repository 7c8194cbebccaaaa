"""``junit.xml`` for CI systems: one testsuite per submission, one testcase per check.

``classname`` is ``assignment.submission.question`` and ``name`` the check's name, so
CI pages group checks by submission and question. A failed check is a ``<failure>``
with its first line as ``message`` and the whole message as text. What went wrong
outside a check (an unreadable notebook, a cell that raised) is an ``<error>`` testcase
of the submission. Score, percent, status and late penalty are suite properties.

A question graded by hand is the instructor's score, never a ``<failure>`` (a CI page
would show their partial score as a broken test): not scored yet, it is ``<skipped>``
with its note; scored, it passes with the note and comment as its ``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from autograder.reports.base import ReportContext, register
from autograder.reports.text import first_line, number, xml_safe
from autograder.atomic import write_atomic
from autograder.results import CheckResult, SubmissionResult

FILENAME = "junit.xml"


def _suite(result: SubmissionResult) -> ET.Element:
    prefix = xml_safe(f"{result.assignment}.{result.submission}")  # an id is a file's name: any character
    suite = ET.Element("testsuite", name=prefix, time=f"{result.duration_s:.3f}")
    properties = ET.SubElement(suite, "properties")
    for key, value in (
        ("score", number(result.score, 4)), ("max_score", number(result.max_score, 4)),
        ("percent", f"{result.percent:.2f}"), ("status", result.status),
        ("late_penalty_percent", number(result.late.penalty_percent if result.late else 0, 4)),
        ("sandbox", result.sandbox),
    ):
        ET.SubElement(properties, "property", name=key, value=value)
    tests = failures = errors = skipped = 0
    for index, error in enumerate(result.errors, start=1):
        case = ET.SubElement(suite, "testcase", classname=prefix, name=f"error {index}", time="0")
        node = ET.SubElement(case, "error", message=xml_safe(first_line(error)),
                             type="SubmissionError")
        node.text = xml_safe(error)
        tests, errors = tests + 1, errors + 1
    for question in result.questions:
        for check in question.checks:
            case = ET.SubElement(suite, "testcase", classname=xml_safe(f"{prefix}.{question.name}"),
                                 name=xml_safe(check.name), time="0")
            if check.graded_by_hand:
                skipped += _by_hand(case, check, result.awaits_hand_score(question))
            elif not check.passed:
                node = ET.SubElement(case, "failure", message=xml_safe(first_line(check.message)),
                                     type="CheckFailed")
                node.text = xml_safe(check.message)
                failures += 1
            tests += 1
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    return suite


def _by_hand(case: ET.Element, check: CheckResult, pending: bool) -> int:
    """The instructor's score as a testcase: ``<skipped>`` while not scored (1 returned,
    for the suite's count), else passed with their note as its output (0). Whether it
    is scored is the result's word (``awaits_hand_score``), not the check's maximum: a
    question worth 0 points is worth 0 scored or not."""
    if pending:
        ET.SubElement(case, "skipped", message=xml_safe(first_line(check.message)))
        return 1
    ET.SubElement(case, "system-out").text = xml_safe(check.message)
    return 0


def junit_xml(results: Sequence[SubmissionResult], assignment: str) -> str:
    root = ET.Element("testsuites", name=assignment)
    suites = [_suite(r) for r in sorted(results, key=lambda r: r.submission)]
    root.extend(suites)
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.set("time", f"{sum(r.duration_s for r in results):.3f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


class JUnit:
    name = "junit"

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]:
        path = out_dir / FILENAME
        write_atomic(path, junit_xml(results, context.assignment))
        return [path]


register(JUnit())
