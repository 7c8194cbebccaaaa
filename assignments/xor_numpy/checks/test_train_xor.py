"""Hidden checks of `train_xor(params, X, y, lr, epochs)`: step by step against the
reference (losses, then parameters), the caller's dict left alone, and XOR learned."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks import Mistake, check, expect_close, fail, show

LR, EPOCHS = 0.5, 6
TIMEOUT_S = 5.0  # every call here takes well under a second; a loop that never ends costs 5 s, not the limit


def _split(call: str, result: Any, epochs: int) -> tuple[Any, np.ndarray]:
    """(new_params, losses as floats) or a failure that says what the shape of the result is."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise fail("`{call}` must return a pair (new_params, losses); it returned {got}.",
                   "`{call}` должна вернуть пару (new_params, losses), а вернула {got}.",
                   call=call, got=show(result, 120))
    new_params, losses = result
    try:
        values = np.asarray(losses, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise fail("`{call}`: losses must be a list of numbers; got {got}.",
                   "`{call}`: losses должен быть списком чисел, а получено {got}.",
                   call=call, got=show(losses, 120)) from None
    if values.size != epochs:
        raise fail("`{call}` returned {got} losses; expected one per epoch, {want}.",
                   "`{call}` вернула {got} значений потерь, а нужно по одному на эпоху: {want}.",
                   call=call, got=values.size, want=epochs)
    return new_params, values


def _call(submission, params: dict[str, np.ndarray], lr: float, epochs: int) -> Any:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return submission.call_ex("train_xor", (params, X, y, lr, epochs), timeout=TIMEOUT_S).value


def _start(reference, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return reference.init_params(H=3, seed=int(rng.integers(1000)), scale=1.5)


@check("train_xor", en="losses match the reference epoch by epoch",
       ru="потери совпадают с эталоном по эпохам", weight=3)
def test_train_losses(submission, reference, variant, tol, once):
    params = _start(reference, variant.rng)  # one of a pool of starts: `once` trains each once
    X, y = reference.XOR_X, reference.XOR_Y
    call = f"train_xor(params, X, y, lr={LR}, epochs={EPOCHS})"
    _, got = _split(call, _call(submission, params, LR, EPOCHS), EPOCHS)
    _, longer = once("reference, one epoch longer", lambda: reference.train_xor(params, X, y, LR, EPOCHS + 1))
    frozen = reference.mse_loss(reference.forward(params, X), y)
    uphill = once("uphill", lambda: reference.train_xor(params, X, y, -LR, EPOCHS)[1])
    expect_close(call, {"params": params}, got, np.array(longer[:-1]), tol, [
        Mistake(np.array(longer[1:]),
                en="each loss is recorded after the update; record the loss of the current params before changing them.",
                ru="потеря записывается после обновления, а нужно записать потерю текущих параметров до их изменения."),
        Mistake(np.full(EPOCHS, frozen),
                en="the loss never changes: the parameters are not updated between epochs.",
                ru="потеря не меняется: параметры не обновляются между эпохами."),
        Mistake(np.array(uphill),
                en="the loss grows: the step goes along the gradient; use params - lr * gradient.",
                ru="потеря растёт: шаг сделан по градиенту, а нужно params - lr * градиент."),
    ])


@check("train_xor", en="parameters after a few epochs match the reference",
       ru="параметры после нескольких эпох совпадают с эталоном", weight=3)
def test_train_params(submission, reference, variant, tol, expect_params, once):
    params = _start(reference, variant.rng)
    X, y = reference.XOR_X, reference.XOR_Y
    call = f"train_xor(params, X, y, lr={LR}, epochs={EPOCHS})"
    got, _ = _split(call, _call(submission, params, LR, EPOCHS), EPOCHS)
    runs = once("reference runs", lambda: {
        (lr, epochs): reference.train_xor(params, X, y, lr, epochs)[0]
        for lr, epochs in ((LR, EPOCHS), (-LR, EPOCHS), (LR, EPOCHS - 1), (LR, EPOCHS + 1))})
    expect_params(call, {"params": params}, got, runs[LR, EPOCHS], tol, [
        (runs[-LR, EPOCHS],
         "the step goes along the gradient; use params - lr * gradient.",
         "шаг сделан по градиенту, а нужно params - lr * градиент."),
        (runs[LR, EPOCHS - 1],
         "one update too few: make exactly `epochs` updates.",
         "на одно обновление меньше, чем нужно: сделайте ровно `epochs` обновлений."),
        (runs[LR, EPOCHS + 1],
         "one update too many: make exactly `epochs` updates.",
         "на одно обновление больше, чем нужно: сделайте ровно `epochs` обновлений."),
        ({k: np.asarray(v, dtype=float) for k, v in params.items()},
         "the returned parameters are the initial ones: return the updated copy.",
         "возвращены начальные параметры: верните обновлённую копию."),
    ])


@check("train_xor", en="leaves the caller's params unchanged",
       ru="не изменяет переданный словарь params", weight=1.5, kind="form")
def test_train_leaves_params(submission, reference, rng):
    params = _start(reference, rng)
    before = {k: v.copy() for k, v in params.items()}
    result = submission.call_ex("train_xor", (params, reference.XOR_X, reference.XOR_Y, LR, 3),
                                return_args=True, timeout=TIMEOUT_S)
    assert result.args_after is not None
    after = result.args_after[0]
    if not isinstance(after, dict) or not all(
            k in after and np.array_equal(np.asarray(after[k]), before[k]) for k in before):
        raise fail(
            "`train_xor` changed the caller's params (in-place updates like params['W1'] -= ... or "
            "W1 -= ... on the caller's arrays). Start from copies: p = {{k: v.copy() for k, v in params.items()}}.",
            "`train_xor` изменила переданный словарь params (обновления на месте вроде params['W1'] -= ... или "
            "W1 -= ... над массивами вызывающего). Начните с копий: p = {{k: v.copy() for k, v in params.items()}}.")


@check("train_xor", en="learns XOR from a start the reference solves",
       ru="выучивает XOR из начальной точки, где это удаётся эталону", weight=1.5)
def test_train_learns_xor(submission, reference):
    params = reference.init_params(H=4, seed=3)
    X, y = reference.XOR_X, reference.XOR_Y
    call = "train_xor(params, X_xor, y_xor, lr=2.0, epochs=1000)"
    new_params, losses = _split(call, _call(submission, params, 2.0, 1000), 1000)
    if not isinstance(new_params, dict) or not all(k in new_params for k in ("W1", "b1", "W2", "b2")):
        raise fail("`{call}`: new_params must be a dict with keys W1, b1, W2, b2; got {got}.",
                   "`{call}`: new_params должен быть словарём с ключами W1, b1, W2, b2, а получено {got}.",
                   call=call, got=show(new_params, 120))
    try:
        predictions = reference.forward(new_params, X).reshape(-1)
    except (TypeError, ValueError):
        raise fail("`{call}`: the returned parameters have the wrong shapes: {got}.",
                   "`{call}`: у возвращённых параметров неверные формы: {got}.",
                   call=call, got=show(new_params, 120)) from None
    if not reference.solves_xor(new_params) or not losses[-1] < losses[0]:
        raise fail(
            "After `{call}` the network does not solve XOR: outputs {outputs} for targets [0, 1, 1, 0], "
            "losses {first:.4f} -> {last:.4f}. The reference learns XOR from these parameters.",
            "После `{call}` сеть не решает XOR: выходы {outputs} при ответах [0, 1, 1, 0], "
            "потери {first:.4f} -> {last:.4f}. Эталон выучивает XOR из этих параметров.",
            call=call, outputs=np.round(predictions, 3).tolist(), first=losses[0], last=losses[-1])
