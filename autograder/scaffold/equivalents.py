"""The equivalent mutants ``new --from`` can tell by rule, written for the instructor
to review (``equivalent_mutants.yaml``, see :mod:`autograder.verify.equivalents`).

Only one rule, as the bundled ``neuron`` assignment's own review says it: a method that
updates one of its object's attributes in place (``self.w -= ...`` for ``self.w =
self.w - ...``) leaves the object exactly as the solution does; only an array a caller
passed to the constructor and kept would change with it, which no check of values can
see. Each entry says so; delete it to ask for that mutant to be caught.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from autograder.verify.mutate import Mutant, mutants
from autograder.verify.report import question_of

REASON = ("the object's attribute ends the same; only an array a caller passed to the constructor and "
          "kept would change with it, which no check of values sees (written by `new --from`: delete "
          "this entry if your course forbids updating such an array in place)")


def _self_update(mutant: Mutant) -> bool:
    if mutant.operator != "inplace" or "." not in mutant.scope:
        return False
    old = mutant.change.split("->", 1)[0].strip()
    return old.startswith("self.")


def equivalents_text(name: str, cells: Sequence[tuple[int, str]], questions: Sequence[str] = (),
                     optional: Sequence[str] = ()) -> str | None:
    """The file's text, or None when no mutant of ``cells`` (index, master source) is one;
    mutants of ``optional`` questions are left out, as ``verify`` makes none."""
    found = [m for m in mutants(cells) if _self_update(m) and question_of(m.scope, questions) not in optional]
    if not found:
        return None
    lines = [f"# Mutants of {name}'s solution that behave like it (autograder verify counts them as neither",
             "# caught nor survived). Written by `autograder new --from` from a rule; review each."]
    for mutant in found:
        lines += [f"- id: {mutant.id}", f"  change: {json.dumps(mutant.change, ensure_ascii=False)}",
                  f"  reason: {json.dumps(REASON)}", ""]
    return "\n".join(lines)
