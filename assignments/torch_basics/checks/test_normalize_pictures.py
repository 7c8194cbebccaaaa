"""Hidden checks of `normalize_pictures(A)`: every channel standardised over the whole
batch (axes 0, 2, 3), the unbiased std, a new tensor (A unchanged), same shape."""

from __future__ import annotations

import warnings

import numpy as np
import torch

from autograder.checks import Mistake, TensorValue, check, expect_close, fail, show, tensor

CALL = "normalize_pictures(A)"


def _pictures(rng, shape) -> np.ndarray:
    """Channels with very different means and scales, so every wrong axis shows."""
    batch, channels = shape[:2]
    scale = rng.uniform(0.5, 50.0, size=(1, channels, 1, 1))
    shift = rng.uniform(-20.0, 100.0, size=(1, channels, 1, 1))
    per_image = rng.uniform(-3.0, 3.0, size=(batch, channels, 1, 1))  # pictures differ in brightness
    return (rng.normal(size=shape) * scale + shift + per_image * scale).astype(np.float32)


def _standardise(A: np.ndarray, axes: tuple[int, ...] | None, ddof: int = 1) -> np.ndarray:
    mean = A.mean(axis=axes, keepdims=True)
    return (A - mean) / A.std(axis=axes, keepdims=True, ddof=ddof)


def _mistakes(A: np.ndarray) -> list[Mistake]:
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # one picture: a std over one value is NaN
        return _wrong_versions(A.astype(float))


def _wrong_versions(A: np.ndarray) -> list[Mistake]:
    return [
        Mistake(_standardise(A, (2, 3)),
                en="each picture is normalised on its own (mean over dim=(2, 3)); the statistics of a channel "
                   "are taken over all pictures and pixels: dim=(0, 2, 3).",
                ru="каждая картинка нормирована отдельно (среднее по dim=(2, 3)), а статистики канала считаются "
                   "по всем картинкам и пикселям: dim=(0, 2, 3)."),
        Mistake(_standardise(A, None),
                en="the mean and std are those of the whole tensor; every channel needs its own: dim=(0, 2, 3).",
                ru="среднее и std взяты по всему тензору, а у каждого канала должны быть свои: dim=(0, 2, 3)."),
        Mistake(_standardise(A, (0, 2, 3), ddof=0),
                en="the std is the biased one (unbiased=False / correction=0); use torch.std's default.",
                ru="std смещённое (unbiased=False / correction=0), а нужно значение torch.std по умолчанию."),
        Mistake(_standardise(A, (0,)),
                en="the statistics are taken over the batch only (dim=0), per pixel; use dim=(0, 2, 3).",
                ru="статистики взяты только по батчу (dim=0), для каждого пикселя отдельно; нужно dim=(0, 2, 3)."),
        Mistake(A - A.mean(axis=(0, 2, 3), keepdims=True),
                en="the mean is subtracted but nothing is divided by the std.",
                ru="среднее вычтено, но на std ничего не поделено."),
    ]


@check("normalize_pictures", en="matches the reference on random batches", ru="совпадает с эталоном на случайных батчах",
       weight=2)
def test_normalize_values(submission, reference, values, rng, tol):
    for shape in [(4, 3, 5, 6), (2, 2, 3, 3)]:
        A = _pictures(rng, shape)
        want = reference.normalize_pictures(torch.from_numpy(A)).double().numpy()
        got = values(CALL, submission.normalize_pictures(tensor(A)))
        expect_close(CALL, {"A.shape": shape}, got, want, tol, _mistakes(A))


@check("normalize_pictures", en="one picture, one channel, and many channels",
       ru="одна картинка с одним каналом и много каналов")
def test_normalize_shapes(submission, reference, values, fixed_rng, tol):
    for shape in [(1, 1, 4, 4), (3, 7, 2, 3)]:
        A = _pictures(fixed_rng, shape)
        want = reference.normalize_pictures(torch.from_numpy(A)).double().numpy()
        got = values(CALL, submission.normalize_pictures(tensor(A)))
        expect_close(CALL, {"A.shape": shape}, got, want, tol, _mistakes(A))


@check("normalize_pictures", en="leaves A unchanged and returns a tensor of its shape",
       ru="не меняет A и возвращает тензор той же формы", kind="form")
def test_normalize_keeps_input(submission, fixed_rng):
    A = _pictures(fixed_rng, (3, 2, 4, 4))
    result = submission.call_ex("normalize_pictures", (tensor(A),), return_args=True)
    after = result.args_after[0] if result.args_after else None
    if not isinstance(after, TensorValue) or not np.array_equal(after.array, A):
        raise fail("`{call}` changed A in place (A -= ... or A.sub_(...)): the caller's pictures are lost. "
                   "Compute a new tensor: return (A - mean) / std.",
                   "`{call}` изменила A на месте (A -= ... или A.sub_(...)): картинки вызывающего потеряны. "
                   "Вычислите новый тензор: return (A - mean) / std.", call=CALL)
    got = result.value
    if not isinstance(got, TensorValue) or got.array.shape != A.shape:
        raise fail("`{call}` for A of shape (3, 2, 4, 4) must return a tensor of the same shape; it returned {got}.",
                   "`{call}` для A формы (3, 2, 4, 4) должна вернуть тензор той же формы, а вернула {got}.",
                   call=CALL, got=show(got, 100) if not isinstance(got, TensorValue) else f"shape {got.array.shape}")
