"""Helpers shared by the `xor_numpy` checks, handed out as fixtures (check files do not
import each other)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from autograder.checks import Mistake, expect_close, fail, fixture, show
from autograder.config import Tolerance

KEYS = ("W1", "b1", "W2", "b2")
ParamsCheck = Callable[..., None]


def params_close(call: str, inputs: Any, got: Any, expected: Mapping[str, np.ndarray], tol: Tolerance,
                 mistakes: Sequence[tuple[Mapping[str, np.ndarray], str, str]] = ()) -> None:
    """A dict of parameters (or gradients) equals ``expected`` key by key.

    Shapes are compared elsewhere: a value with the right number of elements is
    reshaped, so that a (1, H) bias is reported once, by the shape check.
    ``mistakes`` are whole wrong dicts with their hints (en, ru).
    """
    if not isinstance(got, dict):
        raise fail("`{call}` must return a dict with keys W1, b1, W2, b2; it returned {got}.",
                   "`{call}` должна вернуть словарь с ключами W1, b1, W2, b2; вернула {got}.",
                   call=call, got=show(got, 80))
    missing = [k for k in KEYS if k not in got]
    if missing:
        raise fail("`{call}` returned a dict without the keys {keys}.",
                   "`{call}` вернула словарь без ключей {keys}.", call=call, keys=", ".join(missing))
    for key in KEYS:
        want = np.asarray(expected[key], dtype=float)
        value = got[key]
        try:
            array = np.asarray(value, dtype=float)
            if array.size == want.size:
                value = array.reshape(want.shape)
        except (TypeError, ValueError):
            pass
        expect_close(f"{call}['{key}']", inputs, value, want, tol,
                     [Mistake(np.asarray(wrong[key], dtype=float), en=en, ru=ru) for wrong, en, ru in mistakes])


@fixture(scope="session")  # a pure helper: the same for every submission
def expect_params() -> ParamsCheck:
    return params_close
