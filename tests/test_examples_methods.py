"""Public examples of methods: an instance of the student's class, a method called on it,
and the instance's state after the call compared as data (never by the student's
``__eq__``); question names ``Class.method`` everywhere a name is looked up."""

from __future__ import annotations

import json
import types

import numpy as np
import pytest

from autograder.config import Limits
from autograder.examples import Example, expected, instance
from autograder.public import run_public_examples
from autograder.exceptions import AssignmentError, StudentException
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from student.checker import describe_call, make_checker

COUNTER = '''
import numpy as np

class Counter:
    def __init__(self, start=0, step=None):
        self.value = start
        self.step = np.ones(2) if step is None else step

    def add(self, x):
        self.value = self.value + x

    def scaled(self, k):
        return self.step * k
'''

REFERENCE = types.ModuleType("reference")
exec(COUNTER, vars(REFERENCE))

EXAMPLES = [
    Example("Counter.add", on=instance("Counter", start=1), args=(2.5,), state=("value",)),
    Example("Counter.scaled", on=instance("Counter", step=np.array([1.0, -2.0])), args=(3,)),
]

WRONG = COUNTER.replace("self.value = self.value + x", "return self.value + x")
LIAR = WRONG + '''
    def __eq__(self, other):
        return True

    def __bool__(self):
        return True
'''


def data() -> list[dict]:
    return expected(EXAMPLES, REFERENCE)


def test_method_examples_are_plain_json_with_the_state_to_compare() -> None:
    encoded = data()
    assert json.loads(json.dumps(encoded)) == encoded
    add = encoded[0]
    assert add["target"] == {"$method": "add", "of": {"$instance": "Counter", "init": {"$dict": {"start": 1}}}}
    assert add["state"] == ["value"]
    assert add["expected"] == {"$dict": {"returned": None, "self.value": 3.5}}
    assert describe_call(add) == "Counter(start=1).add(2.5)"


@pytest.mark.parametrize(("example", "reason"), [
    (Example("add", on=instance("Counter")), "needs the question 'Counter.<method>'"),
    (Example("Other.add", on=instance("Counter")), "needs the question 'Counter.<method>'"),
    (Example("Counter.add", args=(1,), state=("value",)), "state= needs on=instance"),
    (Example("Counter.nope", on=instance("Counter")), "nope"),
])
def test_bad_method_examples_are_assignment_errors(example: Example, reason: str) -> None:
    with pytest.raises(AssignmentError, match=reason):
        expected([example], REFERENCE)


def test_in_the_notebook_state_counts_and_check_takes_the_method_itself(capsys: pytest.CaptureFixture[str]) -> None:
    right: dict = {}
    exec(COUNTER, right)
    check, _ = make_checker(data(), right, "en")
    assert check(right["Counter"].add).ok and check("Counter.scaled").ok   # __qualname__ is the question
    wrong: dict = {}
    exec(WRONG, wrong)
    check, _ = make_checker(data(), wrong, "en")
    result = check(wrong["Counter"].add)
    assert not result.ok
    assert "['returned']" in capsys.readouterr().out


def test_check_of_a_class_runs_the_examples_of_its_methods(capsys: pytest.CaptureFixture[str]) -> None:
    wrong: dict = {}
    exec(WRONG, wrong)
    check, _ = make_checker(data(), wrong, "en")
    for name in (wrong["Counter"], "Counter"):
        result = check(name)
        out = capsys.readouterr().out
        assert (result.passed, result.total) == (1, 2)
        assert "Counter.add: 0 of 1 examples passed" in out and "Counter.scaled: 1 of 1 examples passed" in out
        assert "In total: 1 of 2 examples passed" in out and "no examples" not in out


def test_through_the_jail_state_comes_back_as_data(jail: Jail, fast_limits: Limits) -> None:
    for source, passed in ((COUNTER, True), (WRONG, False), (LIAR, False)):
        with Session(jail.spawn, [CodeCell(0, source)], fast_limits) as session:
            outcomes = run_public_examples(session.proxy, data(), "en")
            assert outcomes["Counter.add"].passed is passed, (source, outcomes["Counter.add"].message.en)
            assert outcomes["Counter.scaled"].passed
    empty = "class Counter:\n    def __init__(self, start=0, step=None):\n        pass\n"
    with Session(jail.spawn, [CodeCell(0, empty)], fast_limits) as session:
        message = run_public_examples(session.proxy, data(), "en")["Counter.add"].message.en
        assert "`Counter.add` is not defined" in message


METHODS = '''
class Meta(type):
    def __getattr__(cls, name):
        raise SystemExit("probed")

class Perceptron(metaclass=Meta):
    def fit(self, X):
        raise NotImplementedError("<Ваш код здесь>")

    @property
    def weights(self):
        raise SystemExit("property ran")
'''


def test_dotted_names_are_found_without_running_student_code(jail: Jail, fast_limits: Limits) -> None:
    with Session(jail.spawn, [CodeCell(0, METHODS)], fast_limits) as session:
        assert session.has("Perceptron") and session.has("Perceptron.fit") and session.has("Perceptron.weights")
        assert not session.has("Perceptron.predict") and not session.has("Nothing.fit")
        model = session.call("Perceptron")
        with pytest.raises(StudentException) as raised:
            model.fit(1)
        assert raised.value.call.startswith("Perceptron.fit(")
        assert "`Perceptron.fit` is not implemented yet" in raised.value.text().en
