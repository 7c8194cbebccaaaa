"""Master notebook -> student notebook, on the golden masters in tests/files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.assign import convert, generate_student_notebook, strip_solutions, write_student_notebooks
from autograder.config import AssignmentConfig, GradingConfig, Settings
from autograder.exceptions import AssignmentError

FILES = Path(__file__).resolve().parent / "files"
STUB = 'raise NotImplementedError("stub")'
QUESTIONS = {"numpy_demo": {"sigmoid": 1.0, "relu": 1.0, "shift": 1.0, "stats": 1.0},
             "torch_demo": {"TinyNet": 1.0, "train": 1.0}}


def make_settings(root: Path, language: str = "ru") -> Settings:
    for name in QUESTIONS:
        shutil.copytree(FILES / name, root / "assignments" / name)
    config = GradingConfig(language=language,  # type: ignore[arg-type]
                           assignments={n: AssignmentConfig(questions=q) for n, q in QUESTIONS.items()})
    return Settings(config, root / "grading_config.yaml")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


def solution_lines(master: nbformat.NotebookNode) -> list[str]:
    """Every line inside a solution region or an instructor cell of the master."""
    lines: list[str] = []
    for cell in master.cells:
        inside = "instructor" in cell.metadata.get("tags", [])
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = "instructor" in cell.metadata.get("tags", [])
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


# ---- solution regions ---------------------------------------------------------------


def test_regions_become_a_stub_at_their_indentation() -> None:
    source = ("def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION\n"
              "\nclass A:\n    def g(self):\n        if True:\n            ## BEGIN SOLUTION\n"
              "            pass\n            ### END SOLUTION\n        return 2")
    assert strip_solutions(source, "cell", STUB) == (
        "def f(x):\n    y = 1\n    raise NotImplementedError(\"stub\")\n\nclass A:\n    def g(self):\n"
        "        if True:\n            raise NotImplementedError(\"stub\")\n        return 2")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("### BEGIN SOLUTION\nx = 1", "BEGIN SOLUTION without END SOLUTION"),
        ("x = 1\n### END SOLUTION", "line 2: END SOLUTION without BEGIN"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
        ("x = 1  ### BEGIN SOLUTION\n### END SOLUTION", "alone on its line"),
    ],
)
def test_unbalanced_or_misplaced_markers_are_refused(source: str, reason: str) -> None:
    with pytest.raises(AssignmentError, match=reason):
        strip_solutions(source, "cell 3", STUB)


# ---- whole notebooks ------------------------------------------------------------------


def test_student_notebook_keeps_no_solution_or_instructor_text(settings: Settings) -> None:
    for name in QUESTIONS:
        master = nbformat.read(FILES / name / "source.ipynb", as_version=4)
        secrets = solution_lines(master)
        assert len(secrets) >= 3
        text = json.dumps(generate_student_notebook(name, settings), ensure_ascii=False)
        assert re.findall(r"SECRET_\w+", text) == []
        assert [line for line in secrets if line in text] == []
        assert "make_checker_for" not in text and "BEGIN SOLUTION" not in text
        reference = (FILES / name / "reference.py").read_text(encoding="utf-8")
        bodies = [line.strip() for line in reference.splitlines()  # signatures are shared on purpose
                  if len(line.strip()) > 25 and not line.strip().startswith(("def ", "class "))]
        assert [line for line in bodies if line in text] == []


def test_student_notebook_structure(settings: Settings) -> None:
    notebook = generate_student_notebook("numpy_demo", settings)
    master = nbformat.read(FILES / "numpy_demo" / "source.ipynb", as_version=4)
    assert len(notebook.cells) == len(master.cells) - 1  # the instructor cell is gone
    assert notebook.metadata.autograder == {"assignment": "numpy_demo"}
    setup = [c for c in notebook.cells if "setup" in c.metadata.get("tags", [])]
    assert len(setup) == 1 and setup[0] is notebook.cells[1]
    assert "check, check_all = " in setup[0].source and "EXAMPLES = " in setup[0].source
    assert setup[0].metadata.jupyter == {"source_hidden": True}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert 'raise NotImplementedError("Напишите здесь своё решение")' in notebook.cells[3].source
    assert "        raise NotImplementedError" in notebook.cells[5].source  # nested region
    assert "_Ваш ответ здесь._" in notebook.cells[7].source
    nbformat.validate(notebook)


def test_outputs_of_the_master_are_cleared(tmp_path: Path, settings: Settings) -> None:
    path = settings.assignments_dir / "numpy_demo" / "source.ipynb"
    master = nbformat.read(path, as_version=4)
    master.cells[2].outputs = [nbformat.v4.new_output("stream", text="SECRET_OUTPUT")]
    master.cells[2].execution_count = 7
    nbformat.write(master, path)
    assert "SECRET_OUTPUT" not in json.dumps(generate_student_notebook("numpy_demo", settings))


def test_english_notebooks(tmp_path: Path) -> None:
    notebook = generate_student_notebook("numpy_demo", make_settings(tmp_path, "en"))
    assert 'raise NotImplementedError("Write your solution here")' in notebook.cells[3].source
    assert notebook.cells[1].source.rstrip().endswith("del _json, _CHECKER_SOURCES, _load_checker")
    assert "make_checker(EXAMPLES, globals(), 'en')" in notebook.cells[1].source


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ([new_code_cell("x = 1")], "exactly one code cell tagged 'setup', found 0"),
        ([new_code_cell("a", metadata={"tags": ["setup"]}), new_code_cell("b", metadata={"tags": ["setup"]})],
         "found 2"),
        ([new_code_cell("a", metadata={"tags": ["setup"]}), new_code_cell("### BEGIN SOLUTION\nx = 1")],
         "cell 2: BEGIN SOLUTION without END"),
        ([new_code_cell("a", metadata={"tags": ["setup"]}), new_markdown_cell("### END SOLUTION")],
         "cell 2, line 1: END SOLUTION without BEGIN"),
    ],
)
def test_bad_masters_are_refused_with_a_reason(cells: list[nbformat.NotebookNode], reason: str) -> None:
    with pytest.raises(AssignmentError, match=reason):
        convert(new_notebook(cells=cells), "demo", [], "ru")


@pytest.mark.parametrize("saved", ["with a byte-order mark", "as nbformat 3"])
def test_a_master_saved_by_another_editor_is_read(settings: Settings, saved: str) -> None:
    """Windows editors write a byte-order mark (nbformat refuses it: "does not appear to be
    JSON"); an old Jupyter wrote nbformat 3. By `assign`, and by `grade` (the master's
    imports, and its cells for the cell time limit)."""
    from autograder.instructor import master_cells, notebook_imports

    master = settings.assignments_dir / "numpy_demo" / "source.ipynb"
    expected = nbformat.writes(generate_student_notebook("numpy_demo", settings))
    read = (notebook_imports(master), master_cells(master))  # what grading reads of the master
    if saved == "as nbformat 3":
        nbformat.write(nbformat.convert(nbformat.read(master, as_version=4), 3), str(master), version=3)
        made = generate_student_notebook("numpy_demo", settings)
        assert [c.source for c in made.cells] == [c.source for c in nbformat.reads(expected, as_version=4).cells]
    else:
        master.write_bytes(b"\xef\xbb\xbf" + master.read_bytes())
        assert nbformat.writes(generate_student_notebook("numpy_demo", settings)) == expected
    assert (notebook_imports(master), master_cells(master)) == read


def test_a_missing_master_is_an_assignment_error(settings: Settings) -> None:
    (settings.assignments_dir / "numpy_demo" / "source.ipynb").unlink()
    with pytest.raises(AssignmentError, match="source.ipynb is missing"):
        generate_student_notebook("numpy_demo", settings)
    with pytest.raises(AssignmentError, match="unknown assignment"):
        generate_student_notebook("nope", settings)


def test_a_student_notebook_is_the_same_bytes_every_time() -> None:
    """The bundled course (a data note in `neuron`, a submit cell with a server): what
    `assign` adds has fixed ids, so the same master gives the same notebook."""
    from autograder.config import load_settings

    course = load_settings(Path(__file__).resolve().parent.parent / "grading_config.yaml")
    for name in course.config.assignments:
        for server in (None, "https://grader.example.org"):
            made = [nbformat.writes(generate_student_notebook(name, course, server=server)) for _ in range(2)]
            assert made[0] == made[1], name


def test_write_student_notebooks(tmp_path: Path, settings: Settings) -> None:
    paths = write_student_notebooks([], settings, tmp_path / "out" / "nested")
    assert [p.name for p in paths] == ["numpy_demo.ipynb", "torch_demo.ipynb"]
    assert nbformat.read(paths[0], as_version=4).metadata.autograder["assignment"] == "numpy_demo"
    assert write_student_notebooks(["torch_demo"], settings, tmp_path / "one") == [tmp_path / "one" / "torch_demo.ipynb"]


BLOCKER = '''
import sys
class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("autograder", "student"):
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, _Blocker())
'''


def test_setup_cell_works_without_the_repository(tmp_path: Path, settings: Settings) -> None:
    """The notebook's code, run in a fresh Python where `autograder` and `student`
    cannot be imported: the setup cell must bring everything `check` needs."""
    notebook = generate_student_notebook("numpy_demo", settings)
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    script = BLOCKER + "\n".join(
        f"try:\n    exec({source!r})\nexcept NotImplementedError:\n    pass" for source in code)
    script += "\nimport student\nprint('embedded', getattr(student, '__file__', None))\n"
    (tmp_path / "run.py").write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(tmp_path / "run.py")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Имя `sigmoid` не определено" not in done.stdout
    assert "`sigmoid`: решение ещё не написано" in done.stdout
    assert "Всего пройдено примеров: 0 из 5" in done.stdout
    assert "embedded None" in done.stdout
