"""GitHub Classroom: a graded notebook as the ``result`` output its grading reporter reads.

GitHub Classroom grades each push with Actions; its reporter
(``classroom-resources/autograding-grading-reporter``) reads every grading step's
``result`` output, base64 of JSON: ``version``, ``status`` (``pass``/``fail``/
``error``), ``max_score`` and ``tests``, each test with ``name``, ``status``, ``score``,
``max_score`` and ``message``. The points it posts to the classroom are the sum of the
tests' ``score`` out of the top-level ``max_score``, so each question is one test
carrying its own weighted score (its console table instead scales the passed fraction
of tests, which is why a question partly right is a ``fail`` test with a partial score).
The reporter fails the workflow run when ``status`` is ``fail`` or ``error``. Tests carry
``line_no: 0``: the reporter prints ``- line N`` after a name whenever it is not 0.

A step sets an output by appending ``name=value`` to the file named by
``$GITHUB_OUTPUT``; base64 has no newline, so one line is the whole value.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from autograder.exceptions import UsageError
from autograder.i18n import Language
from autograder.reports.base import ReportContext, register
from autograder.reports.text import first_line, visible_message
from autograder.results import CheckResult, QuestionResult, SubmissionResult, write_atomic

FILENAME = "classroom.json"  # a readable copy of what went to the reporter
OUTPUT_VARIABLE = "GITHUB_OUTPUT"
OUTPUT_NAME = "result"
FORMAT_VERSION = 1


def _question_test(question: QuestionResult, result: SubmissionResult, show_hidden: bool,
                   language: Language) -> dict[str, Any]:
    """One question as one of the reporter's tests, with its score as graded."""
    if result.status == "error":  # the notebook could not be read or run: nothing was tested
        status, lines = "error", [first_line(error) for error in result.errors]
    else:
        status = "pass" if question.passed else "fail"
        lines = [question.cause] if question.cause else []
        lines += [f"{check.name}: {_said(check, show_hidden, language)}"
                  for check in question.checks if not check.passed or check.graded_by_hand]
    return {
        "name": question.name,
        "status": status,
        "score": question.score,
        "max_score": question.max_score,
        "message": "\n".join(line for line in lines if line),
        "line_no": 0,
    }


def _said(check: CheckResult, show_hidden: bool, language: Language) -> str:
    """A failed check's first line; the instructor's score of a question graded by hand
    whole (their comment follows the score's line), whatever the score."""
    message = visible_message(check, show_hidden, language)
    if check.graded_by_hand:
        return " ".join(line.strip() for line in message.splitlines() if line.strip())
    return first_line(message)


def classroom_json(result: SubmissionResult, *, show_hidden_details: bool = True) -> dict[str, Any]:
    """The reporter's JSON for one graded submission: one test per question."""
    language: Language = "en" if result.language == "en" else "ru"
    tests = [_question_test(q, result, show_hidden_details, language) for q in result.questions]
    if result.status == "error":
        status = "error"
    else:
        status = "pass" if result.raw_score >= result.max_score else "fail"
    return {"version": FORMAT_VERSION, "status": status, "max_score": result.max_score, "tests": tests}


def encode(data: Mapping[str, Any]) -> str:
    """The output's value: base64 of the UTF-8 JSON (the reporter decodes it so)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def output_file(environ: Mapping[str, str] | None = None) -> Path:
    """The file GitHub Actions reads a step's outputs from; a usage error outside Actions."""
    value = (os.environ if environ is None else environ).get(OUTPUT_VARIABLE, "")
    if not value:
        raise UsageError(f"--github-classroom writes the step output 'result' to the file named by "
                         f"${OUTPUT_VARIABLE}, which is not set (run it as a step of a GitHub "
                         f"Actions workflow, or set {OUTPUT_VARIABLE}=FILE to try it)")
    return Path(value)


def appendable(path: Path) -> Path:
    """``path`` if the output can be appended to it: not a folder, in a folder that exists,
    writable. Checked before grading, so that a grading of minutes does not end in an
    OSError with nothing reported."""
    where = f"${OUTPUT_VARIABLE} names {path}"
    if path.is_dir():
        raise UsageError(f"{where}, a folder; it must name a file (GitHub Actions sets it to one)")
    if not path.parent.is_dir():
        raise UsageError(f"{where}, in a folder that does not exist")
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise UsageError(f"{where}, which this user cannot write")
    return path


def check_classroom(count: int, environ: Mapping[str, str] | None = None) -> Path:
    """Refuse before grading what cannot be reported: not one submission, or no output
    file that can be appended to."""
    if count != 1:
        raise UsageError(f"--github-classroom reports exactly one submission; {count} found")
    return appendable(output_file(environ))


def append_output(result: SubmissionResult, path: Path, *, show_hidden_details: bool = True) -> str:
    """Append ``result=<base64>`` to the step's output file; the value appended."""
    value = encode(classroom_json(result, show_hidden_details=show_hidden_details))
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{OUTPUT_NAME}={value}\n")
    return value


def write_classroom_json(result: SubmissionResult, out_dir: Path, *,
                         show_hidden_details: bool = True) -> Path:
    """``classroom.json``: what the reporter gets, readable (the output is base64)."""
    data = classroom_json(result, show_hidden_details=show_hidden_details)
    path = out_dir / FILENAME
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path


def report_to_classroom(result: SubmissionResult, context: ReportContext, out_dir: Path,
                        environ: Mapping[str, str] | None = None) -> Path:
    """What ``grade --github-classroom`` does once graded: ``classroom.json`` in
    ``out_dir`` and the step output; returns the output file."""
    path = output_file(environ)
    write_classroom_json(result, out_dir, show_hidden_details=context.show_hidden_details)
    append_output(result, path, show_hidden_details=context.show_hidden_details)
    return path


class GitHubClassroom:
    """``classroom.json`` in the results folder (the step output is :func:`report_to_classroom`'s)."""

    name = "github-classroom"

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]:
        if len(results) != 1:
            raise UsageError(f"the github-classroom format needs exactly one submission, got {len(results)}")
        return [write_classroom_json(results[0], out_dir, show_hidden_details=context.show_hidden_details)]


register(GitHubClassroom())
