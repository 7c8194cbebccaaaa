"""Hidden checks of `predict(model, X)`: the class of the largest logit per row, as an
int64 tensor of shape (n,), computed without tracking gradients."""

from __future__ import annotations

import numpy as np
import torch

from autograder.checks import Mistake, TensorValue, check, expect_close, fail, show, tensor


@check("predict", en="the class of the largest logit of each row", ru="класс самого большого логита в каждой строке",
       weight=2)
def test_predict_classes(submission, reference, plain_net, values, rng, tol):
    state = reference.init_state(hidden=16, seed=int(rng.integers(1000)))
    X = rng.uniform(0, 1, size=(40, 64)).astype(np.float32)
    logits = reference.model_from(state)(torch.from_numpy(X)).detach().numpy()
    got = values("predict(model, X)", submission.predict(plain_net(state), tensor(X)))
    if got.size == 40:
        got = got.reshape(40)
    expect_close("predict(model, X)", {"X.shape": X.shape}, got, logits.argmax(axis=1).astype(float), tol, [
        Mistake(logits.argmax(axis=0), en="argmax is taken over the rows (dim=0); take it over the classes: dim=1.",
                ru="argmax взят по строкам (dim=0), а нужно по классам: dim=1."),
        Mistake(logits.max(axis=1), en="these are the largest logits, not their classes: use argmax(dim=1).",
                ru="это значения самых больших логитов, а не номера классов: используйте argmax(dim=1)."),
        Mistake(logits, en="these are the logits; return the class of the largest one: argmax(dim=1).",
                ru="это логиты, а нужно вернуть номер самого большого: argmax(dim=1)."),
    ])


@check("predict", en="returns an int64 tensor of shape (n,) without gradient tracking",
       ru="возвращает тензор int64 формы (n,) без отслеживания градиентов", kind="form")
def test_predict_type(submission, reference, plain_net):
    got = submission.predict(plain_net(reference.init_state(hidden=8, seed=3)), tensor(np.zeros((5, 64))))
    if not isinstance(got, TensorValue) or got.array.shape != (5,) or got.dtype != "torch.int64" or got.requires_grad:
        raise fail("`predict(model, torch.zeros(5, 64))` must return an int64 tensor of shape (5,) made without "
                   "gradients (`with torch.no_grad():` and `.argmax(dim=1)`); it returned {got}.",
                   "`predict(model, torch.zeros(5, 64))` должна вернуть тензор int64 формы (5,), посчитанный без "
                   "градиентов (`with torch.no_grad():` и `.argmax(dim=1)`), а вернула {got}.",
                   got=(f"tensor(dtype={got.dtype}, shape={got.array.shape}"
                        + (", requires_grad=True)" if got.requires_grad else ")"))
                   if isinstance(got, TensorValue) else show(got, 80))
