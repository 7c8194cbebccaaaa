"""A generated class of `activations` notebooks for `autograder similarity`.

Independent students write each function their own way: every function is built from a
few choice points (how the input is converted, which formula, how the result is
returned), each with several ways real students take (among them those of the bundled
solution variants, tests/catalogue/activations.py), and local names are the student's own. Planted copies take another student's code and hide it: renamed
variables, functions reordered into one cell, reformatted with comments, or only two
functions of eight copied into otherwise independent work. Notebooks are the starter
notebook that ``assign`` writes with the students' cells filled in, as students hand it in.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

QUESTIONS = ("step", "sigmoid", "sigmoid_grad", "relu", "relu_grad", "tanh", "tanh_grad", "softmax")

# each function: a list of steps, each step a list of alternatives; {v} is the input's
# name (x or z), {a}, {b} the student's local names
WAYS: dict[str, list[list[str]]] = {
    "step": [
        ["{a} = np.asarray({v}, dtype=float)", "{a} = np.array({v}, dtype=np.float64)",
         "{a} = np.asarray({v}).astype(float)", "{a} = np.atleast_1d(np.asarray({v}, float)).reshape(np.shape({v}))"],
        ["return np.where({a} >= 0, 1.0, 0.0)", "return ({a} >= 0).astype(float)",
         "{b} = np.zeros_like({a})\n{b}[{a} >= 0] = 1.0\nreturn {b}", "return np.heaviside({a}, 1.0)",
         "return 1.0 * ({a} >= 0)", "{b} = np.ones({a}.shape)\n{b}[{a} < 0] = 0\nreturn {b}"],
    ],
    "sigmoid": [
        ["{a} = np.asarray({v}, dtype=float)", "{a} = np.array({v}, dtype=float, copy=True)",
         "{a} = np.clip(np.asarray({v}, dtype=float), -{c}, {c})", "{a} = np.asarray({v}, dtype=float).clip(-{c}, {c})",
         "{a} = np.minimum(np.maximum(np.asarray({v}, dtype=float), -{c}), {c})"],
        ["{b} = np.exp(-np.abs({a}))\nreturn np.where({a} >= 0, 1 / (1 + {b}), {b} / (1 + {b}))",
         "return 0.5 * (1.0 + np.tanh(0.5 * {a}))",
         "{b} = np.empty_like({a})\npos = {a} >= 0\n{b}[pos] = 1.0 / (1.0 + np.exp(-{a}[pos]))\n"
         "ex = np.exp({a}[~pos])\n{b}[~pos] = ex / (1.0 + ex)\nreturn {b}",
         "return np.exp(-np.logaddexp(0, -{a}))",
         "return 1.0 / (1.0 + np.exp(-{a}))",
         "{b} = np.zeros_like({a})\nfor i, item in np.ndenumerate({a}):\n"
         "    {b}[i] = 1 / (1 + np.exp(-item)) if item >= 0 else np.exp(item) / (1 + np.exp(item))\nreturn {b}",
         "neg = {a} < 0\n{b} = np.exp(np.where(neg, {a}, -{a}))\nreturn np.where(neg, {b} / (1 + {b}), 1 / (1 + {b}))"],
    ],
    "sigmoid_grad": [
        ["{a} = sigmoid({v})\nreturn {a} * (1 - {a})", "return sigmoid({v}) * (1.0 - sigmoid({v}))",
         "{a} = sigmoid({v})\n{b} = 1.0 - {a}\nreturn {a} * {b}",
         "{a} = np.exp(-np.abs(np.asarray({v}, dtype=float)))\nreturn {a} / (1 + {a}) ** 2"],
    ],
    "relu": [
        ["{a} = np.asarray({v}, dtype=float)", "{a} = np.array({v}, dtype=float)", "{a} = np.asarray({v})"],
        ["return np.maximum({a}, 0.0)", "return np.where({a} > 0, {a}, 0.0)", "return {a} * ({a} > 0)",
         "{b} = {a}.copy()\n{b}[{b} < 0] = 0\nreturn {b}", "return np.clip({a}, 0, None)"],
    ],
    "relu_grad": [
        ["{a} = np.asarray({v}, dtype=float)", "{a} = np.array({v}, dtype=np.float64)"],
        ["return ({a} > 0).astype(float)", "return np.where({a} > 0, 1.0, 0.0)",
         "{b} = np.zeros_like({a})\n{b}[{a} > 0] = 1\nreturn {b}", "return np.greater({a}, 0) * 1.0"],
    ],
    "tanh": [
        ["return np.tanh(np.asarray({v}, dtype=float))",
         "{a} = np.asarray({v}, dtype=float)\n{b} = np.exp(-2 * np.abs({a}))\n"
         "return np.sign({a}) * (1 - {b}) / (1 + {b})",
         "{a} = np.asarray({v}, dtype=float)\nreturn 2 * sigmoid(2 * {a}) - 1",
         "{a} = np.array({v}, dtype=float)\nreturn np.tanh({a})"],
    ],
    "tanh_grad": [
        ["{a} = np.tanh(np.asarray({v}, dtype=float))\nreturn 1 - {a} ** 2",
         "return 1.0 - tanh({v}) ** 2", "{a} = tanh({v})\nreturn 1 - {a} * {a}",
         "{a} = np.cosh(np.asarray({v}, dtype=float))\nreturn 1.0 / {a} ** 2",
         "return 1 - np.square(np.tanh({v}))"],
    ],
    "softmax": [
        ["{a} = np.asarray({v}, dtype=float)", "{a} = np.array({v}, dtype=float)",
         "{a} = np.atleast_1d(np.asarray({v}, dtype=float))"],
        ["{a} = {a} - np.max({a}, axis=-1, keepdims=True)", "{a} = {a} - {a}.max(axis=-1)[..., None]",
         "shift = np.amax({a}, axis={ax}, keepdims=True)\n{a} = {a} - shift",
         "{a} = {a} - np.expand_dims({a}.max(axis={ax}), {ax})"],
        ["{b} = np.exp({a})\nreturn {b} / np.sum({b}, axis={ax}, keepdims=True)",
         "{b} = np.exp({a})\ntotal = {b}.sum(axis={ax}, keepdims=True)\nreturn {b} / total",
         "return np.exp({a} - np.log(np.sum(np.exp({a}), axis={ax}, keepdims=True)))",
         "{b} = np.exp({a})\n{b} /= {b}.sum(axis={ax})[..., np.newaxis]\nreturn {b}"],
    ],
}
EXTRAS = [  # lines some students add: checks, copies, reshapes, conversions
    "assert {a}.dtype.kind == 'f'", "{a} = {a}.copy()", "{a} = {a}.reshape(np.shape({v}))",
    "assert np.all(np.isfinite({a}))", "{a} = np.nan_to_num({a})", "{a} = {a} + 0.0",
    "assert {a}.shape == np.shape({v})", "{a} = {a}.astype(np.float64, copy=False)",
    "if {a}.size == 0:\n    return {a}", "{a} = np.ascontiguousarray({a})",
]
FIRST_LINES = [
    "{v} = np.asarray({v}, dtype=float)", "{v} = np.array({v}, dtype=np.float64, copy=True)",
    "assert not isinstance({v}, str)", "if np.isscalar({v}):\n    {v} = np.float64({v})",
    "{v} = np.asanyarray({v})", "if isinstance({v}, list):\n    {v} = np.array({v}, dtype=float)",
    "{v} = np.nan_to_num(np.asarray({v}, dtype=float))", "{v} = np.asarray({v}) * 1.0",
]
CLIPS = ["500", "700", "709", "100", "50", "30", "600.0", "250", "40"]
AXES = ["-1", "{a}.ndim - 1", "len({a}.shape) - 1"]
NAMES = ["t", "arr", "vals", "u", "res", "out", "y", "tmp", "data", "q", "h", "s", "e", "val", "w", "k"]


@dataclass
class Student:
    """One student's functions, as source text per question."""

    id: str
    functions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Habits:
    """How one student writes everything: the float dtype's spelling, naming results
    before returning them."""

    dtype: str
    name_results: bool

    @classmethod
    def draw(cls, rng: random.Random) -> Habits:
        return cls(rng.choice(["float", "np.float64", "'float64'", "np.double"]), rng.random() < 0.5)


def write_function(name: str, rng: random.Random, habits: Habits) -> str:
    """``name`` written one of the ways students write it, with the student's own names
    and habits."""
    arg = "z" if name == "softmax" else "x"
    a, b, r = rng.sample(NAMES, 3)
    lines: list[str] = []
    for step in WAYS[name]:
        choice = rng.choice(step)
        lines.extend(choice.format(v=arg, a=a, b=b, c=rng.choice(CLIPS), ax=rng.choice(AXES).format(a=a)).splitlines())
        if lines and lines[-1].startswith(f"{a} =") and rng.random() < 0.4:
            lines.extend(rng.choice(EXTRAS).format(v=arg, a=a).splitlines())
    if rng.random() < 0.6:  # a first line of the student's own
        lines[0:0] = rng.choice(FIRST_LINES).format(v=arg).splitlines()
    if habits.name_results and lines[-1].startswith("return ") and " " in lines[-1][7:]:
        lines[-1:] = [f"{r} = {lines[-1][7:]}", f"return {r}"]
    body = "\n".join("    " + line for text in lines for line in text.splitlines())
    return f"def {name}({arg}):\n{body.replace('dtype=float', 'dtype=' + habits.dtype)}\n"


def independent(ident: str, seed: int) -> Student:
    rng = random.Random(seed)
    habits = Habits.draw(rng)
    return Student(ident, {name: write_function(name, rng, habits) for name in QUESTIONS})


def rename(source: str, rng: random.Random) -> str:
    """The same code with every local name changed (the function names stay: they are graded)."""
    used = set(re.findall(r"\b[a-z_][a-z_0-9]*\b", source))
    keep = {"np", "def", "return", "float", "dtype", "axis", "keepdims", "None", "copy", "shape",
            "astype", "True", *QUESTIONS}
    local = sorted(name for name in used if name in NAMES or name in ("pos", "ex", "shift", "total"))
    fresh = [f"{word}_{rng.randint(1, 99)}" for word in ("value", "buf", "tmp", "res", "arr", "zz", "vv", "mm")]
    mapping = dict(zip((n for n in local if n not in keep), fresh))
    return re.sub(r"\b[a-z_][a-z_0-9]*\b", lambda m: mapping.get(m.group(0), m.group(0)), source)


def reformat(source: str) -> str:
    """The same code with comments, blank lines and spacing of another hand."""
    out = []
    for line in source.splitlines():
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if stripped.startswith("def "):
            out.append(line + "  # my solution")
            continue
        stripped = stripped.replace(" = ", "=").replace(", ", ",").replace(" * ", "*").replace(" / ", "/")
        out.append(f"{indent}{stripped}   # step")
        out.append("")
    return "\n".join(out) + "\n"


def planted_class(independents: int, seed: int = 7) -> tuple[list[Student], dict[str, str]]:
    """``independents`` students who worked alone, plus four who copied: their ids and whom
    each copied, as {copier: source}."""
    students = [independent(f"s{n:03d}", seed * 1000 + n) for n in range(independents)]
    rng = random.Random(seed)
    sources = rng.sample(students, 4)
    renamed = Student("copy_renamed", {q: rename(src, rng) for q, src in sources[0].functions.items()})
    reordered = Student("copy_reordered", dict(reversed(list(sources[1].functions.items()))))
    reformatted = Student("copy_reformatted", {q: reformat(src) for q, src in sources[2].functions.items()})
    partial = independent("copy_partial", seed * 1000 + 999)
    for question in ("sigmoid", "softmax"):  # two functions of eight
        partial.functions[question] = rename(sources[3].functions[question], rng)
    copies = {"copy_renamed": sources[0].id, "copy_reordered": sources[1].id,
              "copy_reformatted": sources[2].id, "copy_partial": sources[3].id}
    return [*students, renamed, reordered, reformatted, partial], copies


def fill_starter(starter: nbformat.NotebookNode, student: Student, *,
                 one_cell: bool = False) -> nbformat.NotebookNode:
    """The starter notebook with each stub's body (``raise NotImplementedError``) replaced
    by the student's, its line and docstring kept; or, with ``one_cell``, all the
    student's functions in one new cell in the student's order, the stubs left as they are."""
    notebook = nbformat.from_dict(starter)
    if one_cell:
        notebook.cells.append(nbformat.v4.new_code_cell("\n\n".join(student.functions.values())))
        return notebook
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for question, source in student.functions.items():
            if re.search(rf"^def {question}\(", cell.source, re.MULTILINE):
                body = source.split("\n", 1)[1].rstrip("\n")
                cell.source = re.sub(r"^    raise NotImplementedError.*$", lambda _: body, cell.source,
                                     flags=re.MULTILINE)
    return notebook


def write_class(starter: nbformat.NotebookNode, students: Sequence[Student], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for student in students:
        path = folder / f"{student.id}.ipynb"
        nbformat.write(fill_starter(starter, student, one_cell=student.id == "copy_reordered"), str(path))
        paths.append(path)
    return paths
