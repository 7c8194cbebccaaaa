"""Where the autograder keeps what it can compute again: ``$XDG_CACHE_HOME/autograder``
(``~/.cache/autograder``). Everything there is the user's own work (the master
notebook's run time, compiled report templates), never anything of a student's."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "autograder"


def private_folder(name: str) -> Path | None:
    """``folder()/name``, made readable and writable by this user alone, for what is loaded
    as code (compiled templates); None when it cannot be made, or someone else could
    write in it (then nothing is cached)."""
    path = folder() / name
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = path.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o022:
        return None
    return path
