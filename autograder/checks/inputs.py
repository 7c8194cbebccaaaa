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
import numpy.random  # noqa: F401  (NumPy 2 imports it at first use: here, once, before a batch forks its graders)

from autograder import secret

POOL = 16  # variants per costly check: a batch computes at most this many reference runs each


@dataclass(frozen=True)
class Variant:
    """One of the ``POOL`` input sets of a check; ``rng`` draws that set's inputs."""

    index: int
    rng: np.random.Generator


def submission_rng(course_secret: str, digest: str, check: str) -> np.random.Generator:
    return generator(secret.seed(course_secret, "inputs", check, digest))


def generator(seed: int) -> np.random.Generator:
    """``np.random.default_rng(seed)`` for a seed of at most 128 bits, the same generator
    in the same state, at half the cost (a fixture of most checks makes one per
    submission): NumPy reads an int seed as its 32-bit words, the lowest first, up to
    the highest that is not zero (one word for 0), each made a NumPy integer in a
    Python loop; the words are given here as the array it would build."""
    if not 0 <= seed < 1 << 128:
        return np.random.default_rng(seed)
    used = max(1, (seed.bit_length() + 31) // 32)
    words = np.array([(seed >> shift) & 0xFFFFFFFF for shift in range(0, 32 * used, 32)], np.uint32)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))


def fixed_rng(check: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(check.encode()))


def variant(course_secret: str, digest: str, check: str) -> Variant:
    index = secret.seed(course_secret, "variant", check, digest) % POOL
    return Variant(index, generator(secret.seed(course_secret, "pool", check, str(index))))
