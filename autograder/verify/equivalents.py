"""``assignments/<name>/equivalent_mutants.yaml``: mutants reviewed as behaving like the solution.

No check can catch a mutant that computes the same thing (``np.maximum(0.0, x)`` for
``np.maximum(x, 0.0)``), so after a look the instructor lists it here with the reason,
and ``verify`` stops counting it::

    - id: relu/swap/1a2b3c4d
      change: "np.maximum(x, 0.0)  ->  np.maximum(0.0, x)"   # optional, for the reader
      reason: the maximum is symmetric

Ids come from the function, the operator and the changed lines, so an entry keeps
applying while the notebook is edited elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from typing import Annotated

import msgspec
from msgspec import Meta

from autograder.config import unreadable, validated
from autograder.exceptions import ConfigError

FILENAME = "equivalent_mutants.yaml"


class Equivalent(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: Annotated[str, Meta(min_length=1)]
    reason: Annotated[str, Meta(min_length=1, description="why the mutant behaves like the solution")]
    change: str = ""


def load_equivalents(assignment_dir: Path) -> dict[str, Equivalent]:
    """The reviewed equivalent mutants of an assignment, by id (none when there is no file)."""
    path = assignment_dir / FILENAME
    if not path.is_file():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(str(path), "", unreadable(error)) from None
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise ConfigError(str(path), "", "must be a list of entries with id and reason")
    found: dict[str, Equivalent] = {}
    for number, entry in enumerate(raw):
        item = validated(Equivalent, entry, path, str(number))
        if item.id in found:
            raise ConfigError(str(path), str(number), f"{item.id} is listed twice")
        found[item.id] = item
    return found
