"""A model graded on hidden data (``autograder.checks.heldout``): metrics and bands, the
config that sets them, a share of points in the result, and what crosses into the jail.

The end-to-end story (a notebook trains, the grader scores it on digits it never saw, a
notebook that searches for the labels finds nothing) is in ``tests/test_digits.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder import metrics
from autograder.checks import Scored
from autograder.checks.api import CheckFailed
from autograder.checks.heldout import HiddenSplit, predictions, score_hidden, scored
from autograder.checks.suite import outcome_of
from autograder.config import HiddenData, load_settings
from autograder.exceptions import ConfigError, student_exception
from autograder.i18n import Text
from autograder.notebook import CodeCell
from autograder.outcomes import CheckSpec
from autograder.results import CheckResult
from autograder.sandbox.report import CellOutcome, RunReport
from autograder.sandbox.values import RemoteObject, TensorValue
from autograder.scoring import score_questions

BANDS = HiddenData(metric="accuracy", full=0.95, zero=0.80)


def test_bands_are_full_at_or_above_full_nothing_under_zero_and_linear_between() -> None:
    bands = BANDS.bands
    assert [bands.fraction(v) for v in (1.0, 0.95, 0.875, 0.80, 0.5)] == pytest.approx([1, 1, 0.5, 0, 0])
    assert bands.fraction(float("nan")) == 0.0
    lower = HiddenData(metric="mse", full=0.1, zero=0.5).bands   # lower is better
    assert [lower.fraction(v) for v in (0.05, 0.1, 0.3, 0.5, 2.0)] == pytest.approx([1, 1, 0.5, 0, 0])


def test_metrics_are_a_registry() -> None:
    labels = np.array([0, 1, 2, 2])
    assert metrics.get("accuracy").compute(np.array([0, 1, 2, 0]), labels) == 0.75
    assert metrics.get("macro_f1").compute(labels, labels) == 1.0
    assert metrics.get("mse").compute(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == 2.0

    @metrics.register("top_class_share")
    def share(predicted: np.ndarray, labels: np.ndarray) -> float:
        return float(np.mean(predicted == 2))

    try:
        assert HiddenData(metric="top_class_share", full=0.9, zero=0.1).metric == "top_class_share"
    finally:
        del metrics.METRICS["top_class_share"]
    with pytest.raises(KeyError, match="unknown metric 'f2'"):
        metrics.get("f2")


@pytest.mark.parametrize(("section", "fragment"), [
    ("hidden_data: {accuracy: {metric: f2, full: 0.9, zero: 0.5}}", "unknown metric 'f2'"),
    ("hidden_data: {accuracy: {full: 0.5, zero: 0.9}}", "`full` must be above `zero`"),
    ("hidden_data: {accuracy: {metric: mse, full: 0.9, zero: 0.1}}", "`full` must be below `zero`"),
    ("hidden_data: {acuracy: {full: 0.9, zero: 0.5}}", "hidden_data names 'acuracy'"),
    ("hidden_data: {accuracy: {full: 0.9}}", "zero"),
    ("hidden_data: {accuracy: {full: 0.9, zero: 0.5}}\n    leaderboard: {question: fit}", "leaderboard.question 'fit'"),
    ("leaderboard: {question: accuracy, names: maybe}", "leaderboard"),
])
def test_bad_hidden_data_config_names_file_and_key(tmp_path: Path, section: str, fragment: str) -> None:
    path = tmp_path / "grading_config.yaml"
    path.write_text(f"assignments:\n  a:\n    questions: {{fit: 1, accuracy: 4}}\n    {section}\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(path) in str(error.value) and "assignments.a" in str(error.value)
    assert fragment in str(error.value)


SPEC = CheckSpec("accuracy", Text(en="scores on hidden data", ru="оценка на скрытых данных"), 1.0)


def test_a_scored_check_earns_its_share_and_keeps_the_metric_in_the_result() -> None:
    labels = np.array([0, 1, 2, 3] * 10)
    predicted = labels.copy()
    predicted[:5] = 9  # 35 of 40 right: 0.875, halfway between the bands
    ending = scored(predicted, labels, BANDS)
    outcome = outcome_of(SPEC, ending)
    assert not outcome.passed and outcome.fraction == pytest.approx(0.5)   # passed only at full credit
    (question,) = score_questions({"accuracy": 8.0}, [outcome], "ru")
    assert question.score == pytest.approx(4.0)
    check = question.checks[0]
    assert check.metric == {"name": "accuracy", "value": 0.875}
    assert "accuracy на 40 скрытых примерах: 0.8750; это 50.0% баллов" in check.message
    assert CheckResult.from_json(check.to_json()) == check
    assert "metric" not in CheckResult("x", True, 1.0, 1.0).to_json()  # only when measured


def test_under_the_lower_band_nothing_and_the_check_fails() -> None:
    labels = np.arange(10) % 10
    outcome = outcome_of(SPEC, scored((labels + 1) % 10, labels, BANDS))
    assert not outcome.passed and outcome.fraction == 0.0
    (question,) = score_questions({"accuracy": 8.0}, [outcome], "en")
    assert question.score == 0.0 and question.checks[0].metric == {"name": "accuracy", "value": 0.0}


def test_scored_is_a_check_failure_to_a_runner_that_does_not_know_it() -> None:
    assert isinstance(scored(np.zeros(3), np.zeros(3), BANDS), CheckFailed)  # fails closed


class Recording:
    """A stand-in for the ``submission`` proxy that records everything sent to the jail."""

    def __init__(self, answer: Any, names: tuple[str, ...] = ("model",), cells: tuple[CodeCell, ...] = (),
                 run: RunReport = RunReport((), 0.0, False)) -> None:
        self.answer, self.names, self.sent = answer, names, []
        self.cells, self.run = cells, run  # the notebook's cells and how they ran, as SubmissionProxy has them

    def has(self, name: str) -> bool:
        return name in self.names

    def value(self, name: str) -> Any:
        return RemoteObject.__new__(RemoteObject)

    def call_ex(self, target: str, args: tuple[Any, ...] = (), kwargs: Any = None, **_: Any) -> Any:
        self.sent.append(args)
        return type("Result", (), {"value": self.answer(args[1])})()


def test_only_the_inputs_cross_and_the_labels_never_do(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(50, 4)).astype(np.float32)
    labels = (inputs[:, 0] > 0).astype(np.int64)
    np.savez(tmp_path / "split.npz", inputs=inputs, labels=labels)
    split = HiddenSplit.load(tmp_path / "split.npz")
    submission = Recording(lambda X: TensorValue(np.asarray(X.array)[:, :1] > 0, "torch.bool", False))
    with pytest.raises(Scored) as ending:
        score_hidden(submission, split, BANDS, predict="predict")
    assert ending.value.fraction == 1.0 and ending.value.measure is not None
    (args,) = submission.sent
    sent = [a.array for a in args if isinstance(a, TensorValue)]
    assert len(sent) == 1 and np.array_equal(sent[0], inputs)
    assert not any(np.array_equal(np.asarray(a).reshape(-1), labels) for a in sent)


def test_a_model_that_gives_logits_is_read_as_classes_and_a_wrong_answer_fails() -> None:
    logits = np.eye(3)[[2, 0, 1]] * 5.0
    assert predictions_of(TensorValue(logits.astype(np.float32), "torch.float32", True)).tolist() == [2, 0, 1]
    with pytest.raises(CheckFailed, match="one answer per row"):
        predictions_of(TensorValue(np.zeros(2), "torch.float32", False))
    with pytest.raises(CheckFailed, match="no `model`"):
        predictions(Recording(lambda X: None, names=()), np.zeros((3, 2)))


def predictions_of(answer: Any) -> np.ndarray:
    return predictions(Recording(lambda X: answer), np.zeros((3, 2)), predict="predict")


TRAINED = (CodeCell(1, "import torch"), CodeCell(2, "X = torch.tensor(X_train)"),
           CodeCell(3, "model = make_model(64)\nlosses = train(model, X, y)"))


def failed_run(status: str, exc_type: str = "", message: str = "") -> RunReport:
    return RunReport((CellOutcome(1, "ok"), CellOutcome(2, "ok"), CellOutcome(3, status, exc_type, message)), 1.0, False)


@pytest.mark.parametrize(("run", "says"), [
    (failed_run("error", "RuntimeError", "mat1 and mat2 must have the same dtype, but got Double and Float"),
     "Cell 4, which uses `model`, raised RuntimeError: mat1 and mat2 must have the same dtype, but got Double and "
     "Float. Your tensors mix float64"),
    (failed_run("timeout"), "Cell 4, which uses `model`, was stopped at its time limit"),
])
def test_a_model_whose_training_cell_failed_is_told_so_not_to_train_longer(run: RunReport, says: str) -> None:
    """The training cell raised (a float64 input, a shape error): the model is scored as it
    is, untrained, and the message points to that cell and its error instead of advice on
    training; the share of points is the band's, as before."""
    submission = Recording(lambda X: TensorValue(np.zeros((3, 2), dtype=np.float32), "torch.float32", False),
                           cells=TRAINED, run=run)
    split = HiddenSplit(np.zeros((3, 2), dtype=np.float32), np.array([1, 1, 1]))
    with pytest.raises(Scored) as ending:
        score_hidden(submission, split, BANDS, predict="predict")
    text = ending.value.text.en
    assert ending.value.fraction == 0.0 and says in text and "Train longer" not in text, text
    assert "and run all cells." in text and "выполните все ячейки." in ending.value.text.ru
    calm = Recording(submission.answer, cells=TRAINED, run=failed_run("ok"))
    with pytest.raises(Scored) as ending:
        score_hidden(calm, split, BANDS, predict="predict")
    assert "Train longer" in ending.value.text.en  # no cell failed: the band's own advice


def test_a_model_that_raises_on_the_hidden_inputs_shows_the_call_its_inputs_and_the_failed_cell() -> None:
    def raising(X: Any) -> Any:
        raise student_exception("Sequential(tensor(shape=(3, 2)))", "RuntimeError",
                                "mat1 and mat2 shapes cannot be multiplied (3x2 and 784x64)")

    run = failed_run("error", "RuntimeError", "mat1 and mat2 shapes cannot be multiplied (64x64 and 784x64)")
    with pytest.raises(CheckFailed) as failure:
        predictions(Recording(raising, cells=TRAINED, run=run), np.zeros((3, 2)), predict="predict")
    assert failure.value.text.en.startswith(
        "`predict(model, X_test)` on the hidden inputs (X_test: {'X_test.shape': (3, 2)}, float32, like the "
        "notebook's data) raised RuntimeError: mat1 and mat2 shapes cannot be multiplied (3x2 and 784x64). "
        "Cell 4, which uses `model`, raised RuntimeError"), failure.value.text.en
