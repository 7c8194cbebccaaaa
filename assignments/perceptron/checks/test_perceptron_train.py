import numpy as np

from autograder.checks import Mistake, check, expect_close, expect_unchanged, fail
from autograder.checks import as_numeric_array, shown_type


def _train(reference, X, y, lr, epochs, *, sign=1.0, bias=True):
    """The reference loop, or a common wrong variant of it (flipped sign, frozen bias)."""
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for i in range(len(X)):
            new_w, new_b = reference.perceptron_step(w, b, X[i], y[i], lr)
            w, b = w + sign * (new_w - w), (b + sign * (new_b - b)) if bias else b
    return w, b


def _mistakes(reference, X, y, lr, epochs):
    """(w, b) of the usual wrong training loops, each with its hint."""
    return [
        (_train(reference, X, y, lr, epochs, sign=-1.0),
         "The update has the wrong sign (check perceptron_step): w + lr * (y - y_hat) * x.",
         "Неверный знак обновления (проверьте perceptron_step): w + lr * (y - y_hat) * x."),
        (reference.perceptron_train(X, y, 1.0, epochs),
         "The learning rate is not used: the update is lr * err * x.",
         "Скорость обучения не используется: обновление равно lr * err * x."),
        (_train(reference, X, y, lr, epochs, bias=False), "The bias b is never updated.",
         "Смещение b не обновляется."),
        (reference.perceptron_train(X, y, lr, 1), "Only one epoch was run: loop over range(epochs).",
         "Выполнена только одна эпоха: нужен цикл по range(epochs)."),
        (reference.perceptron_train(X, y),
         "The arguments lr and epochs are ignored: the defaults lr=0.1, epochs=10 were used.",
         "Аргументы lr и epochs не используются: обучение шло с lr=0.1, epochs=10."),
    ]


def _telling_data(rng, reference):
    """Random data (inputs differ per submission) on which every known wrong loop ends
    elsewhere than the reference: redrawn until so, so no draw lets one pass."""
    for _ in range(100):
        X = rng.normal(size=(12, 3))
        y = (X @ np.array([1.0, -2.0, 0.5]) + 0.3 >= 0).astype(float)
        want = reference.perceptron_train(X, y, lr=0.5, epochs=7)
        if all(not (np.allclose(w, want[0]) and np.isclose(b, want[1]))
               for (w, b), _, _ in _mistakes(reference, X, y, 0.5, 7)):
            break
    return X, y


def _expect_trained(submission, reference, tol, X, y, lr, epochs, call, got, want):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise fail("`{call}` must return the pair (w, b); it returned {got}.",
                   "`{call}` должна возвращать пару (w, b); она вернула {got}.",
                   call=call, got=shown_type(got))
    wrong = _mistakes(reference, X, y, lr, epochs) if lr is not None else []
    expect_close(call + "[0] (w)", (X, y), got[0], want[0], tol,
                 mistakes=[Mistake(v[0], en=en, ru=ru) for v, en, ru in wrong])
    expect_close(call + "[1] (b)", (X, y), got[1], want[1], tol,
                 mistakes=[Mistake(v[1], en=en, ru=ru) for v, en, ru in wrong])


@check("perceptron_train", en="starts from w = 0, b = 0 (epochs=0 returns zeros)",
       ru="начинает с w = 0, b = 0 (при epochs=0 возвращает нули)", kind="form")
def test_train_starts_from_zeros(submission, separable):
    X, y = separable
    call = "perceptron_train(X, y, lr=0.1, epochs=0)"
    got = submission.perceptron_train(X, y, lr=0.1, epochs=0)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise fail("`{call}` must return the pair (w, b); it returned {got}.",
                   "`{call}` должна возвращать пару (w, b); она вернула {got}.",
                   call=call, got=shown_type(got))
    w, b = as_numeric_array(call + "[0]", got[0]), as_numeric_array(call + "[1]", got[1], "a number")
    if w.shape != (2,) or b.shape != () or np.any(w != 0) or np.any(b != 0):
        raise fail("`{call}` returned w = {w}, b = {b}; with no epochs the result is the start: "
                   "w = np.zeros(d), b = 0.0. Start from zeros, not from random or ones, and "
                   "run exactly `epochs` passes over the data.",
                   "`{call}` вернула w = {w}, b = {b}; без эпох результат равен начальному: "
                   "w = np.zeros(d), b = 0.0. Начинайте с нулей, а не со случайных чисел или "
                   "единиц, и делайте ровно `epochs` проходов по данным.",
                   call=call, w=w.tolist(), b=b.tolist())


@check("perceptron_train", en="(w, b) after one epoch match the reference",
       ru="(w, b) после одной эпохи совпадают с эталоном", weight=2)
def test_train_one_epoch(submission, reference, tol, separable):
    X, y = separable
    call = "perceptron_train(X, y, lr=0.1, epochs=1)"
    got = submission.perceptron_train(X, y, lr=0.1, epochs=1)
    _expect_trained(submission, reference, tol, X, y, 0.1, 1, call, got,
                    reference.perceptron_train(X, y, lr=0.1, epochs=1))


@check("perceptron_train", en="(w, b) after 7 epochs with lr=0.5 match the reference",
       ru="(w, b) после 7 эпох с lr=0.5 совпадают с эталоном", weight=2)
def test_train_many_epochs(submission, reference, tol, rng):
    X, y = _telling_data(rng, reference)
    call = "perceptron_train(X, y, lr=0.5, epochs=7)"
    got = submission.perceptron_train(X, y, lr=0.5, epochs=7)
    _expect_trained(submission, reference, tol, X, y, 0.5, 7, call, got,
                    reference.perceptron_train(X, y, lr=0.5, epochs=7))


@check("perceptron_train", en="defaults are lr=0.1, epochs=10", ru="значения по умолчанию: lr=0.1, epochs=10")
def test_train_defaults(submission, reference, tol, separable, once):
    X, y = separable
    call = "perceptron_train(X, y)"
    got = submission.perceptron_train(X, y)
    want = once("reference", lambda: reference.perceptron_train(X, y))
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise fail("`{call}` must return the pair (w, b); it returned {got}.",
                   "`{call}` должна возвращать пару (w, b); она вернула {got}.",
                   call=call, got=shown_type(got))
    hint_en, hint_ru = ("Keep the signature perceptron_train(X, y, lr=0.1, epochs=10).",
                        "Сохраните сигнатуру perceptron_train(X, y, lr=0.1, epochs=10).")
    wrong = once("other defaults", lambda: [reference.perceptron_train(X, y, lr, epochs)
                                            for lr in (0.01, 0.1, 1.0) for epochs in (1, 5, 20, 50, 100, 1000)])
    for k in range(2):
        expect_close(call + f"[{k}]", (X, y), got[k], want[k], tol,
                     mistakes=[Mistake(v[k], en=hint_en, ru=hint_ru) for v in wrong])


@check("perceptron_train", en="learns AND and OR (every point classified correctly)",
       ru="обучается AND и OR (все точки классифицированы верно)", weight=2)
def test_train_learns_logic(submission, reference, logic):
    X, tasks = logic
    for name, y in tasks.items():
        call = f"perceptron_train(X, y_{name}, lr=0.1, epochs=20)"
        got = submission.perceptron_train(X, y, lr=0.1, epochs=20)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise fail("`{call}` must return the pair (w, b); it returned {got}.",
                       "`{call}` должна возвращать пару (w, b); она вернула {got}.",
                       call=call, got=shown_type(got))
        w, b = as_numeric_array(call + "[0]", got[0]), as_numeric_array(call + "[1]", got[1], "a number")
        if w.shape != (2,) or b.size != 1:
            raise fail("`{call}` returned w of shape {w_shape} and b of shape {b_shape}; expected (2,) and a number.",
                       "`{call}` вернула w формы {w_shape} и b формы {b_shape}; ожидались (2,) и число.",
                       call=call, w_shape=w.shape, b_shape=b.shape)
        predicted = reference.perceptron_predict(w, float(b.reshape(())), X)
        if not np.array_equal(predicted, y):
            raise fail("After `{call}`, the perceptron (w = {w}, b = {b}) predicts {got} on the {name} "
                       "truth table instead of {want}. {name} is linearly separable, so 20 epochs "
                       "must be enough: check the sign of the update and that every sample is used.",
                       "После `{call}` перцептрон (w = {w}, b = {b}) предсказывает {got} на таблице "
                       "{name} вместо {want}. {name} линейно разделима, поэтому 20 эпох должно хватить: "
                       "проверьте знак обновления и то, что используются все примеры.",
                       call=call, w=np.round(w, 4).tolist(), b=round(float(b.reshape(())), 4),
                       got=predicted.tolist(), want=y.tolist(), name=name)


@check("perceptron_train", en="does not modify X or y", ru="не изменяет X и y", kind="form")
def test_train_keeps_input(submission, separable):
    X, y = separable
    result = submission.call_ex("perceptron_train", (X.copy(), y.copy(), 0.1, 3), return_args=True)
    assert result.args_after is not None
    if not isinstance(result.value, (tuple, list)) or len(result.value) != 2:
        raise fail("`perceptron_train(X, y, 0.1, 3)` must return the pair (w, b); it returned {got}.",
                   "`perceptron_train(X, y, 0.1, 3)` должна возвращать пару (w, b); она вернула {got}.",
                   got=shown_type(result.value))
    for name, before, after in (("X", X, result.args_after[0]), ("y", y, result.args_after[1])):
        expect_unchanged("perceptron_train(X, y, 0.1, 3)", name, before, after)
