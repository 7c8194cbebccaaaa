"""Hidden checks of `Perceptron.fit(X, y, num_epochs=300)`: from w = zeros((m, 1)) and
b = 0, each epoch predicts, records the loss, then updates; returns the losses.

Runs are compared with the reference's run on the same fruits (the assignment's own
data, read here on the grader and passed in), loss by loss and in the final state.
"""

from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, as_numeric_array, check, expect_close, fail, show


def _run(reference, X, y, epochs, *, w=None, b=0, record_after=False):
    """The reference's loop from (w, b) (zeros when w is None), or a common wrong one:
    the loss recorded after the update instead of before it."""
    model = reference.Perceptron(w=np.zeros((X.shape[1], 1)) if w is None else w, b=b)
    losses = []
    for _ in range(epochs):
        y_pred = model.forward_pass(X)
        if not record_after:
            losses.append(reference.Loss(y_pred, y))
        model.backward_pass(X, y, y_pred)
        if record_after:
            losses.append(reference.Loss(model.forward_pass(X), y))
    return losses, model.w, model.b


def _losses(call, got, epochs):
    if not isinstance(got, (list, tuple)):
        raise fail("`{call}` returned {got}; it must return the list of the {epochs} losses "
                   "(losses = [], then losses.append(Loss(y_pred, y)) in every epoch).",
                   "`{call}` вернула {got}, а должна вернуть список из {epochs} значений функции потерь "
                   "(losses = [], затем losses.append(Loss(y_pred, y)) в каждой итерации).",
                   call=call, got=show(got, 80), epochs=epochs)
    if len(got) != epochs:
        raise fail("`{call}` returned {count} losses; expected {epochs}, one per epoch.",
                   "`{call}` вернула {count} значений функции потерь, а нужно {epochs}, по одному на итерацию.",
                   call=call, count=len(got), epochs=epochs)
    return as_numeric_array(call, [np.reshape(np.asarray(v, dtype=float), ()) if np.size(v) == 1 else v
                                   for v in got])


@check("Perceptron.fit", en="starts from self.w = zeros((m, 1)) and self.b = 0, whatever they were",
       ru="начинает с self.w = zeros((m, 1)) и self.b = 0, какими бы они ни были", kind="form")
def test_fit_starts_from_zeros(perceptron, state, fruits):
    X, y = fruits[0][:30], fruits[1][:30]
    model = perceptron(np.array([[3.0], [-2.0]]), 1.5)
    call = "Perceptron(w=np.array([[3.0], [-2.0]]), b=1.5).fit(X[:30], y[:30], num_epochs=0)"
    got = model.fit(X, y, num_epochs=0)
    _losses(call, got, 0)
    w, b = state(model, call)
    if w.shape != (2, 1) or np.any(w != 0) or b.size != 1 or np.any(b != 0):
        raise fail("After `{call}`, self.w = {w} and self.b = {b}; fit must start from scratch: "
                   "self.w = np.zeros((X.shape[1], 1)) (a column) and self.b = 0, even when the "
                   "perceptron already had weights.",
                   "После `{call}` self.w = {w}, self.b = {b}, а fit должен начинать с нуля: "
                   "self.w = np.zeros((X.shape[1], 1)) (столбец) и self.b = 0, даже если у перцептрона "
                   "уже были веса.", call=call, w=w.tolist(), b=b.tolist())


def shapes(X, y):
    """A call's large inputs by their shapes, as code: ``{'X.shape': (1000, 2), 'y.shape': (1000, 1)}``."""
    return {"X.shape": X.shape, "y.shape": y.shape}


AFTER_UPDATE = ("The loss is recorded after the update; record Loss(y_pred, y) of the current weights first, "
                "then call self.backward_pass.",
                "Функция потерь записана после обновления весов; сначала запишите Loss(y_pred, y) для текущих "
                "весов, потом вызывайте self.backward_pass.")


def _own_loop(submission, perceptron, X, y, epochs, after=False):
    """fit's loop done by hand with the student's own forward_pass, Loss and
    backward_pass (each a call into the jail): what their fit must return when its own
    logic is right, whatever those methods compute."""
    model = perceptron(np.zeros((X.shape[1], 1)), 0)
    forward, backward = model.forward_pass, model.backward_pass  # looked up once: one call per step
    losses = []
    for _ in range(epochs):
        y_pred = forward(X)
        if not after:
            losses.append(submission.Loss(y_pred, y))
        backward(X, y, y_pred)
        if after:
            losses.append(submission.Loss(forward(X), y))
    return [np.reshape(np.asarray(v, dtype=float), ()) if np.size(v) == 1 else v for v in losses], model


@check("Perceptron.fit", en="from zeros, each epoch predicts, records the loss, then updates (with your own methods)",
       ru="с нулей в каждой итерации предсказывает, записывает потери и обновляет веса (вашими же методами)", weight=2)
def test_fit_loop(submission, perceptron, state, fruits, tol):
    X, y = fruits
    epochs = 12
    want, own = _own_loop(submission, perceptron, X, y, epochs)
    call = f"Perceptron(w=np.ones((2, 1)), b=0.5).fit(X, y, num_epochs={epochs})"
    model = perceptron(np.ones((2, 1)), 0.5)
    got = _losses(call, model.fit(X, y, num_epochs=epochs), epochs)
    want = as_numeric_array("Loss", want)
    mistakes = []
    if got.shape != want.shape or not np.allclose(got, want, rtol=tol.rtol, atol=tol.atol):
        wrong, _ = _own_loop(submission, perceptron, X, y, epochs, after=True)  # only to name the mistake
        mistakes = [Mistake(as_numeric_array("Loss", wrong), en=AFTER_UPDATE[0], ru=AFTER_UPDATE[1])]
    expect_close(call, shapes(X, y), got, want, tol, mistakes)
    w, b = state(model, call)
    own_w, own_b = state(own, "forward_pass/backward_pass by hand")
    expect_close(call + ": self.w", shapes(X, y), w, own_w, tol)
    expect_close(call + ": self.b", shapes(X, y), b, own_b, tol)


@check("Perceptron.fit", en="the losses match the reference's on the apples and pears",
       ru="значения потерь совпадают с эталоном на яблоках и грушах")
def test_fit_losses(perceptron, reference, fruits, tol, once):
    X, y = fruits  # still learning at epoch 30: the losses differ from step to step
    epochs = 30
    want, _, _ = once("reference", lambda: _run(reference, X, y, epochs))
    wrong = once("wrong", lambda: [(_run(reference, X, y, epochs, record_after=True)[0], *AFTER_UPDATE)])
    call = f"Perceptron().fit(X, y, num_epochs={epochs})"
    got = _losses(call, perceptron().fit(X, y, num_epochs=epochs), epochs)
    expect_close(call, shapes(X, y), got, np.asarray(want), tol,
                 [Mistake(np.asarray(v), en=en, ru=ru) for v, en, ru in wrong])


@check("Perceptron.fit", en="self.w and self.b after fit match the reference, whatever they were before",
       ru="self.w и self.b после fit совпадают с эталоном, какими бы они ни были до него")
def test_fit_final_state(perceptron, reference, state, fruits, tol, once):
    X, y = fruits[0][500:], fruits[1][500:]  # converges at epoch 77: still learning at 40
    epochs, w0, b0 = 40, np.array([[0.5], [0.5]]), 0.25
    _, want_w, want_b = once("reference", lambda: _run(reference, X, y, epochs))
    kept = once("kept", lambda: _run(reference, X, y, epochs, w=w0.copy(), b=b0))
    call = f"Perceptron(w=np.array([[0.5], [0.5]]), b=0.25).fit(X[500:], y[500:], num_epochs={epochs})"
    model = perceptron(w0, b0)
    model.fit(X, y, num_epochs=epochs)
    w, b = state(model, call)
    hint = ("fit did not start from scratch: it kept the weights the perceptron had. Set "
            "self.w = np.zeros((m, 1)) and self.b = 0 at the start of fit.",
            "fit начал не с нуля, а с весов, которые уже были у перцептрона. В начале fit задайте "
            "self.w = np.zeros((m, 1)) и self.b = 0.")
    expect_close(call + ": self.w", shapes(X, y), w, want_w, tol, [Mistake(kept[1], en=hint[0], ru=hint[1])])
    expect_close(call + ": self.b", shapes(X, y), b, want_b, tol, [Mistake(kept[2], en=hint[0], ru=hint[1])])


@check("Perceptron.fit", en="by default 300 epochs, and the apples and pears are told apart",
       ru="по умолчанию 300 итераций, и яблоки с грушами различаются")
def test_fit_default_epochs(perceptron, reference, state, fruits, tol, once):
    X, y = fruits
    want, want_w, want_b = once("reference", lambda: _run(reference, X, y, 300))
    call = "Perceptron().fit(X, y)"
    model = perceptron()
    got = model.fit(X, y)
    if isinstance(got, (list, tuple)) and len(got) != 300:
        raise fail("`{call}` returned {count} losses; by default fit runs num_epochs=300 epochs: keep the "
                   "signature fit(self, X, y, num_epochs=300).",
                   "`{call}` вернула {count} значений, а по умолчанию fit делает num_epochs=300 итераций: "
                   "сохраните сигнатуру fit(self, X, y, num_epochs=300).", call=call, count=len(got))
    expect_close(call, shapes(X, y), _losses(call, got, 300), np.asarray(want), tol)
    w, b = state(model, call)
    expect_close(call + ": self.w", shapes(X, y), w, want_w, tol)
    expect_close(call + ": self.b", shapes(X, y), b, want_b, tol)
