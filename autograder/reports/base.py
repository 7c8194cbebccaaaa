"""The report interface and registry: each output format is one small class.

A format implements :class:`ReportFormat` (a ``name`` and ``write``) and is registered with
:func:`register`; :func:`autograder.reports.write_reports` runs the ones asked for.
Adding a format means adding a module, not editing a chain of ``if``\\ s.

A format whose files are each one submission's own (the feedback) also implements
:class:`SubmissionFormat`'s ``write_one``: a batch writes them as each result arrives,
while the rest is still being graded, and only the class's files are left for the end
(:class:`autograder.reports.ReportWriter`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from autograder.config import Leaderboard, Settings
from autograder.exceptions import UsageError
from autograder.i18n import Language
from autograder.results import SubmissionResult


@dataclass(frozen=True)
class ReportContext:
    """What a report needs beyond the results: the assignment and how to speak."""

    assignment: str
    title: str
    language: Language
    questions: tuple[str, ...]
    show_hidden_details: bool = True
    leaderboard: Leaderboard | None = None  # the assignment's opt-in ranking by a hidden-data metric
    pseudonym_salt: str = ""                # the course secret: pseudonyms nobody outside can recompute
    timezone: str = ""                      # the course's ``timezone:`` for times shown; "" is UTC

    @classmethod
    def from_settings(cls, settings: Settings, assignment: str) -> ReportContext:
        config = settings.assignment(assignment)
        return cls(
            assignment=assignment,
            title=config.title or assignment,
            language=settings.language,
            questions=(*config.questions, *config.manual),
            show_hidden_details=settings.config.feedback.show_hidden_details,
            leaderboard=config.leaderboard,
            pseudonym_salt=settings.config.secret,
            timezone=settings.config.timezone,
        )

    @classmethod
    def from_results(cls, results: Sequence[SubmissionResult],
                     language: Language | None = None) -> ReportContext:
        """A context without a config: names and question order taken from the results."""
        first = results[0] if results else None
        questions: dict[str, None] = {}
        for result in results:
            questions.update((q.name, None) for q in result.questions)
        lang: Language = language or ("en" if first and first.language == "en" else "ru")
        name = first.assignment if first else ""
        return cls(assignment=name, title=name, language=lang, questions=tuple(questions))


class ReportFormat(Protocol):
    """One output format. ``write`` returns the files it wrote (possibly none)."""

    @property
    def name(self) -> str:
        """The format's name in :data:`REGISTRY` and on the command line."""
        ...

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]: ...


@runtime_checkable
class SubmissionFormat(ReportFormat, Protocol):
    """A format whose files each depend on one result only: ``write_one`` writes that
    result's, the same bytes ``write`` writes for it among the class's."""

    def write_one(self, result: SubmissionResult, context: ReportContext, out_dir: Path) -> list[Path]: ...


REGISTRY: dict[str, ReportFormat] = {}


def register(report: ReportFormat) -> ReportFormat:
    """Make a format available to :func:`write_reports` under ``report.name``."""
    if report.name in REGISTRY:
        raise ValueError(f"report format {report.name!r} registered twice")
    REGISTRY[report.name] = report
    return report


def get(name: str) -> ReportFormat:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UsageError(f"unknown report format {name!r} (known: {known})") from None
