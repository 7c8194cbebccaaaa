"""The course secret, and the seeds of hidden inputs drawn from it.

Hidden checks draw their inputs per submission: from the check's name, the
submission's content and the course's secret (``secret:`` in ``grading_config.yaml``
or ``$AUTOGRADER_SECRET``). The same submission always gets the same inputs (grading
is a function of its inputs), a changed one gets new ones, and without the secret
nobody can tell which: the expected values shown in one round of feedback are no
lookup table for the next. The seed is an HMAC, so the secret cannot be recovered
from seeds or inputs either.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from autograder.notebook import CodeCell

ENV = "AUTOGRADER_SECRET"
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh course secret for ``grading_config.yaml`` (``autograder init`` writes one)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def fingerprint(secret: str) -> str:
    """A short digest that tells secrets apart (for the gradebook's versions) and says
    nothing about the secret itself."""
    return hashlib.sha256(b"autograder secret fingerprint\0" + secret.encode()).hexdigest()[:16]


def seed(secret: str, *parts: str) -> int:
    """A 128-bit seed from the secret and ``parts`` (check name, content digest, ...)."""
    message = "\0".join(parts).encode("utf-8", "surrogatepass")
    return int.from_bytes(hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16], "big")


def code_digest(cells: Iterable[CodeCell]) -> str:
    """The submission's content as the checks see it: its code cells, in order.

    Re-saving a notebook (new outputs, metadata, execution counts) keeps its hidden
    inputs; changing its code draws new ones.
    """
    digest = hashlib.sha256()
    for cell in cells:
        digest.update(f"{cell.index}\0{len(cell.source)}\0".encode())
        digest.update(cell.source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
