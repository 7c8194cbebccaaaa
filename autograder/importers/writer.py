"""An imported assignment written into a course: its folder and its config entry.

``assignments/<name>/`` gets ``source.ipynb`` (our master), ``reference.py`` (the
solutions' definitions), ``examples.py`` (no public examples: the imported public
tests are checks), ``checks/test_imported.py`` (one ``@check`` per imported test,
calling :mod:`autograder.importers.runtime`) and ``IMPORTED.md`` (what was imported and
what was not, and why). ``grading_config.yaml`` gets the questions and points; its
comments and the rest of its text are left as they were.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import nbformat

from autograder.cell_ids import fitted
from autograder.config import CONFIG_NAME, DATA_NAME, load_settings
from autograder.exceptions import AutograderError, UsageError
from autograder.importers.common import identifier, imported_modules, mutations, notebook_globals
from autograder.importers.model import ImportedAssignment, ImportedTest
from autograder.importers.rules import write_rules

CHECKS_FILE = "test_imported.py"
_ASSIGNMENTS = re.compile(r"^assignments:\s*(\{\s*\})?\s*(#.*)?$")


def write_assignment(imported: ImportedAssignment, course: Path) -> Path:
    """Write ``imported`` into the course at ``course``; returns the assignment folder.

    All or nothing: the folder is written under a temporary name beside its place and
    renamed there at the end, and the config entry is added last (restored when anything
    fails), so a failed import leaves the course as it was and can simply be run again."""
    config = course / CONFIG_NAME
    if not config.is_file():
        raise UsageError(f"{course}: not a course (no {CONFIG_NAME}); create one with `autograder init`")
    folder = course / "assignments" / imported.name
    if folder.exists():
        raise UsageError(f"{folder} already exists: choose another --name, or remove that folder")
    settings = load_settings(config)
    if imported.name in settings.config.assignments:
        raise UsageError(f"{config}: assignment {imported.name!r} is already configured: choose another --name")
    _add_mutation_notes(imported)
    _add_import_notes(imported)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{imported.name}.importing-", dir=folder.parent))
    try:
        _write_folder(imported, staging)
        before = config.read_text(encoding="utf-8")
        add_to_config(config, imported.name, imported.questions, title=imported.name, manual=imported.manual)
        try:
            staging.rename(folder)
        except OSError as error:
            config.write_text(before, encoding="utf-8")
            raise UsageError(f"could not create {folder} ({error.strerror}): nothing was imported") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def _write_folder(imported: ImportedAssignment, folder: Path) -> None:
    try:
        (folder / "checks").mkdir(parents=True)
        nbformat.write(fitted(imported.master), str(folder / "source.ipynb"))
        (folder / "reference.py").write_text(_reference(imported), encoding="utf-8")
        (folder / "examples.py").write_text(
            '"""No public examples: the imported public tests are checks (checks/test_imported.py)."""\n\n'
            "from autograder.examples import Example\n\nEXAMPLES: list[Example] = []\n", encoding="utf-8")
        (folder / "checks" / CHECKS_FILE).write_text(checks_source(imported), encoding="utf-8")
        (folder / "IMPORTED.md").write_text(_report(imported), encoding="utf-8")
        write_rules(imported.rules, folder)
        for relative, content in imported.files.items():
            target = folder / DATA_NAME / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    except OSError as error:
        raise UsageError(f"could not write the assignment ({error.strerror}: {error.filename}): "
                         "nothing was imported; free some space or fix the permissions and run it again") from None


def _add_mutation_notes(imported: ImportedAssignment) -> None:
    student_names = notebook_globals(_code_cells(imported))
    for number, test in enumerate(imported.tests, 1):
        found = mutations(_python_of(test), student_names)
        if found:
            imported.notes.append(
                f"test {number} of {test.question!r} {', '.join(found)}: the test runs in the grader, which "
                "cannot change the notebook's objects in place, so the test fails where it would pass in "
                + imported.origin + "; rewrite it")


def _add_import_notes(imported: ImportedAssignment) -> None:
    """Modules the tests import that the grader's Python lacks: they run in the grader."""
    missing = sorted({m for test in imported.tests for m in imported_modules(_python_of(test))
                      if importlib.util.find_spec(m) is None})
    if missing:
        imported.notes.append(f"the tests import {', '.join(missing)}, which the grader's Python lacks: add "
                              "them to the course's requirements.txt and install them, or those tests fail")


def _code_cells(imported: ImportedAssignment) -> list[str]:
    return [c.source for c in imported.master.cells if c.cell_type == "code"]


def _python_of(test: ImportedTest) -> str:
    if test.kind != "doctest":
        return test.code
    return "".join(e.source for e in doctest.DocTestParser().get_examples(test.code))


def _reference(imported: ImportedAssignment) -> str:
    return (f'"""Reference derived from the solutions of the {imported.origin} master notebook '
            "(`autograder import`).\n\nThe imported checks compare with the expected outputs of the "
            'original tests; write checks of your own against these definitions."""\n\n' + imported.reference)


def checks_source(imported: ImportedAssignment) -> str:
    """The check module: one ``@check`` per imported test, weight its points."""
    lines = [
        f'"""Tests imported from the {imported.origin} notebook (`autograder import {imported.origin}`).',
        "",
        "Each runs in the grader against the jailed notebook (autograder.importers.runtime):",
        "the student's names are looked up in the jail, np/torch are the grader's own. Edit freely.",
        '"""',
        "",
        "from autograder.checks import check",
        "from autograder.importers.runtime import run_code, run_doctest, run_function",
        "",
        f"GRADER_IMPORTS = {imported.grader_imports!r}",
        "",
    ]
    by_question = Counter(t.question for t in imported.tests)
    grouped = [t for t in imported.tests if t.question in imported.all_or_nothing]
    numbers: Counter[str] = Counter()
    used: set[str] = set()
    for test in imported.tests:
        if test.question in imported.all_or_nothing:
            continue
        numbers[test.question] += 1
        lines += _check(test.question, [test], numbers[test.question], by_question[test.question], used)
    for question in dict.fromkeys(t.question for t in grouped):
        lines += _check(question, [t for t in grouped if t.question == question], 0, 1, used)
    return "\n".join(lines)


def _function_name(question: str, number: int, used: set[str]) -> str:
    """A check function's name, unique in the module: questions that differ only in what a
    Python name cannot hold (``test-a`` and ``test_a``, ``тест_а`` and ``тест_б``) would
    otherwise define one function twice, and the first question would have no check."""
    base = f"test_{identifier(question)}_{number or 'all'}"
    name, suffix = base, 1
    while name in used:
        suffix += 1
        name = f"{base}_{suffix}"
    used.add(name)
    return name


def _check(question: str, tests: list[ImportedTest], number: int, count: int, used: set[str]) -> list[str]:
    hidden, public = all(t.hidden for t in tests), not any(t.hidden for t in tests)
    kind_en = "hidden" if hidden else ("public" if public else "public and hidden")
    kind_ru = "скрытый" if hidden else ("открытый" if public else "открытый и скрытый")
    if not number:  # otter's all_or_nothing: every test in one check
        label_en, label_ru = f"all {kind_en} tests (all or nothing)", f"все тесты ({kind_ru}; всё или ничего)"
    else:
        suffix = f" {number}" if count > 1 else ""
        label_en, label_ru = f"{kind_en} test{suffix}", f"{kind_ru} тест{suffix}"
    name = _function_name(question, number, used)
    weight = sum(t.points for t in tests)
    out = ["", f"@check({question!r}, en={label_en!r}, ru={label_ru!r}, weight={weight!r})",
           f"def {name}(submission):"]
    for test in tests:
        where = f", at={test.at!r}" + (", required=True" if test.required else "") if test.at else ""
        if test.kind == "doctest":
            out.append(f"    run_doctest(submission, GRADER_IMPORTS, {test.code!r}{where})")
        elif test.kind == "function":
            out.append(f"    run_function(submission, GRADER_IMPORTS, {test.code!r}, {test.function!r}{where})")
        else:
            out.append(f"    run_code(submission, GRADER_IMPORTS, {test.code!r}{where})")
    return out + [""]


def _report(imported: ImportedAssignment) -> str:
    rows = "\n".join(f"| `{q}` | {p:g} | {sum(t.question == q for t in imported.tests)} |"
                     for q, p in imported.questions.items())
    notes = "\n".join(f"- {n}" for n in imported.notes) or "- nothing: every test was imported."
    return (f"# {imported.name}: imported from {imported.origin}\n\n"
            "| question | points | tests |\n| --- | --- | --- |\n" + rows + "\n\n"
            "The tests run in the grader, against the student's notebook in the jail; see the README's "
            "section on importing for what that changes.\n\n## Not imported, or to review\n\n" + notes + "\n")


def add_to_config(config: Path, name: str, questions: dict[str, float], title: str = "",
                  manual: dict[str, float] | None = None) -> None:
    """Add ``assignments.<name>`` to ``config``, keeping the rest of its text as it was;
    the file is checked after, and restored when it no longer loads."""
    text = config.read_text(encoding="utf-8")
    lines = text.split("\n")
    block = [f"{json.dumps(name)}:", f"  title: {json.dumps(title or name, ensure_ascii=False)}",
             "  questions:" if questions else "  questions: {}  # none with checks: graded by hand only"]
    block += [f"    {json.dumps(q, ensure_ascii=False)}: {p:g}" for q, p in questions.items()]
    if manual:
        block += ["  manual:  # graded by hand: `autograder grade --manual SCORES.csv`"]
        block += [f"    {json.dumps(q, ensure_ascii=False)}: {p:g}" for q, p in manual.items()]
    at = next((i for i, line in enumerate(lines) if _ASSIGNMENTS.match(line)), None)
    if at is None:
        new = text.rstrip("\n") + "\n\nassignments:\n" + "\n".join("  " + b for b in block) + "\n"
    else:
        indent = _child_indent(lines, at)
        match = _ASSIGNMENTS.match(lines[at])
        comment = match.group(2) if match else None
        lines[at] = "assignments:" + (f"  {comment}" if comment else "")  # an inline {} goes
        new = "\n".join(lines[: at + 1] + [indent + b for b in block] + lines[at + 1:])
    config.write_text(new, encoding="utf-8")
    try:
        settings = load_settings(config)
        assert settings.config.assignments[name].questions == questions
        assert settings.config.assignments[name].manual == (manual or {})
    except (AutograderError, AssertionError, KeyError) as error:
        config.write_text(text, encoding="utf-8")
        raise UsageError(f"{config}: could not add {name!r} to it without breaking it ({error}); "
                         "add it by hand") from None


def _child_indent(lines: list[str], at: int) -> str:
    for line in lines[at + 1:]:
        if line.strip() and not line.lstrip().startswith("#"):
            indent = line[: len(line) - len(line.lstrip())]
            return indent or "  "
    return "  "
