"""verify grades mutants without the cells no check depends on (training runs,
printed answers, plots), and leaves out optional questions and top-level code."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.verify.slim import check_names, kept_cells

CELLS = [
    "import numpy as np\nimport pandas as pd",
    'data = pd.read_csv("./data/apples_pears.csv")',
    "X = data.iloc[:, :2].values\ny = data['target'].values",
    "def Loss(y_pred, y):\n  return np.mean((y_pred - y) ** 2)",
    "class Neuron:\n  def fit(self, X, y):\n    return Loss(X, y)",
    "%%time\nneuron = Neuron()\nlosses = neuron.fit(X, y)",
    'print("Ответ: ReLU")',
    "np.random.seed(0)",
]


def test_training_cells_no_check_reads_are_dropped_and_what_feeds_a_needed_name_kept() -> None:
    assert kept_cells(CELLS, {"Neuron", "np"}) == [True, False, False, True, True, False, False, True]
    # a check that reads X (submission.value("X")) keeps X's cell and the data it is made from
    assert kept_cells(CELLS, {"Neuron", "X"}) == [True, True, True, True, True, False, False, False]
    assert kept_cells(["def f(:\n  pass", "x = 1"], set()) == [True, False]  # unreadable: kept


def test_a_demo_object_built_with_a_module_function_does_not_keep_the_training_it_rebinds() -> None:
    """``neuron = Neuron(np.array(...))`` calls ``np.array`` for its value: it does not
    change ``np`` (which the checks use), so neither that cell nor the fit of the
    ``neuron`` it rebinds is kept; a module's function called for its effect is."""
    demo = [*CELLS[:6], "neuron = Neuron(np.array([[0.5], [-0.25]]))\nprint(neuron.fit(X[:3], y[:3]))",
            "plt.plot(losses)"]
    assert kept_cells(demo, {"Neuron", "np"}) == [True, False, False, True, True, False, False, False]
    assert kept_cells([*demo, "torch.set_default_dtype(torch.float64)", "import torch"], {"Neuron", "torch"}) \
        == [True, False, False, True, True, False, False, False, True, True]
    # an object that is not a module, its method called for its value: may change, kept
    assert kept_cells(["import numpy as np", "scaler = Scaler()", "Z = scaler.fit_transform(np.ones(3))"],
                      {"scaler"}) == [True, True, True]


def test_the_setup_cell_stays_only_for_a_kept_cell_that_calls_check() -> None:
    """The cell ``assign`` writes defines ``check``: hidden checks never use it (``check``
    is in every check file all the same), a student's cell that calls it may."""
    setup = 'import json as _json\ncheck, check_all = _load("...")\ndel _json'
    cells = [setup, *CELLS[:5], 'check("Neuron")']
    assert kept_cells(cells, {"Neuron", "np", "check"}, setup=[0]) == [False, True, False, False, True, True, False]
    cells[-1] = 'check("Neuron")\nX_small = X[:3]'  # kept: it binds a name the checks read
    assert kept_cells(cells, {"Neuron", "X_small"}, setup=[0]) == [True, True, True, True, True, True, True]
    assert kept_cells(cells, {"Neuron", "X_small"})[0]  # not said to be the setup cell: it defines, kept


def test_check_names_are_every_identifier_and_string_word_of_the_checks(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text('def test(submission):\n    submission.call_ex("model", [])\n'
                                        "    # a comment about losses\n")
    names = check_names(tmp_path)
    assert {"submission", "call_ex", "model"} <= names and "losses" not in names


def test_an_optional_question_must_be_a_question_worth_no_points() -> None:
    from autograder.config import AssignmentConfig

    assert AssignmentConfig(questions={"relu": 1, "elu": 0}, optional=["elu"]).optional == ["elu"]
    with pytest.raises(ValueError, match="'gelu' is not one of the questions"):
        AssignmentConfig(questions={"relu": 1}, optional=["gelu"])
    with pytest.raises(ValueError, match="worth 1 points"):
        AssignmentConfig(questions={"relu": 1, "elu": 1}, optional=["elu"])


def test_the_notebook_says_which_part_is_optional() -> None:
    from autograder.scaffold.optional import optional_questions
    from autograder.scaffold.cells import MasterCell

    cells = [MasterCell("markdown", "# Нейрон"), MasterCell("markdown", "## ReLU"),
             MasterCell("code", "def relu(x):\n  return x"),
             MasterCell("markdown", "## ELU (необязательно, не оценивается)"),
             MasterCell("code", "def elu(x):\n  return x\n\nclass NeuronELU:\n  pass"),
             MasterCell("markdown", "### Графики"), MasterCell("code", "def plot_elu(x):\n  pass"),
             MasterCell("markdown", '<h2 style="text-align: center;">Выводы</h2>'),
             MasterCell("code", "def summary():\n  pass")]
    questions = ["relu", "elu", "NeuronELU.forward_pass", "plot_elu", "summary"]
    assert optional_questions(cells, questions) == ["elu", "NeuronELU.forward_pass", "plot_elu"]


def test_mutants_of_top_level_code_and_optional_questions_are_not_made() -> None:
    from autograder.verify.mutate import Mutant
    from autograder.verify.run import graded_part

    def mutant(scope: str) -> Mutant:
        return Mutant(id=f"{scope}/x/1", operator="x", scope=scope, cell=0, source="", diff="", change="")

    questions = ["relu", "elu", "NeuronELU.forward_pass"]
    assert graded_part(mutant("relu"), questions, {"elu"})
    assert not graded_part(mutant("elu"), questions, {"elu"})
    assert not graded_part(mutant("<cell 7>"), questions, set())


def test_a_stub_whose_cause_says_not_implemented_needs_no_note() -> None:
    from types import SimpleNamespace

    from autograder.results import CheckResult, QuestionResult
    from autograder.verify.run import _stub_problems

    check = CheckResult(name="совпадает с эталоном", passed=False, score=0.0, max_score=1.0, visibility="hidden",
                        message="Не проверено: `relu` не удалось вызвать (причина указана один раз).")
    said = QuestionResult("relu", (check,), 1.0, "`relu` ещё не реализована: ... NotImplementedError ...")
    silent = QuestionResult("elu", (check,), 1.0, "Имя `elu` не определено.")
    problems, notes = _stub_problems(SimpleNamespace(questions=(said, silent)))  # type: ignore[arg-type]
    assert problems == [] and [n.question for n in notes] == ["elu"]
