"""Checks of training, for check authors: a loss curve that falls, values that stay
finite, a from-scratch gradient against finite differences, and a network's architecture
read back as data. Each fails with a message in the course's language
(``autograder.i18n.Text``) that says what was found and where.

Nothing here runs the student's code in the grader: losses, gradients and parameters
arrive as data (``submission.f(...)``), and an ``nn.Module`` in the jail is described by
what it answers about itself (its children's types, its ``state_dict``'s shapes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.checks.api import CheckFailed, fail
from autograder.checks.compare import show
from autograder.sandbox.values import RemoteObject, TensorValue


def _array(value: Any) -> Any:
    return value.array if isinstance(value, TensorValue) else value


def _numbers(call: str, values: Any) -> np.ndarray:
    try:
        array = np.asarray([np.asarray(_array(v), dtype=float).reshape(()) for v in values], dtype=float)
    except (TypeError, ValueError):
        raise fail("`{call}` returned {got}; expected a list of numbers (loss.item() per step).",
                   "`{call}` вернула {got}, а ожидался список чисел (loss.item() на каждом шаге).",
                   call=call, got=show(values, 120)) from None
    return array


def expect_falling(call: str, losses: Any, *, min_drop: float = 0.2, noise: float = 0.1) -> np.ndarray:
    """The losses must be finite and fall: the last tenth of the curve at least ``min_drop``
    (a share) under the first tenth, and never, smoothed over a tenth, more than ``noise``
    of the starting loss above the lowest value so far (mini-batch noise passes, a
    learning rate that makes the loss blow up does not). Returns the losses."""
    values = _numbers(call, losses)
    if values.size < 2:
        raise fail("`{call}` returned {count} losses; a curve needs at least two.",
                   "`{call}` вернула {count} значений потерь, а для кривой нужно хотя бы два.",
                   call=call, count=values.size)
    expect_finite(call, values)
    window = max(1, values.size // 10)
    smooth = np.convolve(values, np.ones(window) / window, mode="valid")
    start, end = float(smooth[0]), float(smooth[-1])
    scale = abs(start) or 1.0
    rise = smooth - np.minimum.accumulate(smooth)
    if rise.max() > noise * scale:
        at = int(rise.argmax()) + window - 1
        raise fail("The loss of `{call}` goes up during training: {got:.4g} at step {at}, after {low:.4g} earlier "
                   "(start {start:.4g}). A learning rate too large, or gradients never zeroed, make it climb.",
                   "Потери `{call}` растут во время обучения: {got:.4g} на шаге {at} после {low:.4g} раньше "
                   "(в начале {start:.4g}). Так бывает при слишком большой скорости обучения или если градиенты "
                   "не обнуляются.", call=call, got=float(values[at]), at=at,
                   low=float(np.minimum.accumulate(smooth)[int(rise.argmax())]), start=start)
    if end > start - min_drop * scale:
        raise fail("The loss of `{call}` does not fall: {start:.4g} at the start, {end:.4g} at the end (at least "
                   "{drop:.0%} lower expected). Is the model updated (optimizer.step()) with the right gradients?",
                   "Потери `{call}` не падают: {start:.4g} в начале и {end:.4g} в конце (ожидалось снижение хотя бы "
                   "на {drop:.0%}). Обновляется ли модель (optimizer.step()) и верны ли градиенты?",
                   call=call, start=start, end=end, drop=min_drop)
    return values


def expect_finite(call: str, value: Any, where: str = "") -> None:
    """No NaN or infinity anywhere in ``value`` (arrays, tensors, numbers, nested lists,
    tuples and dicts); the message names where the first one is."""
    value = _array(value)
    if isinstance(value, Mapping):
        for key, item in value.items():
            expect_finite(call, item, f"{where}[{key!r}]")
        return
    if isinstance(value, (list, tuple)) and not _flat_numbers(value):
        for index, item in enumerate(value):
            expect_finite(call, item, f"{where}[{index}]")
        return
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return  # not numbers: other checks say what is wrong with it
    bad = ~np.isfinite(array)
    if bad.any():
        position = tuple(int(i) for i in np.argwhere(bad)[0]) if array.ndim else ()
        found = float(array[position]) if array.ndim else float(array)
        raise fail("`{call}` gave {found} at {place}: the values must stay finite. NaN or inf usually come from a "
                   "learning rate that is too large, a division by zero, or log/exp of large numbers.",
                   "`{call}` дала {found} в {place}: значения должны оставаться конечными. NaN и inf обычно "
                   "появляются из-за слишком большой скорости обучения, деления на ноль или log/exp больших чисел.",
                   call=call, found=found, place=f"{where}{list(position) if position else ''}" or "the result")


def _flat_numbers(values: list[Any] | tuple[Any, ...]) -> bool:
    return all(isinstance(v, (int, float, np.number)) for v in values)


def numeric_gradient(loss: Callable[[dict[str, np.ndarray]], float], params: Mapping[str, Any],
                     eps: float = 1e-6) -> dict[str, np.ndarray]:
    """Central differences of ``loss`` (a trusted function, run in the grader) for every
    entry of every parameter."""
    base = {k: np.array(v, dtype=float) for k, v in params.items()}
    grads = {}
    for key, value in base.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            saved = value[index]
            value[index] = saved + eps
            up = loss(base)
            value[index] = saved - eps
            down = loss(base)
            value[index] = saved
            grad[index] = (up - down) / (2 * eps)
        grads[key] = grad
    return grads


def expect_gradient(call: str, loss: Callable[[dict[str, np.ndarray]], float], params: Mapping[str, Any],
                    got: Any, *, eps: float = 1e-6, rtol: float = 1e-4, atol: float = 1e-7) -> None:
    """A gradient the student computed from scratch (a dict like ``params``) must match
    central differences of the trusted ``loss`` at ``params``."""
    if not isinstance(got, Mapping) or set(got) != set(params):
        raise fail("`{call}` must return a dict with the keys {keys}; it returned {got}.",
                   "`{call}` должна вернуть словарь с ключами {keys}, а вернула {got}.",
                   call=call, keys=", ".join(sorted(params)), got=show(got, 120))
    numeric = numeric_gradient(loss, params, eps)
    for key in params:
        try:
            mine = np.asarray(_array(got[key]), dtype=float)
        except (TypeError, ValueError):
            raise fail("`{call}`[{key!r}] is {got}, not numbers.", "`{call}`[{key!r}] — это {got}, а не числа.",
                       call=call, key=key, got=show(got[key], 80)) from None
        want = numeric[key]
        if mine.shape != want.shape:
            raise fail("The gradient `{call}`[{key!r}] has shape {got}; the parameter has shape {want}.",
                       "Градиент `{call}`[{key!r}] формы {got}, а у параметра форма {want}.",
                       call=call, key=key, got=mine.shape, want=want.shape)
        expect_finite(call, mine, f"[{key!r}]")
        if not np.allclose(mine, want, rtol=rtol, atol=atol):
            worst = np.unravel_index(int(np.abs(mine - want).argmax()), want.shape)
            raise fail("The gradient `{call}`[{key!r}] does not match finite differences of the loss: at {at} "
                       "it is {got:.6g}, the loss changes at the rate {want:.6g}. Check the chain rule for "
                       "{key}: every factor, and the 1/n of the mean.",
                       "Градиент `{call}`[{key!r}] не совпадает с конечными разностями функции потерь: в {at} "
                       "он равен {got:.6g}, а потери меняются со скоростью {want:.6g}. Проверьте цепное правило "
                       "для {key}: все множители и 1/n от среднего.",
                       call=call, key=key, at=list(worst), got=float(mine[worst]), want=float(want[worst]))


@dataclass(frozen=True)
class Layer:
    """One child of a network: its name, its type (``Linear``) and its parameters' shapes."""

    name: str
    type: str
    shapes: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Architecture:
    layers: tuple[Layer, ...]
    parameters: int  # the number of trainable numbers

    @property
    def types(self) -> list[str]:
        return [layer.type for layer in self.layers]

    def describe(self) -> str:
        return ", ".join(f"{layer.type}{list(layer.shapes) if layer.shapes else ''}" for layer in self.layers)


def architecture(submission: Any, module: Any, call: str = "model") -> Architecture:
    """The layers of an ``nn.Module`` in the jail, in order, read back as data: each direct
    child's type name and its parameters' shapes (a child that is itself a container,
    such as an ``nn.Sequential`` kept in an attribute, is opened), and the parameter count."""
    if not isinstance(module, RemoteObject) or not submission.isinstance_of(module, "torch.nn.Module"):
        raise fail("`{call}` must be an nn.Module (a torch network); it is {got}.",
                   "`{call}` должна быть nn.Module (сетью torch), а это {got}.", call=call, got=show(module, 80))
    listing = submission.getattr(submission.value("__builtins__"), "list")
    state = {k: np.shape(_array(v)) for k, v in module.state_dict().items()}
    layers = []
    for name, child in _leaves(listing, module, ""):
        shapes = tuple(tuple(int(n) for n in shape) for key, shape in state.items()
                       if key.rsplit(".", 1)[0] == name)
        layers.append(Layer(name, child.type_name.rsplit(".", 1)[-1], shapes))
    count = int(sum(int(np.prod(shape)) for shape in state.values()))
    return Architecture(tuple(layers), count)


def _leaves(listing: Any, module: RemoteObject, prefix: str) -> list[tuple[str, RemoteObject]]:
    found: list[tuple[str, RemoteObject]] = []
    for name, child in listing(module.named_children()):
        full = f"{prefix}{name}"
        if child.type_name.rsplit(".", 1)[-1] in ("Sequential", "ModuleList", "ModuleDict"):
            found += _leaves(listing, child, full + ".")
        else:
            found.append((full, child))
    return found


def expect_architecture(submission: Any, module: Any, call: str, layers: list[tuple[str, tuple[tuple[int, ...], ...]]],
                        hint: tuple[str, str] = ("", "")) -> Architecture:
    """The module's layers must be exactly ``layers``: (type, parameter shapes) in order."""
    got = architecture(submission, module, call)
    want = Architecture(tuple(Layer("", t, s) for t, s in layers), 0)
    if [(layer.type, layer.shapes) for layer in got.layers] != list(layers):
        raise CheckFailed(fail("`{call}` has the layers {got}; expected {want}. ",
                               "Слои `{call}`: {got}, а ожидались {want}. ",
                               call=call, got=got.describe() or "-", want=want.describe()).text
                          + fail(hint[0], hint[1]).text)
    return got
