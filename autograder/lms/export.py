"""``autograder export``: a results folder written as an LMS's grade file (CONTRACT §2).

The results folder is read from its result files alone (``<id>.json``), so an export
can run anywhere the folder is copied. With a template (the LMS's own download), the
grades are written into it and every other cell, the encoding, the BOM, the quoting and
the line ends stay as they were, so the LMS takes the file back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from autograder.atomic import write_bytes_atomic
from autograder.exceptions import UsageError
from autograder.lms.base import ExportInfo, GradeFormat, GradeFile, grade_of
from autograder.lms.canvas import Canvas
from autograder.lms.csvfile import CsvFile
from autograder.lms.moodle import Moodle
from autograder.lms.plain import Plain
from autograder.results import SubmissionResult

FORMATS: dict[str, GradeFormat] = {f.name: f for f in (Moodle(), Canvas(), Plain())}


@dataclass(frozen=True)
class ExportRequest:
    results_dir: Path
    format: str
    out: Path
    template: Path | None = None
    assignment: str | None = None
    title: str | None = None
    column: str | None = None
    encoding: str | None = None
    show_hidden_details: bool = True


def load_results(folder: Path, assignment: str | None = None) -> list[SubmissionResult]:
    """The result files of ``folder`` (of ``assignment`` when named), by submission id."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such results folder")
    results = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if not isinstance(data, dict) or "questions" not in data or "submission" not in data:
            continue  # not a result file (results.json for Gradescope, say)
        try:
            results.append(SubmissionResult.from_json(data))
        except (KeyError, TypeError, ValueError) as error:
            raise UsageError(f"{path}: not a readable result file ({error})") from None
    assignments = sorted({r.assignment for r in results})
    if assignment is not None:
        results = [r for r in results if r.assignment == assignment]
    elif len(assignments) > 1:
        raise UsageError(f"{folder} holds results of several assignments ({', '.join(assignments)}): "
                         "choose one with --assignment")
    if not results:
        raise UsageError(f"{folder}: no result files" + (f" of {assignment!r}" if assignment else ""))
    return sorted(results, key=lambda r: r.submission)


def export(request: ExportRequest, now: datetime | None = None) -> GradeFile:
    """Write the grade file ``request.out``; returns what was written and the warnings."""
    chosen = FORMATS.get(request.format)
    if chosen is None:
        raise UsageError(f"unknown format {request.format!r} (known: {', '.join(FORMATS)})")
    results = load_results(request.results_dir, request.assignment)
    grades = [grade_of(r, request.show_hidden_details) for r in results]
    name = results[0].assignment
    info = ExportInfo(name, request.title or name, now or datetime.now().astimezone(), request.column)
    if request.template is None:
        written = chosen.fresh(grades, info)
    else:
        written = chosen.fill(CsvFile.read(request.template, request.encoding), grades, info)
    write_bytes_atomic(request.out, written.data)
    return written


