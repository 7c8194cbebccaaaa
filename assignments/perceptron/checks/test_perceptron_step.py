import numpy as np

from autograder.checks import CheckFailed, Mistake, check, expect_close, expect_unchanged, fail
from autograder.checks import as_numeric_array, shown_type


def _variants(w, b, x, y, lr):
    """What the usual wrong updates return, as (w, b) pairs with their hints."""
    y_hat = 1.0 if x @ w + b >= 0 else 0.0
    err = y - y_hat
    raw = y - (x @ w + b)
    return [
        (w - lr * err * x, b - lr * err,
         "The update has the wrong sign: err = y - y_hat, and w + lr * err * x.",
         "Неверный знак обновления: err = y - y_hat и w + lr * err * x."),
        (w + err * x, b + err, "The learning rate is missing: w + lr * err * x and b + lr * err.",
         "Пропущена скорость обучения: w + lr * err * x и b + lr * err."),
        (w + lr * raw * x, b + lr * raw,
         "y_hat must be step(x @ w + b), 0 or 1, not the raw score x @ w + b.",
         "y_hat должно быть step(x @ w + b), то есть 0 или 1, а не сама сумма x @ w + b."),
        (w + lr * err * x, b, "The bias is not updated: b + lr * err.", "Смещение не обновляется: b + lr * err."),
    ]


def _expect_step(submission, reference, tol, w, b, x, y, lr, extra=()):
    call = f"perceptron_step(w={w.tolist()}, b={b}, x={x.tolist()}, y={y}, lr={lr})"
    got = submission.perceptron_step(w, b, x, y, lr)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise fail("`{call}` must return the pair (w, b); it returned {got}.",
                   "`{call}` должна возвращать пару (w, b); она вернула {got}.",
                   call=call, got=shown_type(got))
    want_w, want_b = reference.perceptron_step(w, b, x, y, lr)
    variants = [*extra, *_variants(w, b, x, y, lr)]   # the specific diagnosis first
    expect_close(call + "[0]", (w, b, x, y, lr), got[0], want_w, tol,
                 mistakes=[Mistake(vw, en=en, ru=ru) for vw, _, en, ru in variants])
    expect_close(call + "[1]", (w, b, x, y, lr), got[1], want_b, tol,
                 mistakes=[Mistake(vb, en=en, ru=ru) for _, vb, en, ru in variants])


@check("perceptron_step", en="updates w and b like the reference on random samples",
       ru="обновляет w и b как эталон на случайных примерах")
def test_step_random(submission, reference, rng, tol):
    for k in range(8):
        w, b, x = rng.normal(size=3), float(rng.normal()), rng.normal(size=3)
        if k >= 6:  # the bias decides the prediction: x @ w and x @ w + b differ in sign
            b = float(-2 * (x @ w))
        predicted = 1.0 if x @ w + b >= 0 else 0.0
        y = predicted if k == 5 else 1.0 - predicted   # five mistakes, a correct sample, two mistakes
        lr = [0.1, 0.5, 1.0, 0.25, 0.05, 0.3, 0.2, 0.4][k]
        no_bias = 1.0 if x @ w >= 0 else 0.0
        without = w + lr * (y - no_bias) * x, b + lr * (y - no_bias)
        # named on any sample it shows on (the inputs differ per submission), not only on the last two
        extra = [(*without, "The prediction must include the bias: y_hat = step(x @ w + b), not step(x @ w).",
                  "В предсказании нужно смещение: y_hat = step(x @ w + b), а не step(x @ w).")]
        _expect_step(submission, reference, tol, w, b, x, y, lr, extra=extra)


@check("perceptron_step", en="a sample on the boundary counts as class 1 (step(0) = 1)",
       ru="пример на границе относится к классу 1 (step(0) = 1)")
def test_step_boundary(submission, reference, tol):
    w, b, x = np.array([1.0, -1.0]), 0.0, np.array([2.0, 2.0])   # x @ w + b == 0
    strict = (w, b, "step(0) must be 1: x @ w + b = 0 means y_hat = 1, so with y = 0 the sample is "
              "misclassified and must be updated. Use >= 0, not > 0.",
              "step(0) должна быть 1: при x @ w + b = 0 y_hat = 1, поэтому при y = 0 пример "
              "классифицирован неверно и должен обновить веса. Используйте >= 0, а не > 0.")
    _expect_step(submission, reference, tol, w, b, x, 0.0, 0.5, extra=[strict])


@check("perceptron_step", en="does not modify w or x", ru="не изменяет w и x", kind="form")
def test_step_keeps_input(submission, rng):
    w, x = rng.normal(size=3), rng.normal(size=3)
    b = float(rng.normal())
    y = 0.0 if x @ w + b >= 0 else 1.0   # misclassified: an update is needed
    result = submission.call_ex("perceptron_step", (w.copy(), b, x.copy(), y, 0.5), return_args=True)
    assert result.args_after is not None
    if not isinstance(result.value, (tuple, list)) or len(result.value) != 2:
        raise fail("`perceptron_step(w, b, x, y, lr)` must return the pair (w, b); it returned {got}.",
                   "`perceptron_step(w, b, x, y, lr)` должна возвращать пару (w, b); она вернула {got}.",
                   got=shown_type(result.value))
    for name, before, after in (("w", w, result.args_after[0]), ("x", x, result.args_after[2])):
        try:
            expect_unchanged("perceptron_step(w, b, x, y, lr)", name, before, after)
        except CheckFailed:
            raise fail("`perceptron_step` changed its argument `{name}` (for example with w += ...). "
                       "Return new arrays: w_new = w + lr * err * x.",
                       "`perceptron_step` изменила свой аргумент `{name}` (например, через w += ...). "
                       "Возвращайте новые массивы: w_new = w + lr * err * x.", name=name) from None


@check("perceptron_step", en="returns (w, b): a float array of shape (d,) and a number",
       ru="возвращает (w, b): массив float формы (d,) и число", kind="form")
def test_step_returns_pair(submission):
    w, b, x = np.zeros(3), 0.0, np.array([1.0, -2.0, 0.5])
    got = submission.perceptron_step(w, b, x, 0.0, 0.1)
    call = "perceptron_step(np.zeros(3), 0.0, x, 0.0, 0.1)"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise fail("`{call}` returned {got}; return the pair: `return w_new, b_new`.",
                   "`{call}` вернула {got}; верните пару: `return w_new, b_new`.",
                   call=call, got=shown_type(got))
    new_w, new_b = as_numeric_array(call + "[0]", got[0]), as_numeric_array(call + "[1]", got[1], "a number")
    if not isinstance(got[0], np.ndarray) or new_w.shape != (3,) or new_w.dtype.kind != "f":
        raise fail("`{call}[0]` (the new w) is {kind} of shape {shape} and dtype {dtype}; expected a float64 "
                   "NumPy array of shape (3,). Return the pair in the order (w, b).",
                   "`{call}[0]` (новый w) — это {kind} формы {shape} с типом {dtype}; ожидался массив NumPy "
                   "float64 формы (3,). Возвращайте пару в порядке (w, b).",
                   call=call, kind=shown_type(got[0]), shape=new_w.shape, dtype=new_w.dtype)
    if new_b.shape != ():
        raise fail("`{call}[1]` (the new b) has shape {shape}; b must be a single number.",
                   "`{call}[1]` (новое b) имеет форму {shape}; b должно быть одним числом.",
                   call=call, shape=new_b.shape)
