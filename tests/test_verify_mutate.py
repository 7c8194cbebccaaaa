"""Mutants of solution code: the operators, where they apply, how mutants read, stable ids."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from autograder.exceptions import ConfigError
from autograder.verify.equivalents import FILENAME, load_equivalents
from autograder.verify.mutate import Mutant, mutants_of_cell
from autograder.verify.report import question_of


def cell(body: str, before: str = "", after: str = "", header: str = "def f(x, n):") -> str:
    """A cell with one function whose body is a solution region."""
    inner = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    return (f"{before}{header}\n    \"\"\"Докстрока по-русски.\"\"\"\n    ### BEGIN SOLUTION\n"
            f"{inner}\n    ### END SOLUTION\n{after}")


def made(source: str, operator: str | None = None) -> list[Mutant]:
    return [m for m in mutants_of_cell(3, source) if operator is None or m.operator == operator]


def changes(source: str, operator: str) -> set[str]:
    return {m.change for m in made(source, operator)}


def test_comparisons_change_the_boundary_and_the_direction() -> None:
    found = changes(cell("return np.where(x >= 0, 1.0, 0.0)  # комментарий"), "compare")
    assert "return np.where(x >= 0, 1.0, 0.0)  # комментарий  ->  return np.where(x > 0, 1.0, 0.0)  # комментарий" in found
    assert any("x <= 0" in c for c in found)


def test_arithmetic_constants_and_dropped_factors() -> None:
    source = cell("return 2.0 * (x - 1) / n")
    assert {c.split("->")[1].strip() for c in changes(source, "drop")} >= {
        "return 2.0 * (x - 1)", "return (x - 1) / n"}  # `/ n` and `2 *` dropped, parentheses kept right
    assert "return 2.0 * (x + 1) / n" in {c.split("->")[1].strip() for c in changes(source, "arith")}
    assert "return 3.0 * (x - 1) / n" in {c.split("->")[1].strip() for c in changes(source, "constant")}


def test_axis_keepdims_and_arguments() -> None:
    source = cell("return np.sum(x, axis=-1, keepdims=True)")
    constants = {c.split("->")[1].strip() for c in changes(source, "constant")}
    assert {"return np.sum(x, axis=0, keepdims=True)", "return np.sum(x, axis=-1, keepdims=False)"} <= constants
    assert "return np.sum(x, keepdims=True)" in {c.split("->")[1].strip() for c in changes(source, "argument")}
    assert "return (y - x)" not in changes(cell("return loss(x, y)"), "swap")
    assert {c.split("->")[1].strip() for c in changes(cell("return loss(x, y) - y"), "swap")} == {
        "return loss(y, x) - y", "return y - loss(x, y)"}


def test_statements_deleted_and_reordered_in_a_training_loop() -> None:
    source = cell("""
        losses = []
        for _ in range(n):
            optimizer.zero_grad()
            loss = loss_fn(model(x), x)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses
    """)
    deleted = changes(source, "delete")
    assert "optimizer.zero_grad()  ->  pass" in deleted
    moved = changes(source, "reorder")
    assert "optimizer.zero_grad()  moved after  losses.append(loss.item())" in moved
    assert "losses.append(loss.item())  moved before  optimizer.step()" in moved


def test_independent_statements_are_not_swapped() -> None:
    """Two conversions or two plain bindings give the same result in either order."""
    source = cell("""
        w = np.asarray(w, dtype=float)
        x = np.asarray(x, dtype=float)
        return w + x
    """)
    assert changes(source, "reorder") == set()


def test_in_place_updates_copies_and_zeros() -> None:
    source = cell("""
        current = {k: np.array(v) for k, v in x.items()}
        w = w + n * x
        return w - n, current
    """)
    assert "w = w + n * x  ->  w += n * x" in changes(source, "inplace")
    assert "return w - n, current  ->  w -= n / return w, current" in changes(source, "inplace")
    assert "current = {k: np.array(v) for k, v in x.items()}  ->  current = {k: v for k, v in x.items()}" \
        in changes(source, "copy")
    assert "return w - n, current  ->  return (w - n) * 0, current * 0" in changes(source, "zeros")


def test_only_solution_lines_change_and_markers_go() -> None:
    source = cell("return x + 1", before="A = 1 + 2\n\n", after="\nB = A * 3\n")
    found = made(source)
    assert found
    for mutant in found:
        assert "A = 1 + 2\n" in mutant.source and "B = A * 3" in mutant.source
        assert "SOLUTION" not in mutant.source
        assert mutant.scope == "f" and mutant.cell == 3
    assert made("def f(x):\n    return x + 1\n") == []  # no region, no mutant
    assert made("%matplotlib inline\n" + cell("return x + 1"))  # IPython syntax is fine


def test_every_mutant_is_valid_python_and_distinct() -> None:
    source = cell("""
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    """)
    found = made(source)
    assert len(found) > 20
    for mutant in found:
        compile(mutant.source, "<mutant>", "exec")
    assert len({m.source for m in found}) == len(found)
    assert len({m.id for m in found}) == len(found)
    assert not any("((" in m.change for m in found if m.operator in {"arith", "compare", "constant"})


def test_ids_survive_edits_elsewhere_and_follow_the_change() -> None:
    body = "s = x * 2\nreturn s - n"
    first = {m.change: m.id for m in made(cell(body))}
    edited = cell(body, before="import numpy as np\n# a new comment\n\n",
                  after="\ndef g(y):\n    return y + 1\n")
    assert {m.change: m.id for m in made(edited)} == first
    renamed = {m.change: m.id for m in made(cell("s = x * 3\nreturn s - n"))}
    same_line = [c for c in first if c.startswith("return s - n")]
    assert same_line and all(renamed[c] == first[c] for c in same_line)  # the other line's ids kept
    assert set(renamed.values()) != set(first.values())  # the changed line's mutants are new ones
    other_function = {m.change: m.id for m in made(cell(body, header="def h(x, n):"))}
    assert set(other_function.values()).isdisjoint(first.values())
    assert all(i.startswith("f/") for i in first.values())


def test_methods_belong_to_their_class_question() -> None:
    assert question_of("XorNet.forward", ["XorNet", "predict"]) == "XorNet"
    assert question_of("Perceptron.fit", ["Perceptron.fit", "Perceptron.activate"]) == "Perceptron.fit"
    assert question_of("helper", ["XorNet"]) is None


def test_equivalents_file(tmp_path: Path) -> None:
    assert load_equivalents(tmp_path) == {}
    (tmp_path / FILENAME).write_text("- id: relu/swap/1a2b3c4d\n  reason: max is symmetric\n"
                                     "  change: np.maximum(x, 0.0) -> np.maximum(0.0, x)\n")
    assert load_equivalents(tmp_path)["relu/swap/1a2b3c4d"].reason == "max is symmetric"
    for text, key in [("- id: a/b/c\n", "0.reason"), ("- id: a/b/c\n  reason: r\n  why: w\n", "0.why"),
                      ("id: a\n", ""), ("- {id: a, reason: r}\n- {id: a, reason: s}\n", "1")]:
        (tmp_path / FILENAME).write_text(text)
        with pytest.raises(ConfigError) as error:
            load_equivalents(tmp_path)
        assert error.value.key == key and error.value.path.endswith(FILENAME)
    (tmp_path / FILENAME).write_text("- id: a/b/c\n  reason: r\n- id a/b/d\n  reason: s\n")
    with pytest.raises(ConfigError) as error:
        load_equivalents(tmp_path)
    assert str(error.value) == f"{tmp_path / FILENAME}: cannot be read: line 4, column 9: mapping values are not allowed here"


def test_a_moved_statement_takes_its_comment() -> None:
    source = cell("""
        losses.append(loss)  # before the update
        step(n)              # the update
    """)
    moved = [m for m in made(source, "reorder")]
    assert len(moved) == 1
    assert "    step(n)              # the update\n    losses.append(loss)  # before the update\n" in moved[0].source


def test_methods_of_a_class_in_a_region_are_not_swapped() -> None:
    """Defining methods in another order is the same class: a seminar's whole class
    written by the student (`class Car:` with `__init__` and two methods) gave mutants
    no check could catch. Swapping calls or a def with what uses it still is a mutant."""
    source = ("### BEGIN SOLUTION\nclass Car:\n    def __init__(self, model, cost=0):\n"
              "        self.model = model\n        self.cost = cost\n\n    def set_cost(self, cost):\n"
              "        self.cost = cost\n\n    def new_cost(self, year):\n        self.cost = self.cost - year\n"
              "        return self.cost\n\n\ndef older(car, years):\n    return car.new_cost(years)\n"
              "### END SOLUTION\n")
    assert changes(source, "reorder") == set()
    used = "### BEGIN SOLUTION\ndef f(x):\n    return x + 1\n\n\ny = f(2)\nprint(y)\n### END SOLUTION\n"
    assert {"print(y)  moved before  y = f(2)", "y = f(2) /  /   moved before  def f(x):"} <= \
        changes(used, "reorder")
