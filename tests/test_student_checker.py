"""check()/check_all() as a student sees them, against the small golden assignments."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from autograder.examples import expected, load_examples
from student import Checker, make_checker

FILES = Path(__file__).resolve().parent / "files"


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def numpy_reference() -> ModuleType:
    return load_module(FILES / "numpy_demo" / "reference.py", "numpy_demo_reference")


@pytest.fixture(scope="module")
def numpy_examples(numpy_reference: ModuleType) -> list[dict[str, Any]]:
    return expected(load_examples(FILES / "numpy_demo"), numpy_reference)


def correct_namespace(reference: ModuleType) -> dict[str, Any]:
    return {k: v for k, v in vars(reference).items() if not k.startswith("_")}


def test_correct_functions_pass_every_example(numpy_examples: list[dict[str, Any]],
                                              numpy_reference: ModuleType,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    check, check_all = make_checker(numpy_examples, correct_namespace(numpy_reference), "ru")
    result = check_all()
    out = capsys.readouterr().out
    assert (result.passed, result.total, result.ok) == (5, 5, True)
    assert "✗" not in out and out.count("✓") == 5
    assert "Всего пройдено примеров: 5 из 5" in out
    assert repr(check("sigmoid")) == "✓ 2/2"


def test_naive_sigmoid_fails_the_large_input_with_a_stability_hint(
        numpy_examples: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    def sigmoid(x: Any) -> Any:
        with np.errstate(over="ignore"):
            return 1 / (1 + np.exp(-np.asarray(x, dtype=float))) * np.where(np.asarray(x) > 100, np.nan, 1)

    result = Checker(numpy_examples, {"sigmoid": sigmoid}, "en").check("sigmoid")
    out = capsys.readouterr().out
    assert (result.passed, result.total) == (1, 2)
    assert "✗ sigmoid([-1000.0, 1000.0])" in out
    assert "expected:  [0., 1.]" in out and "got:       [ 0., nan]" in out
    assert "numerically stable" in out


@pytest.mark.parametrize(
    ("relu", "hint"),
    [
        (lambda x: np.maximum(np.asarray(x, dtype=float), 0.0).ravel(), "неверная форма"),
        (lambda x: np.maximum(np.asarray(x), 0).astype(int), "с плавающей точкой"),
        (lambda x: np.abs(np.asarray(x, dtype=float)), "неверные значения"),
        (lambda x: 1 / 0, "ZeroDivisionError"),
        (lambda x: None, "ожидался numpy.ndarray, а получен NoneType"),
    ],
)
def test_wrong_relu_gets_a_hint(numpy_examples: list[dict[str, Any]], relu: Any, hint: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    result = Checker(numpy_examples, {"relu": relu}).check("relu")
    out = capsys.readouterr().out
    assert result.passed == 0 and "✗" in out
    assert hint in out


def test_missing_stub_and_not_callable_names(numpy_examples: list[dict[str, Any]],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    def stats(x: Any) -> Any:
        raise NotImplementedError("Напишите здесь своё решение")

    checker = Checker(numpy_examples, {"stats": stats, "relu": 3}, "ru")
    assert checker.check("sigmoid").passed == 0
    assert checker.check("stats").passed == 0
    assert checker.check("relu").passed == 0
    out = capsys.readouterr().out
    assert "Имя `sigmoid` не определено" in out
    assert "`stats`: решение ещё не написано" in out
    assert "`relu` — это int" in out


def _pass(x: Any) -> Any:
    pass


def _ellipsis(x: Any) -> Any:
    ...


def _docstring(x: Any) -> Any:
    """ReLU: max(0, x)."""


def _forgot_return(x: Any) -> Any:
    np.maximum(np.asarray(x, dtype=float), 0.0)


@pytest.mark.parametrize("relu", [_pass, _ellipsis, _docstring])
def test_an_empty_body_is_not_done_yet(numpy_examples: list[dict[str, Any]], relu: Any,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert Checker(numpy_examples, {"relu": relu}, "en").check("relu").passed == 0
    out = capsys.readouterr().out
    assert "`relu` is not implemented yet" in out and "NoneType" not in out


def test_a_body_that_computes_but_returns_nothing_is_not_a_stub(
        numpy_examples: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    assert Checker(numpy_examples, {"relu": _forgot_return}, "en").check("relu").passed == 0
    out = capsys.readouterr().out
    assert "not implemented" not in out and "NoneType" in out


def test_a_function_that_changes_its_argument_fails(numpy_examples: list[dict[str, Any]],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    def shift(w: Any, b: float, lr: float) -> Any:
        w[0] = w[0] + lr  # right result, but the caller's list changed
        return np.array([w[0], w[1] + lr]), b - lr

    assert Checker(numpy_examples, {"shift": shift}, "en").check("shift").passed == 0
    assert "changed its argument #1" in capsys.readouterr().out


def test_tuple_result_and_dict_result_are_compared_item_by_item(
        numpy_examples: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    namespace = {"shift": lambda w, b, lr: (np.asarray(w) + lr, b + lr),
                 "stats": lambda x: {"mean": 3.0}}
    checker = Checker(numpy_examples, namespace, "en")
    assert checker.check("shift").passed == 0
    assert checker.check("stats").passed == 0
    out = capsys.readouterr().out
    assert "wrong values at [1]" in out
    assert "wrong keys: expected ['max', 'mean'], got ['mean']" in out


def test_check_accepts_the_function_itself_and_names_unknown_questions(
        numpy_examples: list[dict[str, Any]], numpy_reference: ModuleType,
        capsys: pytest.CaptureFixture[str]) -> None:
    checker = Checker(numpy_examples, correct_namespace(numpy_reference), "en")
    assert checker.check(numpy_reference.relu).ok
    result = checker.check("softmax")
    assert (result.total, result.ok) == (0, False)
    assert "There are no examples for `softmax`" in capsys.readouterr().out


def test_check_never_raises_even_on_a_damaged_example(capsys: pytest.CaptureFixture[str]) -> None:
    broken = [{"question": "f", "args": [{"$bad": 1}], "expected": 1.0, "rtol": 0, "atol": 0}]
    result = Checker(broken, {"f": lambda x: x}, "en").check("f")
    assert (result.passed, result.total) == (0, 1)
    assert "tell your instructor" in capsys.readouterr().out


def test_sys_exit_in_the_students_function_is_the_students_mistake_as_the_grader_says_it(
        numpy_examples: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    """``sys.exit()`` raises SystemExit, which is no Exception: it went through check() and
    ended the cell with IPython's SystemExit traceback. Now each example fails with the
    grader's own words for it (its public examples' message), and check_all() goes on."""
    from autograder.exceptions import StudentException
    from autograder.public import _problem

    def sigmoid(x: Any) -> Any:
        sys.exit("стоп")

    check, check_all = make_checker(numpy_examples, {"sigmoid": sigmoid}, "ru")
    result = check("sigmoid")
    out = capsys.readouterr().out
    assert (result.passed, result.total) == (0, 2)
    assert out.count("подсказка: ваш код выбросил SystemExit: стоп") == 2, out
    grader = _problem(StudentException("sigmoid([-2.0, 0.0, 2.0])", "SystemExit", "стоп"), "sigmoid")
    assert result.outcomes[0].problem == grader
    assert check_all().total == 5 and "Всего пройдено примеров: 0 из 5" in capsys.readouterr().out


def test_models_are_built_from_the_notebooks_class_with_the_examples_parameters(
        capsys: pytest.CaptureFixture[str]) -> None:
    torch = pytest.importorskip("torch")
    reference = load_module(FILES / "torch_demo" / "reference.py", "torch_demo_reference")
    data = expected(load_examples(FILES / "torch_demo"), reference)
    assert Checker(data, {"TinyNet": reference.TinyNet, "train": reference.train}).check_all().ok

    class TinyNet(torch.nn.Module):  # the wrong activation in the hidden layer
        def __init__(self, hidden: int = 3) -> None:
            super().__init__()
            self.fc1 = torch.nn.Linear(2, hidden)
            self.fc2 = torch.nn.Linear(hidden, 1)

        def forward(self, x: Any) -> Any:
            return torch.sigmoid(self.fc2(torch.relu(self.fc1(x))))

    class Renamed(torch.nn.Module):
        def __init__(self, hidden: int = 3) -> None:
            super().__init__()
            self.hidden = torch.nn.Linear(2, hidden)

    def train_items(model: Any, X: Any, y: Any, epochs: int, lr: float) -> list[Any]:
        return [torch.nn.BCELoss()(model(X), y) for _ in range(epochs)]

    capsys.readouterr()
    checker = Checker(data, {"TinyNet": TinyNet, "train": train_items}, "en")
    assert checker.check("TinyNet").passed == 0
    assert checker.check("train").passed == 0
    assert Checker(data, {"TinyNet": Renamed}, "en").check("TinyNet").passed == 0
    out = capsys.readouterr().out
    assert "wrong values (largest difference" in out
    assert "expected float at [0], got torch.Tensor" in out
    assert "the example's parameters do not fit your `TinyNet`" in out


def test_check_all_reuses_what_it_worked_out_for_examples_already_checked(
        numpy_examples: list[dict[str, Any]], numpy_reference: ModuleType,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A notebook runs check("sigmoid") and later check_all(): each example's call and
    expected value are written once (array2string made most of check()'s time), and
    again only after the notebook changes NumPy's print options."""
    import student.checker as checker

    written: list[str] = []
    describe = checker.describe_call
    monkeypatch.setattr(checker, "describe_call", lambda example: written.append(example["question"]) or describe(example))
    check, check_all = make_checker(numpy_examples, correct_namespace(numpy_reference), "ru")
    check("sigmoid")
    first = capsys.readouterr().out
    check_all()
    assert sorted(written) == sorted(str(e["question"]) for e in numpy_examples)
    assert first in capsys.readouterr().out
    with np.printoptions(precision=2):
        check("sigmoid")
    assert written.count("sigmoid") == 4
    check("sigmoid")
    assert capsys.readouterr().out.endswith(first) and written.count("sigmoid") == 6


class _Unprintable:
    """A student's class whose ``__repr__`` is broken."""

    def __repr__(self) -> str:
        raise RuntimeError("repr not written yet")


def test_a_returned_value_that_cannot_be_printed_is_the_students_not_a_damaged_example(
        numpy_examples: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    result = Checker(numpy_examples, {"relu": lambda x: _Unprintable()}, "ru").check("relu")
    out = capsys.readouterr().out
    assert (result.passed, result.total) == (0, 1)
    assert "✗ relu([[-1.0, 0.5], [2.0, -3.0]])" in out
    assert "получено:  <_Unprintable>" in out
    assert "ожидался numpy.ndarray, а получен _Unprintable" in out
    assert "преподавател" not in out


def test_check_with_nothing_to_check_says_how_to_call_it(
        numpy_examples: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    check, _ = make_checker(numpy_examples, {}, "ru")
    result = check()  # type: ignore[call-arg]
    out = capsys.readouterr().out
    assert (result.total, result.ok) == (0, False)
    assert out == ('Укажите, что проверить, например check("sigmoid"), или check_all() для всего сразу. '
                   "Есть примеры для: sigmoid, relu, shift, stats\n")


def test_check_and_check_all_shown_without_brackets_say_how_to_call_them(
        numpy_examples: list[dict[str, Any]], numpy_reference: ModuleType) -> None:
    """A cell ending in ``check_all`` shows its repr: how to call it, none of our names."""
    check, check_all = make_checker(numpy_examples, correct_namespace(numpy_reference), "ru")
    assert repr(check_all) == "check_all — это функция: допишите скобки, check_all(), чтобы запустить все примеры"
    assert repr(check) == 'check — это функция: вызовите её с именем в скобках, например check("sigmoid")'
    assert check("sigmoid").ok and check(name="sigmoid").ok and check_all().ok


def test_a_model_whose_layers_do_not_fit_is_told_which_keys_and_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    """torch's first line names only the class; the keys and sizes are what to fix."""
    torch = pytest.importorskip("torch")
    reference = load_module(FILES / "torch_demo" / "reference.py", "torch_demo_reference")
    data = expected(load_examples(FILES / "torch_demo"), reference)

    class TinyNet(torch.nn.Module):  # fc1 renamed
        def __init__(self, hidden: int = 3) -> None:
            super().__init__()
            self.layer1 = torch.nn.Linear(2, hidden)
            self.fc2 = torch.nn.Linear(hidden, 1)

    class Wider(torch.nn.Module):  # the right names, a hidden layer twice as wide
        def __init__(self, hidden: int = 3) -> None:
            super().__init__()
            self.fc1 = torch.nn.Linear(2, 2 * hidden)
            self.fc2 = torch.nn.Linear(2 * hidden, 1)

    assert Checker(data, {"TinyNet": TinyNet}, "ru").check("TinyNet").passed == 0
    assert Checker(data, {"TinyNet": Wider}, "ru").check("TinyNet").passed == 0
    out = capsys.readouterr().out
    assert 'параметры примера не подходят к вашему `TinyNet` (Missing key(s) in state_dict: "layer1.weight", ' \
           '"layer1.bias". Unexpected key(s) in state_dict: "fc1.weight", "fc1.bias"). Проверьте' in out
    assert "(size mismatch for fc1.weight: copying a param with shape torch.Size([3, 2])" in out
    assert "Error(s) in loading" not in out


def test_a_float64_tensor_into_a_float32_model_gets_the_graders_float_hint_in_check(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A forward that makes its input float64 (``torch.tensor(np.array(x, dtype=np.float64))``,
    NumPy's default kept): check() showed PyTorch's bare English "mat1 and mat2 must have the
    same dtype". It now gives the hint the grader gives ("use .float()"), in the student's
    language, word for word as the grader's public examples say it."""
    torch = pytest.importorskip("torch")
    from autograder.exceptions import StudentException
    from autograder.public import _problem

    reference = load_module(FILES / "torch_demo" / "reference.py", "torch_demo_reference")
    data = expected(load_examples(FILES / "torch_demo"), reference)

    class TinyNet(reference.TinyNet):  # type: ignore[misc, name-defined]
        def forward(self, x: Any) -> Any:
            return super().forward(torch.tensor(np.array(x.tolist(), dtype=np.float64)))

    result = Checker(data, {"TinyNet": TinyNet}, "ru").check("TinyNet")
    out = capsys.readouterr().out
    assert result.passed == 0
    assert ("подсказка: ваш код выбросил RuntimeError: mat1 and mat2 must have the same dtype, but got Double and "
            "Float. В вычислении смешаны тензоры float64 (Double) и float32 (Float)") in out, out
    assert "`X.float()` или `torch.tensor(X, dtype=torch.float32)`" in out
    error = StudentException("TinyNet(...)", "RuntimeError", "mat1 and mat2 must have the same dtype, but got Double and Float")
    assert result.outcomes[0].problem == _problem(error, "TinyNet")
