"""student.compare, student.codec and the student message catalogue."""

from __future__ import annotations

import ast
import json
import math
import re
import string
from pathlib import Path

import numpy as np
import pytest

from student import codec
from student.compare import Opaque, TensorData, compare, show
from student.messages import LANGUAGES, MESSAGES

STUDENT_DIR = Path(__file__).resolve().parent.parent / "student"


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[language].strip() for language in LANGUAGES), key
        assert fields(entry["en"]) == fields(entry["ru"]), key


@pytest.mark.parametrize("got", [np.array([1.0, 2.0]), [1.0, 2.0], (1.0, 2.0 + 1e-9)])
def test_array_like_values_within_tolerance_match(got: object) -> None:
    assert compare(np.array([1.0, 2.0]), got, 1e-6, 1e-9) is None


@pytest.mark.parametrize(
    ("expected", "got", "kind", "path"),
    [
        (np.array([1.0, 2.0]), np.array([1.0, 2.5]), "values", ""),
        (np.array([1.0, 2.0]), np.array([[1.0, 2.0]]), "shape", ""),
        (np.array([1.0, 0.5]), np.array([1, 0]), "dtype", ""),  # wrong, and ints: the likely reason
        (np.array([1.0, 0.0]), np.array([np.nan, 0.0]), "not_finite", ""),
        (np.array([1.0]), "1.0", "type", ""),
        (np.array([1.0]), None, "type", ""),
        ((np.array([1.0]), 0.5), (np.array([1.0]), 0.75), "values", "[1]"),
        ((1.0, 2.0), (1.0,), "length", ""),
        ({"W1": np.zeros(2), "b1": 0.0}, {"W1": np.zeros(2)}, "keys", ""),
        ({"W1": np.zeros(2)}, {"W1": np.ones(2)}, "values", "['W1']"),
        ([0.5, 0.25], [0.5, TensorData(np.array(0.25, dtype=np.float32))], "type", "[1]"),
        (TensorData(np.zeros((2, 1), dtype=np.float32)), np.zeros((2, 1)), "type", ""),
        (TensorData(np.zeros(2, dtype=np.float32)), Opaque("torch.nn.Linear"), "type", ""),
        (3.0, True, "type", ""),
        (True, 1, "type", ""),
    ],
)
def test_mismatches_say_what_and_where(expected: object, got: object, kind: str, path: str) -> None:
    found = compare(expected, got, 1e-6, 1e-9)
    assert found is not None
    assert (found.kind, found.path) == (kind, path)


def test_nan_matches_only_nan_and_tuples_may_come_back_as_lists() -> None:
    assert compare(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), 0, 0) is None
    assert compare(np.array([np.nan]), np.array([1.0]), 0, 0) is not None
    assert compare((np.zeros(2), 0.0), [np.zeros(2), 0.0], 0, 0) is None


def test_values_mismatch_reports_the_largest_difference() -> None:
    found = compare(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 3.1]), 1e-6, 1e-9)
    assert found is not None and math.isclose(found.diff, 0.5)


def test_torch_tensors_compare_as_data() -> None:
    torch = pytest.importorskip("torch")
    expected = TensorData(np.array([[0.5]], dtype=np.float32))
    assert compare(expected, torch.tensor([[0.5]], requires_grad=True) * 1, 1e-6, 0) is None
    assert compare(expected, torch.tensor([[0.6]]), 1e-6, 0) is not None


def test_show_is_short_and_on_one_line() -> None:
    assert show(np.eye(3)) == "[[1., 0., 0.], [0., 1., 0.], [0., 0., 1.]]"
    assert show(-2.0) == "-2.0"
    assert len(show(list(range(1000)))) < 60
    assert len(show(np.arange(10_000.0))) < 200


def test_codec_round_trip_is_strict_json() -> None:
    value = {"a": (np.array([[1.0, np.nan], [np.inf, -np.inf]]), float("nan")),
             "b": [1, "x", None, True], "c": np.array([1, 2], dtype=np.int64),
             "t": TensorData(np.zeros((0, 3), dtype=np.float32), "float32")}
    text = json.dumps(codec.encode(value), allow_nan=False)
    back = codec.decode(json.loads(text))
    assert compare(value, back, 0, 0) is None
    assert back["c"].dtype == np.int64 and back["t"].array.shape == (0, 3)


def test_codec_rejects_what_is_not_data() -> None:
    with pytest.raises(TypeError):
        codec.encode(object())
    with pytest.raises(TypeError):
        codec.encode(np.array(["a"]))
    with pytest.raises(ValueError):
        codec.decode({"$array": [1], "dtype": "object", "shape": [1]})
    with pytest.raises(ValueError):
        codec.decode({"$evil": 1})


@pytest.mark.parametrize("module", ["messages", "compare", "codec", "checker"])
def test_embedded_modules_need_only_numpy_and_the_standard_library(module: str) -> None:
    source = (STUDENT_DIR / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert imported <= {"__future__", "dataclasses", "json", "math", "numbers", "re", "typing",
                        "numpy", "torch"}, imported
    assert "autograder" not in source


@pytest.mark.parametrize("got", [np.array([False, False, True]), np.array([0, 0, 1]), [0, 0, 1.0]])
def test_public_examples_and_hidden_checks_judge_dtypes_alike(got: object) -> None:
    """One policy: a bool or int array with the right values passes both the public
    examples' comparison and the hidden checks' expect_close; wrong values fail both."""
    from autograder.checks import CheckFailed, expect_close
    from autograder.config import Tolerance

    expected = np.array([0.0, 0.0, 1.0])
    assert compare(expected, got, 1e-6, 1e-9) is None
    expect_close("relu_derivative", (), got, expected, Tolerance())
    wrong = np.array([True, False, True])
    assert compare(expected, wrong, 1e-6, 1e-9) is not None
    with pytest.raises(CheckFailed):
        expect_close("relu_derivative", (), wrong, expected, Tolerance())


@pytest.mark.parametrize("got", [np.array([False, False, True]), np.array([0, 0, 1]), [0, 0, 1]])
def test_an_example_that_asks_for_floats_refuses_right_values_of_another_dtype(got: object) -> None:
    """The bundled assignments' hidden checks demand float64 (the contract's); their
    examples carry ``floats`` so that check() fails where the grade does."""
    expected = np.array([0.0, 0.0, 1.0])
    mismatch = compare(expected, got, 1e-6, 1e-9, floats=True)
    assert mismatch is not None and mismatch.kind == "dtype"
    assert compare(expected, [0.0, 0.0, 1.0], 1e-6, 1e-9, floats=True) is None
    assert compare({"w": expected}, {"w": np.array([0, 0, 1])}, 1e-6, 1e-9, floats=True) is not None


def _array2string(value: np.ndarray) -> str:
    """show()'s text of an array as NumPy's own array2string writes it, on one line (each
    line break and the indentation after it one space), cut at 200 characters."""
    text = re.sub(r"\n\s*", " ", np.array2string(value, precision=6, threshold=20, edgeitems=3, separator=", ",
                                                 max_line_width=10_000))
    return text if len(text) <= 200 else text[:197] + "..."


def _arrays(seed: int, count: int) -> list[np.ndarray]:
    """Float arrays of the shapes and magnitudes examples hold, and the edges of
    array2string's rules (scientific notation, NaN, -0.0, summarised, 3-D)."""
    rng = np.random.default_rng(seed)
    shapes = [(), (1,), (3,), (5,), (20,), (21,), (2, 2), (2, 3), (3, 1), (4, 5), (2, 2, 2), (0,)]
    edges = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-4, 9.99e-5, 1e8, 99999999.9, 5e-324, 1 / 3, 2 / 3,
             123456.789, -0.0001, 0.99999995, 9.9999995, -999.9999996, 1000.0, 0.001, np.nan, np.inf]
    found = []
    for number in range(count):
        shape = shapes[number % len(shapes)]
        size = int(np.prod(shape))
        kind = number // len(shapes) % 5
        if kind == 0:
            values = rng.normal(size=size) * 10.0 ** rng.integers(-6, 9)
        elif kind == 1:
            values = rng.integers(-5, 5, size=size) / rng.choice([1.0, 2.0, 3.0, 7.0])
        elif kind == 2:
            values = rng.choice(edges, size=size)
        elif kind == 3:
            values = np.tanh(rng.normal(size=size) * 3)
        else:
            values = rng.uniform(-1, 1, size=size).round(int(rng.integers(0, 8)))
        found.append(np.asarray(values, dtype=np.float64).reshape(shape))
    return found


def test_show_writes_every_array_as_array2string_does() -> None:
    for value in _arrays(seed=5, count=6000):
        assert show(value) == _array2string(value), repr(value)
    for value in (np.arange(4, dtype=np.float32) / 3, np.arange(4), np.array([True, False])):
        assert show(value) == _array2string(value)


def test_show_follows_the_notebooks_print_options() -> None:
    value = np.array([1e-5, 0.5, 2.0])
    with np.printoptions(suppress=True):
        assert show(value) == _array2string(value) == "[0.00001, 0.5    , 2.     ]"
    with np.printoptions(floatmode="fixed"):
        assert show(np.array([0.5, 2.0])) == _array2string(np.array([0.5, 2.0])) == "[0.500000, 2.000000]"
    assert show(value) == "[1.e-05, 5.e-01, 2.e+00]"


def test_show_writes_small_float_arrays_without_array2string(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a correct answer's check() shows most (about 70 µs an array in array2string)."""
    def refused(*args: object, **kwargs: object) -> str:
        raise AssertionError("array2string called")

    monkeypatch.setattr(np, "array2string", refused)
    assert show(np.array([-0.9640275800758169, 0.0, 0.9640275800758169])) == "[-0.964028,  0.      ,  0.964028]"
    assert show(np.array([[0.0, 3.0], [0.0, 0.0]])) == "[[0., 3.], [0., 0.]]"
    assert show(np.array(0.0)) == "0."
    with pytest.raises(AssertionError, match="array2string called"):
        show(np.array([1e9, 1.0]))  # scientific notation: array2string's


def test_values_compare_as_isclose_says() -> None:
    """compare's shortcut for finite expected numbers agrees with np.isclose everywhere."""
    rng = np.random.default_rng(7)
    for want in _arrays(seed=11, count=1500):
        noise = rng.choice([0.0, 1e-12, 1e-7, 1e-5, 1e-3], size=want.shape) * rng.choice([-1, 1], size=want.shape)
        got = np.where(rng.random(size=want.shape) < 0.1, np.nan, want * (1 + noise) + noise)
        for rtol, atol in ((1e-5, 1e-8), (1e-6, 1e-9), (0.0, 0.0), (1e-3, 0.0)):
            close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
            finite_want = np.isfinite(want)
            if np.any(~np.isfinite(got) & finite_want):
                assert compare(want, got, rtol, atol) is not None
            elif bool(np.all(close)):
                assert compare(want, got, rtol, atol) is None, (want, got, rtol, atol)
            else:
                assert compare(want, got, rtol, atol) is not None, (want, got, rtol, atol)


def test_numpy_numbers_are_shown_as_the_expected_value_is() -> None:
    assert show(np.float64(3.0)) == show(3.0) == "3.0"
    assert show([np.float64(3.0), 0.5, np.float32(2.0), np.int64(1)]) == "[3.0, 0.5, 2.0, 1]"
    assert show({"mean": np.float64(2.0), "ok": np.bool_(True)}) == "{'mean': 2.0, 'ok': True}"
    assert show(np.float64(0.1234567891)) == "0.123457"


def test_arrays_of_three_and_more_dimensions_are_shown_with_one_space_between_rows() -> None:
    assert show(np.arange(8.0).reshape(2, 2, 2)) == "[[[0., 1.], [2., 3.]], [[4., 5.], [6., 7.]]]"
    assert show(np.zeros((1, 1, 2, 2))) == "[[[[0., 0.], [0., 0.]]]]"
    assert show(np.ones((2, 1, 1, 2))) == "[[[[1., 1.]]], [[[1., 1.]]]]"
