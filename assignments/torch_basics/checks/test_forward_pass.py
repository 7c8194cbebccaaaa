"""Hidden checks of `forward_pass(X, w)`: sigmoid(X @ w), a column (n, 1)."""

from __future__ import annotations

import numpy as np
import torch

from autograder.checks import Mistake, check, expect_close, fail, tensor

CALL = "forward_pass(X, w)"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _mistakes(X: np.ndarray, w: np.ndarray) -> list[Mistake]:
    z = X.astype(float) @ w.astype(float)
    return [
        Mistake(z, en="there is no sigmoid: return torch.sigmoid(X @ w), a probability.",
                ru="нет сигмоиды: верните torch.sigmoid(X @ w), вероятность."),
        Mistake(_sigmoid(X.astype(float)) @ w, en="the sigmoid is applied to X before the product; apply it to X @ w.",
                ru="сигмоида применена к X до умножения, а нужно к X @ w."),
        Mistake(np.maximum(z, 0), en="this is ReLU; the neuron uses the sigmoid.",
                ru="это ReLU, а в нейроне сигмоида."),
        Mistake(np.tanh(z), en="this is tanh; the neuron uses the sigmoid.", ru="это tanh, а в нейроне сигмоида."),
    ]


@check("forward_pass", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах",
       weight=2)
def test_forward_values(submission, reference, values, rng, tol):
    for n, m in [(7, 3), (5, 1)]:
        X = (rng.normal(size=(n, m)) * 2).astype(np.float32)
        w = rng.normal(size=(m, 1)).astype(np.float32)
        want = reference.forward_pass(torch.from_numpy(X), torch.from_numpy(w)).double().numpy()
        got = values(CALL, submission.forward_pass(tensor(X), tensor(w)))
        if got.size == want.size:  # the shape has its own check
            got = got.reshape(want.shape)
        expect_close(CALL, {"X.shape": X.shape, "w.shape": w.shape}, got, want, tol, _mistakes(X, w))


@check("forward_pass", en="returns a column (n, 1)", ru="возвращает столбец (n, 1)", kind="form")
def test_forward_shape(submission, values, fixed_rng):
    X = fixed_rng.normal(size=(4, 2)).astype(np.float32)
    w = fixed_rng.normal(size=(2, 1)).astype(np.float32)
    got = values(CALL, submission.forward_pass(tensor(X), tensor(w)))
    if got.shape != (4, 1):
        raise fail("`{call}` for X (4, 2) and w (2, 1) returned shape {got}; expected the column (4, 1) "
                   "of X @ w (do not squeeze or transpose).",
                   "`{call}` для X (4, 2) и w (2, 1) вернула форму {got}, а нужен столбец (4, 1), как у X @ w "
                   "(не делайте squeeze и не транспонируйте).", call=CALL, got=got.shape)
