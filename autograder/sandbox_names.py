"""The jail's backends, named once (strongest first), and what a course may ask for.

Kept apart from ``sandbox/`` so that the configuration, the results and the command
line can name them without importing the jail. Each name is a module of
``sandbox/backends/``, registered there.
"""

from __future__ import annotations

from typing import Literal, get_args

Backend = Literal["bwrap", "landlock", "none"]
Requested = Literal["auto", Backend]  # auto: the strongest that runs here

NAMES: tuple[Backend, ...] = get_args(Backend)
CHOICES: tuple[str, ...] = get_args(Requested)
