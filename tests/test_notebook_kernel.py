"""Generated student notebooks run in a real Jupyter kernel (nbclient + ipykernel).

Each run gets a fresh kernel, as a student's fresh Colab would; the first cell makes
`autograder` and `student` unimportable, so only the embedded setup cell can work.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.assign import generate_student_notebook
from autograder.config import AssignmentConfig, GradingConfig, Settings

nbclient = pytest.importorskip("nbclient")

FILES = Path(__file__).resolve().parent / "files"
BLOCKER = '''import sys
class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("autograder", "student"):
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, _Blocker())'''
NAIVE_SIGMOID = '''def sigmoid(x):
    x = np.asarray(x, dtype=float)
    return 1 / (1 + np.exp(-x)) * np.where(np.abs(x) > 100, np.nan, 1.0)'''


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Kernel state (connection files, IPython profile) under tmp_path only."""
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:  # no kernelspec installed: make one under tmp_path
        import subprocess
        import sys

        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(tmp_path / "k")],
                       check=True, capture_output=True)
        monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "k" / "share" / "jupyter"))
    return tmp_path


def student_notebook(root: Path, name: str, questions: dict[str, float]) -> nbformat.NotebookNode:
    shutil.copytree(FILES / name, root / "assignments" / name)
    config = GradingConfig(assignments={name: AssignmentConfig(questions=questions)})
    return generate_student_notebook(name, Settings(config, root / "grading_config.yaml"))


def fill(notebook: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """Replace each stub cell that defines one of ``answers`` by the given code."""
    for cell in notebook.cells:
        for name, code in answers.items():
            if cell.cell_type == "code" and f"def {name}(" in cell.source:
                cell.source = code
                break
    notebook.cells.insert(0, nbformat.v4.new_code_cell(BLOCKER))
    return notebook


def run(notebook: nbformat.NotebookNode, cwd: Path) -> str:
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120, allow_errors=True,
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute()
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
            if output.output_type == "error":
                texts.append(f"ERROR {output.ename}: {output.evalue}")
    return "\n".join(texts)


def reference_source(name: str) -> str:
    return (FILES / name / "reference.py").read_text(encoding="utf-8")


NUMPY_QUESTIONS = {"sigmoid": 1.0, "relu": 1.0, "shift": 1.0, "stats": 1.0}


@pytest.mark.slow
def test_untouched_notebook_reports_not_implemented(kernel_env: Path) -> None:
    output = run(fill(student_notebook(kernel_env, "numpy_demo", NUMPY_QUESTIONS), {}), kernel_env)
    assert "ERROR" not in output
    assert output.count("`sigmoid`: решение ещё не написано") == 4  # check() and check_all()
    assert "Всего пройдено примеров: 0 из 5" in output
    assert "✓" not in output.replace("✓ 0/", "")


@pytest.mark.slow
def test_correct_answers_pass(kernel_env: Path) -> None:
    answers = {"sigmoid": reference_source("numpy_demo"), "relu": "", "stats": ""}
    output = run(fill(student_notebook(kernel_env, "numpy_demo", NUMPY_QUESTIONS), answers), kernel_env)
    assert "ERROR" not in output and "✗" not in output, output
    assert "Всего пройдено примеров: 5 из 5" in output
    assert "Все примеры пройдены" in output


@pytest.mark.slow
def test_wrong_answers_get_a_cross_and_a_hint(kernel_env: Path) -> None:
    answers = {"sigmoid": NAIVE_SIGMOID,
               "relu": "def relu(x):\n    return np.abs(x)\n\ndef shift(w, b, lr):\n    return w, b"}
    output = run(fill(student_notebook(kernel_env, "numpy_demo", NUMPY_QUESTIONS), answers), kernel_env)
    assert "ERROR" not in output, output
    assert "✓ sigmoid([-2.0, 0.0, 2.0])" in output
    assert "✗ sigmoid([-1000.0, 1000.0])" in output
    assert "NaN или бесконечность" in output
    assert "✗ relu([[-1.0, 0.5], [2.0, -3.0]])" in output and "неверные значения" in output
    assert "✗ shift([1.0, 2.0], 0.5, 0.25)" in output and "неверные значения в [0]" in output
    assert "Всего пройдено примеров: 1 из 5" in output


@pytest.mark.slow
def test_torch_notebook_passes_with_the_right_model(kernel_env: Path) -> None:
    answers = {"train": reference_source("torch_demo")}
    notebook = student_notebook(kernel_env, "torch_demo", {"TinyNet": 1.0, "train": 1.0})
    for cell in notebook.cells:
        if "class TinyNet" in cell.source:
            cell.source = ""
    output = run(fill(notebook, answers), kernel_env)
    assert "ERROR" not in output and "✗" not in output, output
    assert "Всего пройдено примеров: 2 из 2" in output


@pytest.mark.slow
def test_an_interrupted_check_names_its_example_and_shows_only_the_students_frames(kernel_env: Path) -> None:
    """The stop button raises KeyboardInterrupt in the student's code (raised here by it):
    check() says which example was running, the interrupt still stops the notebook, and its
    traceback shows the cell and the student's function, none of the checker's frames."""
    stuck = "def sigmoid(x):\n    raise KeyboardInterrupt  # as the stop button would, in a loop"
    notebook = fill(student_notebook(kernel_env, "numpy_demo", NUMPY_QUESTIONS), {"sigmoid": stuck})
    output = run(notebook, kernel_env)
    assert "Остановлено на примере sigmoid([-2.0, 0.0, 2.0])" in output
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert errors and all(error.ename == "KeyboardInterrupt" for error in errors)
    traceback = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(line for error in errors for line in error.traceback))
    assert "in sigmoid(x)" in traceback and "raise KeyboardInterrupt" in traceback
    assert "checker" not in traceback.lower() and "evaluate" not in traceback


@pytest.mark.slow
def test_sys_exit_in_a_checked_function_is_reported_not_a_systemexit_traceback(kernel_env: Path) -> None:
    """``sys.exit()`` in the student's function ended check()'s cell with IPython's
    "An exception has occurred ... SystemExit" and stopped a "Run all"; now check() says,
    in Russian as the grader does, that the code raised SystemExit, and the notebook goes on."""
    exits = "import sys\n\ndef sigmoid(x):\n    sys.exit('не хочу')"
    output = run(fill(student_notebook(kernel_env, "numpy_demo", NUMPY_QUESTIONS), {"sigmoid": exits}), kernel_env)
    assert "ERROR" not in output and "To exit" not in output, output
    assert output.count("подсказка: ваш код выбросил SystemExit: не хочу") == 4, output  # check() and check_all()
    assert "Всего пройдено примеров: 0 из 5" in output
