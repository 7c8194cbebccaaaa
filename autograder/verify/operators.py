"""Mutation operators: the mistakes students make, as changes of the solution's code.

Each operator looks at one node of a solution region and proposes changes. An
expression change comes with several renderings, the plainest first (``x > 0`` for
``x >= 0``) and last one built from the tree (``ast.unparse``, fully parenthesised);
:mod:`autograder.verify.mutate` keeps the first that parses to the same program as
the last, so a mutant reads like something a student wrote and still means what the
operator intended. Statement changes are exact text moves.

To add an operator: a function ``(cell, node) -> Iterator[Candidate]`` in
:data:`OPERATORS` with a one-line description of the mistake it stands for. Operators
are shown the nodes that lie on solution lines, except those in :data:`WHOLE_TREE`,
which see every node and pick the solution lines themselves (a function's ``def``
line is outside its solution, its body's statements inside).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from autograder.verify.source import Cell, Edit, grouped


@dataclass(frozen=True)
class Candidate:
    """One proposed change: renderings, the plainest first, the reference rendering last."""

    renderings: tuple[tuple[Edit, ...], ...]
    anchor: ast.AST | None = None  # the node whose function the change is in (default: the node looked at)


Operator = Callable[[Cell, ast.AST], Iterator[Candidate]]


def _expression(cell: Cell, node: ast.expr, new: ast.expr, *plain: tuple[Edit, ...]) -> Candidate:
    reference = (cell.replace(node, f"({ast.unparse(new)})"),)
    return Candidate((*plain, reference))


def _with(node: ast.AST, **fields: object) -> ast.expr:
    changed = copy.deepcopy(node)
    for name, value in fields.items():
        setattr(changed, name, value)
    assert isinstance(changed, ast.expr)
    return changed


# ---- expressions --------------------------------------------------------------------

_SYMBOLS: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.MatMult: "@",
}
_ARITH: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Pow: ast.Mult, ast.MatMult: ast.Mult,
}


def _operator_text(edit: Edit, old: str, new: str) -> Edit:
    return Edit(edit.start, edit.end, edit.text.replace(old, new, 1))


def arith(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """``+`` for ``-``, ``*`` for ``/``, ``*`` for ``@`` or ``**``; ``-x`` for ``x``."""
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        swapped = _ARITH[type(node.op)]
        plain = _operator_text(cell.between(node.left, node.right), _SYMBOLS[type(node.op)], _SYMBOLS[swapped])
        yield _expression(cell, node, _with(node, op=swapped()), (plain,))
    elif isinstance(node, ast.AugAssign) and type(node.op) in _ARITH:
        swapped = _ARITH[type(node.op)]
        old, new = _SYMBOLS[type(node.op)] + "=", _SYMBOLS[swapped] + "="
        yield Candidate(((_operator_text(cell.between(node.target, node.value), old, new),),))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and not _number(node.operand):
        yield _expression(cell, node, node.operand, (cell.replace(node, cell.text(node.operand)),))


_BOUNDARY: dict[type[ast.cmpop], type[ast.cmpop]] = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt}
_DIRECTION: dict[type[ast.cmpop], type[ast.cmpop]] = {ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Lt: ast.Gt, ast.LtE: ast.GtE}
_NEGATION: dict[type[ast.cmpop], type[ast.cmpop]] = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot,
                                                     ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
_CMP: dict[type[ast.cmpop], str] = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==",
                                    ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
                                    ast.NotIn: "not in"}


def compare(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """``>`` for ``>=`` (the boundary), ``<`` for ``>`` (the direction), ``!=`` for ``==``."""
    if not isinstance(node, ast.Compare):
        return
    operands = [node.left, *node.comparators]
    for index, op in enumerate(node.ops):
        for table in (_BOUNDARY, _DIRECTION, _NEGATION):
            if type(op) not in table:
                continue
            new_ops = list(node.ops)
            new_ops[index] = table[type(op)]()
            gap = cell.between(operands[index], operands[index + 1])
            plain = Edit(gap.start, gap.end, gap.text.replace(_CMP[type(op)], _CMP[table[type(op)]], 1))
            yield _expression(cell, node, _with(node, ops=new_ops), (plain,))


def _number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def _signed_value(node: ast.AST) -> int | float | None:
    """The number ``node`` writes (``-1`` included), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _signed_value(node.operand)
        return -inner if inner is not None and _number(node.operand) else None
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    return None


def _changed_values(value: int | float) -> list[int | float]:
    if value == 0:
        return [type(value)(1)]
    if value == 1:
        return [type(value)(0), type(value)(2)]
    if value == -1:
        return [type(value)(0), type(value)(1)]
    return [value + 1]


def constant(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A number changed (0 for 1, 0 for ``axis=-1``, 3.0 for 2.0); ``False`` for ``True``."""
    value = _signed_value(node)
    if not isinstance(node, ast.expr):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        flipped = not node.value
        yield _expression(cell, node, ast.Constant(flipped), (cell.replace(node, repr(flipped)),))
    elif value is not None and not _negated_constant_inside(cell, node):
        for new in _changed_values(value):
            new_node: ast.expr = ast.Constant(new) if new >= 0 else ast.UnaryOp(ast.USub(), ast.Constant(-new))
            yield _expression(cell, node, new_node, (cell.replace(node, repr(new)),))


def _negated_constant_inside(cell: Cell, node: ast.AST) -> bool:
    """The ``1`` of ``-1`` (changed as ``-1`` itself, by its parent)."""
    return id(node) in cell.negated


def drop(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A term or factor left out: ``a`` for ``a / n``, ``x`` for ``2 * x``, ``e`` for ``1 + e``."""
    if not isinstance(node, ast.BinOp):
        return
    if isinstance(node.op, (ast.Add, ast.Mult)):
        kept = [node.left, node.right]
    elif isinstance(node.op, (ast.Sub, ast.Div)):
        kept = [node.left]
    else:
        return
    for operand in kept:
        text = cell.text(operand)
        yield _expression(cell, node, operand, (cell.replace(node, text),),
                          (cell.replace(node, grouped(text, operand)),))


_NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.MatMult, ast.Pow, ast.Mod)


# functions whose two arguments may come in either order (``np.maximum(x, 0)`` is
# ``np.maximum(0, x)``): swapping them makes no mistake, only an equivalent mutant
_SYMMETRIC = {"maximum", "minimum", "fmax", "fmin", "add", "multiply", "logaddexp", "logaddexp2", "hypot",
              "logical_and", "logical_or", "logical_xor"}


def _symmetric(call: ast.Call) -> bool:
    """``np.maximum(a, b)`` and its kind, or the builtin ``max(a, b)`` / ``min(a, b)``."""
    if len(call.args) != 2 or call.keywords:
        return False
    if isinstance(call.func, ast.Attribute):
        return call.func.attr in _SYMMETRIC
    return isinstance(call.func, ast.Name) and call.func.id in ("max", "min")


def swap_args(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """Two arguments in the other order (``loss_fn(y, y_pred)``), or ``y_hat - y`` for ``y - y_hat``;
    not those of a symmetric function (``np.maximum``, builtin ``max`` of two)."""
    if isinstance(node, ast.Call) and not _symmetric(node):
        args = node.args
        if any(isinstance(a, ast.Starred) for a in args):
            return
        for i in range(len(args) - 1):
            first, second = args[i], args[i + 1]
            if cell.text(first) == cell.text(second):
                continue
            new_args = list(args)
            new_args[i], new_args[i + 1] = second, first
            plain = (cell.replace(first, cell.text(second)), cell.replace(second, cell.text(first)))
            yield _expression(cell, node, _with(node, args=new_args), plain)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, _NON_COMMUTATIVE):
        left, right = cell.text(node.left), cell.text(node.right)
        if left == right:
            return
        plain = (cell.replace(node.left, right), cell.replace(node.right, left))
        grouped_ = (cell.replace(node.left, grouped(right, node.right)), cell.replace(node.right, grouped(left, node.left)))
        yield _expression(cell, node, _with(node, left=node.right, right=node.left), plain, grouped_)


_CONFUSED = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "maximum": "max",
             "minimum": "min", "zeros": "ones", "ones": "zeros", "zeros_like": "ones_like",
             "ones_like": "zeros_like", "sigmoid": "tanh", "tanh": "sigmoid", "argmax": "argmin",
             "argmin": "argmax"}


def function(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A similar function called instead: ``np.mean`` for ``np.sum``, ``np.max`` for ``np.maximum``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _CONFUSED:
        other = _CONFUSED[node.func.attr]
        func = node.func
        end = cell.span(func)[1]  # the attribute's name ends the span
        name_edit = Edit(end - len(func.attr), end, other)
        yield _expression(cell, node, _with(node, func=_with(func, attr=other)), (name_edit,))


_COPIES = {"array", "asarray", "copy", "deepcopy", "tensor", "as_tensor", "dict", "list"}
_COPY_METHODS = {"copy", "clone", "detach"}


def copies(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A copy or conversion left out: ``v`` for ``np.array(v)``, ``x`` for ``x.copy()``."""
    if not isinstance(node, ast.Call):
        return
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if isinstance(func, ast.Attribute) and name in _COPY_METHODS and not node.args and not node.keywords:
        kept: ast.expr = func.value
    elif name in _COPIES and node.args and not isinstance(node.args[0], ast.Starred):
        kept = node.args[0]
    else:
        return
    text = cell.text(kept)
    yield _expression(cell, node, kept, (cell.replace(node, text),), (cell.replace(node, grouped(text, kept)),))


def arguments(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A keyword argument left out: ``np.sum(e, keepdims=True)`` for ``np.sum(e, axis=-1, keepdims=True)``,
    ``np.asarray(x)`` for ``np.asarray(x, dtype=float)``."""
    if not isinstance(node, ast.Call):
        return
    for index, keyword in enumerate(node.keywords):
        if keyword.arg is None:
            continue
        kept = node.keywords[:index] + node.keywords[index + 1:]
        parts = [cell.text(a) for a in node.args] + [cell.text(k) for k in kept]
        plain = cell.replace(node, f"{cell.text(node.func)}({', '.join(parts)})")
        yield _expression(cell, node, _with(node, keywords=kept), (plain,))


def calls(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A call left out: ``z - m`` for ``np.exp(z - m)``, ``x`` for ``np.abs(x)`` or ``sigmoid(x)``."""
    if not isinstance(node, ast.Call) or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
        return
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name in _COPIES or not name:
        return  # the copy operator's
    kept = node.args[0]
    text = cell.text(kept)
    yield _expression(cell, node, kept, (cell.replace(node, text),), (cell.replace(node, grouped(text, kept)),))


def _zeroed(cell: Cell, node: ast.expr) -> tuple[ast.expr, Edit]:
    zero = ast.BinOp(copy.deepcopy(node), ast.Mult(), ast.Constant(0))
    return zero, cell.replace(node, grouped(cell.text(node), node) + " * 0")


def zeros(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """Zeros of the right shape returned (``* 0``): what a check of shapes alone lets through."""
    if not isinstance(node, ast.Return) or node.value is None:
        return
    value = node.value
    if isinstance(value, ast.Constant) and value.value is None:
        return
    if isinstance(value, ast.Tuple):
        parts = [_zeroed(cell, element) for element in value.elts]
        new: ast.expr = _with(value, elts=[p[0] for p in parts])
        edits = tuple(p[1] for p in parts)
    elif isinstance(value, ast.Dict) and all(k is not None for k in value.keys):
        parts = [_zeroed(cell, v) for v in value.values]
        new = _with(value, values=[p[0] for p in parts])
        edits = tuple(p[1] for p in parts)
    else:
        new, edit = _zeroed(cell, value)
        edits = (edit,)
    yield _expression(cell, value, new, edits)


# ---- statements ---------------------------------------------------------------------

_SIMPLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Return)


def _docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def delete(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A statement left out: ``optimizer.zero_grad()``, the reset of the weights, a ``return``."""
    if isinstance(node, _SIMPLE) and not _docstring(node):
        yield Candidate(((cell.replace(node, "pass"),),))


# Calls that change nothing: most of NumPy and PyTorch's functions, and the array
# methods that make a new value. Anything else may change what it can reach.
_PURE_MODULES = {"np", "numpy", "torch", "math", "F"}
_IMPURE_FUNCTIONS = {"copyto", "put", "place", "putmask", "fill_diagonal", "seed", "manual_seed", "random",
                     "shuffle", "rand", "randn", "normal", "uniform", "randint", "choice", "permutation"}
_PURE_METHODS = {"sum", "mean", "max", "min", "reshape", "copy", "item", "astype", "transpose", "ravel",
                 "flatten", "dot", "clone", "detach", "numpy", "tolist", "float", "view", "squeeze",
                 "unsqueeze", "argmax", "argmin", "std", "var", "abs", "exp", "log", "t"}


def _pure_call(call: ast.Call) -> bool:
    if any(k.arg == "out" for k in call.keywords):
        return False
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in {"float", "int", "len", "abs", "range", "list", "tuple", "dict", "min", "max", "sum"}
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name) and func.value.id in _PURE_MODULES:
        return func.attr not in _IMPURE_FUNCTIONS
    return func.attr in _PURE_METHODS


def _names(node: ast.AST) -> tuple[set[str], set[str], bool]:
    """Names a statement reads and writes, and whether it may do anything else (a call
    that may change things, a store into an attribute or an item)."""
    reads: set[str] = set()
    writes: set[str] = set()
    effects = False
    for sub in _executed(node):
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            writes.add(sub.name)
            effects = effects or bool(sub.decorator_list)
        elif isinstance(sub, ast.Name):
            (writes if isinstance(sub.ctx, (ast.Store, ast.Del)) else reads).add(sub.id)
        elif isinstance(sub, ast.Call):
            effects = effects or not _pure_call(sub)
        elif isinstance(sub, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr,
                              ast.Global, ast.Nonlocal, ast.Return, ast.Raise)):
            effects = True
        elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "self":
            # self.w and self.b are two names of the object: updating both, in either order, is alike
            (writes if isinstance(sub.ctx, (ast.Store, ast.Del)) else reads).add(f"self.{sub.attr}")
        elif isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            effects = True
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        reads.add(node.target.id)
    return reads, writes, effects


def _executed(node: ast.AST) -> list[ast.AST]:
    """The nodes that run when ``node`` runs: a ``def`` evaluates its decorators, defaults
    and annotations and binds its name, but its body runs only when called (so two methods
    of a class, or two functions of a cell, swapped are the same code, not a mutant)."""
    found: list[ast.AST] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = current.args
            stack += [*current.decorator_list, *arguments.defaults,
                      *(d for d in arguments.kw_defaults if d is not None),
                      *(a.annotation for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                                                arguments.vararg, arguments.kwarg)
                        if a is not None and a.annotation is not None),
                      *([current.returns] if current.returns else [])]
        else:
            stack += list(ast.iter_child_nodes(current))
    return found


def commute(first: ast.stmt, second: ast.stmt) -> bool:
    """Whether two statements surely give the same result in either order: neither binds
    a name the other uses, and one of them only binds names from an expression without
    calls that change things, reading no name the other one touches (a call may change
    what it can reach).
    Swapping such a pair makes an equivalent mutant: not worth a run."""
    reads1, writes1, effects1 = _names(first)
    reads2, writes2, effects2 = _names(second)
    if writes1 & (reads2 | writes2) or writes2 & reads1:
        return False
    if effects1 and effects2:
        return False
    if not effects1 and not effects2:
        return True
    pure_reads, other = (reads1, reads2 | writes2) if not effects1 else (reads2, reads1 | writes1)
    return not pure_reads & other


def _bodies(node: ast.AST) -> Iterator[list[ast.stmt]]:
    for field in ("body", "orelse", "finalbody"):
        body = getattr(node, field, None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            yield body


def reorder(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """Statements in another order: two neighbours swapped, or one moved to the end of its
    block (the loss recorded after the update). A statement moves with its comment."""
    for body in _bodies(node):
        block = [s for s in body if cell.inside(s) and not _docstring(s) and not isinstance(s, ast.Return)
                 and cell.indent(s) is not None]
        spans = {id(s): cell.line_span(s) for s in block}

        def text(statement: ast.stmt) -> str:
            start, end = spans[id(statement)]
            return cell.source[start:end]

        def put(statement: ast.stmt, new: str) -> Edit:
            start, end = spans[id(statement)]
            return Edit(start, end, new)

        for statement in block:
            index = body.index(statement)
            if index + 1 < len(body) and body[index + 1] in block:
                following = body[index + 1]
                if not commute(statement, following):
                    yield Candidate(((put(statement, text(following)), put(following, text(statement))),),
                                    statement)
            rest = body[index + 1:]
            if len(rest) >= 2 and all(s in block for s in rest) and \
                    not all(commute(statement, s) for s in rest):
                targets = [statement, *rest]
                texts = [text(s) for s in rest] + [text(statement)]
                yield Candidate((tuple(put(t, new) for t, new in zip(targets, texts)),), statement)


_IN_PLACE = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_LVALUES = (ast.Name, ast.Attribute, ast.Subscript)


def _update(cell: Cell, value: ast.expr) -> str | None:
    """``L op= R`` for a value ``L op R`` whose left side can be updated in place."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, _IN_PLACE) and isinstance(value.left, _LVALUES):
        return f"{cell.text(value.left)} {_SYMBOLS[type(value.op)]}= {cell.text(value.right)}"
    return None


def inplace(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """A new value made by updating an old one in place: ``w += lr * x`` for
    ``w = w + lr * x``, or for ``return w + lr * x`` (changes the caller's array)."""
    if not isinstance(node, (ast.Assign, ast.Return)) or node.value is None:
        return
    indent = cell.indent(node)
    if indent is None:
        return
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        update = _update(cell, node.value)
        if update is not None:
            assert isinstance(node.value, ast.BinOp)
            target, left = cell.text(node.targets[0]), cell.text(node.value.left)
            text = update if target == left else f"{update}\n{indent}{target} = {left}"
            yield Candidate(((cell.replace(node, text),),))
    elif isinstance(node, ast.Return):
        elements = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
        for position, element in enumerate(elements):
            update = _update(cell, element)
            if update is None:
                continue
            assert isinstance(element, ast.BinOp)
            returned = [cell.text(e) for e in elements]
            returned[position] = cell.text(element.left)
            yield Candidate(((cell.replace(node, f"{update}\n{indent}return {', '.join(returned)}"),),))


def _stem(name: str) -> str:
    return name.rstrip("0123456789_").split("_")[0]


def _similar(first: str, second: str) -> bool:
    """Names a student mixes up: ``a1``/``a2``, ``y``/``y_hat``, ``d_z1``/``d_z2``."""
    return first != second and (first.rstrip("0123456789") == second.rstrip("0123456789")
                                or _stem(first) == _stem(second))


def _sources(value: ast.expr) -> set[str]:
    """What a value is directly made from: ``x`` of ``sigmoid(x)`` or ``np.tanh(x)``,
    ``params`` of ``{k: f(v) for k, v in params.items()}``."""
    if isinstance(value, ast.Call) and value.args:
        first = value.args[0]
        return {first.id} if isinstance(first, ast.Name) else _sources(first) if isinstance(first, ast.Call) else set()
    if isinstance(value, (ast.DictComp, ast.ListComp, ast.GeneratorExp, ast.SetComp)):
        return {n.id for g in value.generators for n in ast.walk(g.iter) if isinstance(n, ast.Name)}
    return set()


def variable(cell: Cell, node: ast.AST) -> Iterator[Candidate]:
    """The wrong variable: ``a1`` for ``a2``, ``y`` for ``y_hat``, the input for what was
    made from it (``x`` for ``s = sigmoid(x)``, the caller's ``params`` for the copy
    ``current``). Only names of the same function, bound before the use."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return
    bound: dict[str, int] = {a.arg: node.lineno for a in [*node.args.posonlyargs, *node.args.args,
                                                          *node.args.kwonlyargs]}
    made_from: dict[str, set[str]] = {}
    called = {id(sub.func) for sub in ast.walk(node) if isinstance(sub, ast.Call)}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name):
            name = sub.targets[0].id
            bound.setdefault(name, sub.lineno)
            made_from.setdefault(name, set()).update(_sources(sub.value) - {name})
        elif isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            for target in targets:
                for found in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                    bound.setdefault(found, sub.lineno)
    for use in ast.walk(node):
        if not (isinstance(use, ast.Name) and isinstance(use.ctx, ast.Load) and use.id in bound
                and id(use) not in called and cell.inside(use)):
            continue
        for other in sorted(bound):
            if bound[other] < use.lineno and other != use.id and \
                    (_similar(other, use.id) or other in made_from.get(use.id, ())):
                yield Candidate(((cell.replace(use, other),),), use)


WHOLE_TREE = {"reorder", "variable"}

OPERATORS: dict[str, tuple[str, Operator]] = {
    "arith": ("an arithmetic operator swapped", arith),
    "compare": ("a comparison changed (> for >=, < for >, != for ==)", compare),
    "constant": ("a constant changed", constant),
    "drop": ("a term or factor left out", drop),
    "swap": ("two arguments or operands swapped", swap_args),
    "function": ("a similar function called instead", function),
    "copy": ("a copy or conversion left out", copies),
    "call": ("a call left out (np.exp, np.abs, float, ...)", calls),
    "argument": ("a keyword argument left out (axis=, keepdims=, dtype=)", arguments),
    "zeros": ("zeros returned: the right shape, no value", zeros),
    "delete": ("a statement left out", delete),
    "reorder": ("statements in another order", reorder),
    "inplace": ("an update made in place (the caller's array changes)", inplace),
    "variable": ("the wrong variable (a1 for a2, the input for the activation)", variable),
}
