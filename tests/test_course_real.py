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
    equivalents = (folder / "equivalent_mutants.yaml").read_text(encoding="utf-8")
    assert "NeuronReLU.backward_pass/inplace/" in equivalents and "self.w -= " in equivalents
    assert "NeuronELU" not in equivalents  # optional: verify makes no mutant of it
    assert "optional: [elu, elu_derivative, NeuronELU.forward_pass, NeuronELU.backward_pass]" in config
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


def _grade(course: Path, name: str, out: Path, *notebooks: Path) -> dict[str, dict]:
    assert run_cli("grade", "--course", str(course), "-a", name, *map(str, notebooks), "--out", str(out)) == 0
    return {nb.stem: json.loads((out / f"{nb.stem}.json").read_text(encoding="utf-8")) for nb in notebooks}


def test_recorded_calls_come_back_as_data_from_cells_first() -> None:
    """The recorder keeps a function's calls from cells before those from inside other
    code, a method's object state and constructor, and drops calls on non-data."""
    from autograder.sandbox.jail import Jail
    from autograder.session import Session
    from autograder.scaffold.record import LIMITS, _entries, recorder_cells

    sources = ["import numpy as np\nimport pandas as pd",
               "def f(x):\n  return x + 1\n\nclass N:\n  def __init__(self, w=None, b=0):\n    self.w, self.b = w, b\n"
               "  def go(self, x):\n    return f(x) * self.w\n  def fit(self, x):\n    self.w = np.ones(2)\n"
               "    return self.go(x)",
               "n = N(np.zeros(2), 1.5)\nn.fit(np.array([1.0, 2.0]))\nf(3)\nf(pd.Series([1.0]))"]
    with Jail.start("auto", ["numpy", "pandas"]) as jail:
        session = Session(jail.spawn, recorder_cells(sources, ["f", "N.go"]), LIMITS)
        try:
            assert all(c.status == "ok" for c in session.run.cells), session.run.cells
            raw = _entries(session.call("autograder_recorded_calls"))
        finally:
            session.close()
    assert [(c.top, np.asarray(c.args[0]).tolist()) for c in raw["f"]] == [(False, [1.0, 2.0]), (True, 3)]
    go = raw["N.go"][0]
    assert go.top is False and go.state is not None and list(go.state["w"]) == [1.0, 1.0]
    assert go.init is not None and go.init["b"] == 1.5


def test_the_shapes_of_every_call_are_recorded_by_parameter_name() -> None:
    """Not only the few kept calls: the 50th call of a loop, with its own shapes, is
    there too (by parameter name, a list told from an array)."""
    from autograder.sandbox.jail import Jail
    from autograder.scaffold.record import LIMITS, _shapes, recorder_cells
    from autograder.session import Session

    sources = ["import numpy as np",
               "def f(a, b, k=1):\n  return len(a) + len(b)\n\nclass N:\n  def go(self, x, y):\n    return x",
               "for i in range(60):\n  f(np.zeros((3, 1)), np.ones(3))\nf(np.zeros(5), [1, 2], k=np.zeros(2))\n"
               "N().go(np.zeros((2, 2)), y=np.zeros(4))"]
    with Jail.start("auto", ["numpy"]) as jail:
        session = Session(jail.spawn, recorder_cells(sources, ["f", "N.go"]), LIMITS)
        try:
            assert all(c.status == "ok" for c in session.run.cells), session.run.cells
            shapes = _shapes(session.call("autograder_recorded_shapes"))
        finally:
            session.close()
    assert sorted(shapes["f"], key=len) == [{"a": ("array", (3, 1)), "b": ("array", (3,))},
                                            {"a": ("array", (5,)), "b": ("list", (2,)), "k": ("array", (2,))}]
    assert shapes["N.go"] == [{"x": ("array", (2, 2)), "y": ("array", (4,))}]


BACKWARD = ("class N:\n  def backward_pass(self, X, y, y_pred, learning_rate=0.005):\n    ### BEGIN SOLUTION\n"
            "    grad = (y_pred - y) * relu_derivative(X @ self.w)\n"
            "    self.w = self.w - learning_rate * X.T @ grad / len(y)\n"
            "    self.b = self.b - learning_rate * np.sum(grad) / y.shape[0]\n    ### END SOLUTION\n")
DERIVATIVE = ("def relu_derivative(x):\n  ### BEGIN SOLUTION\n  return (x > 0).astype(float)\n  ### END SOLUTION\n")


def _called(*sizes: tuple[tuple[int, ...], tuple[int, ...]]) -> dict[str, list[dict[str, tuple[str, tuple[int, ...]]]]]:
    return {"N.backward_pass": [{"X": ("array", (y[0], 2)), "y": ("array", y), "y_pred": ("array", p)}
                                for y, p in sizes],
            "relu_derivative": [{"x": ("array", (40, 1))}]}


def test_a_size_measured_on_another_argument_of_equal_size_is_listed_as_equivalent() -> None:
    """len(y_pred) for len(y) and y_pred.shape[0] for y.shape[0]: equivalent when every
    recorded call had y and y_pred of the same shape, and said so; not when one call had
    them unequal, nor without recorded calls; a moved boundary in a derivative never."""
    from autograder.scaffold.equivalents import equivalents_text

    cells = [(0, DERIVATIVE), (1, BACKWARD)]
    questions = ["relu_derivative", "N.backward_pass"]
    text = equivalents_text("n", cells, questions, (), _called(((40, 1), (40, 1)), ((3, 1), (3, 1)))) or ""
    assert "N.backward_pass/variable/" in text
    assert "grad / len(y)  ->  self.w = self.w - learning_rate * X.T @ grad / len(y_pred)" in text
    assert "np.sum(grad) / y_pred.shape[0]" in text and "measures y_pred for y, " in text
    assert "(shapes (3, 1), (40, 1))" in text
    assert "relu_derivative/compare/" not in text and "(x >= 0)" not in text
    assert "(y_pred - y) * relu_derivative(X @ self.w)  ->" not in text  # values swapped: not a size

    unequal = equivalents_text("n", cells, questions, (), _called(((40, 1), (40, 1)), ((3, 1), (4, 1)))) or ""
    assert "len(y_pred)" not in unequal and "y_pred.shape" not in unequal
    for shapes in ({}, None, _called(((40, 1), (40,)))):  # nothing recorded; same length, other shape
        text = equivalents_text("n", cells, questions, (), shapes) or ""
        assert "y_pred.shape" not in text
        assert ("len(y_pred)" in text) is bool(shapes)


def test_a_parameter_bound_again_is_not_assumed_to_keep_its_size() -> None:
    from autograder.scaffold.equivalents import equivalents_text

    rebound = BACKWARD.replace("    grad =", "    y = y[:1]\n    grad =")
    text = equivalents_text("n", [(0, DERIVATIVE), (1, rebound)], ["relu_derivative", "N.backward_pass"], (),
                            _called(((40, 1), (40, 1)))) or ""
    assert "len(y_pred)" not in text and "N.backward_pass/inplace/" in text


@pytest.mark.slow
def test_three_real_shaped_pairs_grade_with_no_hand_edits(course: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The activations homework (classes trained 10,000 epochs on CSV data) and the
    PyTorch task: the solution scores full, the blank and the handed-out notebook 0, a
    wrong variant loses exactly its question; no generated file edited."""
    assert run_cli("new", "neuron", "--course", str(course), "--from", str(NEURON_BLANK), str(NEURON_SOLUTION)) == 0
    assert run_cli("new", "torchtask", "--course", str(course), "--from", str(TORCH_BLANK), str(TORCH_SOLUTION)) == 0
    said = capsys.readouterr().out
    assert "give the check inputs" not in said
    equivalents = (course / "assignments" / "neuron" / "equivalent_mutants.yaml").read_text(encoding="utf-8")
    for name in ("NeuronReLU", "NeuronLeakyReLU"):  # the len swaps, from the notebook's own calls: no hand edit
        assert f"- id: {name}.backward_pass/variable/" in equivalents, equivalents
    assert equivalents.count("grad / len(y)  ->  self.w = self.w - learning_rate * X.T @ grad / len(y_pred)") == 2
    assert equivalents.count("measures y_pred for y, ") == 2 and "NeuronELU" not in equivalents
    torch_check = (course / "assignments" / "torchtask" / "checks" / "test_forward_pass.py").read_text(encoding="utf-8")
    assert "tensor([[-5.0, 5.0], [2.0, 3.0], [1.0, -1.0]], dtype='float32')" in torch_check
    assert run_cli("assign", "--course", str(course), "--out", str(tmp_path / "out")) == 0

    wrong = tmp_path / "wrong_torch.ipynb"
    wrong.write_text(TORCH_SOLUTION.read_text(encoding="utf-8").replace("torch.sigmoid(X @ w)", "torch.tanh(X @ w)"),
                     encoding="utf-8")
    results = _grade(course, "torchtask", tmp_path / "r1", TORCH_SOLUTION, TORCH_BLANK, wrong,
                     tmp_path / "out" / "torchtask.ipynb")
    assert results[TORCH_SOLUTION.stem]["score"] == 1 and results[TORCH_BLANK.stem]["score"] == 0
    assert results["wrong_torch"]["score"] == 0 and results["torchtask"]["score"] == 0

    wrong = tmp_path / "wrong_neuron.ipynb"
    wrong.write_text(NEURON_SOLUTION.read_text(encoding="utf-8").replace(
        "self.w = self.w - learning_rate * X.T @ grad / len(y)", "self.w = self.w - learning_rate * X.T @ grad"),
        encoding="utf-8")
    renamed = tmp_path / "renamed.ipynb"  # a student who wrote ELU for elu
    renamed.write_text(NEURON_SOLUTION.read_text(encoding="utf-8").replace("def elu(", "def ELU("), encoding="utf-8")
    results = _grade(course, "neuron", tmp_path / "r2", NEURON_SOLUTION, NEURON_BLANK, wrong,
                     tmp_path / "out" / "neuron.ipynb", renamed)
    elu = next(q for q in results["renamed"]["questions"] if q["name"] == "elu")
    assert "`ELU`" in elu["cause"] and "`elu`" in elu["cause"], elu  # in Russian: "может быть, имелось в виду"
    assert "имелось в виду" in elu["cause"]
    solved = results[NEURON_SOLUTION.stem]
    assert solved["score"] == solved["max_score"] == 8, solved  # ELU: optional, as its heading says
    optional = {q["name"] for q in solved["questions"] if q.get("optional")}
    assert optional == {"elu", "elu_derivative", "NeuronELU.forward_pass", "NeuronELU.backward_pass"}
    assert all(c["passed"] for q in solved["questions"] for c in q["checks"])
    assert results[NEURON_BLANK.stem]["score"] == 0 and results["neuron"]["score"] == 0
    lost = {q["name"] for q in results["wrong_neuron"]["questions"] if q["score"] < q["max_score"]}
    assert lost == {"NeuronReLU.backward_pass", "NeuronLeakyReLU.backward_pass"}
    failed = {q["name"] for q in results["wrong_neuron"]["questions"] if not all(c["passed"] for c in q["checks"])}
    assert failed == lost | {"NeuronELU.backward_pass"}  # the optional one is still checked, for feedback


def test_a_reference_failing_on_the_checks_inputs_is_a_grader_error(course: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A check whose inputs the reference cannot take (here: edited to a wrong shape)
    stops `grade` with exit 3 and says so, instead of failing every student."""
    assert run_cli("new", "torchtask", "--course", str(course), "--from", str(TORCH_BLANK), str(TORCH_SOLUTION)) == 0
    check = course / "assignments" / "torchtask" / "checks" / "test_forward_pass.py"
    text = check.read_text(encoding="utf-8")
    check.write_text(text.replace("CASES: list[tuple[tuple[Any, ...], dict[str, Any]]] = [\n",
                                  "CASES: list[tuple[tuple[Any, ...], dict[str, Any]]] = [\n"
                                  "    ((tensor([[1.0, 2.0]]), tensor([[1.0]])), {}),\n"), encoding="utf-8")
    capsys.readouterr()
    code = run_cli("grade", "--course", str(course), "-a", "torchtask", str(TORCH_SOLUTION), "--out", str(tmp_path / "r"))
    err = capsys.readouterr().err
    assert code == 3 and "reference's `forward_pass` raised RuntimeError" in err


def test_a_moved_boundary_where_both_branches_meet_is_listed_as_equivalent() -> None:
    """np.where(x > 0, x, alpha * x) with >= gives the same at 0 (listed, with its reason);
    np.where(x > 0, 1.0, alpha) does not (1.0 against alpha at 0: left for the checks)."""
    from autograder.scaffold.equivalents import equivalents_text

    cells = [(0, "def leaky_relu(x, alpha=0.01):\n  ### BEGIN SOLUTION\n  return np.where(x > 0, x, alpha * x)\n"
                 "  ### END SOLUTION\n"),
             (1, "def leaky_relu_derivative(x, alpha=0.01):\n  ### BEGIN SOLUTION\n"
                 "  return np.where(x > 0, 1.0, alpha)\n  ### END SOLUTION\n")]
    text = equivalents_text("act", cells, ["leaky_relu", "leaky_relu_derivative"]) or ""
    assert "leaky_relu/compare/" in text and "return np.where(x >= 0, x, alpha * x)" in text
    assert "leaky_relu_derivative/compare/" not in text


def test_a_boundary_branch_is_read_as_arithmetic_never_run(tmp_path: Path) -> None:
    """The branches are walked as arithmetic, not evaluated: a branch that calls anything
    else (here a call that would write a file) is not tried, and its mutant is left for
    the checks; np.exp in a branch still is (ELU meets at 0)."""
    from autograder.scaffold.equivalents import equivalents_text

    marker = tmp_path / "ran"
    cells = [(0, "def f(x, a=1.0):\n  ### BEGIN SOLUTION\n"
                 f"  return np.where(x > 0, x, open({str(marker)!r}, 'w').write('x') * 0 * x)\n"
                 "  ### END SOLUTION\n"),
             (1, "def elu(x, a=1.0):\n  ### BEGIN SOLUTION\n  return np.where(x > 0, x, a * (np.exp(x) - 1))\n"
                 "  ### END SOLUTION\n")]
    text = equivalents_text("e", cells, ["f", "elu"]) or ""
    assert not marker.exists()
    assert "f/compare/" not in text and "elu/compare/" in text


def test_squared_swaps_and_dtype_only_conversions_are_listed_as_equivalent() -> None:
    """(y - y_pred) ** 2 for (y_pred - y) ** 2, and a dtype conversion left out (values
    decide): listed; a swap that changes the value (y_pred - y without the square) not."""
    from autograder.scaffold.equivalents import equivalents_text

    cells = [(0, "def Loss(y_pred, y):\n  ### BEGIN SOLUTION\n  return 0.5 * np.mean((y_pred - y) ** 2)\n"
                 "  ### END SOLUTION\n"),
             (1, "class P:\n  def activate(self, x):\n    ### BEGIN SOLUTION\n"
                 "    return np.array(x > 0, dtype=np.int64)\n    ### END SOLUTION\n"),
             (2, "def err(y_pred, y):\n  ### BEGIN SOLUTION\n  return np.mean(y_pred - y)\n  ### END SOLUTION\n")]
    text = equivalents_text("p", cells, ["Loss", "P.activate", "err"]) or ""
    assert "Loss/swap/" in text and "P.activate/copy/" in text and "P.activate/argument/" in text
    assert "err/swap/" not in text


def test_a_conversion_left_out_of_a_parameter_passed_as_a_list_is_not_equivalent() -> None:
    """`np.asarray(x, dtype=float) > 0` -> `x > 0` leaves out the conversion to an array,
    not only a dtype: on the list the notebook passed (`relu_grad([-1.0, 0.0, 1.0])`, a
    public example and a case) it raises, so verify said "marked equivalent but caught:
    remove it" of an entry `new --from` had just written. `np.asarray(x)` stays listed."""
    from autograder.scaffold.equivalents import equivalents_text

    cells = [(0, "def relu_grad(x):\n  ### BEGIN SOLUTION\n  return np.where(np.asarray(x, dtype=float) > 0, 1.0, 0.0)\n"
                 "  ### END SOLUTION\n")]
    lists = equivalents_text("a", cells, ["relu_grad"], (), {"relu_grad": [{"x": ("list", (3,))}]}) or ""
    assert "relu_grad/copy/" not in lists and "relu_grad/argument/" in lists
    arrays = equivalents_text("a", cells, ["relu_grad"], (), {"relu_grad": [{"x": ("array", (3,))}]}) or ""
    assert "relu_grad/copy/" in arrays and "relu_grad/argument/" in arrays


def test_the_fixtures_are_what_generate_py_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("real_pairs_generate", REAL / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.neuron_pair(tmp_path / "neuron")
    generate.torch_pair(tmp_path / "torch_task")
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(REAL) for p in REAL.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc"))
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (REAL / relative).read_bytes(), relative


def test_a_note_names_a_cell_by_its_code_not_by_its_marker_or_magic() -> None:
    from autograder.scaffold.cells import cell_label

    assert cell_label('### BEGIN SOLUTION\nprint("Ответ: ReLU")\n### END SOLUTION\n') == \
        "the cell 'print(\"Ответ: ReLU\")'"
    assert cell_label("%%time\n### BEGIN SOLUTION\nneuron = NeuronReLU()\n") == "the cell 'neuron = NeuronReLU()'"
    assert cell_label("%%time\n") == "the cell '%%time'"


def test_a_function_called_only_on_large_data_gets_public_examples_from_its_first_rows() -> None:
    """``leaky_relu`` called only on the notebook's 1000-row data: its public example is the
    first rows of that call (at most PUBLIC_SIZE numbers, inline), checked by the reference;
    arrays of different lengths are not cut, and small calls are still preferred."""
    import types

    from autograder.scaffold.cases import PUBLIC_SIZE, cases_from
    from autograder.scaffold.record import Recorded

    reference = types.ModuleType("reference")
    exec("import numpy as np\n"
         "def leaky_relu(x, alpha=0.01):\n    return np.where(x > 0, x, alpha * x)\n"
         "def loss(y, p):\n    return float(np.mean((y - p) ** 2))\n", reference.__dict__)
    data = np.arange(-500.0, 500.0).reshape(1000, 1) / 8
    made = cases_from({"leaky_relu": [Recorded((data,), {}, True)],
                       "loss": [Recorded((np.zeros(1000), np.zeros(999)), {}, True)]},
                      ["leaky_relu", "loss"], reference)
    assert made.public["leaky_relu"] == [f"((np.array({data[:PUBLIC_SIZE].tolist()!r}),), {{}})"]
    assert "[-62.5], [-62.375]" in made.public["leaky_relu"][0]  # the data's own first rows
    assert "loss" not in made.public  # two lengths: nothing is cut
    small = cases_from({"leaky_relu": [Recorded((data,), {}, True), Recorded((np.array([-1.0, 2.0]),), {}, True)]},
                       ["leaky_relu"], reference)
    assert small.public["leaky_relu"] == ["((np.array([-1.0, 2.0]),), {})"], small.public
