"""Public examples and checks started from the solution's own code.

A solution notebook calls its functions on small inputs to show them
(``print(sigmoid(np.array([-1.0, 0.0, 1.0])))``). Those calls, when their inputs are
plain data (literals, ``np.array([...])``, ``torch.tensor([...])``, names bound to such
data), become public examples, kept only where the reference accepts them. Each
question gets a checks file comparing the student with the reference on those inputs
and saying what to add; a question with no inputs found gets a file that stops grading
until the instructor writes some (fail closed: never a check that checks nothing).
"""

from __future__ import annotations

import ast
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

PER_QUESTION = 3
NPZ = "recorded.npz"  # see autograder.scaffold.cases
_NUMPY_DATA = {"array", "asarray", "arange", "linspace", "zeros", "ones", "eye", "full", "float64",
               "float32", "int64", "int32"}
_DTYPES = {"float", "int", "bool", "float32", "float64", "int32", "int64", "uint8", "bool_"}
_STOP = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class Examples:
    source: str
    cases: dict[str, list[str]] = field(default_factory=dict)  # question -> "(args), {kwargs}" sources
    methods: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # Class.method -> (constructor, cases)


def _aliases(trees: list[tuple[ast.Module, str]]) -> dict[str, str]:
    """Local names of numpy and torch in the notebook (``np`` -> ``numpy``)."""
    found = {"np": "numpy", "numpy": "numpy", "torch": "torch"}
    for tree, _ in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in ("numpy", "torch"):
                        found[alias.asname or alias.name] = alias.name
    return found


class _Data:
    """Recognises plain data and writes it as examples.py code (``np.``, ``tensor(...)``)."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.bound: dict[str, str] = {}  # name -> its data, as code

    def code(self, node: ast.expr) -> str | None:
        """``node`` as examples.py code, or None when it is not plain data."""
        if isinstance(node, ast.Name):
            return self.bound.get(node.id)
        try:
            ast.literal_eval(node)
            return ast.unparse(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, (ast.List, ast.Tuple)):
            parts = [self.code(e) for e in node.elts]
            if None in parts:
                return None
            inner = ", ".join(p for p in parts if p is not None)
            return f"[{inner}]" if isinstance(node, ast.List) else f"({inner}{',' if len(parts) == 1 else ''})"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner_code = self.code(node.operand)
            return None if inner_code is None else f"-{inner_code}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name):
            module = self.aliases.get(node.func.value.id)
            if module == "numpy" and node.func.attr in _NUMPY_DATA:
                return self._call(f"np.{node.func.attr}", node)
            if module == "torch" and node.func.attr == "tensor":
                return self._tensor(node)
        return None

    def _dtype(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and node.value in _DTYPES:
            return repr(node.value)
        if isinstance(node, ast.Name) and node.id in ("float", "int", "bool"):
            return node.id
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr in _DTYPES:
            return f"np.{node.attr}" if self.aliases.get(node.value.id) == "numpy" else None
        return None

    def _call(self, function: str, node: ast.Call) -> str | None:
        args = [self.code(a) for a in node.args]
        kwargs = {k.arg: (self._dtype(k.value) if k.arg == "dtype" else self.code(k.value)) for k in node.keywords}
        if None in args or None in kwargs.values() or None in kwargs:
            return None
        return f"{function}({', '.join([*map(str, args), *(f'{k}={v}' for k, v in kwargs.items())])})"

    def _tensor(self, node: ast.Call) -> str | None:
        if len(node.args) != 1 or any(k.arg != "dtype" for k in node.keywords):
            return None
        values = self.code(node.args[0])
        if values is None:
            return None
        dtype = "float32"
        for keyword in node.keywords:
            if not (isinstance(keyword.value, ast.Attribute) and keyword.value.attr in _DTYPES):
                return None
            dtype = keyword.value.attr
        return f"tensor({values}, dtype={dtype!r})"


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    """Calls in a top-level statement, outside the functions and classes it defines."""
    if isinstance(node, _STOP):
        return
    if isinstance(node, ast.Call):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _calls(child)


def _reference_module(reference: str) -> types.ModuleType | None:
    module = types.ModuleType("autograder_new_reference")
    try:
        exec(compile(reference, "reference.py", "exec"), module.__dict__)  # the instructor's own solution
    except Exception:  # noqa: BLE001 - any failure: the examples are kept unchecked
        return None
    return module


def _case_values(case: str) -> Any:
    """The values a case written by :func:`_case` stands for, built node by node from
    what :class:`_Data` writes (literals, ``np.<data>(...)``, ``tensor(...)``, dtypes):
    never ``eval``, which would run whatever else the text held."""
    import numpy as np

    from autograder.examples import tensor

    functions: dict[str, Any] = {f"np.{name}": getattr(np, name) for name in _NUMPY_DATA}
    functions["tensor"] = tensor
    builtin_dtypes = {"float": float, "int": int, "bool": bool}

    def build(node: ast.expr) -> Any:
        try:
            return ast.literal_eval(node)
        except ValueError:
            pass
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -build(node.operand)
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [build(item) for item in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Dict) and None not in node.keys:
            return {build(k): build(v) for k, v in zip(node.keys, node.values) if k is not None}
        if isinstance(node, ast.Name) and node.id in builtin_dtypes:
            return builtin_dtypes[node.id]
        if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "np" and node.attr in _DTYPES:
            return getattr(np, node.attr)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in functions:
            return functions[ast.unparse(node.func)](*map(build, node.args),
                                                     **{k.arg: build(k.value) for k in node.keywords if k.arg})
        raise ValueError(f"not plain data: {ast.unparse(node)}")

    return build(ast.parse(case, mode="eval").body)


def _accepted(question: str, case: str, reference: types.ModuleType) -> bool:
    """Whether the reference computes an expected value the notebook can hold."""
    from autograder.examples import Example, expected

    try:
        args, kwargs = _case_values(case)
        expected([Example(question, args=args, kwargs=kwargs)], reference)
    except Exception:  # noqa: BLE001 - whatever the reason, not an example to publish
        return False
    return True


def _method_accepted(question: str, constructor: str, case: str, reference: types.ModuleType) -> bool:
    """Whether the reference's method answers on an object made with ``constructor``
    alone: a notebook's ``car.new_cost(2)`` after ``car.set_cost(1000)`` does not, and a
    case the reference fails on would stop grading (a check that checks nothing is
    refused instead, with a note to write its cases)."""
    from autograder.checks.reference import local

    cls, method = question.split(".", 1)
    try:
        init_args, init_kwargs = local(_case_values(constructor))
        args, kwargs = local(_case_values(case))
        obj = getattr(reference, cls)(*init_args, **init_kwargs)
        getattr(obj, method)(*args, **kwargs)
    except Exception:  # noqa: BLE001 - whatever the reason, not a case to check with
        return False
    return True


def _case(data: _Data, call: ast.Call, empty_ok: bool = False) -> str | None:
    """A call's arguments as ``((args), {kwargs})`` code, when they are all plain data."""
    args = [data.code(a) for a in call.args]
    kwargs = {k.arg: data.code(k.value) for k in call.keywords}
    if None in args or None in kwargs or None in kwargs.values() or not (args or kwargs or empty_ok):
        return None
    return f"(({', '.join(map(str, args))}{',' if len(args) == 1 else ''}), " \
        "{" + ", ".join(f"{k!r}: {v}" for k, v in kwargs.items()) + "})"


def _method_call(call: ast.Call, objects: dict[str, tuple[str, str]], questions: list[str]) -> str | None:
    """``obj.method(...)`` on an object the notebook made from a question's class."""
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and \
            call.func.value.id in objects:
        question = f"{objects[call.func.value.id][0]}.{call.func.attr}"
        return question if question in questions else None
    return None


def examples_for(name: str, trees: list[tuple[ast.Module, str]], questions: list[str],
                 reference: str) -> tuple[Examples, list[str], set[str]]:
    """examples.py's text, notes, and the questions that got examples. Calls of a
    question's method on an object the notebook made with plain-data arguments
    (``p = Perceptron(w=np.array(...))``, ``p.activate(np.array(...))``) become the
    cases of its hidden check (with the object's constructor), not public examples."""
    functions = [q for q in questions if "." not in q]
    classes = {q.split(".")[0] for q in questions if "." in q}
    data = _Data(_aliases(trees))
    found: dict[str, list[str]] = {q: [] for q in functions}
    objects: dict[str, tuple[str, str]] = {}  # name -> (class, constructor arguments as a case)
    methods: dict[str, tuple[str, list[str]]] = {}  # question -> (constructor case, cases)
    for tree, _ in trees:
        for statement in tree.body:
            for call in _calls(statement):
                method = _method_call(call, objects, questions)
                if method is not None:
                    case = _case(data, call, empty_ok=True)
                    assert isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                    made = objects[call.func.value.id][1]
                    built, seen = methods.setdefault(method, (made, []))
                    if case is not None and built == made and case not in seen:
                        seen.append(case)
                if isinstance(call.func, ast.Name) and call.func.id in found:
                    case = _case(data, call)
                    if case is not None and case not in found[call.func.id]:
                        found[call.func.id].append(case)
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                    isinstance(statement.targets[0], ast.Name):
                target, value = statement.targets[0].id, statement.value
                code = data.code(value)
                data.bound.pop(target, None)
                objects.pop(target, None)
                if code is not None:
                    data.bound[target] = code
                elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in classes:
                    constructor = _case(data, value, empty_ok=True)
                    if constructor is not None:
                        objects[target] = (value.func.id, constructor)
    notes: list[str] = []
    module = _reference_module(reference)
    if module is None:
        notes.append("reference.py could not be run here: its examples were not tried against it")
    cases: dict[str, list[str]] = {}
    for question, candidates in found.items():
        kept = [c for c in candidates if module is None or _accepted(question, c, module)][:PER_QUESTION]
        if kept:
            cases[question] = kept
    missing = [q for q in functions if q not in cases]
    if missing:
        notes.append("no public examples found for " + ", ".join(missing) + " (examples.py)")
    if classes:
        notes.append("methods get no public examples (examples.py takes functions); their hidden "
                     "checks get the notebook's own calls where it makes its object from plain data")
    examples = Examples(_examples_source(name, cases, missing), cases)
    for question, (built, seen) in methods.items():
        kept = [c for c in seen if module is None or _method_accepted(question, built, c, module)][:PER_QUESTION]
        if kept:
            examples.methods[question] = (built, kept)
    return examples, notes, set(cases)


def _examples_source(name: str, cases: dict[str, list[str]], missing: list[str]) -> str:
    lines = [f'"""Public examples of `{name}`: inputs only (expected outputs come from reference.py).',
             "Started from the solution notebook's own calls; add or change as you like."]
    if missing:
        lines.append("No example was found for: " + ", ".join(missing) + ".")
    lines += ['"""', "", "import numpy as np  # noqa: F401", "",
              "from autograder.examples import Example, tensor  # noqa: F401", "", "EXAMPLES = ["]
    for question, found in cases.items():
        for case in found:
            args, kwargs = _split(case)
            lines.append(f"    Example({question!r}, args={args}" + (f", kwargs={kwargs}" if kwargs != "{}" else "") + "),")
    lines.append("]")
    return "\n".join(lines) + "\n"


def _split(case: str) -> tuple[str, str]:
    """``((args), {kwargs})`` text -> the args tuple's and the kwargs dict's text."""
    node = ast.parse(case, mode="eval").body
    assert isinstance(node, ast.Tuple) and len(node.elts) == 2
    return ast.unparse(node.elts[0]), ast.unparse(node.elts[1])


def _arguments(case: str) -> str:
    """``((a, b), {'k': v})`` text -> ``a, b, k=v`` (a call's argument list)."""
    node = ast.parse(case, mode="eval").body
    assert isinstance(node, ast.Tuple) and isinstance(node.elts[0], ast.Tuple) and isinstance(node.elts[1], ast.Dict)
    parts = [ast.unparse(a) for a in node.elts[0].elts]
    parts += [f"{k.value!s}={ast.unparse(v)}" for k, v in zip(node.elts[1].keys, node.elts[1].values)
              if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return ", ".join(parts)


def _state(trees: list[tuple[ast.Module, str]], question: str) -> list[str]:
    """The attributes a method assigns on ``self`` (last definition of the class)."""
    cls, method = question.split(".", 1)
    names: list[str] = []
    for tree, _ in trees:
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == cls:
                names = []
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == method:
                        for sub in ast.walk(item):
                            if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and \
                                    isinstance(sub.value, ast.Name) and sub.value.id == "self":
                                names.append(sub.attr)
    return list(dict.fromkeys(names))


def check_file(question: str) -> str:
    return f"checks/test_{question.replace('.', '_')}.py"


def checks_for(questions: list[str], trees: list[tuple[ast.Module, str]], reference: str,
               examples: Examples, recorded: dict[str, list[str]] | None = None) -> tuple[dict[str, str], list[str]]:
    """A checks file per question; its cases are the notebook's literal calls
    (``examples``) and the calls recorded when the solution ran (``recorded``, see
    :mod:`.cases`: method cases carry the constructor's arguments)."""
    files: dict[str, str] = {}
    notes: list[str] = []
    recorded = recorded or {}
    for question in questions:
        if "." in question:
            built, literal = examples.methods.get(question, ("((), {})", []))
            cases = [f"({built}, {_split(c)[0]}, {_split(c)[1]})" for c in literal]
        else:
            cases = list(examples.cases.get(question, []))
        cases = recorded.get(question) or cases  # the run's calls include the literal ones
        path = check_file(question)
        if not cases:
            notes.append(f"{path}: give the check inputs (CASES): the solution notebook never calls "
                         f"{question}; grading refuses to start until then")
        if "." in question:
            files[path] = _method_check(question, cases, _state(trees, question), path)
        elif _is_class(trees, question):
            state = _state(trees, f"{question}.__init__")
            if not state:
                notes.append(f"{path}: the constructor of {question} sets no attribute of self to compare; "
                             "write its check; grading refuses to start until then")
            files[path] = _class_check(question, cases, state, path)
        else:
            files[path] = _function_check(question, cases, path)
    return files, notes


def _is_class(trees: list[tuple[ast.Module, str]], question: str) -> bool:
    """Whether the question is a class of the notebook (one with only a constructor)."""
    return any(isinstance(node, ast.ClassDef) and node.name == question for tree, _ in trees for node in tree.body)


def _cases_block(cases: list[str], path: str, method: bool = False, replay: bool = False) -> str:
    shape = ("((constructor args), {constructor kwargs}), (args), {kwargs}" if method else "(args), {kwargs}")
    if replay:  # the object given calls first, as the notebook did (see REPLAYED)
        shape = "((constructor args), {constructor kwargs}[, [(method, args, kwargs), ...]]), (args), {kwargs}"
    made = "tuple[Any, ...]" if replay else "tuple[tuple[Any, ...], dict[str, Any]]"
    kind = (f"tuple[{made}, tuple[Any, ...], dict[str, Any]]" if method
            else "tuple[tuple[Any, ...], dict[str, Any]]")
    loaded = ""
    if any("RECORDED[" in c for c in cases):
        loaded = (f"# the notebook's larger inputs, as its run passed them (written by `new --from`)\n"
                  f"RECORDED = np.load(Path(__file__).with_name({NPZ!r}))\n\n")
    if cases:
        body = "".join(f"    {c},\n" for c in cases)
        return (loaded + f"# ({shape}) of the calls compared with the reference: the calls the solution\n"
                "# notebook made when it ran (and its literal examples). Add inputs students do not see.\n"
                f"CASES: list[{kind}] = [\n{body}]\n")
    return (f"# ({shape}) of the calls compared with the reference. TODO: the solution notebook\n"
            "# never calls it: write some; grading refuses to start while this is empty.\n"
            f"CASES: list[{kind}] = [\n]\n"
            "if not CASES:\n"
            f'    raise NotImplementedError("{path}: no inputs yet, add some to CASES")\n')


HEADER = '''"""Hidden checks of `{question}`, started by `autograder new --from`: each @check is one
check of the question. Edit freely: see the checks of the bundled course for hints
on common mistakes (Mistake) and random inputs (the rng fixture). The reference gets
real tensors and the student's code the same values through the jail (`tensor(...)`);
a reference that fails on these inputs stops grading as a grader error."""

from pathlib import Path  # noqa: F401
from typing import Any

import numpy as np  # noqa: F401

from autograder.checks import (  # noqa: F401
    as_data, check, expect_close, expected_value, fail, local, made_as, on_object, tensor,
)

'''


def _function_check(question: str, cases: list[str], path: str) -> str:
    return HEADER.format(question=question) + _cases_block(cases, path) + f'''

@check({question!r}, en="matches the reference", ru="совпадает с эталоном")
def test_{question}_matches_reference(submission, reference, tol):
    for args, kwargs in CASES:
        expected = expected_value({question!r}, reference.{question}, args, kwargs)
        expect_close({question!r}, args, submission.{question}(*args, **kwargs), expected, tol)
'''


def _replays(case: str) -> bool:
    """Whether a method's case makes its object with calls after the constructor
    (``(((), {constructor}, [calls]), (args), {kwargs})``, see :mod:`.cases`)."""
    node = ast.parse(case, mode="eval").body
    return isinstance(node, ast.Tuple) and isinstance(node.elts[0], ast.Tuple) and len(node.elts[0].elts) == 3


MADE = '''
            expected = expected_value(call, theirs.{method}, args, kwargs)
            mine = submission.{cls}(*init_args, **init_kwargs)'''
# the object given the calls the notebook made on it first (set_cost before new_cost)
REPLAYED = '''
            mine = submission.{cls}(*init_args, **init_kwargs)
            for name, before_args, before_kwargs in (before[0] if before else []):  # as the notebook did first
                expected_value(f"{cls}.{{name}}", getattr(theirs, name), before_args, before_kwargs)
                getattr(mine, name)(*before_args, **before_kwargs)
            expected = expected_value(call, theirs.{method}, args, kwargs)'''


def _method_check(question: str, cases: list[str], state: list[str], path: str) -> str:
    """The check of a method: on an object made alike from the student's class and the
    reference's (given first the calls the notebook made on it, when its cases replay
    some), and a failure says how the object was made (``on_object``), as code."""
    cls, method = question.split(".", 1)
    replay = any(map(_replays, cases))
    made = "(init_args, init_kwargs, *before)" if replay else "(init_args, init_kwargs)"
    calls = "before[0] if before else []" if replay else "[]"
    return HEADER.format(question=question) + f'''STATE = {state!r}  # what `{method}` sets on self (from reference.py): compared after each call


''' + _cases_block(cases, path, method=True, replay=replay) + f'''

@check({question!r}, en="returns and stores what the reference does",
       ru="возвращает и сохраняет то же, что эталон")
def test_{cls}_{method}_matches_reference(submission, reference, tol):
    call = {question!r}
    for {made}, args, kwargs in CASES:
        # the object is made alike from the student's class and the reference's
        theirs = expected_value({cls!r}, lambda *a, **k: reference.{cls}(*a, **k), init_args, init_kwargs)
        # a failure shows the object's making and calls as code: `{cls}(...)`, then `.{method}(...)`
        with on_object(made_as({cls!r}, init_args, init_kwargs, {calls}, {method!r}, args, kwargs)):''' + \
        (REPLAYED if replay else MADE).format(cls=cls, method=method) + f'''
            got = mine.{method}(*args, **kwargs)
            if expected is None and got is not None:
                raise fail("`{{call}}` must return nothing: it changes the object.",
                           "`{{call}}` не должна ничего возвращать: она меняет объект.", call=call)
            if expected is not None:
                expect_close(call, args, got, expected, tol)
            for name in STATE:
                expect_close(f"{{call}}: self.{{name}}", args, getattr(mine, name), as_data(getattr(theirs, name)), tol)
'''


def _class_check(question: str, cases: list[str], state: list[str], path: str) -> str:
    """A class graded by its constructor: objects made from the same arguments, the
    student's and the reference's, must hold the same attributes (an object is no value
    to compare as a whole)."""
    unset = "" if state else ("if not STATE:\n    raise NotImplementedError("
                              f'"{path}: the constructor sets no attribute of self: write what to compare")\n')
    return HEADER.format(question=question) + f'''STATE = {state!r}  # what the constructor sets on self (from reference.py): compared
{unset}

''' + _cases_block(cases, path) + f'''

@check({question!r}, en="stores what the reference's constructor does",
       ru="сохраняет в объекте то же, что эталон")
def test_{question}_matches_reference(submission, reference, tol):
    for args, kwargs in CASES:
        theirs = expected_value({question!r}, lambda *a, **k: reference.{question}(*a, **k), args, kwargs)
        mine = submission.{question}(*args, **kwargs)
        for name in STATE:
            expect_close(f"{question}(...): self.{{name}}", args, getattr(mine, name), as_data(getattr(theirs, name)), tol)
'''
