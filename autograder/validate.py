"""``autograder validate``: a student's last look before submitting.

Runs the notebook in the jail and reports cell errors, missing names and the public
examples. Never runs (or reveals) the hidden checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograder.causes import cell_errors as cell_errors_of
from autograder.config import Settings
from autograder.exceptions import MissingName, NotebookError
from autograder.i18n import Language, Text, msg
from autograder.opener import Opener, sha256_of
from autograder.public import PublicExamples
from autograder.sandbox.jail import Jail


@dataclass
class ValidationReport:
    lines: list[tuple[bool, Text]] = field(default_factory=list)

    def add(self, ok: bool, text: Text) -> None:
        self.lines.append((ok, text))

    @property
    def problems(self) -> int:
        return sum(not ok for ok, _ in self.lines)

    @property
    def ready(self) -> bool:
        return self.problems == 0

    def render(self, language: Language) -> str:
        body = [text.render(language) for _, text in self.lines]
        verdict = msg("validate.ready") if self.ready else msg("validate.not_ready", count=self.problems)
        return "\n".join([*body, "", verdict.render(language)])


def validate_notebook(path: Path, assignment: str, settings: Settings, jail: Jail) -> ValidationReport:
    """:func:`validate` with an opener of ``jail``."""
    return validate(path, Opener(assignment, settings, jail))


def validate(path: Path, opener: Opener) -> ValidationReport:
    """The notebook opened as ``grade`` opens it (the same limits, seed and jail), so a
    cell that ``grade`` would stop is reported here in the same words."""
    assignment, settings = opener.assignment, opener.settings
    report = ValidationReport()
    report.add(True, msg("validate.header", notebook=path.name, assignment=assignment))
    try:
        cells = opener.read(path)
    except NotebookError as error:
        report.add(False, msg("validate.problem", message="") + error.text())
        return report
    if not cells:
        report.add(False, msg("validate.problem", message="") + msg("notebook.no_code"))
        return report
    public = PublicExamples.load(assignment, settings)
    with opener.open(cells, sha256_of(path)) as session:
        cell_errors = cell_errors_of(cells, session.run)
        for problem in cell_errors:
            report.add(False, msg("validate.problem", message="") + problem)
        if not cell_errors:
            report.add(True, msg("validate.cells_ok", count=len(cells)))
        outcomes = {o.question: o for o in public.run(session)}
        config = settings.assignment(assignment)
        for name in config.questions:
            if name in config.hidden_data:  # graded on hidden data: the trained model must be there
                model = config.hidden_data[name].model
                report.add(session.has(model), msg("validate.hidden_model" if session.has(model)
                                                   else "validate.hidden_model_missing", name=name, model=model))
            elif not session.has(name):
                report.add(False, msg("validate.problem", message="") + MissingName(name).text())
            elif name in outcomes and not outcomes[name].passed:
                report.add(False, msg("validate.examples_failed", name=name, message="") + outcomes[name].message)
            elif name in outcomes:
                report.add(True, msg("validate.examples_ok", name=name))
            else:
                report.add(True, msg("validate.defined", name=name))
    return report
