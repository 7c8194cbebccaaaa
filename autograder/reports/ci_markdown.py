"""A Markdown summary for CI pages (``--summary FILE``; e.g. ``$GITHUB_STEP_SUMMARY``).

A table of submissions with score, percent and status; for a single submission also
a table per question and the messages of the failed checks, so a student's CI run
says what to fix. ``summary.md`` in the results folder is written whole; ``--summary
FILE`` appends, as CI step summaries expect (other steps may have written there).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from autograder.exceptions import UsageError
from autograder.i18n import Language, msg
from autograder.reports.base import ReportContext, register
from autograder.reports.feedback import late_line
from autograder.reports.templating import render
from autograder.reports.text import first_error, visible_message
from autograder.atomic import write_atomic
from autograder.results import SubmissionResult

FILENAME = "summary.md"


def summary_markdown(results: Sequence[SubmissionResult], context: ReportContext) -> str:
    ordered = sorted(results, key=lambda r: r.submission)
    single = ordered[0] if len(ordered) == 1 else None
    language: Language = context.language
    return render(
        "summary.md.j2", language,
        title=context.title, results=ordered, single=single,
        late=late_line(single, language, context.timezone) if single else "",
        unsandboxed=any(r.sandbox == "none" for r in ordered),
        failed=[
            entry for q in (single.questions if single else ())
            for entry in ([(q.name, msg("report.cause").render(language), q.cause)] if q.cause else []) + [
                (q.name, c.name, visible_message(c, context.show_hidden_details, language))
                for c in q.checks if not c.passed]
        ],
        first_error=first_error,
    )


def write_summary_markdown(results: Sequence[SubmissionResult], path: Path, *,
                           context: ReportContext | None = None) -> Path:
    """Write the CI summary; without a context, names and language come from the results."""
    write_atomic(path, summary_markdown(results, context or ReportContext.from_results(results)))
    return path


def append_summary_markdown(results: Sequence[SubmissionResult], path: Path,
                            context: ReportContext) -> Path:
    """Add the CI summary at the end of ``path`` (created, with its folder, when missing)."""
    text = summary_markdown(results, context)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as out:
            if out.tell() > 0:
                out.write("\n")
            out.write(text)
    except OSError as error:
        raise UsageError(f"cannot write the summary to {path}: {error.strerror or error}") from None
    return path


class SummaryMarkdown:
    name = "summary-md"

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]:
        return [write_summary_markdown(results, out_dir / FILENAME, context=context)]


register(SummaryMarkdown())
