"""Public examples: authoring, expected values from the reference, and the grader's
run of the same JSON through the submission proxy (a test double, then the real jail)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
import pytest

from autograder import checks
from autograder.config import Limits
from autograder.examples import Example, expected, load_examples, model, tensor
from autograder.exceptions import AssignmentError, MissingName, NotCallable, StudentException
from autograder.instructor import load_reference
from autograder.notebook import CodeCell
from autograder.public import run_public_examples
from autograder.sandbox.jail import Jail
from autograder.session import Session

FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture(scope="module")
def numpy_examples() -> list[dict[str, Any]]:
    return expected(load_examples(FILES / "numpy_demo"), load_reference(FILES / "numpy_demo"))


@pytest.fixture(scope="module")
def torch_examples() -> list[dict[str, Any]]:
    pytest.importorskip("torch")
    return expected(load_examples(FILES / "torch_demo"), load_reference(FILES / "torch_demo"))


def test_expected_values_are_strict_json_data_without_reference_code(
        numpy_examples: list[dict[str, Any]], torch_examples: list[dict[str, Any]]) -> None:
    for data, folder in ((numpy_examples, "numpy_demo"), (torch_examples, "torch_demo")):
        text = json.dumps(data, allow_nan=False)
        assert "def " not in text and "logaddexp" not in text and "BCELoss" not in text
        reference = (FILES / folder / "reference.py").read_text(encoding="utf-8")
        code_lines = [line.strip() for line in reference.splitlines() if len(line.strip()) > 12]
        assert not [line for line in code_lines if line in text]
    assert numpy_examples[0]["expected"]["$array"] == pytest.approx([0.1192029, 0.5, 0.8807971])
    assert numpy_examples[1]["expected"] == {"$array": [0.0, 1.0], "dtype": "float64", "shape": [2]}
    assert numpy_examples[3]["expected"]["$tuple"][1] == 0.25


def test_models_carry_the_reference_parameters_of_their_seed(
        torch_examples: list[dict[str, Any]]) -> None:
    import torch

    reference = load_reference(FILES / "torch_demo")
    torch.manual_seed(2)
    weight = reference.TinyNet(hidden=3).fc1.weight.detach().numpy()
    spec = torch_examples[1]["args"][0]
    assert spec["$model"] == "TinyNet" and spec["init"] == {"$dict": {"hidden": 3}}
    assert np.array_equal(np.array(spec["state"]["fc1.weight"]["$array"], dtype=np.float32), weight)
    assert torch_examples[1]["kwargs"] == {"epochs": 3, "lr": 0.5}
    assert len(torch_examples[1]["expected"]) == 3


def test_authoring_helpers() -> None:
    assert tensor([[1, 2]], "int64").dtype == "torch.int64"
    assert tensor is checks.tensor  # one tensor(): the examples' and the hidden checks'
    identity = SimpleNamespace(f=lambda x: x)
    stored = expected([Example("f", args=(tensor([[1, 2]], "int64"),))], identity)  # type: ignore[arg-type]
    assert stored[0]["args"] == [{"$tensor": [[1, 2]], "dtype": "int64", "shape": [1, 2]}]
    for refused in (tensor([1], "complex64"), tensor([1.0], requires_grad=True)):
        with pytest.raises(AssignmentError, match="tensor"):
            expected([Example("f", args=(refused,))], identity)  # type: ignore[arg-type]
    spec = model("XorNet", seed=3, hidden=4)
    assert (spec.cls_name, spec.seed, dict(spec.init)) == ("XorNet", 3, {"hidden": 4})
    assert Example("f", args=(1,)).rtol > 0


@pytest.mark.parametrize(
    ("example", "reason"),
    [
        (Example("absent", args=(1.0,)), "`absent` is not defined"),
        (Example("sigmoid", args=("text",)), "the reference failed"),
        (Example("sigmoid", target=model("Missing"), args=(1.0,)), "the reference has no class"),
        (Example("sigmoid", args=(object(),)), "cannot be stored"),
    ],
)
def test_examples_the_reference_cannot_answer_are_assignment_errors(example: Example, reason: str) -> None:
    with pytest.raises(AssignmentError, match=reason):
        expected([example], load_reference(FILES / "numpy_demo"))


def test_load_examples_needs_a_list_of_examples(tmp_path: Path) -> None:
    with pytest.raises(AssignmentError, match="missing"):
        load_examples(tmp_path)
    (tmp_path / "examples.py").write_text("EXAMPLES = [('sigmoid', 1)]\n", encoding="utf-8")
    with pytest.raises(AssignmentError, match="must be a list"):
        load_examples(tmp_path)


# ---- the grader's run, against a test double of the submission proxy ---------------


@dataclass(frozen=True)
class FakeCallResult:
    value: Any
    args_after: tuple[Any, ...] | None
    stdout: str = ""


class FakeProxy:
    """Test double of ``SubmissionProxy`` for NumPy-only examples: calls plain
    functions in this process (trusted test code) and raises the sandbox's errors."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace

    def call_ex(self, target: str, args: Any = (), kwargs: dict[str, Any] | None = None, *,
                return_args: bool = False, timeout: float | None = None,
                allowance: float | None = None) -> FakeCallResult:
        if target not in self.namespace:
            raise MissingName(target)
        function = self.namespace[target]
        if not callable(function):
            raise NotCallable(target, type(function).__name__)
        args = copy.deepcopy(list(args))
        try:
            value = function(*args, **(kwargs or {}))
        except Exception as error:
            raise StudentException(f"{target}(...)", type(error).__name__, str(error)) from None
        return FakeCallResult(value, tuple(args) if return_args else None)

    def call(self, target: str, *args: Any, **kwargs: Any) -> Any:
        return self.call_ex(target, args, kwargs).value


def reference_namespace() -> dict[str, Callable[..., Any]]:
    reference = load_reference(FILES / "numpy_demo")
    return {name: getattr(reference, name) for name in ("sigmoid", "relu", "shift", "stats")}


def test_a_correct_submission_passes_every_question(numpy_examples: list[dict[str, Any]]) -> None:
    outcomes = run_public_examples(FakeProxy(reference_namespace()), numpy_examples, "ru")
    assert list(outcomes) == ["sigmoid", "relu", "shift", "stats"]
    assert all(o.passed and o.message.en == "" for o in outcomes.values())


def test_failures_carry_the_notebooks_hints_in_both_languages(
        numpy_examples: list[dict[str, Any]]) -> None:
    def stub(x: Any) -> Any:
        raise NotImplementedError

    def shift(w: list[float], b: float, lr: float) -> Any:
        w[0] += lr
        return np.array([w[0], w[1] + lr]), b - lr

    namespace = reference_namespace() | {"relu": stub, "stats": 3, "shift": shift}
    del namespace["sigmoid"]
    outcomes = run_public_examples(FakeProxy(namespace), numpy_examples, "ru")
    assert not any(o.passed for o in outcomes.values())
    assert "`sigmoid` is not defined" in outcomes["sigmoid"].message.en
    assert "Имя `sigmoid` не определено" in outcomes["sigmoid"].message.ru
    assert "sigmoid: 0 of 2 examples passed" in outcomes["sigmoid"].message.en
    assert "not implemented yet" in outcomes["relu"].message.en
    assert "`stats` is a int" in outcomes["stats"].message.en
    assert "changed its argument #1" in outcomes["shift"].message.en


def test_one_wrong_example_fails_the_question_and_only_it_is_shown(
        numpy_examples: list[dict[str, Any]]) -> None:
    namespace = reference_namespace()
    namespace["sigmoid"] = lambda x: 1 / (1 + np.exp(-np.clip(x, -30, 30))) + 0 * np.asarray(x)
    namespace["sigmoid"] = lambda x, f=namespace["sigmoid"]: np.where(np.abs(x) > 100, np.nan, f(x))
    outcome = run_public_examples(FakeProxy(namespace), numpy_examples, "en")["sigmoid"]
    assert not outcome.passed
    assert "1 of 2 examples passed" in outcome.message.en
    assert "NaN or infinity" in outcome.message.en and "[-2.0, 0.0, 2.0]" not in outcome.message.en


# ---- the same through the real jail -------------------------------------------------


def cells_from(path: Path, extra: str = "") -> list[CodeCell]:
    return [CodeCell(0, path.read_text(encoding="utf-8") + extra)]


def test_public_examples_through_the_real_jail(jail: Jail, fast_limits: Limits,
                                               numpy_examples: list[dict[str, Any]],
                                               torch_examples: list[dict[str, Any]]) -> None:
    numpy_cells = cells_from(FILES / "numpy_demo" / "reference.py",
                             "\ndef relu(x):\n    return np.abs(np.asarray(x, dtype=float))\n")
    with Session(jail.spawn, numpy_cells, fast_limits) as session:
        outcomes = run_public_examples(session.proxy, numpy_examples, "ru")
    assert {q: o.passed for q, o in outcomes.items()} == {
        "sigmoid": True, "relu": False, "shift": True, "stats": True}
    assert "неверные значения" in outcomes["relu"].message.ru

    torch_cells = cells_from(FILES / "torch_demo" / "reference.py")
    with Session(jail.spawn, torch_cells, Limits()) as session:
        outcomes = run_public_examples(session.proxy, torch_examples, "ru")
    assert all(o.passed for o in outcomes.values()), {q: o.message.en for q, o in outcomes.items()}

    wrong = cells_from(FILES / "torch_demo" / "reference.py",
                       "\nclass TinyNet(nn.Module):\n    def __init__(self, hidden=3):\n"
                       "        super().__init__()\n        self.layer = nn.Linear(2, hidden)\n")
    with Session(jail.spawn, wrong, Limits()) as session:
        outcomes = run_public_examples(session.proxy, torch_examples, "ru")
    assert not outcomes["TinyNet"].passed and not outcomes["train"].passed
    assert "do not fit your `TinyNet`" in outcomes["TinyNet"].message.en


class Singles:
    """The submission proxy without ``call_many``: every example is a call of its own."""

    def __init__(self, proxy: Any) -> None:
        self.proxy = proxy

    def __getattr__(self, name: str) -> Any:
        if name == "call_many":
            raise AttributeError(name)
        return getattr(self.proxy, name)


BATCH_CASES = {  # what the notebook changes in the reference, and the question it fails
    "right": ("", None),
    "raises on lists": ( "\ndef relu(x):\n    if isinstance(x, list):\n        raise TypeError('no lists')\n"
                       "    return np.maximum(0.0, np.asarray(x, dtype=float))\n", "relu"),
    "changes its input": ("\ndef softmax(x):\n    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n"
                          "    if isinstance(x, list):\n        x[0] = 9.0\n"
                          "    return e / e.sum(axis=-1, keepdims=True)\n", "softmax"),
    "hangs on a number": ("\ndef step(x):\n    while np.ndim(x) == 0:\n        pass\n"
                          "    return np.where(np.asarray(x) >= 0, 1.0, 0.0)\n", "step"),
    "hangs in the middle": ("\ndef tanh(x):\n    while np.ndim(x) == 2:\n        pass\n"
                            "    return np.tanh(np.asarray(x, dtype=float))\n", "tanh"),
    "prints, returns ints": ("\ndef sigmoid_grad(x):\n    print('hi')\n    return np.asarray(x, dtype=int)\n",
                             "sigmoid_grad"),
}


def test_batched_examples_give_what_calls_one_by_one_give(jail: Jail, fast_limits: Limits) -> None:
    from autograder.config import load_settings
    from autograder.public import PublicExamples

    root = Path(__file__).resolve().parent.parent
    public = PublicExamples.load("activations", load_settings(root / "grading_config.yaml"))
    source = (root / "assignments" / "activations" / "reference.py").read_text(encoding="utf-8")
    timeouts = [1.0] * len(public.data)
    for case, (extra, failing) in BATCH_CASES.items():
        found = []
        for batched in (True, False):
            with Session(jail.spawn, [CodeCell(0, source + extra)], fast_limits) as session:
                proxy = session.proxy if batched else Singles(session.proxy)
                outcomes = run_public_examples(proxy, public.data, "en", scope=session.scope,
                                               timeouts=timeouts, prepared=public.prepared)
            found.append({q: (o.passed, o.message.en, o.message.ru) for q, o in outcomes.items()})
        assert found[0] == found[1], case
        assert [q for q, (passed, _, _) in found[0].items() if not passed] == ([failing] if failing else []), case


def test_a_reference_failing_on_an_example_names_both_files_and_the_line(tmp_path: Path) -> None:
    """``assign`` and ``verify`` show no traceback: the one line names the example in
    examples.py, the reference's line that raised, and what to fix."""
    (tmp_path / "reference.py").write_text("def f(x):\n    if len(x) > 1:\n        raise ValueError('one at most')\n"
                                           "    return x\n")
    (tmp_path / "examples.py").write_text("")
    with pytest.raises(AssignmentError) as refused:
        expected([Example("f", args=([1.0],)), Example("f", args=([1.0, 2.0],))], load_reference(tmp_path))
    folder = tmp_path.resolve()
    assert str(refused.value) == (
        f"{folder / 'examples.py'}: example 2 (f): the reference failed at {folder / 'reference.py'}:3: "
        "ValueError: one at most; fix reference.py or the example's inputs")


def test_check_in_the_notebook_and_the_graders_public_examples_word_a_mistake_alike() -> None:
    """``sigmoid_grad`` that forgets its ``return``: the notebook said "ожидался float,
    а получен NoneType" for ``sigmoid_grad(0.5)`` and ``validate``/``grade`` "ожидался
    float64", because the grader compared with the reference's np.float64 as computed, the
    notebook with the JSON it embeds. Both now read the same data: the same words."""
    from autograder.config import load_settings
    from autograder.public import PublicExamples
    from student.checker import evaluate

    root = Path(__file__).resolve().parent.parent
    public = PublicExamples.load("activations", load_settings(root / "grading_config.yaml"))
    reference = load_reference(root / "assignments" / "activations")
    namespace = {name: getattr(reference, name) for name in public.questions}

    def sigmoid_grad(x: Any) -> None:
        s = reference.sigmoid(x)
        s * (1 - s)  # no return: a student's usual slip

    namespace["sigmoid_grad"] = sigmoid_grad
    embedded = json.loads(json.dumps(public.data))  # what the setup cell carries
    notebook = [evaluate(example, namespace) for example in embedded if example["question"] == "sigmoid_grad"]
    grader = run_public_examples(FakeProxy(namespace), public.data, "ru")["sigmoid_grad"]
    assert "ожидался float, а получен NoneType." in grader.message.ru
    assert [outcome.problem for outcome in notebook] == [
        {"en": line.split("hint:      ", 1)[1], "ru": line_ru.split("подсказка: ", 1)[1]}
        for line, line_ru in zip([x for x in grader.message.en.splitlines() if "hint:" in x],
                                 [x for x in grader.message.ru.splitlines() if "подсказка:" in x])]
