"""Hidden checks of `train(model, X, y, epochs=30, lr=0.1, batch_size=64)`.

Shuffled mini-batches make a run random, so the checks choose inputs where the order
cannot matter: one batch per epoch (batch_size = n: full-batch gradient descent, step
by step against the reference), and a batch of one repeated image (every shuffle gives
the same batches: the number of steps per epoch and the mean of their losses show).
Then behaviour: from a fixed start on the digits, the loss curve falls and the model
learns."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from autograder.checks import Mistake, TensorValue, check, expect_close, fail, show, tensor
from autograder.checks.training import expect_falling, expect_finite


def _run(reference, state, X, y, epochs, lr, batch_size, *, zero_grad=True, optimizer="sgd", record="mean",
         softmax=False):
    """The reference's loop, or a usual wrong one, without shuffling (the inputs make order irrelevant)."""
    model = reference.model_from(state)
    opt = (torch.optim.Adam if optimizer == "adam" else torch.optim.SGD)(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    history = []
    for _ in range(epochs):
        losses = []
        for start in range(0, len(X), batch_size):
            if zero_grad:
                opt.zero_grad()
            out = model(Xt[start:start + batch_size])
            loss = loss_fn(torch.softmax(out, dim=1) if softmax else out, yt[start:start + batch_size])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        history.append({"mean": np.mean(losses), "last": losses[-1], "sum": np.sum(losses)}[record])
    return history, reference.state_of(model)


WRONG = [
    ({"zero_grad": False}, "the gradients are never zeroed: call optimizer.zero_grad() before every batch's backward.",
     "градиенты не обнуляются: вызывайте optimizer.zero_grad() перед backward каждого батча."),
    ({"optimizer": "adam"}, "this is Adam's step; use torch.optim.SGD(model.parameters(), lr=lr).",
     "это шаг Adam, а нужен torch.optim.SGD(model.parameters(), lr=lr)."),
    # CrossEntropyLoss takes logits: a softmax before it still learns, slowly and worse
    ({"softmax": True}, "the loss is taken on softmax outputs; nn.CrossEntropyLoss applies log-softmax itself, "
     "so pass it the model's raw outputs (logits).",
     "потеря посчитана по выходам softmax, а nn.CrossEntropyLoss сама применяет log-softmax: передавайте ей "
     "сырые выходы модели (логиты)."),
    ({"record": "last"}, "each epoch's value is the last batch's loss; return the mean of the epoch's batch losses.",
     "для эпохи записана потеря последнего батча, а нужно среднее потерь всех батчей эпохи."),
    ({"record": "sum"}, "each epoch's value is the sum of its batch losses; return their mean.",
     "для эпохи записана сумма потерь батчей, а нужно их среднее."),
]


def _mistakes(reference, state, X, y, epochs, lr, batch_size, index):
    found = []
    for change, en, ru in WRONG:
        run = _run(reference, state, X, y, epochs, lr, batch_size, **change)
        found.append(Mistake(np.asarray(run[0]) if index == 0 else run[1], en=en, ru=ru))
    if index == 0:
        found.append(Mistake(np.asarray(_run(reference, state, X, y, epochs, 0.1, batch_size)[0]),
                             en="the learning rate is fixed at 0.1; use the `lr` argument.",
                             ru="скорость обучения зафиксирована равной 0.1, а нужно использовать аргумент `lr`."))
    return found


def _losses(call, got, epochs, values):
    array = values(call, got).reshape(-1)
    if array.size != epochs:
        raise fail("`{call}` returned {got} values; expected one per epoch ({want}).",
                   "`{call}` вернула {got} значений, а нужно по одному на эпоху ({want}).",
                   call=call, got=array.size, want=epochs)
    return array


@check("train", en="one batch per epoch: losses and parameters match the reference step by step",
       ru="один батч на эпоху: потери и параметры совпадают с эталоном по шагам", weight=2)
def test_train_full_batch(submission, reference, plain_net, state_of_remote, values, digits, variant, tol, once):
    X, y = digits[0][:100], digits[1][:100]
    state = reference.init_state(hidden=16, seed=int(variant.rng.integers(1000)))
    epochs, lr = 4, 0.5
    call = f"train(model, X[:100], y[:100], epochs={epochs}, lr={lr}, batch_size=100)"
    net = plain_net(state)
    got = _losses(call, submission.train(net, tensor(X), tensor(y, dtype="int64"), epochs=epochs, lr=lr,
                                         batch_size=100), epochs, values)
    want, want_state = once("reference", lambda: _run(reference, state, X, y, epochs, lr, 100))
    expect_close(call, {"X.shape": X.shape, "y.shape": y.shape}, got, np.asarray(want), tol,
                 once("wrong losses", lambda: _mistakes(reference, state, X, y, epochs, lr, 100, 0)))
    after = state_of_remote(net)
    wrong = once("wrong states", lambda: _mistakes(reference, state, X, y, epochs, lr, 100, 1))
    for key, value in want_state.items():
        expect_close(f"{call}: model.{key}", {"X.shape": X.shape, "y.shape": y.shape}, after.get(key), value, tol,
                     [Mistake(m.value[key], en=m.en, ru=m.ru) for m in wrong]
                     + [Mistake(state[key], en="the model did not change: train the model passed in, in place.",
                                ru="модель не изменилась: обучайте переданную модель на месте.")])


@check("train", en="mini-batches of batch_size rows, and the mean loss of each epoch",
       ru="мини-батчи по batch_size строк и средняя потеря каждой эпохи")
def test_train_mini_batches(submission, reference, plain_net, state_of_remote, values, digits, tol, once):
    X = np.repeat(digits[0][:1], 64, axis=0)  # one image 64 times: every shuffle gives the same batches
    y = np.repeat(digits[1][:1], 64)
    state = reference.init_state(hidden=8, seed=5)
    call = "train(model, X[:1].repeat(64, 1), y[:1].repeat(64), epochs=2, lr=0.1, batch_size=16)"
    net = plain_net(state)
    got = _losses(call, submission.train(net, tensor(X), tensor(y, dtype="int64"), epochs=2, lr=0.1,
                                         batch_size=16), 2, values)
    want, want_state = once("reference", lambda: _run(reference, state, X, y, 2, 0.1, 16))
    one_step, _ = once("one batch", lambda: _run(reference, state, X, y, 2, 0.1, 64))
    hints = [Mistake(np.asarray(one_step), en="each epoch makes one step on the whole data: split it into "
                     "mini-batches of batch_size rows (4 steps per epoch here).",
                     ru="за эпоху делается один шаг по всем данным, а нужно разбить их на мини-батчи по batch_size "
                        "строк (здесь 4 шага за эпоху).")]
    for change, en, ru in WRONG[2:]:
        hints.append(Mistake(np.asarray(once(en, lambda: _run(reference, state, X, y, 2, 0.1, 16, **change))[0]),
                             en=en, ru=ru))
    expect_close(call, {"X.shape": X.shape, "y.shape": y.shape}, got, np.asarray(want), tol, hints)
    after = state_of_remote(net)
    for key, value in want_state.items():
        expect_close(f"{call}: model.{key}", {"X.shape": X.shape, "y.shape": y.shape}, after.get(key), value, tol)


@check("train", en="returns a list of Python floats, one per epoch", ru="возвращает список чисел float, по одному на эпоху",
       kind="form")
def test_train_returns_floats(submission, reference, plain_net, digits):
    got = submission.train(plain_net(reference.init_state(hidden=8, seed=1)), tensor(digits[0][:32]),
                           tensor(digits[1][:32], dtype="int64"), epochs=3, lr=0.1, batch_size=16)
    if isinstance(got, list) and len(got) == 3 and all(isinstance(v, float) for v in got):
        return
    if isinstance(got, (list, tuple)) and any(isinstance(v, TensorValue) for v in got):
        raise fail("`train` returned tensors: record loss.item() (a float), not loss.",
                   "`train` вернула тензоры: записывайте loss.item() (число float), а не loss.")
    raise fail("`train(model, X, y, epochs=3)` must return a list of 3 floats; it returned {got}.",
               "`train(model, X, y, epochs=3)` должна вернуть список из 3 чисел float, а вернула {got}.",
               got=show(got, 120))


@check("train", en="on the digits the loss falls and the model learns",
       ru="на цифрах потери падают и модель обучается")
def test_train_learns(submission, reference, plain_net, state_of_remote, digits):
    X, y = digits[0][:600], digits[1][:600]
    net = plain_net(reference.init_state(hidden=32, seed=11))
    call = "train(model, X[:600], y[:600], epochs=20, lr=0.2)"  # a correct train: 95-98% on any shuffle
    losses = expect_falling(call, submission.train(net, tensor(X), tensor(y, dtype="int64"), epochs=20, lr=0.2),
                            min_drop=0.5)
    state = state_of_remote(net)
    expect_finite(call + ": model", state)
    accuracy = float((reference.predict(reference.model_from(state), torch.from_numpy(X)).numpy() == y).mean())
    if accuracy < 0.9:
        raise fail("After `{call}` the model classifies {got:.0%} of its own training digits (the reference: over "
                   "95%); losses {losses}.",
                   "После `{call}` модель верно классифицирует {got:.0%} своих же обучающих цифр (эталон — больше "
                   "95%); потери {losses}.", call=call, got=accuracy, losses=np.round(losses, 3).tolist())
