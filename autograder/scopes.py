"""The global names a piece of code reads, from Python's own scopes (:mod:`symtable`).

A function's parameters and locals are not globals: ``def fit(self, X, y)`` does not
read the notebook's ``X``. Used where code is analysed without being run (the
reference ``new --from`` writes; the cells ``verify`` may leave out of a mutant).
"""

from __future__ import annotations

import ast
import symtable


def global_reads(node: ast.AST) -> set[str]:
    """Names ``node`` reads from the module's namespace when it runs or is called."""
    try:
        table = symtable.symtable(ast.unparse(node), "<code>", "exec")
    except (SyntaxError, ValueError, RecursionError):
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    found: set[str] = set()
    tables = [table]
    while tables:
        current = tables.pop()
        kind = current.get_type()
        for symbol in current.get_symbols():
            if symbol.is_referenced() and (kind == "module" or symbol.is_global()
                                           or (kind == "class" and not symbol.is_assigned())):
                found.add(symbol.get_name())
        tables += current.get_children()
    return found
