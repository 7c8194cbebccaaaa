"""Hidden checks of `train_linear(x, y, lr, steps)`: gradient descent by hand on autograd's
gradients, compared step by step with the reference (losses, final w and b), the types
returned, the defaults, and the usual mistakes: gradients never zeroed, the update
tracked by autograd (outside torch.no_grad), w and b created without requires_grad, the
loss after the step."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.checks import Mistake, check, expect_close, fail, show, tensor
from autograder.exceptions import StudentException


def _run(x: np.ndarray, y: np.ndarray, lr: float, steps: int, *, zero: bool = True, after: bool = False,
         reduce: str = "mean") -> tuple[float, float, list[float]]:
    """The loop with one of the usual mistakes, for the hints."""
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    losses = []
    for _ in range(steps):
        err = (w * xt + b - yt) ** 2
        loss = err.mean() if reduce == "mean" else err.sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            if after:
                loss = torch.mean((w * xt + b - yt) ** 2)
        if zero:
            w.grad.zero_()
            b.grad.zero_()
        losses.append(loss.item())
    return w.item(), b.item(), losses


WRONG = {
    "no_zero": ("the gradients are never zeroed, so they add up from step to step: call w.grad.zero_() and "
                "b.grad.zero_() after each update.",
                "градиенты не обнуляются и копятся от шага к шагу: вызывайте w.grad.zero_() и b.grad.zero_() "
                "после каждого обновления."),
    "after": ("each loss is taken after the update; record loss.item() of the step's own forward pass.",
              "потеря записана после обновления, а нужна loss.item() прямого прохода того же шага."),
    "sum": ("the loss is the sum of the squared errors; take their mean: torch.mean((y_pred - y) ** 2).",
            "потеря — сумма квадратов ошибок, а нужно их среднее: torch.mean((y_pred - y) ** 2)."),
}
TRACKED = ("Hint: the update is tracked by autograd. Make it inside `with torch.no_grad():` "
           "(w -= lr * w.grad), so w stays a leaf tensor with its own .grad.",
           "Подсказка: обновление отслеживается autograd. Делайте его внутри `with torch.no_grad():` "
           "(w -= lr * w.grad), чтобы w остался листовым тензором со своим .grad.")
NO_GRAD = ("Hint: the very first loss.backward() fails, so autograd tracks neither w nor b: create them with "
           "torch.zeros(1, requires_grad=True).",
           "Подсказка: уже первый loss.backward() падает — autograd не следит ни за w, ни за b: создавайте их как "
           "torch.zeros(1, requires_grad=True).")


def _call(submission: Any, x: np.ndarray, y: np.ndarray, **kwargs: Any) -> Any:
    """The student's train_linear; an error that comes from an update autograd tracked, or
    from w and b that autograd never tracked, gets a hint saying which."""
    try:
        return submission.train_linear(tensor(x), tensor(y), **kwargs)
    except StudentException as error:
        text = f"{error.exc_type}: {error.message}"
        if ("leaf Variable" in text or "NoneType" in text or "does not require grad" in text
                or "backward through the graph a second time" in text):
            hint = NO_GRAD if _untracked(submission, x, y, text) else TRACKED
            raise fail("`train_linear` raised {error}\n" + hint[0], "`train_linear` упала с ошибкой {error}\n"
                       + hint[1], error=text[:200]) from None
        raise


def _untracked(submission: Any, x: np.ndarray, y: np.ndarray, text: str) -> bool:
    """Whether "does not require grad" comes from w and b made without requires_grad rather
    than from an update that replaced them: the message is the same, but only the former
    fails already in a single step (an update that replaces w breaks the step after it)."""
    if "does not require grad" not in text:
        return False
    try:
        submission.train_linear(tensor(x), tensor(y), lr=0.05, steps=1)
    except StudentException as error:
        return "does not require grad" in error.message
    return False


def _parts(call: str, got: Any, steps: int) -> tuple[float, float, np.ndarray]:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise fail("`{call}` must return the tuple (w.item(), b.item(), losses); it returned {got}.",
                   "`{call}` должна вернуть кортеж (w.item(), b.item(), losses), а вернула {got}.",
                   call=call, got=show(got, 120))
    w, b, losses = got
    try:
        arrays = [np.asarray(getattr(v, "array", v), dtype=float) for v in (w, b)]
        loss_values = np.asarray([np.asarray(getattr(v, "array", v), dtype=float).reshape(()) for v in losses])
    except (TypeError, ValueError):
        raise fail("`{call}` returned {got}; expected numbers: (w.item(), b.item(), [loss.item(), ...]).",
                   "`{call}` вернула {got}, а ожидались числа: (w.item(), b.item(), [loss.item(), ...]).",
                   call=call, got=show(got, 120)) from None
    if loss_values.size != steps:
        raise fail("`{call}` returned {got} losses; expected one per step ({want}).",
                   "`{call}` вернула {got} значений потерь, а нужно по одному на шаг ({want}).",
                   call=call, got=loss_values.size, want=steps)
    return float(arrays[0].reshape(-1)[0]), float(arrays[1].reshape(-1)[0]), loss_values


def _data(rng: np.random.Generator, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    slope, intercept = rng.uniform(-3, 3), rng.uniform(-2, 2)
    x = rng.uniform(-1, 2, size=n).astype(np.float32)
    y = (slope * x + intercept + 0.1 * rng.normal(size=n)).astype(np.float32)
    return x, y


def _mistakes(x: np.ndarray, y: np.ndarray, lr: float, steps: int, index: int) -> list[Mistake]:
    runs = {"no_zero": _run(x, y, lr, steps, zero=False), "after": _run(x, y, lr, steps, after=True),
            "sum": _run(x, y, lr, steps, reduce="sum")}
    return [Mistake(np.asarray(runs[k][index], dtype=float), en=WRONG[k][0], ru=WRONG[k][1]) for k in runs]


@check("train_linear", en="losses match the reference step by step", ru="потери совпадают с эталоном по шагам",
       weight=2)
def test_train_losses(submission, reference, rng, tol):
    x, y = _data(rng)
    lr, steps = 0.05, 6
    call = f"train_linear(x, y, lr={lr}, steps={steps})"
    _, _, got = _parts(call, _call(submission, x, y, lr=lr, steps=steps), steps)
    want = reference.train_linear(torch.from_numpy(x), torch.from_numpy(y), lr, steps)[2]
    expect_close(call, "x, y (20 points)", got, np.asarray(want), tol, _mistakes(x, y, lr, steps, 2))


@check("train_linear", en="w and b after training match the reference", ru="w и b после обучения совпадают с эталоном",
       weight=2)
def test_train_parameters(submission, reference, rng, tol):
    x, y = _data(rng)
    lr, steps = 0.1, 15
    call = f"train_linear(x, y, lr={lr}, steps={steps})"
    w, b, _ = _parts(call, _call(submission, x, y, lr=lr, steps=steps), steps)
    want_w, want_b, _ = reference.train_linear(torch.from_numpy(x), torch.from_numpy(y), lr, steps)
    expect_close(call + ": w", "x, y (20 points)", w, want_w, tol, _mistakes(x, y, lr, steps, 0))
    expect_close(call + ": b", "x, y (20 points)", b, want_b, tol, _mistakes(x, y, lr, steps, 1))


@check("train_linear", en="by default lr=0.05 and 100 steps, and the line is found",
       ru="по умолчанию lr=0.05 и 100 шагов, и прямая находится")
def test_train_defaults(submission, reference, fixed_rng, tol):
    x = np.linspace(0.0, 2.0, 30, dtype=np.float32)
    y = (2.0 * x + 1.0 + 0.05 * fixed_rng.normal(size=30)).astype(np.float32)
    call = "train_linear(x, y)"
    w, b, losses = _parts(call, _call(submission, x, y), 100)
    want_w, want_b, want_losses = reference.train_linear(torch.from_numpy(x), torch.from_numpy(y))
    expect_close(call, "x, y (30 points near y = 2x + 1)", np.array([w, b]), np.array([want_w, want_b]), tol)
    expect_close(call + ": losses", "x, y", losses, np.asarray(want_losses), tol)


@check("train_linear", en="returns Python floats (w.item(), b.item(), [loss.item(), ...])",
       ru="возвращает числа Python (w.item(), b.item(), [loss.item(), ...])", kind="form")
def test_train_types(submission):
    x = np.array([0.0, 1.0, 2.0], dtype=np.float32)
    got = _call(submission, x, 2 * x + 1, lr=0.05, steps=3)
    if (isinstance(got, (tuple, list)) and len(got) == 3 and isinstance(got[0], float) and isinstance(got[1], float)
            and isinstance(got[2], list) and len(got[2]) == 3 and all(isinstance(v, float) for v in got[2])):
        return
    raise fail("`train_linear(x, y, steps=3)` must return (w.item(), b.item(), losses) with Python floats "
               "(.item() of each tensor) and a list of 3 losses; it returned {got}.",
               "`train_linear(x, y, steps=3)` должна вернуть (w.item(), b.item(), losses) из чисел Python "
               "(.item() каждого тензора) и список из 3 потерь, а вернула {got}.", got=show(got, 160))
