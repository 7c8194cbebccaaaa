"""`autograder new --from` on messy pairs shaped like the course's real homework
(tests/files/real_pairs, made by its generate.py: one-line JSON, nbformat 4.0 without
ids, Colab metadata, 2-space indents, trailing blank lines, `%%time` cells, HTML
headings): faithful student notebooks, a clean reference.py, pip names, magics read
as written, name hints, and checks that call the reference with real tensors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from autograder.notebook import CodeCell, cell_source, plain_code
from autograder.scaffold.regions import BEGIN, Blanks, cell_regions
from tests.helpers import run_cli

REAL = Path(__file__).resolve().parent / "files" / "real_pairs"
NEURON_BLANK = REAL / "neuron" / "[homework]neuron.ipynb"
NEURON_SOLUTION = REAL / "neuron" / "[hw_solution]neuron.ipynb"
TORCH_BLANK = REAL / "torch_task" / "[seminar]torch.ipynb"
TORCH_SOLUTION = REAL / "torch_task" / "[sem_solution]torch.ipynb"


def _code(path: Path) -> list[str]:
    return [cell_source(c) for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert run_cli("init", str(tmp_path / "course")) == 0
    monkeypatch.chdir(tmp_path)
    return tmp_path / "course"


def test_the_fixtures_are_messy_as_colab_writes_them() -> None:
    for path in (NEURON_BLANK, NEURON_SOLUTION, TORCH_BLANK, TORCH_SOLUTION):
        text = path.read_text(encoding="utf-8")
        notebook = json.loads(text)
        assert "\n" not in text and notebook["nbformat_minor"] == 0
        assert all("id" not in cell for cell in notebook["cells"])
    sources = _code(NEURON_BLANK)
    assert any(s.startswith("%%time") and "<Ваш код здесь>" in s for s in sources)
    assert any(s.endswith("\n\n\n") and s.startswith("def ") for s in sources)
    assert any("\n  return <Ваш код здесь>" in s for s in sources)


def test_trailing_blank_lines_do_not_take_the_def_into_the_region() -> None:
    blank = "def forward_pass(X, w):\n  <Ваш код здесь>\n\n\n"
    solution = "def forward_pass(X, w):\n  return torch.sigmoid(X @ w)\n\n\n"
    made = cell_regions(blank, solution, True, Blanks())
    assert made.source.split("\n")[:2] == ["def forward_pass(X, w):", "  " + BEGIN]
    assert made.regions == [(1, 2)]


def test_new_from_a_messy_pair_keeps_the_blank_as_students_see_it(course: Path, tmp_path: Path) -> None:
    assert run_cli("new", "neuron", "--course", str(course), "--from", str(NEURON_BLANK), str(NEURON_SOLUTION)) == 0
    folder = course / "assignments" / "neuron"
    config = (course / "grading_config.yaml").read_text(encoding="utf-8")
    assert 'title: "Нейрон с разными функциями активации"' in config  # the top heading, an HTML <h2>
    reference = (folder / "reference.py").read_text(encoding="utf-8")
    assert "b = 2." not in reference and "def relu(x):" in reference and "class NeuronReLU" in reference
    master = [s for s in _code(folder / "source.ipynb") if BEGIN in s]
    relu = next(s for s in master if s.startswith("def relu(x):"))
    assert relu.split("\n")[:3] == ["def relu(x):", '  """ReLU: max(0, x)"""', "  " + BEGIN]

    assert run_cli("assign", "neuron", "--course", str(course), "--out", str(tmp_path / "out")) == 0
    student = _code(tmp_path / "out" / "neuron.ipynb")
    for source in _code(NEURON_BLANK):  # every cell of the blank, byte for byte
        assert source in student, source
    assert not any("NeuronReLU()" in s or "np.maximum" in s or "BEGIN" in s for s in student)


def test_a_time_magic_cell_is_read_as_the_student_wrote_it() -> None:
    code = plain_code("%%time\nneuron = <Ваш код здесь>\nlosses = neuron.fit(X, y)\n")
    assert code.startswith("# %%time\n") and "NotImplementedError" in code
    assert "run_cell_magic" not in code and code.count("\n") == 3  # lines keep their numbers
    assert plain_code("%%timeit -n 3\nx = 1\n") == "# %%timeit -n 3\nx = 1\n"


def test_imports_are_listed_by_their_pip_names() -> None:
    import ast

    from autograder.scaffold.derive import packages_of

    source = "import sklearn.metrics\nimport cv2\nfrom PIL import Image\nimport pandas as pd\nimport numpy, os\n"
    assert packages_of([(ast.parse(source), source)]) == ["scikit-learn", "opencv-python", "pillow", "pandas"]


def test_a_near_name_is_suggested_when_the_question_is_missing() -> None:
    from autograder.causes import near_name

    cells = [CodeCell(0, "def ELU(x):\n  return x\n"), CodeCell(1, "def relu_derivativ(x):\n  pass\n")]
    assert near_name("elu", cells) == "ELU"
    assert near_name("relu_derivative", cells) == "relu_derivativ"
    assert near_name("softmax", cells) is None


def test_the_reference_gets_real_tensors_and_its_failure_is_the_graders() -> None:
    import torch

    from autograder.checks import ReferenceFailed, expected_value, tensor
    from autograder.exceptions import GraderError

    def forward_pass(X: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(X @ w)

    args = (tensor([[-5.0, 5.0], [2.0, 3.0]]), tensor([[-0.5], [2.5]]))
    got = expected_value("forward_pass", forward_pass, args)
    assert isinstance(got, np.ndarray) and got.shape == (2, 1) and got.dtype == np.float32
    with pytest.raises(ReferenceFailed, match="forward_pass` raised") as caught:
        expected_value("forward_pass", forward_pass, (tensor([[1.0, 2.0]]), tensor([[1.0]])))
    assert isinstance(caught.value, GraderError) and caught.value.exit_code == 3
