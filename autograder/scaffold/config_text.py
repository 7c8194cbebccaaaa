"""Adding an assignment to a course's ``grading_config.yaml`` without losing its comments.

The file is the instructor's: comments, order and layout stay as they are. The new
entry is inserted as text at the end of the ``assignments:`` block, with the block's
own indentation, and the result is parsed again to prove that only that entry changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from autograder.config import GradingConfig, validated
from autograder.exceptions import ConfigError

_KEY = re.compile(r"^assignments\s*:\s*(#.*)?$")
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def yaml_key(name: str) -> str:
    """``name`` as a YAML mapping key (quoted only when it has to be)."""
    return name if _PLAIN.match(name) else json.dumps(name, ensure_ascii=False)


def entry_text(name: str, title: str, questions: dict[str, float], indent: str = "  ",
               optional: Sequence[str] = ()) -> str:
    """The YAML lines of one assignment entry, ``indent`` being one level of the file."""
    lines = [f"{indent}{yaml_key(name)}:", f"{indent * 2}title: {json.dumps(title, ensure_ascii=False)}",
             f"{indent * 2}questions:"]
    lines += [f"{indent * 3}{yaml_key(q)}: {points:g}" for q, points in questions.items()]
    if optional:
        lines.append(f"{indent * 2}optional: [{', '.join(yaml_key(q) for q in optional)}]  # not graded: 0 points")
    return "\n".join(lines) + "\n"


def _block_end(lines: list[str], start: int) -> int:
    """The line after the last indented line (comments too) of the block at ``start``:
    blank lines and comments at column 0 after it stay after the new entry."""
    end = start + 1
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if not line.strip() or (line.startswith("#")):
            continue
        if not line[0].isspace():
            break
        end = number + 1
    return end


def _indent_of(lines: list[str], start: int, end: int) -> str:
    for line in lines[start + 1:end]:
        if line.strip() and not line.lstrip().startswith("#"):
            return line[: len(line) - len(line.lstrip())]
    return "  "


def add_assignment(config: Path, name: str, title: str, questions: dict[str, float],
                   optional: Sequence[str] = ()) -> None:
    """Insert ``name``'s entry into ``config``'s ``assignments:``; ConfigError when the
    file does not let itself be edited so (then the instructor adds it by hand)."""
    text = config.read_text(encoding="utf-8")
    before = yaml.safe_load(text) or {}
    if not isinstance(before, dict):
        raise ConfigError(str(config), "", "must be a mapping of keys to values")
    if name in (before.get("assignments") or {}):
        raise ConfigError(str(config), f"assignments.{name}", "already exists")
    lines = text.splitlines()
    starts = [number for number, line in enumerate(lines) if _KEY.match(line)]
    if starts:
        start = starts[0]
        end = _block_end(lines, start)
        indent = _indent_of(lines, start, end)
        new_lines = lines[:end] + entry_text(name, title, questions, indent, optional).splitlines() + lines[end:]
    elif "assignments" in before:
        raise ConfigError(str(config), "assignments", f"is not a block I can add to: add `{name}` by hand")
    else:
        new_lines = lines + ["", "assignments:"] + entry_text(name, title, questions, optional=optional).splitlines()
    new_text = "\n".join(new_lines) + "\n"
    _check_only_added(config, before, new_text, name)
    config.write_text(new_text, encoding="utf-8")


def _check_only_added(config: Path, before: dict[str, Any], new_text: str, name: str) -> None:
    after = yaml.safe_load(new_text)
    expected = dict(before, assignments=dict(before.get("assignments") or {}))
    if not isinstance(after, dict) or name not in (after.get("assignments") or {}):
        raise ConfigError(str(config), "assignments", f"could not add `{name}` to this file: add it by hand")
    expected["assignments"][name] = after["assignments"][name]
    if after != expected:
        raise ConfigError(str(config), "assignments", f"could not add `{name}` to this file: add it by hand")
    validated(GradingConfig, after, config)
