"""Files that tools add beside a student's notebook on their own, never a submission.

Jupyter's checkpoints (``.ipynb_checkpoints/``), and macOS's resource forks: a Mac
writes ``._hw.ipynb`` beside each file it copies to a USB stick or a network share, and
``__MACOSX/._hw.ipynb`` into each zip it makes. Read the same way in a folder and in an
LMS archive.
"""

from __future__ import annotations


def is_junk(name: str) -> bool:
    """Whether the file at ``name`` (a relative path, ``/`` or ``\\`` apart) is such a file."""
    parts = name.replace("\\", "/").split("/")
    return "__MACOSX" in parts or ".ipynb_checkpoints" in parts or parts[-1].startswith("._")
