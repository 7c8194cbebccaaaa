"""Ids for the cells the framework writes into notebooks.

nbformat's ``new_code_cell``/``new_markdown_cell`` give each cell a random id, so the
same input would be written out as other bytes every time: a student notebook made by
``assign``, a master made by ``new --from`` or an importer, a feedback notebook. A cell
the framework adds gets an id that says what it is for instead.
"""

from __future__ import annotations

import hashlib
import re

from nbformat import NotebookNode

_PLAIN = re.compile(r"[A-Za-z0-9_-]{1,50}")  # within nbformat's id pattern and 64 characters


def fixed_id(cell: NotebookNode, *parts: str) -> NotebookNode:
    """``cell`` with the id ``autograder-<parts joined by ->`` (a digest of them when they
    are not plain letters, digits, ``-`` and ``_``); a cell without an id (before
    nbformat 4.5) is left without. The caller keeps ``parts`` unique in its notebook."""
    if "id" in cell:
        name = "-".join(parts)
        cell.id = "autograder-" + (name if _PLAIN.fullmatch(name) else
                                   hashlib.sha256(name.encode()).hexdigest()[:16])
    return cell


def fitted(notebook: NotebookNode) -> NotebookNode:
    """``notebook`` with cell ids as its version wants them: none before nbformat 4.5 (a
    cell with one is invalid there: Jupyter warns when it opens it), one for every cell
    from 4.5 on (filled where missing, as cells taken from an older notebook are; left
    missing, nbformat's writer makes random ones)."""
    if (notebook.get("nbformat", 4), notebook.get("nbformat_minor", 0)) < (4, 5):
        for cell in notebook.cells:
            cell.pop("id", None)
        return notebook
    taken = {cell.get("id") for cell in notebook.cells}
    for number, cell in enumerate(notebook.cells, 1):
        if "id" not in cell:
            made, extra = f"autograder-cell-{number}", 0
            while made in taken:
                extra += 1
                made = f"autograder-cell-{number}-{extra}"
            cell["id"] = made
            taken.add(made)
    return notebook


def distinct(cells: list[dict]) -> bool:
    """Give a cell whose id an earlier cell holds already the id ``<id>-<n>`` (the first
    free n), in place: nbformat's reader would give it a random one (copied cells can
    share an id), and the same file would be read as other notebooks each time. Whether
    any id changed."""
    taken: set[object] = set()
    changed = False
    for cell in cells:
        if not isinstance(cell, dict) or "id" not in cell:
            continue
        ident, number = cell["id"], 1
        while cell["id"] in taken:
            number += 1
            cell["id"] = f"{ident}-{number}"[:64]
            changed = True
        taken.add(cell["id"])
    return changed
