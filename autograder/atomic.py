"""Files written so that a reader sees the old content or the new, never half of it.

Results, reports, grade files and packages are read while a batch writes them (a
resumed batch, an LMS upload, a browser on the summary): each is written to a
temporary file in the same folder and renamed over the old one.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes, *, mode: int = 0o644, durable: bool = False) -> None:
    """``mode``: mkstemp makes files owner-only, and most of ours are shared. ``durable``:
    the file and its folder entry are on disk before this returns (what the course server
    promises before it answers 202), at the cost of two fsyncs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


# what write_bytes_atomic names its temporary file: ``.NAME.`` + mkstemp's 8 characters + ``.tmp``
LEFTOVER = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files a killed writer left in ``folder`` (SIGKILL can land
    between writing one and renaming it, and nothing runs after it): for a folder that one
    command writes at a time, before it writes. The paths removed."""
    removed = []
    for path in folder.glob(".*.tmp") if folder.is_dir() else ():
        if LEFTOVER.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
