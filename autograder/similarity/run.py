"""``autograder similarity`` as a library call: a class's notebooks in, the two files out.

Submissions are found as ``grade`` finds them (notebooks, folders, LMS archives, the same
ids); the starter code is the student notebook ``assign`` writes for the assignment.
Notebooks are read, never run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.config import Settings, replace
from autograder.exceptions import NotebookError, UsageError
from autograder.i18n import Language
from autograder.similarity.compare import Comparison, common_limit, compare_class
from autograder.similarity.extract import StudentCode, code_cells, question_code, read_student_code
from autograder.similarity.report import CSV_NAME, HTML_NAME, write_csv, write_html


@dataclass(frozen=True)
class SimilarityRun:
    comparison: Comparison
    skipped: tuple[str, ...]   # submissions that could not be read: "id: why"
    written: tuple[Path, ...]


LANGUAGES = ("ru", "en")


def starter_cells(assignment: str, settings: Settings) -> list[str]:
    """The code cells handed out: the student notebook of ``assign``, in either language
    (its stubs and setup cell say different things in each)."""
    from autograder.assign import generate_student_notebook

    cells: dict[str, None] = {}
    for language in LANGUAGES:
        speaking = Settings(replace(settings.config, language=language), settings.path)
        notebook = generate_student_notebook(assignment, speaking)
        cells.update(dict.fromkeys(source for _, source in code_cells(notebook)))
    return list(cells)


def read_class(paths: Sequence[Path], questions: Sequence[str], starter: Sequence[str],
               warn: Callable[[str], None], language: Language = "en") -> tuple[list[StudentCode], list[str]]:
    """Each submission's question code; what could not be read, with why."""
    from autograder.submissions import find_submissions, unpack_folder

    codes, skipped = [], []
    with unpack_folder(paths, "autograder-similarity-") as unpacked:
        for submission in find_submissions(list(paths), unpack_dir=unpacked, warn=warn):
            if submission.problem is not None:
                skipped.append(f"{submission.id}: {submission.problem.render(language)}")
                continue
            try:
                codes.append(read_student_code(submission.id, submission.path, questions, starter))
            except NotebookError as error:
                skipped.append(f"{submission.id}: {error.text().render(language)}")
    return codes, skipped


def compare_paths(paths: Sequence[Path], assignment: str, settings: Settings, out_dir: Path, *,
                  top: int = 30, warn: Callable[[str], None] = lambda message: None) -> SimilarityRun:
    """Compare the class in ``paths`` and write ``similarity.csv`` and ``similarity.html``."""
    config = settings.assignment(assignment)
    questions = list(config.questions)
    starter = starter_cells(assignment, settings)
    codes, skipped = read_class(paths, questions, starter, warn, settings.language)
    if len(codes) < 2:
        raise UsageError(f"similarity needs at least two readable notebooks; found {len(codes)} "
                         f"in {', '.join(map(str, paths))}")
    comparison = compare_class(codes, question_code(list(enumerate(starter)), questions)[0])
    written = (
        write_csv(comparison, out_dir / CSV_NAME),
        write_html(comparison, out_dir / HTML_NAME, title=config.title or assignment,
                   language=settings.language, common=common_limit(len(codes)), skipped=skipped, top=top),
    )
    return SimilarityRun(comparison, tuple(skipped), written)
