"""What a Gradescope autograder image runs for one submission (``run_autograder``).

The due date and the submission time come from Gradescope's
``submission_metadata.json`` (``created_at``; the student's own
``users[].assignment.due_date``, which carries an extension, else
``assignment.due_date``); the penalty rule from the course's config. Hidden checks are
listed with Gradescope visibility ``visible`` when ``feedback.show_hidden_details`` is
true, else ``after_published`` (their outcome shows once the instructor publishes
grades). Every way this can go
wrong for the student (no notebook, several) still writes a ``results.json`` that says
so; only the grader's own failures end with an error.

Gradescope unpacks an uploaded zip, but not always: when the upload is a zip left
packed, its notebook is read out of it by the LMS archives' reader
(:func:`autograder.submissions.archive_submissions`), with its caps on what a hostile
zip may unpack to and its reading of names (cp866 from Windows).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from autograder.config import CONFIG_NAME, Settings, load_settings, replace
from autograder.exceptions import UsageError
from autograder.grading import Grader, Submission
from autograder.i18n import Text
from autograder.junk_files import is_junk
from autograder.late import late_for
from autograder.reports.gradescope import gradescope_json
from autograder.atomic import write_atomic
from autograder.opener import Opener
from autograder.submissions import archive_submissions, is_archive, is_notebook, one_notebook


@dataclass(frozen=True)
class Metadata:
    due: datetime | None
    submitted: datetime | None


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _due_date(data: dict[str, object]) -> datetime | None:
    """The due date that holds for this submission's students.

    ``assignment.due_date`` is the assignment's, the same for the whole class; an
    extension granted in Gradescope shows only in each user's own ``assignment``
    (``users[].assignment.due_date``). A group's submission is due at its latest
    member's date, so that nobody's extension is lost to a partner's."""
    users = data.get("users")
    own = [_moment(user["assignment"].get("due_date")) for user in users if isinstance(user, dict)
           and isinstance(user.get("assignment"), dict)] if isinstance(users, list) else []
    dates = [due for due in own if due is not None]
    if dates and len({due.tzinfo is None for due in dates}) == 1:
        return max(dates)
    assignment = data.get("assignment")
    return _moment(assignment.get("due_date")) if isinstance(assignment, dict) else None


def read_metadata(path: Path) -> Metadata:
    """The due date and submission time Gradescope wrote (either may be missing)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Metadata(None, None)
    if not isinstance(data, dict):
        return Metadata(None, None)
    return Metadata(_due_date(data), _moment(data.get("created_at")))


def with_due(settings: Settings, assignment: str, due: datetime) -> Settings:
    """``settings`` with Gradescope's due date for ``assignment`` (it moves with extensions)."""
    config = settings.config
    updated = replace(config.assignments[assignment], due=due)
    return Settings(replace(config, assignments={**config.assignments, assignment: updated}),
                    settings.path)


def submitted_files(folder: Path) -> list[Path]:
    """The files the student uploaded, without what tools add on their own: a zip made
    in macOS's Finder, which Gradescope unpacks, holds ``__MACOSX/._hw.ipynb`` beside
    ``hw.ipynb``, and that copy is not a second notebook."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not is_junk(p.relative_to(folder).as_posix()))


def notebooks_in(folder: Path) -> list[Path]:
    return [p for p in submitted_files(folder) if is_notebook(p)]


def chosen(folder: Path, unpack_dir: Path) -> Submission | Text:
    """The one notebook of the upload in ``folder`` to grade, or what to tell the student.

    Notebooks lying in the upload come first; without one, those inside its zips
    (unpacked under ``unpack_dir``, each through the archive reader's caps). A notebook
    the reader refused (a zip bomb, a link) is the submission, its result saying why."""
    files = submitted_files(folder)
    found = [Submission("submission", p, source=p.relative_to(folder).as_posix()) for p in files
             if is_notebook(p)] or _packed(files, unpack_dir)
    one = one_notebook(found, [p.relative_to(folder).as_posix() for p in files])
    return Submission("submission", one.path, source=one.source, problem=one.problem) \
        if isinstance(one, Submission) else one


def _packed(files: list[Path], unpack_dir: Path) -> list[Submission]:
    """The notebooks in the upload's zips; what the reader warns about goes to the
    output, which Gradescope shows the instructor."""
    found: list[Submission] = []
    for number, archive in enumerate((p for p in files if is_archive(p)), 1):
        try:
            found += archive_submissions(archive, unpack_dir / str(number), _say, upload=True)
        except UsageError as error:  # not a zip at all: said, and then "no notebook"
            _say(str(error))
    return found


def _say(line: str) -> None:
    print(line, file=sys.stderr)


def run(course: Path, assignment: str, submission_dir: Path, metadata: Path, results: Path) -> dict[str, object]:
    settings = load_settings(course / CONFIG_NAME)
    meta = read_metadata(metadata)
    if meta.due is not None:
        settings = with_due(settings, assignment, meta.due)
    with tempfile.TemporaryDirectory(prefix="autograder-upload-") as unpacked:
        submission = chosen(submission_dir, Path(unpacked))
        if isinstance(submission, Submission):
            data = _graded(settings, assignment, submission, meta)
        else:
            data = {"score": 0.0, "output": submission.render(settings.language), "visibility": "visible",
                    "tests": []}
    write_atomic(results, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return data


def _graded(settings: Settings, assignment: str, submission: Submission, meta: Metadata) -> dict[str, object]:
    """Gradescope's results.json for one notebook, graded as `grade` grades it."""
    with Opener.start(settings, assignment) as opener:  # the one way in, as `grade` opens it
        result = Grader.through(opener).grade(submission)
    if meta.submitted is not None:
        result = late_for(result, settings.assignment(assignment), {"submission": meta.submitted})
    return gradescope_json(result, show_hidden_details=settings.config.feedback.show_hidden_details,
                           leaderboard=settings.assignment(assignment).leaderboard,
                           zone=settings.config.timezone)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--course", type=Path, required=True)
    parser.add_argument("--assignment", required=True)
    parser.add_argument("--submission", type=Path, required=True)
    parser.add_argument("--metadata", type=Path, required=True)
    parser.add_argument("--results", type=Path, required=True)
    args = parser.parse_args(argv)
    run(args.course, args.assignment, args.submission, args.metadata, args.results)


if __name__ == "__main__":
    main()

