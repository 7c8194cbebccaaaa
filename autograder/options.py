"""Options shared by every command, declared once (CONTRACT §2: every command takes
``--course DIR``). Commands in their own modules import them from here."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from autograder.exceptions import UsageError

COURSE_KEY = "autograder.course"


def _remember_course(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[COURSE_KEY] = value


def _config_or_course(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``--config FILE`` or the config of ``--course DIR`` (eager, so it is known here)."""
    course = ctx.meta.get(COURSE_KEY)
    if value is not None and course is not None:
        raise click.UsageError("give either --course or --config, not both")
    if course is not None:
        from autograder.config import course_config

        return course_config(course)
    return value


def config_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--course DIR`` and ``--config FILE``, both ending as the ``config_path``
    parameter (the config file to load, or None: the current folder's, else the
    bundled course's), so a command only ever passes ``config_path`` on."""
    command = click.option("--config", "config_path", type=click.Path(path_type=Path),
                           callback=_config_or_course,
                           help="grading_config.yaml to use (instead of --course)")(command)
    return click.option("--course", type=click.Path(path_type=Path, file_okay=False), is_eager=True,
                        expose_value=False, callback=_remember_course,
                        help="the course folder (grading_config.yaml, assignments/) [default: the "
                             "current folder when it holds grading_config.yaml, else the bundled "
                             "course]")(command)


def _blocker(path: Path, folder: bool) -> str | None:
    """Why ``path`` cannot be written as a folder (``folder``) or as a file, or None.

    Checked on the path as given, before any work: the nearest part of it that exists
    must be a folder this user may write in, and the path itself, when it exists, of the
    kind asked for."""
    if path.exists():
        if folder and not path.is_dir():
            return "it is a file, not a folder"
        if not folder and path.is_dir():
            return "it is a folder, not a file"
        return None if os.access(path, os.W_OK) else "permission denied"
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot write in {parent} (permission denied)"
    return None


def _check_writable(folder: bool) -> Callable[[click.Context, click.Parameter, Path | None], Path | None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        reason = None if value is None else _blocker(value, folder)
        if reason is not None:
            raise UsageError(f"{param.opts[0]} {value}: {reason}")
        return value
    return callback


out_folder = _check_writable(folder=True)
"""``callback=`` of an option naming a folder to write into (``--out``): a file in the
way or a folder this user cannot write in is one line and exit 2 before the command
starts, not an ``OSError`` (exit 3, "grader failure") after a batch was graded."""

out_file = _check_writable(folder=False)
"""``callback=`` of an option naming a file to write (``--json``, a zip ``--out``); as
:data:`out_folder`."""
