"""Optional parts of a notebook: what the notebook itself says is not graded.

Course notebooks mark a part students may skip in its heading ("## ELU
(необязательно, не оценивается)", "Bonus", "optional"). The questions defined in the
code cells under such a heading, up to the next heading of the same or a higher
level, are made optional (``optional:`` in grading_config.yaml: 0 points, listed in
feedback, not required by ``verify``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.scaffold.cells import MasterCell

OPTIONAL = re.compile(r"необязательн|не оценива|бонус|optional|not graded|ungraded|bonus", re.IGNORECASE)
_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*)$|<h([1-6])\b[^>]*>(.*?)</h\3>", re.IGNORECASE | re.MULTILINE)
_DEFINES = re.compile(r"^(?:def|class)\s+(\w+)", re.MULTILINE)


def _heading(source: str) -> tuple[int, str] | None:
    found = _HEADING.search(source)
    if found is None:
        return None
    if found.group(1):
        return len(found.group(1)), found.group(2)
    return int(found.group(3)), found.group(4)


def optional_questions(cells: Sequence[MasterCell], questions: Sequence[str]) -> list[str]:
    """The questions defined under a heading that calls its part optional."""
    level: int | None = None  # the level of the optional heading we are under
    names: set[str] = set()
    for cell in cells:
        if cell.cell_type == "markdown":
            heading = _heading(cell.source)
            if heading is not None and (level is None or heading[0] <= level):
                level = heading[0] if OPTIONAL.search(heading[1]) else None
        elif level is not None:
            names.update(_DEFINES.findall(cell.source))
    return [q for q in questions if q.split(".")[0] in names]
