"""A stub without a placeholder comment (``pass``, ``...``, a docstring) is "not done yet"
when it is a function or method the assignment asks for, and only then."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autograder.config import Settings, load_settings, replace
from autograder.exceptions import StudentException
from autograder.grading import Grader, Submission
from autograder.i18n import msg
from autograder.placeholders import Placeholders
from autograder.stubs import asked, empty_body
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from tests.helpers import ROOT, write_notebook

ASKED = Placeholders().asking({"relu", "Perceptron.forward_pass"})


def outcome(source: str, call: str, blanks: Placeholders = ASKED) -> object:
    rewritten = blanks.rewrite(source)
    assert rewritten.count("\n") == source.count("\n")  # lines keep their numbers
    namespace: dict[str, object] = {}
    exec(rewritten, namespace)
    try:
        return eval(call, namespace)
    except NotImplementedError as error:
        return f"not done: {error}"


@pytest.mark.parametrize(("source", "shown"), [
    ("def relu(x): pass\n", "pass"),
    ("def relu(x):\n    ...\n", "..."),
    ('def relu(x):\n    """Нелинейность: max(0, x)."""\n', '"""Нелинейность: max(0, x)."""'),
    ('def relu(x):\n    """ReLU."""\n    pass  # TODO\n', '"""ReLU."""'),
    ("if True:\n    def relu(x):\n        pass\n", "pass"),
])
def test_an_empty_body_of_an_asked_function_is_not_done(source: str, shown: str) -> None:
    assert outcome(source, "relu(1)") == f"not done: {shown}"


def test_an_empty_method_of_an_asked_class_is_not_done() -> None:
    source = ("class Perceptron:\n    def __init__(self, w=None):\n        pass\n\n"
              "    def forward_pass(self, X):\n        pass\n\n    def activate(self, x):\n        pass\n")
    assert outcome(source, "Perceptron().forward_pass(1)") == "not done: pass"
    assert outcome(source, "Perceptron().activate(1)") is None  # not asked: ordinary code


@pytest.mark.parametrize("source", [
    "def relu(x):\n    return max(x, 0)\n",
    "def relu_helper(x):\n    pass\n",                        # not asked
    "def forward_pass(self, X):\n    pass\n",                 # a function, not Perceptron's method
    "class Other:\n    def forward_pass(self, X):\n        pass\n",
    "def relu(x):\n    def inner():\n        pass\n    inner()\n    return x\n",
    "def relu(x):\n    raise NotImplementedError\n",          # raises already: unchanged
])
def test_other_code_is_left_alone(source: str) -> None:
    assert ASKED.rewrite(source) == source


def test_a_stub_in_a_cell_with_a_syntax_error_elsewhere_is_not_done() -> None:
    source = "def relu(x):\n    pass\n\ndef tanh(x:\n    return x\n"
    rewritten = ASKED.rewrite(source)
    assert rewritten.splitlines()[1] == '    pass; raise NotImplementedError("pass")'
    assert rewritten.splitlines()[3:] == source.splitlines()[3:]


def test_the_asked_functions_come_from_the_questions_and_the_reference() -> None:
    reference = ("def relu(x):\n    return x\n\ndef hook(x):\n    pass\n\n"
                 "class Net:\n    def __init__(self):\n        self.a = 1\n\n"
                 "    def forward(self, x):\n        return x\n\n    def on_epoch_end(self):\n        pass\n")
    assert asked(["relu", "hook", "Net", "Net.forward", "missing"], reference) == {
        "relu", "Net.__init__", "Net.forward", "missing"}  # not `hook`, not `on_epoch_end`: empty there too
    assert asked(["relu", "Net"], None) == {"relu", "Net"}
    neuron = (ROOT / "assignments" / "neuron" / "reference.py").read_text(encoding="utf-8")
    assert "Perceptron.forward_pass" in asked(["Perceptron.forward_pass"], neuron)


def graded(language: str, jail: Jail, tmp_path: Path, cells: list[str], assignment: str = "activations"
           ) -> SubmissionResult:
    base = load_settings(ROOT / "grading_config.yaml")
    short = {"cell_timeout_s": 3.0, "call_timeout_s": 3.0, "run_timeout_s": 20.0, "memory_mb": 512}
    settings = Settings(replace(base.config, language=language, limits=replace(base.config.limits, **short)),
                        base.path)
    return Grader(assignment, settings, jail).grade(Submission("s", write_notebook(tmp_path / "s.ipynb", cells)))


@pytest.mark.parametrize(("body", "language"), [
    ("pass", "ru"), ("...", "en"), ('"""ReLU: max(0, x)."""', "ru"),
    ("# Ваш код здесь", "en"),                                        # a placeholder
    ('raise NotImplementedError("Напишите здесь своё решение")', "ru"),  # the stub `assign` writes
])
def test_graded_empty_relu_is_not_done_by_name(jail: Jail, tmp_path: Path, body: str, language: str) -> None:
    result = graded(language, jail, tmp_path, ["import numpy as np", f"def relu(x):\n    {body}\n",
                                               "def tanh(x):\n    return np.tanh(np.asarray(x, dtype=float))\n"])
    relu = next(q for q in result.questions if q.name == "relu")
    assert relu.score == 0.0
    said = msg("cause.not_implemented", name="relu", cell=3)  # the same words for all five
    assert relu.cause == said.render(language)
    assert relu.cause.startswith("`relu` ещё не реализована: в ячейке 3" if language == "ru"
                                 else "`relu` is not implemented yet: in cell 3")
    assert all("NoneType" not in c.message and "None" not in c.message for c in relu.checks)
    assert next(q for q in result.questions if q.name == "tanh").score == 2.0


HEADERS = ["(x):", "(x: float) -> float:  # the activation", '(x, name="relu"):', "(\n        x,\n    ):", "(x): pass"]
BODIES = ["pass", "...", '"""ReLU."""', '"""ReLU.\n\n    # not a comment: the docstring goes on\n    """',
          '"""ReLU."""\n    pass', "# Вычислите\n    pass", "return x", '"""ReLU."""\n    return x',
          '"""ReLU.\n    Returns max(0, x).\n    """\n    return np.maximum(x, 0)', "'''Doc'''\n    ...",
          "x = 1\n    pass", 'r"""Raw."""']


@pytest.mark.parametrize("header", HEADERS)
def test_the_quick_reading_of_the_text_never_misses_an_empty_body(header: str) -> None:
    """The text is read first so finished functions are not parsed; the parse decides."""
    for body in BODIES:
        for inside in (False, True):
            source = f"def relu{header}\n    {body}\n" if not header.endswith("pass") else f"def relu{header}\n"
            name = "relu"
            if inside:
                source = "class Perceptron:\n" + "".join(f"    {line}\n" if line else "\n"
                                                         for line in source.replace("relu", "forward_pass").split("\n")[:-1])
                name = "Perceptron.forward_pass"
            tree = ast.parse(source)
            empty = any(isinstance(node, ast.FunctionDef) and empty_body(node.body) for node in ast.walk(tree))
            rewritten = ASKED.rewrite(source) != source
            assert rewritten == empty, (name, source)


def test_a_finished_function_with_a_docstring_is_not_parsed() -> None:
    assert not ASKED._stubs.may_be_in('def relu(x):\n    """ReLU.\n    Returns max(0, x).\n    """\n    return x\n')
    assert not ASKED._stubs.may_be_in("def relu(x):\n    return x\n\ndef tanh(x):\n    pass\n")  # tanh: not asked
    assert ASKED._stubs.may_be_in('def relu(x):\n    """ReLU."""\n')


def test_a_function_that_calls_a_stub_names_the_stub() -> None:
    frames = ('  File "<cell 4>", line 12, in fit\n    self.backward_pass(X, y, y_pred)\n'
              '  File "<cell 4>", line 8, in backward_pass\n    pass; raise NotImplementedError("pass")\n')
    calls_a_stub = StudentException("Perceptron.fit(X, y)", "NotImplementedError", "pass", frames)
    assert calls_a_stub.unfinished == "backward_pass"
    assert calls_a_stub.text().en.startswith("`backward_pass` is not implemented yet")
    placeholder = ('  File "<cell 4>", line 3, in activate\n    return (_ for _ in ()).throw(...)\n'
                   '  File "<cell 4>", line 3, in <genexpr>\n    return (_ for _ in ()).throw(...)\n')
    assert StudentException("Perceptron.activate(x)", "NotImplementedError", "", placeholder).unfinished == \
        "Perceptron.activate"
    assert StudentException("relu(x)", "NotImplementedError", "", "").unfinished == "relu"
    assert StudentException("relu(x)", "NotImplementedError", "", frames + " " * 2000).unfinished == "relu"
