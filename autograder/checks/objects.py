"""How a method's object was made, said when a check of the method fails.

A method that reads what other methods stored (a seminar's ``car.set_cost(1000)`` before
``car.new_cost(2)``) is checked on an object made with its constructor and given those
calls first. "`Car.new_cost` returned wrong values, input: (2,)" does not tell the student
which object that was; :func:`made_as` writes the steps as code they can run in their
notebook, and :func:`on_object` adds them to whatever failure happens inside.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from autograder.checks.api import CheckFailed, Scored
from autograder.checks.compare import show
from autograder.exceptions import StudentCodeError
from autograder.i18n import Text, msg

Step = tuple[str, Sequence[Any], Mapping[str, Any]]


def call_code(name: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None) -> str:
    """``name(args, key=value)`` as code: ``Car('BMW', 'red')``, ``set_cost(1000.0)``."""
    shown = [show(value, 80) for value in args] + [f"{key}={show(value, 80)}" for key, value in (kwargs or {}).items()]
    return f"{name}({', '.join(shown)})"


def made_as(cls: str, init_args: Sequence[Any], init_kwargs: Mapping[str, Any], calls: Sequence[Step],
            method: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None) -> Text:
    """"The object and its calls: `Car('BMW', 'red')`, then `.set_cost(1000.0)`, then
    `.new_cost(2)`." (en and ru): the constructor, the calls made on the object before
    (``calls``: ``(name, args, kwargs)``), and the call checked."""
    steps = [call_code(cls, init_args, init_kwargs)]
    steps += ["." + call_code(name, before_args, before_kwargs) for name, before_args, before_kwargs in calls]
    steps.append("." + call_code(method, args, kwargs))
    joined = Text(en="`, then `".join(steps), ru="`, затем `".join(steps))
    return msg("check.object_made", steps=joined)


@contextmanager
def on_object(how: Text) -> Iterator[None]:
    """A check's failure inside (not a score in bands) ends with ``how`` the object was made;
    so does a call that raised, told on its own error (``made``), which stays what it is: a
    method still ``raise NotImplementedError`` is still said once as not implemented yet."""
    try:
        yield
    except Scored:
        raise
    except CheckFailed as failure:
        raise CheckFailed(failure.text + Text.plain("\n") + how) from None
    except StudentCodeError as error:
        error.made = how
        raise
