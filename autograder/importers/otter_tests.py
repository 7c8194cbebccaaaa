"""otter-grader's grading suite without a master notebook: an ``autograder.zip`` (from
``otter assign`` or ``otter generate``) or a folder of test files, with its
``otter_config.json`` when present.

The test files are read, never run: an OK-format file (``OK_FORMAT = True``) is a
literal ``test = {...}`` dict; an exception-based file (``OK_FORMAT = False``) is
``name``, ``points``, ``all_or_nothing`` and functions decorated ``@test_case(points=...,
hidden=...)``. Points are resolved by otter's rule (:func:`resolve_points`). Of
``otter_config.json``, ``seed`` and ``seed_variable`` become the assignment's run rules;
the zip's ``files/`` (otter's support files, copied beside the notebook when otter
grades) become its ``data/``, where the notebook runs; ``requirements.txt`` is listed in
``IMPORTED.md`` (the course's requirements are the instructor's to extend).
"""

from __future__ import annotations

import ast
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat

from autograder.cell_ids import fixed_id
from autograder.exceptions import AssignmentError, UsageError
from autograder.importers.common import setup_cell, zero_point_tests
from autograder.importers.model import ImportedAssignment, ImportedTest, TestKind
from autograder.importers.rules import ImportRules

CONFIG = "otter_config.json"
MAX_FILE = 64 * 1024 * 1024   # one support file
MAX_TOTAL = 256 * 1024 * 1024  # all of them
# what otter's own config holds that changes nothing here (Gradescope, PDFs, logging...)
_IGNORED_KEYS = {"lang", "name", "token", "course_id", "assignment_id", "filtering", "pagebreaks", "pdf",
                 "show_stdout", "show_hidden", "show_all_public", "print_summary", "print_score",
                 "print_logo", "debug", "autograder_dir", "zips", "log_level", "plugins",
                 "generate_pdf", "warn_missing_pdf", "force_public_test_summary", "submit_blank_pdf_on_export",
                 "use_submission_pdf", "use_pdf_via_html", "channel_priority_strict", "exclude_conda_defaults",
                 "python_version", "miniconda_path", "runner", "assignment_name"}


_TEST_CASE_ARGS = ("name", "points", "hidden", "success_message", "failure_message")  # otter's test_case(...)


@dataclass(frozen=True)
class Case:
    body: str
    hidden: bool
    points: float | None
    function: str = ""


@dataclass(frozen=True)
class TestFile:
    name: str
    cases: list[Case]
    points: float | list[float] | None
    all_or_nothing: bool


def read_otter_suite(path: Path, name: str) -> ImportedAssignment:
    """The assignment graded by the otter suite at ``path`` (a zip or a folder)."""
    files = dict(_zip_members(path) if path.is_file() else _folder_members(path))
    tests = sorted((p, t) for p, t in files.items() if p.startswith("tests/") and p.endswith(".py")
                   and p.count("/") == 1 and not p.endswith("/__init__.py"))
    if not tests:
        raise UsageError(f"{path}: no otter test files (tests/q1.py, ...): give an autograder.zip, "
                         "the folder it unzips to, or a tests folder")
    config = _config(files.get(CONFIG), path)
    questions: dict[str, float] = {}
    imported: list[ImportedTest] = []
    all_or_nothing: set[str] = set()
    notes: list[str] = []
    for member, data in tests:
        test_file = parse_test_file(_text(data, member), member)
        if test_file.name in questions:
            raise AssignmentError(f"{path}: two test files are named {test_file.name!r}")
        points = resolve_points(test_file.points, [c.points for c in test_file.cases], member)
        total = sum(points)
        if total <= 0:
            notes.append(f"{member}: worth 0 points: not imported")
            continue
        questions[test_file.name] = total
        if test_file.all_or_nothing:
            all_or_nothing.add(test_file.name)
        zero = sum(p <= 0 for p in points) if not test_file.all_or_nothing else 0
        notes += zero_point_tests(test_file.name, zero, "otter")
        for case, case_points in zip(test_file.cases, points):
            if case_points <= 0 and not test_file.all_or_nothing:
                continue
            kind: TestKind = "function" if case.function else "doctest"
            imported.append(ImportedTest(test_file.name, kind, case.body, case.hidden, case_points, case.function,
                                         at=test_file.name))
    if not questions:
        raise AssignmentError(f"{path}: no test worth points: nothing to grade")
    support = {p.removeprefix("files/"): d for p, d in files.items() if p.startswith("files/")}
    if "requirements.txt" in files:
        wanted = ", ".join(line.strip() for line in _text(files["requirements.txt"], "requirements.txt").splitlines()
                           if line.strip() and not line.startswith("#"))
        notes.append(f"requirements.txt asks for: {wanted or 'nothing'}; the notebooks and tests import from the "
                     "grader's Python: add what the course lacks to its requirements")
    notes += [f"otter_config.json: {key!r} is not used here" for key in sorted(config)
              if key not in _IGNORED_KEYS | {"seed", "seed_variable"}]
    seed = config.get("seed")
    variable = config.get("seed_variable")
    if seed is not None and not isinstance(seed, int):
        raise AssignmentError(f"{path}: otter_config.json: seed must be a whole number, not {seed!r}")
    if variable is not None and not (isinstance(variable, str) and variable.isidentifier()):
        raise AssignmentError(f"{path}: otter_config.json: seed_variable must be a Python name, not {variable!r}")
    rules = ImportRules("otter", seed=seed, seed_variable=variable, in_data=bool(support))
    return ImportedAssignment(name, "otter", _master(name, questions), "", questions, imported,
                              "", notes, all_or_nothing, rules=rules, files=support)


def parse_test_file(source: str, where: str) -> TestFile:
    """One otter test file, read from its syntax tree (never run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise AssignmentError(f"{where}: not Python (line {error.lineno}: {error.msg})") from None
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    if "OK_FORMAT" not in values:
        raise AssignmentError(f"{where}: not an otter test file (it does not set OK_FORMAT)")
    if values["OK_FORMAT"]:
        return _ok_file(values.get("test"), where)
    return _exception_file(tree, source, values, where)


def _ok_file(spec: Any, where: str) -> TestFile:
    if not isinstance(spec, dict) or "name" not in spec:
        raise AssignmentError(f"{where}: OK format without a literal `test = {{'name': ..., 'suites': ...}}`")
    suites = spec.get("suites")
    if not isinstance(suites, list) or len(suites) != 1:
        raise AssignmentError(f"{where}: otter reads exactly one suite per test file")
    suite = suites[0]
    if suite.get("type", "doctest") != "doctest" or suite.get("setup") or suite.get("teardown"):
        raise AssignmentError(f"{where}: only doctest suites without setup/teardown, as in otter")
    cases = [Case(_dedent(str(c["code"])), bool(c.get("hidden", True)), _points(c.get("points"), where))
             for c in suite.get("cases", [])]
    return TestFile(str(spec["name"]), cases, spec.get("points"), bool(spec.get("all_or_nothing", False)))


def _exception_file(tree: ast.Module, source: str, values: dict[str, Any], where: str) -> TestFile:
    if "name" not in values:
        raise AssignmentError(f"{where}: an exception-based test file must set `name`")
    lines = source.splitlines()
    prelude = [ast.get_source_segment(source, n) or "" for n in tree.body
               if isinstance(n, (ast.Import, ast.ImportFrom)) and not _imports_otter(n)]
    cases = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        decorator = next((d for d in node.decorator_list if isinstance(d, ast.Call)
                          and getattr(d.func, "id", getattr(d.func, "attr", "")) == "test_case"), None)
        if decorator is None:
            continue
        try:
            options = dict(zip(_TEST_CASE_ARGS, (ast.literal_eval(a) for a in decorator.args)))
            options.update({k.arg: ast.literal_eval(k.value) for k in decorator.keywords if k.arg})
        except ValueError:
            raise AssignmentError(f"{where}: the options of test {node.name} must be literal values") from None
        body = "\n".join(prelude + lines[node.lineno - 1: node.end_lineno]) + "\n"
        cases.append(Case(body, bool(options.get("hidden", False)), _points(options.get("points"), where), node.name))
        if "env" in [a.arg for a in node.args.args]:
            raise AssignmentError(f"{where}: test {node.name} takes `env` (the whole notebook): "
                                  "rewrite it to take the names it uses")
    return TestFile(str(values["name"]), cases, values.get("points"), bool(values.get("all_or_nothing", False)))


def _imports_otter(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "otter"
    return any(a.name.split(".")[0] == "otter" for a in node.names)


def resolve_points(total: Any, cases: list[float | None], where: str = "") -> list[float]:
    """Each test case's points by otter's rule: a list gives each case its points; a total
    is shared equally by the cases without points of their own; with no total, cases
    without points get nothing unless no case has points, when the test is worth 1."""
    if isinstance(total, list):
        if len(total) != len(cases):
            raise AssignmentError(f"{where}: {len(total)} points for {len(cases)} test cases")
        cases, total = [_points(p, where) for p in total], None
    elif total is not None and (isinstance(total, bool) or not isinstance(total, (int, float))):
        raise AssignmentError(f"{where}: points must be a number or a list, not {total!r}")
    given = sum(p for p in cases if p is not None)
    unset = sum(p is None for p in cases)
    if total is not None:
        if given > total:
            raise AssignmentError(f"{where}: the test cases' points ({given:g}) exceed the test's ({total:g})")
        share = (total - given) / unset if unset else 0.0
    else:
        share = 1 / unset if unset and given == 0 else 0.0
    return [float(p) if p is not None else share for p in cases]


def _points(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise AssignmentError(f"{where}: points must be a non-negative number, not {value!r}")
    return float(value)


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)


def _config(data: bytes | None, path: Path) -> dict[str, Any]:
    if data is None:
        return {}
    try:
        config = json.loads(data)
    except ValueError as error:
        raise AssignmentError(f"{path}: otter_config.json is not JSON ({error})") from None
    if not isinstance(config, dict):
        raise AssignmentError(f"{path}: otter_config.json is not a JSON object")
    return config


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssignmentError(f"{where}: not UTF-8 text") from None


def _wanted(member: str) -> bool:
    return member == CONFIG or member == "requirements.txt" or member.startswith(("tests/", "files/"))


def _zip_members(path: Path) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UsageError(f"{path}: neither a folder nor a readable zip file ({error})") from None
    total = 0
    with archive:
        for info in archive.infolist():
            member = PurePosixPath(info.filename)
            if info.is_dir() or not _wanted(str(member)):
                continue
            if member.is_absolute() or ".." in member.parts:
                raise UsageError(f"{path}: member {info.filename!r} points outside the archive")
            total += info.file_size
            if info.file_size > MAX_FILE or total > MAX_TOTAL:
                raise UsageError(f"{path}: support files over {MAX_TOTAL >> 20} MB: import the tests folder "
                                 "and copy large data into the assignment's data/ yourself")
            yield str(member), archive.read(info)


def _folder_members(path: Path) -> Iterator[tuple[str, bytes]]:
    if not path.is_dir():
        raise UsageError(f"{path}: no such file or folder")
    if (path / "tests").is_dir():
        root = path
    elif any(path.glob("*.py")):  # the tests folder itself; its config beside it or one up
        for config in (path / CONFIG, path.parent / CONFIG):
            if config.is_file():
                yield CONFIG, config.read_bytes()
                break
        for test in sorted(path.glob("*.py")):
            yield f"tests/{test.name}", test.read_bytes()
        return
    else:
        raise UsageError(f"{path}: neither a tests folder (q1.py, ...) nor a folder with tests/ in it")
    for file in sorted(root.rglob("*")):
        member = file.relative_to(root).as_posix()
        if file.is_file() and _wanted(member):
            yield member, file.read_bytes()


def _master(name: str, questions: dict[str, float]) -> nbformat.NotebookNode:
    """A master for ``assign`` and ``verify`` to start from: no solutions came with the tests."""
    notebook = nbformat.v4.new_notebook()
    listed = "\n".join(f"- `{q}`: {p:g}" for q, p in questions.items())
    notebook.cells = [setup_cell(name), fixed_id(nbformat.v4.new_markdown_cell(
        f"# {name}\n\nImported from otter's tests; the students' notebooks made for otter are graded as they "
        f"are. Questions:\n\n{listed}"), "about")]
    return notebook

