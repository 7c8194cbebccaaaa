"""The course as a content-hashed archive: how it reaches workers on other machines.

A worker never reads the client's course folder (it may be on another machine, or
changed while a batch runs): the client packs what grading reads into a zip with
fixed timestamps (the same files give the same bytes, so the same hash), and each
worker unpacks it once into ``<root>/<sha256>/``. What is packed is the effective
configuration (after command-line and environment overrides, so every worker grades
with the client's settings), the course's ``requirements.txt`` (each worker checks
its packages) and the assignment's folder (checks, reference, examples, master
notebook, data).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from autograder.config import CONFIG_NAME, GradingConfig, Settings, to_data, validated
from autograder.exceptions import AssignmentError, GraderError
from autograder.requirements import REQUIREMENTS_NAME

SKIPPED = ("__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache", ".git")
MAX_BYTES = 512 << 20  # a course's data folder may be large, never this large
_EPOCH = (1980, 1, 1, 0, 0, 0)
_DONE = ".unpacked"


@dataclass(frozen=True)
class CourseArchive:
    """The zip's bytes and their SHA-256 (which names the folder it unpacks into)."""

    assignment: str
    data: bytes
    sha256: str

    @classmethod
    def pack(cls, settings: Settings, assignment: str) -> CourseArchive:
        folder = settings.assignment_dir(assignment)
        # in the config's own order: it is the order of the questions in every result
        config = yaml.safe_dump(to_data(settings.config), allow_unicode=True,
                                sort_keys=False)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            _add(archive, CONFIG_NAME, config.encode())
            requirements = settings.course_dir / REQUIREMENTS_NAME
            if requirements.is_file():
                _add(archive, REQUIREMENTS_NAME, requirements.read_bytes())
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and not any(p in SKIPPED for p in relative.parts) \
                        and path.suffix != ".pyc":
                    _add(archive, f"assignments/{assignment}/{relative.as_posix()}", path.read_bytes())
        data = buffer.getvalue()
        if len(data) > MAX_BYTES:
            raise AssignmentError(f"{folder} packs into {len(data) >> 20} MiB, over the "
                                  f"{MAX_BYTES >> 20} MiB a cluster's workers are sent")
        return cls(assignment, data, hashlib.sha256(data).hexdigest())

    def unpack(self, root: Path) -> Path:
        """The course folder under ``root/<sha256>/``, unpacked now unless it already is.

        Several workers of one machine may share ``root``: each unpacks into its own
        temporary folder and renames it into place; the first one wins.
        """
        if hashlib.sha256(self.data).hexdigest() != self.sha256:
            raise GraderError("the course archive does not match its hash")
        target = root / self.sha256
        if (target / _DONE).is_file():
            return target
        root.mkdir(parents=True, exist_ok=True)
        staging = root / f".{self.sha256}.{os.getpid()}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            for info in archive.infolist():
                name = PurePosixPath(info.filename)
                if name.is_absolute() or ".." in name.parts or "\\" in info.filename or info.is_dir():
                    raise GraderError(f"the course archive holds a bad path: {info.filename!r}")
                destination = staging.joinpath(*name.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(info))
        (staging / _DONE).write_text(self.sha256)
        try:
            staging.rename(target)
        except OSError:  # another worker of this machine was first
            shutil.rmtree(staging, ignore_errors=True)
            if not (target / _DONE).is_file():
                raise
        return target


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def load_unpacked(folder: Path) -> Settings:
    """The settings a worker grades with: exactly the client's, from the archive.

    Not :func:`autograder.config.load_settings`, which would let the worker's own
    environment (``AUTOGRADER_LANGUAGE``...) override what the client decided.
    """
    path = folder / CONFIG_NAME
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Settings(validated(GradingConfig, raw, path), path)
