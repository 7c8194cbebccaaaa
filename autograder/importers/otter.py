"""An otter-grader master notebook (otter-assign format v1) read with otter's own parser.

otter's ``NotebookTransformer`` walks the ``# BEGIN QUESTION`` / ``# BEGIN SOLUTION`` /
``# BEGIN TESTS`` blocks (raw cells or ```` ```otter ```` fences), reads each question's
config (name, points, manual, all_or_nothing) and each test cell (``# HIDDEN`` or a
``BEGIN TEST CONFIG`` block, its points, the output the master shows as the expected
output), and resolves each test case's points as otter does. We keep its result and
write our own master: its solution markers become ``### BEGIN/END SOLUTION`` regions,
otter's check cells go, a setup cell comes first.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import doctest
import re
import warnings
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder.cell_ids import fixed_id
from autograder.exceptions import AssignmentError, UsageError
from autograder.importers.common import (grader_imports, graded_by_hand, imported_modules, reference_source,
                                        setup_cell, zero_point_tests)
from autograder.importers.model import ImportedAssignment, ImportedTest
from autograder.importers.rules import ImportRules
from autograder.notebook import read_with_nbformat

SOLUTION_TAG = "otter_assign_solution_cell"
_LINE_SOLUTION = re.compile(r"^(?P<indent>\s*)(?P<code>.*?)\s*# ?SOLUTION( NO PROMPT)?\s*$")
_BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION( NO PROMPT)?\s*$")
_END = re.compile(r"^\s*# END SOLUTION\s*$")
_DROPPED_LINES = re.compile(r"^\s*# (BEGIN|END) PROMPT\s*$|#\s*SEED\s*$")
_CHECK = re.compile(r"^\s*grader\.check\(\s*[\"']([^\"']+)[\"']\s*\)\s*$")
_OTTER_CELLS = re.compile(r"^\s*(grader\s*=\s*otter\.Notebook|import otter\b|grader\.(check|check_all|export)\()")
_OTTER_PIP = re.compile(r"^\s*[%!]pip install\b.*\botter-grader\b")  # otter's own first cell on Colab


def _otter() -> Any:
    try:
        with warnings.catch_warnings():  # otter's imports pull in deprecated traitlets usage
            warnings.simplefilter("ignore", DeprecationWarning)
            from otter.assign.assignment import Assignment
            from otter.assign.notebook_transformer import NotebookTransformer
            from otter.assign.tests_manager import AssignmentTestsManager
    except ImportError:
        raise UsageError("importing otter notebooks needs otter-grader: pip install 'otter-grader>=7,<8'") from None
    return Assignment, NotebookTransformer, AssignmentTestsManager


def read_otter(path: Path, name: str) -> ImportedAssignment:
    """The assignment in otter master notebook ``path``, to be written as ``name``."""
    Assignment, NotebookTransformer, AssignmentTestsManager = _otter()
    try:
        notebook = read_with_nbformat(path)
    except Exception as error:  # nbformat raises many kinds for a broken file
        raise UsageError(f"{path}: not a readable notebook ({error})") from None
    if _language(notebook) == "r":  # otter's Python reader would call the R tests bad Python
        raise AssignmentError(f"{path}: an R assignment; only Python is graded here")
    assignment = Assignment()
    assignment.master, assignment.result = path.resolve(), path.resolve().parent
    manager = AssignmentTestsManager(assignment)
    transformer = NotebookTransformer(assignment, manager)
    try:
        with contextlib.chdir(assignment.result):  # as `otter assign` reads it: `config_file:` is beside it
            transformed = transformer.transform_notebook(notebook).transformed_nb
    except Exception as error:  # otter's format errors: AssignNotebookFormatException, ValueError...
        raise AssignmentError(f"{path}: otter could not read it: {error}") from None
    notes: list[str] = []
    manual: dict[str, float] = {}
    questions, tests, all_or_nothing = _questions(manager, notes, manual, _student_modules(assignment))
    if not questions and not manual:
        raise AssignmentError(_nothing_to_grade(path))
    public: dict[str, list[str]] = {}
    for test in tests:
        if not test.hidden:
            public.setdefault(test.question, []).append(test.code)
    cells, solutions, code = _master_cells(transformed["cells"], name, public)
    reference, reference_notes = reference_source(solutions)
    master = nbformat.v4.new_notebook(metadata=copy.deepcopy(notebook.metadata))
    master.cells = cells
    return ImportedAssignment(name, "otter", master, reference, questions, tests,
                              grader_imports(code), notes + reference_notes, all_or_nothing, manual=manual,
                              rules=_rules(assignment), files=_support_files(assignment, path))


def _nothing_to_grade(path: Path) -> str:
    """The refusal of a master with nothing to grade (a lecture notebook: no question with
    tests worth points, none graded by hand worth points): said here, not as a broken config
    entry with no questions. A master graded by hand only is imported as such."""
    return (f"{path}: no question with tests worth points and none graded by hand worth points: nothing to "
            "grade; mark a question with tests (`# BEGIN TESTS` ... `# END TESTS`) or `manual: true` with points")


def _language(notebook: NotebookNode) -> str:
    """The kernel's language, as ``otter assign`` reads it before choosing its R or Python
    reader (a notebook without one is Python)."""
    kernelspec = notebook.get("metadata", {}).get("kernelspec", {})
    language = kernelspec.get("language") if isinstance(kernelspec, dict) else None
    return language.lower() if isinstance(language, str) else "python"


def _rules(assignment: Any) -> ImportRules:
    """otter's intercell seeding, as ``otter assign`` writes it into otter_config.json: the
    ``seed:`` block's autograder value, or else ``generate: seed:`` (otter's other spelling,
    the one its own example masters use; the master's ``# SEED`` lines showed the expected
    values with it, and the students' copy has none)."""
    seed = assignment.seed
    value = getattr(seed, "autograder_value", None)
    if not isinstance(value, int):
        value = getattr(assignment.generate, "seed", None)  # generate: false or true has no seed
    return ImportRules("otter", seed=value if isinstance(value, int) else None,
                       seed_variable=getattr(seed, "variable", None) or None,
                       in_data=bool(assignment.files))


def _support_files(assignment: Any, path: Path) -> dict[str, bytes]:
    """The master's ``files:`` (otter copies them beside the notebook it grades)."""
    found: dict[str, bytes] = {}
    root = path.resolve().parent
    for entry in assignment.files or []:
        target = (root / entry).resolve()
        if not target.is_relative_to(root) or not target.exists():
            raise AssignmentError(f"{path}: support file {entry!r} is not in the master's folder")
        for file in [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file()):
            found[file.relative_to(root).as_posix()] = file.read_bytes()
    return found


def _student_modules(assignment: Any) -> set[str]:
    """The modules of the master's ``student_files:`` (``student_file.py``: ``student_file``),
    Python files students hand in beside the notebook for otter to grade with it."""
    return {Path(str(name)).stem for name in assignment.student_files or [] if str(name).endswith(".py")}


def _case_imports(body: str) -> set[str]:
    examples = doctest.DocTestParser().get_examples(body)
    return imported_modules("".join(e.source for e in examples) if examples else body)


def _questions(manager: Any, notes: list[str], manual: dict[str, float], student_modules: set[str]
               ) -> tuple[dict[str, float], list[ImportedTest], set[str]]:
    questions: dict[str, float] = {}
    tests: list[ImportedTest] = []
    all_or_nothing: set[str] = set()
    for question_name, config in manager._questions.items():  # otter 7 keeps them here, in order
        points = float(manager.determine_question_point_value(config))
        if config.manual:
            graded_by_hand(manual, notes, question_name, points, f"question {question_name!r}", "otter")
            continue
        if not manager.has_tests(config):
            notes.append(f"question {question_name!r} has no tests: not imported")
            continue
        from otter.test_files.abstract_test import TestFile

        info = manager._create_test_file_info(question_name)
        cases = TestFile.resolve_test_file_points(info["points"], info["test_cases"])  # otter's own rule
        kept = zero = 0
        for case in cases:
            handed_in = sorted(_case_imports(str(case.body)) & student_modules)
            if handed_in:  # never there: it would fail for everyone (and sink an all_or_nothing question)
                notes.append(f"question {question_name!r}: a test imports {', '.join(handed_in)}, a file students "
                             "hand in beside the notebook (otter's student_files); only the notebook is graded "
                             f"here, so that test ({float(case.points):g} points) is left out")
                continue
            if not case.points and not config.all_or_nothing:  # then a failed one makes the question 0
                zero += 1
                continue
            tests.append(_test(question_name, case))
            kept += 1
        notes += zero_point_tests(question_name, zero, "otter")
        if kept:
            questions[question_name] = points
        if config.all_or_nothing:
            all_or_nothing.add(question_name)
    return questions, tests, all_or_nothing


def _test(question: str, case: Any) -> ImportedTest:
    body = str(case.body)
    if doctest.DocTestParser().get_examples(body):
        return ImportedTest(question, "doctest", body, bool(case.hidden), float(case.points), at=question)
    tree = ast.parse(body)
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    if not functions:
        raise AssignmentError(f"question {question!r}: a test is neither a doctest nor a test function")
    return ImportedTest(question, "function", body, bool(case.hidden), float(case.points), functions[0],
                        at=question)


def _master_cells(cells: list[NotebookNode], name: str, public: dict[str, list[str]]
                  ) -> tuple[list[NotebookNode], list[str], list[str]]:
    """Our master's cells, the solution sources (for the reference), all code (for imports).

    otter's ``grader.check("q1")`` cell becomes a Markdown cell showing q1's public
    tests, so students still see what they are checked against."""
    out = [setup_cell(name)]
    solutions, code = [], []
    for cell in cells:
        source = cell.get("source", "")
        source = source if isinstance(source, str) else "".join(source)
        if cell.get("cell_type") == "code" and _is_otter_cell(source):
            checked = _CHECK.match(_code_lines(source))
            if checked and public.get(checked.group(1)):
                out.append(_public_tests_cell(checked.group(1), public[checked.group(1)]))
            continue  # otter's own init, check and export cells
        cell = copy.deepcopy(cell)
        tags = cell.get("metadata", {}).get("tags", [])
        solution = SOLUTION_TAG in tags
        if solution:
            cell.metadata["tags"] = [t for t in tags if t != SOLUTION_TAG]
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
        if cell.get("cell_type") == "code":
            converted = our_solution_markers(source)
            cell.source = converted
            code.append(_without_markers(converted))
            if solution or converted != source:
                solutions.append(_without_markers(converted))
        elif cell.get("cell_type") == "markdown" and solution:
            cell.source = f"### BEGIN SOLUTION\n{source}\n### END SOLUTION"
        out.append(fixed_id(cell, "cell", str(len(out))))  # otter makes some cells, with random ids
    return out, solutions, code


def _is_otter_cell(source: str) -> bool:
    """otter's own cells, as ``otter assign`` writes them: its init cell starts with ``#
    Initialize Otter`` and its export cell with ``# Save your notebook first...``, so the
    comment lines are skipped first (else they stayed, and ``grader.export(...)`` raised
    NameError in every notebook of an assignment without the init cell)."""
    code = _code_lines(source)
    return bool(_OTTER_CELLS.match(code) or _OTTER_PIP.match(code))


def _code_lines(source: str) -> str:
    return "\n".join(line for line in source.split("\n") if line.strip() and not line.lstrip().startswith("#"))


def _public_tests_cell(question: str, bodies: list[str]) -> NotebookNode:
    fence = "```"
    text = "\n\n".join(f"{fence}python\n{body.strip()}\n{fence}" for body in bodies)
    return fixed_id(nbformat.v4.new_markdown_cell(
        f"**Public tests of `{question}`** (the grader runs these, and hidden ones, on your notebook; "
        "run the lines after `>>>` yourself to compare). **Открытые тесты `{question}`** (при оценке "
        "выполняются они и скрытые; выполните строки после `>>>` сами и сравните):".replace("{question}", question)
        + f"\n\n{text}"), "public-tests", question)


def our_solution_markers(source: str) -> str:
    """otter's solution markers as ours: ``# BEGIN SOLUTION [NO PROMPT]`` and ``# END
    SOLUTION`` lines become ``### BEGIN/END SOLUTION``; a line ending in ``# SOLUTION``
    becomes a one-line region. Prompt and seed markers go."""
    out = []
    for line in source.split("\n"):
        if _DROPPED_LINES.search(line):
            continue
        if begin := _BEGIN.match(line):
            out.append(f"{begin.group('indent')}### BEGIN SOLUTION")
        elif _END.match(line):
            out.append(line[: len(line) - len(line.lstrip())] + "### END SOLUTION")
        elif single := _LINE_SOLUTION.match(line):
            indent = single.group("indent")
            out += [f"{indent}### BEGIN SOLUTION", indent + single.group("code"), f"{indent}### END SOLUTION"]
        else:
            out.append(line)
    return "\n".join(out)


def _without_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n")
                     if not re.match(r"^\s*#+\s*(BEGIN|END)\s+SOLUTION\s*$", line))
