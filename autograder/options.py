"""Options shared by every command, declared once (CONTRACT §2: every command takes
``--course DIR``). Commands in their own modules import them from here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

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
