"""Training checks for authors (``autograder.checks.training``): each passes a right
answer and fails a realistic wrong one with a message in the course's language."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.checks import CheckFailed, TensorValue
from autograder.checks.training import (
    architecture,
    expect_architecture,
    expect_falling,
    expect_finite,
    expect_gradient,
)
from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session

ROOT = Path(__file__).resolve().parent.parent


def reference(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"ref_{name}", ROOT / "assignments" / name / "reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def failure(call: Any, *args: Any, **kwargs: Any) -> CheckFailed:
    with pytest.raises(CheckFailed) as error:
        call(*args, **kwargs)
    return error.value


def test_a_noisy_falling_curve_passes_and_a_diverging_or_flat_one_fails() -> None:
    rng = np.random.default_rng(0)
    steps = np.arange(200)
    noisy = 2.3 * np.exp(-steps / 40) + 0.1 + 0.03 * rng.normal(size=200)   # mini-batch noise
    assert expect_falling("train(...)", list(noisy)).shape == (200,)
    too_fast = 2.3 * np.exp(-steps / 40) + 0.1
    too_fast[120:] = too_fast[120] * 1.08 ** np.arange(80)   # lr too large: the loss blows up late
    text = failure(expect_falling, "train(...)", list(too_fast)).text
    assert "растут во время обучения" in text.ru and "goes up during training" in text.en
    flat = 2.3 + 0.01 * rng.normal(size=200)   # the model is never updated
    assert "не падают" in failure(expect_falling, "train(...)", flat.tolist()).text.ru
    tensors = [TensorValue(np.array(v, dtype=np.float32), "torch.float32", False) for v in noisy]
    expect_falling("train(...)", tensors)   # loss tensors read as numbers


def test_nan_or_inf_anywhere_is_found_and_named() -> None:
    expect_finite("fit(...)", {"W1": np.ones((2, 2)), "losses": [0.5, 0.4]})
    text = failure(expect_finite, "fit(...)", {"W1": np.ones((2, 2)), "b1": np.array([0.0, np.nan])}).text
    assert "['b1'][1]" in text.en and "nan" in text.en and "конечными" in text.ru
    assert "inf" in failure(expect_finite, "train(...)", [0.7, 0.5, float("inf")]).text.en
    text = failure(expect_finite, "model", {"0.weight": TensorValue(np.array([[1.0, -np.inf]]), "torch.float32", False)}).text
    assert "['0.weight'][0, 1]" in text.en


def test_a_gradient_from_scratch_against_finite_differences() -> None:
    ref = reference("xor_numpy")
    rng = np.random.default_rng(1)
    params = {"W1": rng.normal(size=(2, 3)), "b1": rng.normal(size=3), "W2": rng.normal(size=(3, 1)),
              "b2": rng.normal(size=1)}
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])

    def loss(p: dict[str, np.ndarray]) -> float:
        return float(ref.mse_loss(ref.forward(p, X), y))

    right = ref.backward(params, X, y)
    expect_gradient("backward(params, X, y)", loss, params, right)
    # the usual mistake: the sigmoid's derivative left out at the output
    wrong = dict(right)
    a1 = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    y_hat = ref.forward(params, X)
    wrong["W2"] = a1.T @ (2 * (y_hat - y) / len(X))
    text = failure(expect_gradient, "backward(params, X, y)", loss, params, wrong).text
    assert "['W2']" in text.en and "конечными разностями" in text.ru
    assert "shape" in failure(expect_gradient, "backward", loss, params, {**right, "b1": right["b1"][:2]}).text.en
    assert "keys" in failure(expect_gradient, "backward", loss, params, {"W1": right["W1"]}).text.en


NETWORKS = """
import torch
from torch import nn

right = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10))
softmax = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10), nn.Softmax(dim=1))

class Nested(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(64, 16), nn.ReLU())
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        return self.head(self.body(x))

nested = Nested()
not_a_module = [1, 2]
"""


@pytest.fixture(scope="module")
def networks() -> Any:
    with Jail.start("auto", ["numpy", "torch"]) as jail, Session(jail.spawn, [CodeCell(0, NETWORKS)], Limits()) as session:
        yield session.proxy


def test_an_architecture_is_read_back_as_data(networks: Any) -> None:
    got = architecture(networks, networks.value("right"), "right")
    assert got.types == ["Linear", "ReLU", "Linear"] and got.parameters == 64 * 16 + 16 + 16 * 10 + 10
    assert got.layers[0].shapes == ((16, 64), (16,)) and got.layers[1].shapes == ()
    nested = architecture(networks, networks.value("nested"), "nested")
    assert [(layer.name, layer.type) for layer in nested.layers] == [("body.0", "Linear"), ("body.1", "ReLU"),
                                                                   ("head", "Linear")]
    layers = [("Linear", ((16, 64), (16,))), ("ReLU", ()), ("Linear", ((10, 16), (10,)))]
    expect_architecture(networks, networks.value("right"), "right", layers)
    text = failure(expect_architecture, networks, networks.value("softmax"), "make_model(16)", layers,
                   ("No softmax at the end.", "Без softmax в конце.")).text
    assert "Softmax" in text.en and "Без softmax в конце." in text.ru
    assert "nn.Module" in failure(architecture, networks, networks.value("not_a_module"), "model").text.en
