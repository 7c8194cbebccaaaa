"""The equivalent mutants ``new --from`` can tell by rule, written for the instructor
to review (``equivalent_mutants.yaml``, see :mod:`autograder.verify.equivalents`).

Five rules. A mutant that measures one parameter for another (``len(y_pred)`` for
``len(y)``, ``b.shape`` for ``a.shape``) and changes nothing else, when the two had the
same size in every call the solution notebook made to that function (its recorded
shapes, :mod:`.record`: the calls the checks' inputs come from); a parameter the
function binds again, or one a call left out, is never assumed. A method that updates
one of its object's attributes in place (``self.w -= ...`` for ``self.w = self.w -
...``, as the bundled ``neuron`` assignment's own review says) leaves the object exactly
as the solution does; only an array a caller passed to the constructor and kept would
change with it, which no check of values can see. A boundary moved in ``np.where(x > 0,
A, B)`` (``>=`` for ``>``) where both branches give the same value at ``x == 0`` (``x``
and ``alpha * x``), worked out as arithmetic with the function's defaults and random
values for the other names. A squared difference the other way round, and a dtype
conversion left out (values are compared by value). Each entry says so; delete it to
ask for that mutant to be caught.
"""

from __future__ import annotations

import ast
import json
import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from autograder.notebook import parse_cell
from autograder.verify.given import is_given
from autograder.verify.mutate import Mutant, mutants
from autograder.verify.report import question_of
from autograder.verify.source import unmark

REASON = ("the object's attribute ends the same; only an array a caller passed to the constructor and "
          "kept would change with it, which no check of values sees (written by `new --from`: delete "
          "this entry if your course forbids updating such an array in place)")


def _self_update(mutant: Mutant) -> bool:
    if mutant.operator != "inplace" or "." not in mutant.scope:
        return False
    old = mutant.change.split("->", 1)[0].strip()
    return old.startswith("self.")


_STRICT = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt}
BOUNDARY = ("np.where's two branches give the same value where the comparison moved its boundary "
            "(tried with the function's defaults and random values; written by `new --from`: review it)")


def _where(line: str) -> ast.Call | None:
    try:
        tree = ast.parse(line.strip().removeprefix("return ").strip(), mode="eval")
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "where" \
                and len(node.args) == 3 and isinstance(node.args[0], ast.Compare):
            return node
    return None


def _boundary_alike(mutant: Mutant, defaults: dict[str, float]) -> bool:
    """``np.where(x > c, A, B)`` -> ``>=``: whether A and B agree at ``x == c``."""
    import random

    import numpy as np

    if mutant.operator != "compare" or "  ->  " not in mutant.change:
        return False
    old, new = (_where(side) for side in mutant.change.split("  ->  ", 1))
    if old is None or new is None:
        return False
    before, after = old.args[0], new.args[0]
    assert isinstance(before, ast.Compare) and isinstance(after, ast.Compare)
    if len(before.ops) != 1 or _STRICT.get(type(before.ops[0])) is not type(after.ops[0]) or \
            not isinstance(before.left, ast.Name) or not isinstance(before.comparators[0], ast.Constant) or \
            ast.dump(old.args[1]) != ast.dump(new.args[1]) or ast.dump(old.args[2]) != ast.dump(new.args[2]):
        return False
    name, at = before.left.id, before.comparators[0].value
    branches = old.args[1:]
    others = {n.id for branch in branches for n in ast.walk(branch) if isinstance(n, ast.Name)} - {name, "np"}
    rng = random.Random(0)
    for trial in range(6):
        scope: dict[str, Any] = {name: np.array([at], dtype=float)}
        scope.update({n: defaults[n] if trial == 0 and n in defaults else rng.uniform(-3, 3) for n in others})
        try:
            with np.errstate(all="ignore"):
                first, second = (np.asarray(_arithmetic(branch, scope), dtype=float) for branch in branches)
        except (ValueError, TypeError, ArithmeticError):  # not something to tell by trying
            return False
        if first.shape != second.shape or not np.allclose(first, second, equal_nan=True):
            return False
    return True


_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Pow: operator.pow}
_NUMPY = frozenset({"exp", "log", "abs", "sqrt", "tanh", "maximum", "minimum", "ones_like", "zeros_like"})


def _arithmetic(node: ast.expr, scope: dict[str, Any]) -> Any:
    """The value of a branch written in numbers, the names of ``scope``, + - * / ** and a
    few of NumPy's functions, walked node by node (the solution's text is never run:
    anything else is ``ValueError``, so the mutant is left for the checks)."""
    import numpy as np

    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.Name) and node.id in scope:
        return scope[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _arithmetic(node.operand, scope)
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_arithmetic(node.left, scope), _arithmetic(node.right, scope))
    if isinstance(node, ast.Call) and not node.keywords and isinstance(node.func, ast.Attribute) \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "np" and node.func.attr in _NUMPY:
        return getattr(np, node.func.attr)(*(_arithmetic(arg, scope) for arg in node.args))
    raise ValueError(f"not plain arithmetic: {ast.dump(node)[:60]}")


SQUARED = ("a difference squared (or its absolute value) is the same either way round "
           "(written by `new --from`: review it)")
DTYPE_ONLY = ("only a dtype conversion is left out, and numbers are compared by value whatever their "
              "dtype (one policy for public examples and hidden checks; written by `new --from`: review it)")


def _sides(mutant: Mutant) -> tuple[ast.expr, ast.expr] | None:
    if "  ->  " not in mutant.change or "\n" in mutant.change:
        return None
    try:
        old, new = (ast.parse(side.strip().removeprefix("return ").strip(), mode="eval").body
                    for side in mutant.change.split("  ->  ", 1))
    except SyntaxError:
        return None
    return old, new


def _squared_swap(mutant: Mutant) -> bool:
    """``(a - b) ** 2`` -> ``(b - a) ** 2`` (or inside ``np.abs``/``np.square``/``abs``)."""
    sides = _sides(mutant) if mutant.operator == "swap" else None
    if sides is None:
        return False
    old, new = sides
    for node in ast.walk(old):
        inner = None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) \
                and node.right.value == 2:
            inner = node.left
        elif isinstance(node, ast.Call) and len(node.args) == 1 and ast.unparse(node.func) in (
                "abs", "np.abs", "np.square", "np.fabs"):
            inner = node.args[0]
        if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Sub):
            inner.left, inner.right = inner.right, inner.left
            swapped = ast.dump(old)
            inner.left, inner.right = inner.right, inner.left
            if swapped == ast.dump(new):
                return True
    return False


def _dtype_only(mutant: Mutant, lists: Collection[str] = ()) -> bool:
    """``np.array(e, dtype=t)`` -> ``np.array(e)`` or ``e``; ``e.astype(t)`` -> ``e``.
    ``lists``: the parameters some recorded call passed a list or tuple: for those,
    ``e`` alone leaves out the conversion to an array too (``[-1.0, 0.0] > 0`` raises)."""
    sides = _sides(mutant) if mutant.operator in ("copy", "argument") else None
    if sides is None:
        return False
    old, new = sides
    target = ast.dump(new)
    for node in ast.walk(old):
        if not isinstance(node, ast.Call):
            continue
        stripped: list[ast.expr] = []
        if isinstance(node.func, ast.Attribute) and node.func.attr == "astype" and len(node.args) == 1:
            stripped.append(node.func.value)
        if ast.unparse(node.func) in ("np.array", "np.asarray") and len(node.args) == 1 and \
                [k.arg for k in node.keywords] == ["dtype"]:
            converted = node.args[0]
            if not (isinstance(converted, ast.Name) and converted.id in lists):
                stripped.append(converted)
            stripped.append(ast.Call(node.func, node.args, []))
        for replacement in stripped:
            if _replaced(old, node, replacement) == target:
                return True
    return False


def _passed_lists(calls: Sequence[Shapes]) -> set[str]:
    """The parameters some recorded call passed a list or tuple (the recorder's "list")."""
    return {name for call in calls for name, (kind, _) in call.items() if kind == "list"}


def _replaced(tree: ast.expr, node: ast.AST, replacement: ast.expr) -> str:
    """``ast.dump`` of ``tree`` with ``node`` replaced by ``replacement`` (through their
    canonical text: ``ast.unparse``)."""
    text = ast.unparse(tree).replace(ast.unparse(node), ast.unparse(replacement), 1)
    try:
        return ast.dump(ast.parse(text, mode="eval").body)
    except SyntaxError:
        return ""


SIZES = ("measures {pairs}, of the same size in every call the solution notebook made to it ({calls}); "
         "the checks' inputs come from those calls (written by `new --from`: delete this entry if your "
         "checks give them unequal sizes)")
Shapes = Mapping[str, tuple[str, tuple[int, ...]]]


def _measure(name: ast.Name, parents: dict[int, ast.AST]) -> str | None:
    """What of ``name`` its expression reads: ``len`` (its first dimension: ``len(a)``),
    ``count`` (its number of elements: ``a.size``, ``np.size(a)``, ``a.numel()``) or
    ``shape`` (``a.shape``, ``a.shape[0]``, ``np.shape(a)``, a tensor's ``a.size()``);
    None when it reads anything else (its values)."""
    parent = parents.get(id(name))
    if isinstance(parent, ast.Call) and parent.args == [name] and not parent.keywords:
        called = ast.unparse(parent.func)
        return {"len": "len", "np.size": "count", "numpy.size": "count", "np.shape": "shape",
                "numpy.shape": "shape", "torch.numel": "count"}.get(called)
    if isinstance(parent, ast.Attribute) and parent.value is name:
        outer = parents.get(id(parent))
        if isinstance(outer, ast.Call) and outer.func is parent:
            return {"numel": "count", "size": "shape"}.get(parent.attr) if not outer.args and not outer.keywords \
                else None
        return {"shape": "shape", "size": "count"}.get(parent.attr)
    return None


def _statements(mutant: Mutant) -> tuple[ast.Module, ast.Module] | None:
    """The two sides of a one-line change, each read as a statement."""
    if "  ->  " not in mutant.change or "\n" in mutant.change:
        return None
    try:
        old, new = (ast.parse(side.strip()) for side in mutant.change.split("  ->  ", 1))
    except SyntaxError:
        return None
    return old, new


def _size_swaps(old: ast.AST, new: ast.AST) -> list[tuple[str, str, str]] | None:
    """(a, b, measure) for each ``a`` the mutant measures as ``b`` (``len(y)`` ->
    ``len(y_pred)``), when that is all it changes; else None."""
    before, after = list(ast.walk(old)), list(ast.walk(new))
    if len(before) != len(after):
        return None
    parents = {id(child): node for node in before for child in ast.iter_child_nodes(node)}
    swaps: list[tuple[str, str, str]] = []
    for one, other in zip(before, after):
        if type(one) is not type(other):
            return None
        if isinstance(one, ast.Name) and isinstance(other, ast.Name) and one.id != other.id:
            measure = _measure(one, parents)
            if measure is None:
                return None
            swaps.append((one.id, other.id, measure))
            continue
        for field, value in ast.iter_fields(one):
            theirs = getattr(other, field, None)
            if isinstance(value, list) and isinstance(theirs, list):
                if len(value) != len(theirs) or [v for v in value if not isinstance(v, ast.AST)] != \
                        [t for t in theirs if not isinstance(t, ast.AST)]:
                    return None
            elif not isinstance(value, ast.AST) and value != theirs:
                return None
    return swaps or None


def _function(cells: Sequence[tuple[int, str]], cell: int, scope: str) -> ast.FunctionDef | None:
    """The definition of ``scope`` (``f`` or ``Class.method``) in the master cell ``cell``."""
    for index, source in cells:
        tree = parse_cell(unmark(source)) if index == cell else None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.ClassDef) and "." in scope and node.name == scope.split(".")[0]:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == scope.split(".")[1]:
                        return item
            if isinstance(node, ast.FunctionDef) and "." not in scope and node.name == scope:
                return node
    return None


def _rebound(function: ast.FunctionDef) -> set[str]:
    """Names the function binds again in its body (a parameter reassigned no longer has
    the size it was called with)."""
    return {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)} | \
        {a.arg for n in ast.walk(function) if isinstance(n, (ast.Lambda, ast.FunctionDef)) and n is not function
         for a in [*n.args.posonlyargs, *n.args.args, *n.args.kwonlyargs]}


def _same(first: tuple[str, tuple[int, ...]] | None, second: tuple[str, tuple[int, ...]] | None,
          measure: str) -> bool:
    if first is None or second is None:
        return False
    (kind, dims), (other_kind, other_dims) = first, second
    if measure == "len":
        return bool(dims) and bool(other_dims) and dims[0] == other_dims[0]
    if kind != "array" or other_kind != "array":  # a list has no .shape or .size
        return False
    if measure == "count":
        return _product(dims) == _product(other_dims)
    return dims == other_dims


def _product(dims: tuple[int, ...]) -> int:
    total = 1
    for dim in dims:
        total *= dim
    return total


def _size_alike(mutant: Mutant, cells: Sequence[tuple[int, str]], shapes: Mapping[str, Sequence[Shapes]]) -> str | None:
    """The reason, when the mutant only measures one parameter for another (``len(y)``
    -> ``len(y_pred)``) and the two had the same measure in every recorded call of the
    function (``shapes``: the solution notebook's own run, every call of it); else None."""
    if mutant.scope not in shapes:
        return None
    sides = _statements(mutant)
    swaps = None if sides is None else _size_swaps(*sides)
    calls = shapes[mutant.scope]
    function = _function(cells, mutant.cell, mutant.scope) if swaps else None
    if not swaps or not calls or function is None:
        return None
    parameters = {a.arg for a in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]}
    rebound = _rebound(function)
    for first, second, measure in swaps:
        if not {first, second} <= parameters - rebound:
            return None
        if not all(_same(call.get(first), call.get(second), measure) for call in calls):
            return None
    pairs = ", ".join(dict.fromkeys(f"{b} for {a}" for a, b, _ in swaps))
    seen = sorted({str(call[name][1]) for a, b, _ in swaps for call in calls for name in (a, b)})
    return SIZES.format(pairs=pairs, calls="shapes " + ", ".join(seen[:4]) + (", ..." if len(seen) > 4 else ""))


def _defaults(cells: Sequence[tuple[int, str]]) -> dict[str, dict[str, float]]:
    """Numeric parameter defaults of each function the cells define (``alpha=0.01``)."""
    found: dict[str, dict[str, float]] = {}
    for _, source in cells:
        tree = parse_cell(source)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                named = node.args.args[len(node.args.args) - len(node.args.defaults):]
                found[node.name] = {a.arg: d.value for a, d in zip(named, node.args.defaults)
                                    if isinstance(d, ast.Constant) and isinstance(d.value, (int, float))}
    return found


def equivalents_text(name: str, cells: Sequence[tuple[int, str]], questions: Sequence[str] = (),
                     optional: Sequence[str] = (), shapes: Mapping[str, Sequence[Shapes]] | None = None,
                     given: Collection[str] = ()) -> str | None:
    """The file's text, or None when no mutant of ``cells`` (index, master source) is one;
    mutants of ``optional`` questions and of code students are given (``given``: scopes,
    :mod:`autograder.verify.given`) are left out, as ``verify`` makes none. ``shapes``:
    the argument shapes of every call the solution notebook made to each question
    (:class:`autograder.scaffold.record.Recording`)."""
    defaults = _defaults(cells)
    found: list[tuple[Mutant, str]] = []
    for mutant in mutants(cells):
        if question_of(mutant.scope, questions) in optional or is_given(mutant.scope, questions, given):
            continue
        sized = _size_alike(mutant, cells, shapes or {})
        if sized is not None:
            found.append((mutant, sized))
        elif _self_update(mutant):
            found.append((mutant, REASON))
        elif _boundary_alike(mutant, defaults.get(mutant.scope.rpartition(".")[2], {})):
            found.append((mutant, BOUNDARY))
        elif _squared_swap(mutant):
            found.append((mutant, SQUARED))
        elif _dtype_only(mutant, _passed_lists((shapes or {}).get(mutant.scope, ()))):
            found.append((mutant, DTYPE_ONLY))
    if not found:
        return None
    lines = [f"# Mutants of {name}'s solution that behave like it (autograder verify counts them as neither",
             "# caught nor survived). Written by `autograder new --from` from a rule; review each."]
    for mutant, reason in found:
        lines += [f"- id: {mutant.id}", f"  change: {json.dumps(mutant.change, ensure_ascii=False)}",
                  f"  reason: {json.dumps(reason)}", ""]
    return "\n".join(lines)
