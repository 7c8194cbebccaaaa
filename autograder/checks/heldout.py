"""A model graded on data the student never saw: a hidden split scored by a metric.

The grader keeps a hidden split (inputs and labels) in the assignment's ``checks/``
folder, which never enters the jail nor the student's notebook. A check sends only the
inputs into the jail, calls the model the notebook trained (or the student's predict
function) on them, gets the predictions back as plain data, and scores them here
against the labels with a registered metric (``autograder.metrics``) in the bands of
``grading_config.yaml``:

    assignments:
      digits:
        questions: {accuracy: 8, ...}
        hidden_data:
          accuracy: {metric: accuracy, full: 0.95, zero: 0.80}

    @check("accuracy", en="...", ru="...")
    def test_accuracy(submission, assignment_config):
        score_hidden(submission, SPLIT, assignment_config.hidden_data["accuracy"], model="model")

The check ends with a share of its points (``Scored``): full at ``full`` or better,
nothing at ``zero`` or worse, linear between; the metric is kept in the result for the
leaderboard. A model that is not trained, or trained on the wrong data, scores by what it
predicts; a notebook that defines no model, or predicts no classes, fails with a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from autograder import metrics
from autograder.causes import cell_trouble
from autograder.checks.api import CheckFailed, Scored, fail
from autograder.checks.compare import show
from autograder.config import HiddenData
from autograder.exceptions import StudentException
from autograder.hints import sentences, with_hint
from autograder.i18n import Text
from autograder.outcomes import Measure
from autograder.sandbox.values import RemoteObject, TensorValue, tensor


@dataclass(frozen=True)
class HiddenSplit:
    """Inputs (what goes into the jail) and labels (what never does)."""

    inputs: np.ndarray
    labels: np.ndarray

    @classmethod
    def load(cls, path: Path) -> HiddenSplit:
        """An ``.npz`` with arrays ``inputs`` and ``labels`` (a trusted file, read without pickle)."""
        with np.load(path, allow_pickle=False) as data:
            return cls(np.asarray(data["inputs"]), np.asarray(data["labels"]))


def predictions(submission: Any, inputs: np.ndarray, *, model: str = "model", predict: str | None = None,
                dtype: str = "float32", classes: bool = True) -> np.ndarray:
    """What the notebook's model says about ``inputs``, as a 1-D NumPy array.

    With ``predict`` the student's function is called as ``predict(model, X)``; without,
    the model itself, ``model(X)``, and rows of scores become the class of the highest
    one (the logits of a classifier) when ``classes``. Only ``inputs`` and the model's
    answers cross.
    """
    if not submission.has(model):
        raise CheckFailed(_with_trouble(Text(
            en="The notebook leaves no `{model}`: train your model at the top level of the notebook and keep "
               "it in the variable `{model}`, as the notebook shows.",
            ru="В блокноте нет переменной `{model}`: обучите модель в блокноте (не внутри функции) и "
               "сохраните её в переменной `{model}`, как показано в задании.").format(model=model),
            trouble(submission, model)))
    trained = submission.value(model)
    X = tensor(np.asarray(inputs), dtype=dtype)
    call = f"{predict}({model}, X_test)" if predict else f"{model}(X_test)"
    try:
        got = submission.call_ex(predict, (trained, X)).value if predict else _call_model(trained, X, model)
    except StudentException as error:
        if error.not_implemented:
            raise  # a stub: the question's cause says which, once
        raise CheckFailed(_unusable(call, error, X, trouble(submission, model))) from None
    return _as_classes(call, got, len(inputs), scores_to_classes=classes)


def trouble(submission: Any, name: str) -> Text | None:
    """What a failed cell that uses ``name`` did (``causes.cell_trouble``): the model was
    not trained, and the band's advice (train longer) would send the student elsewhere."""
    return cell_trouble(name, submission.cells, submission.run)


def _with_trouble(text: Text, trouble: Text | None) -> Text:
    return text if trouble is None else sentences(text, trouble)


def _unusable(call: str, error: StudentException, X: TensorValue, trouble: Text | None) -> Text:
    """The model raised on the hidden inputs (a shape or dtype it was not built for): the
    call as the student can run it, the inputs by their shape, the error and its hint."""
    said = Text(en="`{call}` on the hidden inputs (X_test: {shape}, {dtype}, like the notebook's data) raised "
                   "{exc_type}: {message}",
                ru="`{call}` на скрытых входах (X_test: {shape}, {dtype}, как данные блокнота) выбросила "
                   "{exc_type}: {message}").format(call=call, shape={"X_test.shape": tuple(X.array.shape)},
                                                   dtype=X.dtype.removeprefix("torch."), exc_type=error.exc_type,
                                                   message=error.message)
    return _with_trouble(with_hint(said, error.exc_type, error.message), trouble)


def _call_model(trained: Any, X: Any, name: str) -> Any:
    if not isinstance(trained, RemoteObject):
        raise fail("`{model}` is {got}, not a model: keep the trained network in `{model}`.",
                   "`{model}` — это {got}, а не модель: сохраните обученную сеть в переменной `{model}`.",
                   model=name, got=show(trained, 80))
    return trained(X)


def _as_classes(call: str, got: Any, rows: int, *, scores_to_classes: bool) -> np.ndarray:
    array = got.array if isinstance(got, TensorValue) else got
    try:
        values = np.asarray(array, dtype=float)
    except (TypeError, ValueError):
        values = None
    if values is None or isinstance(array, (RemoteObject, str)) or values.ndim == 0 or len(values) != rows:
        raise fail("`{call}` for {rows} rows returned {got}; expected one answer per row.",
                   "`{call}` для {rows} строк вернула {got}, а нужен один ответ на строку.",
                   call=call, rows=rows, got=show(got, 120))
    if scores_to_classes and values.ndim == 2 and values.shape[1] > 1:
        return values.argmax(axis=1)
    return values.reshape(rows, -1)[:, 0] if values.ndim > 1 else values


def score_hidden(submission: Any, split: HiddenSplit, config: HiddenData, *, model: str | None = None,
                 predict: str | None = None, dtype: str = "float32", classes: bool = True) -> NoReturn:
    """Score the notebook's model (``config.model`` unless named) on ``split`` and end the
    check with its share of points."""
    name = model or config.model
    predicted = predictions(submission, split.inputs, model=name, predict=predict, dtype=dtype, classes=classes)
    ending = scored(predicted, split.labels, config)
    if ending.fraction < 1:  # below full: a failed cell that uses the model says more than "train longer"
        ending = scored(predicted, split.labels, config, trouble(submission, name))
    raise ending


def scored(predicted: np.ndarray, labels: np.ndarray, config: HiddenData, trouble: Text | None = None) -> Scored:
    """The ``Scored`` ending of a check: the metric of ``predicted`` in ``config``'s bands;
    ``trouble`` (what a failed cell did to the model) replaces the advice of a low band."""
    value = metrics.get(config.metric).compute(np.asarray(predicted), np.asarray(labels))
    fraction = config.bands.fraction(value)
    return Scored(fraction, _message(config, value, fraction, len(labels), trouble), Measure(config.metric, value))


def _message(config: HiddenData, value: float, fraction: float, rows: int, trouble: Text | None = None) -> Text:
    fields = {"metric": config.metric, "value": f"{value:.4f}", "full": config.full, "zero": config.zero,
              "rows": rows, "percent": f"{100 * fraction:.1f}"}
    if fraction >= 1:
        return Text(en="{metric} on {rows} hidden examples: {value} (full points from {full}).",
                    ru="{metric} на {rows} скрытых примерах: {value} (полный балл от {full}).").format(**fields)
    band = Text(en="{metric} on {rows} hidden examples: {value}; {percent}% of the points (full from {full}, none "
                   "at {zero} or worse).",
                ru="{metric} на {rows} скрытых примерах: {value}; это {percent}% баллов (полный балл от {full}, "
                   "ноль при {zero} и хуже).").format(**fields)
    advice = trouble if trouble is not None else Text(
        en="Train longer, check the data the model learns from, or change the model.",
        ru="Обучайте дольше, проверьте, на каких данных учится модель, или измените модель.")
    return band + Text.plain(" ") + advice
