"""Where hidden checks get their inputs: per submission, fixed, or from a pool.

- ``rng``: seeded from the check's name, the submission's content and the course
  secret (``autograder.secret``): the same submission always draws the same inputs, a
  changed one new ones, and nobody without the secret can predict them.
- ``fixed_rng``: seeded from the check's name alone, for checks whose inputs must not
  change (edge cases chosen by hand, data tuned to show a mistake).
- ``variant``: for checks whose expected values are costly (a reference training
  run). The check's inputs come from one of ``POOL`` variants, chosen per submission
  by content and secret; each variant's inputs (``variant.rng``) are the same for
  every submission that draws it, so ``once`` computes the reference for each
  variant once per batch (its key includes the variant), not once per submission.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from autograder import secret

POOL = 16  # variants per costly check: a batch computes at most this many reference runs each


@dataclass(frozen=True)
class Variant:
    """One of the ``POOL`` input sets of a check; ``rng`` draws that set's inputs."""

    index: int
    rng: np.random.Generator


def submission_rng(course_secret: str, digest: str, check: str) -> np.random.Generator:
    return np.random.default_rng(secret.seed(course_secret, "inputs", check, digest))


def fixed_rng(check: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(check.encode()))


def variant(course_secret: str, digest: str, check: str) -> Variant:
    index = secret.seed(course_secret, "variant", check, digest) % POOL
    return Variant(index, np.random.default_rng(secret.seed(course_secret, "pool", check, str(index))))
