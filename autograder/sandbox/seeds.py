"""The seeds of a submission's random generators in the worker (CONTRACT §3).

A submission's seed comes from its bytes; each cell and each call into its code gets a
seed of its own from that seed and its place (a cell's index; a check and how many
calls the check made before), so what a call draws depends on nothing else: not on the
calls made before it, the batch, the worker or the order of the checks.
"""

from __future__ import annotations

import hashlib


def submission_seed(sha256: str) -> int:
    """The seed of a submission: its content hash's first 64 bits (0 when there is no hash)."""
    try:
        return int(sha256[:16], 16)
    except ValueError:
        return 0


def call_seed(seed: int, key: str, number: int) -> int:
    """The seed of the generators for the ``number``-th call (from 0) made under ``key``
    (a check, a question's public examples, ``cell N``) of the submission seeded
    ``seed``: 64 bits of a hash of the three."""
    digest = hashlib.blake2b(f"{seed}\0{key}\0{number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")
