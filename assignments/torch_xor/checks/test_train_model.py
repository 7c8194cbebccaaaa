"""Hidden checks of `train_model`: losses and parameters step by step against the
reference (SGD + BCELoss, zero_grad every epoch), the type of the returned losses,
and XOR learned. The network is built in the worker from torch's own layers, so
these checks do not depend on the student's XorNet."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from autograder.checks import Mistake, TensorValue, check, expect_close, fail, show, tensor

EPOCHS, LR = 5, 0.3


def _run(reference, state, epochs: int, lr: float, *, zero_grad: bool = True, optimizer: str = "sgd",
         loss_name: str = "bce") -> tuple[list[float], dict[str, np.ndarray]]:
    """A (possibly wrong) training loop on a reference network: the wrong versions."""
    net = reference.net_from(state)
    opt: torch.optim.Optimizer = (torch.optim.Adam(net.parameters(), lr=lr) if optimizer == "adam"
                                  else torch.optim.SGD(net.parameters(), lr=lr))
    loss_fn = nn.BCELoss() if loss_name == "bce" else nn.MSELoss()
    X, y = torch.from_numpy(reference.XOR_X), torch.from_numpy(reference.XOR_Y)
    losses = []
    for _ in range(epochs):
        if zero_grad:
            opt.zero_grad()
        loss = loss_fn(net(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, reference.state_of(net)


def _variants(reference, state) -> list[tuple[list[float], dict[str, np.ndarray], str, str]]:
    longer, _ = _run(reference, state, EPOCHS + 1, LR)
    return [
        (*_run(reference, state, EPOCHS, LR, zero_grad=False),
         "gradients accumulate from epoch to epoch: call optimizer.zero_grad() at the start of every epoch.",
         "градиенты накапливаются от эпохи к эпохе: вызывайте optimizer.zero_grad() в начале каждой эпохи."),
        (*_run(reference, state, EPOCHS, LR, optimizer="adam"),
         "this is Adam's step; the assignment asks for torch.optim.SGD(model.parameters(), lr=lr).",
         "это шаг Adam, а в задании нужен torch.optim.SGD(model.parameters(), lr=lr)."),
        (*_run(reference, state, EPOCHS, LR, loss_name="mse"),
         "the loss is MSE; use nn.BCELoss() on the sigmoid outputs.",
         "функция потерь MSE, а нужна nn.BCELoss() на выходах сигмоиды."),
        (*_run(reference, state, EPOCHS, 0.5),
         "the learning rate is fixed at 0.5; use the `lr` argument.",
         "скорость обучения зафиксирована равной 0.5, а нужно использовать аргумент `lr`."),
        (longer[1:], _run(reference, state, EPOCHS, LR)[1],
         "each loss is taken after the update (shifted by one epoch); append loss.item() of the forward pass of the same epoch.",
         "потеря берётся после обновления (сдвиг на одну эпоху): добавляйте loss.item() прямого прохода той же эпохи."),
    ]


def _train(submission, net, epochs: int, lr: float) -> Any:
    X, y = tensor(np.array([[0, 0], [0, 1], [1, 0], [1, 1]])), tensor(np.array([[0], [1], [1], [0]]))
    return submission.train_model(net, X, y, epochs=epochs, lr=lr)


CALL = f"train_model(model, X, y, epochs={EPOCHS}, lr={LR})"


@check("train_model", en="losses match the reference epoch by epoch",
       ru="потери совпадают с эталоном по эпохам", weight=1.5)
def test_train_losses(submission, reference, plain_net, values, variant, tol, once):
    state = reference.init_state(hidden=4, seed=int(variant.rng.integers(1000)))  # `once` per variant
    got = values(CALL, _train(submission, plain_net(state), EPOCHS, LR)).reshape(-1)
    expected, _ = once("reference", lambda: _run(reference, state, EPOCHS, LR))
    if got.size != EPOCHS:
        raise fail("`{call}` returned {got} losses; expected one per epoch ({want}).",
                   "`{call}` вернула {got} значений потерь, а нужно по одному на эпоху ({want}).",
                   call=CALL, got=got.size, want=EPOCHS)
    variants = once("wrong loops", lambda: _variants(reference, state))
    expect_close(CALL, "XOR", got, np.array(expected), tol,
                 [Mistake(np.array(losses), en=en, ru=ru) for losses, _, en, ru in variants])


@check("train_model", en="parameters after a few epochs match the reference",
       ru="параметры после нескольких эпох совпадают с эталоном", weight=1.5)
def test_train_parameters(submission, reference, plain_net, state_of_remote, variant, tol, once):
    state = reference.init_state(hidden=4, seed=int(variant.rng.integers(1000)))
    net = plain_net(state)
    _train(submission, net, EPOCHS, LR)
    got = state_of_remote(net)
    _, expected = once("reference", lambda: _run(reference, state, EPOCHS, LR))
    variants = [(s, en, ru) for _, s, en, ru in once("wrong loops", lambda: _variants(reference, state))]
    variants.append((state, "the model's parameters did not change: train the model passed in, in place.",
                     "параметры модели не изменились: обучайте переданную модель на месте."))
    for key in expected:
        expect_close(f"{CALL}: model.{key}", "XOR", got.get(key), expected[key], tol,
                     [Mistake(s[key], en=en, ru=ru) for s, en, ru in variants if key in s])


@check("train_model", en="returns a list of Python floats (loss.item())",
       ru="возвращает список чисел float (loss.item())", kind="form")
def test_train_returns_floats(submission, reference, plain_net):
    got = _train(submission, plain_net(reference.init_state(hidden=4, seed=1)), 3, 0.5)
    if isinstance(got, list) and len(got) == 3 and all(isinstance(v, float) for v in got):
        return
    if isinstance(got, (list, tuple)) and any(isinstance(v, TensorValue) for v in got):
        raise fail("`train_model` returned a list of tensors: append loss.item() (a float), not loss; "
                   "keeping the tensors also keeps every epoch's graph in memory.",
                   "`train_model` вернула список тензоров: добавляйте loss.item() (число float), а не loss; "
                   "тензоры к тому же держат в памяти граф каждой эпохи.")
    raise fail("`train_model(model, X, y, epochs=3)` must return a list of 3 floats (loss.item() per epoch); "
               "it returned {got}.",
               "`train_model(model, X, y, epochs=3)` должна вернуть список из 3 чисел float (loss.item() каждой "
               "эпохи), а вернула {got}.", got=show(got, 120))


@check("train_model", en="learns XOR from a start the reference solves",
       ru="выучивает XOR из начальной точки, где это удаётся эталону")
def test_train_learns_xor(submission, reference, plain_net, state_of_remote):
    net = plain_net(reference.init_state(hidden=4, seed=3))
    _train(submission, net, 200, 1.0)
    out = reference.outputs(state_of_remote(net), reference.XOR_X).reshape(-1)
    if not np.array_equal(out >= 0.5, reference.XOR_Y.reshape(-1) >= 0.5):
        raise fail("After `train_model(model, X, y, epochs=200, lr=1.0)` the network does not solve XOR: "
                   "outputs {out} for targets [0, 1, 1, 0]. The reference learns XOR from the same start.",
                   "После `train_model(model, X, y, epochs=200, lr=1.0)` сеть не решает XOR: выходы {out} "
                   "при ответах [0, 1, 1, 0]. Эталон выучивает XOR из той же начальной точки.",
                   out=np.round(out, 3).tolist())
