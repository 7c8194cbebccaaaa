"""Pairs of students whose code is alike, by copydetect (winnowing over tokens).

copydetect tokenizes each text with Pygments and replaces every name by one letter and
every string by another, dropping comments and whitespace, so renaming, comments and
formatting change nothing; it then compares the sets of k-gram fingerprints of the two
texts, so moving functions around changes little. Two things are left out before
comparing, as copydetect's "boilerplate": every fingerprint of the starter notebook
(what ``assign`` handed out), and every fingerprint found in more than ``common`` of the
class's notebooks (the idioms everyone writes, ``np.exp(-x)``, as MOSS ignores passages
that appear too often), so that what is left is what a student wrote in their own way.

A pair's score is the larger of the two shares of a student's own code (what copydetect
compares of it) found in the other's in runs of at least ``LONG`` characters of filtered
code (copydetect's copied slices; a shorter run is one statement in common, which is
chance), with a text shorter than ``MIN_TOKENS`` counted as that long, so that two nearly
empty notebooks sharing a line do not read as copies.
Winnowing keeps every fingerprint (window 1): the choice among equal windows depends on
Python's per-process string hashes, and the report must be the same on every run.
"""

from __future__ import annotations

import io
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from copydetect import CodeFingerprint, compare_files

from autograder.similarity.extract import StudentCode

NOISE = 25          # k: shared runs shorter than this many filtered characters are noise
WINDOW = 1          # every k-gram is a fingerprint (deterministic; texts are small)
MIN_TOKENS = 100    # a text with less own code than this counts as this long
LONG = 40           # a shared run shorter than this is chance (one statement in common)
COMMON_SHARE = 0.1  # a fingerprint in more than this share of the class is an idiom...
COMMON_FLOOR = 10   # ...and never one found in 10 notebooks or fewer (MOSS's -m)
LANGUAGE = "python"


@dataclass(frozen=True)
class Pair:
    """Two submissions (their places in the class and ids) and how alike they are, 0..1."""

    i: int
    j: int
    a: str
    b: str
    score: float


Spans = tuple[tuple[int, int], ...]  # (start, end) character offsets in a text


def _fingerprint(code: StudentCode, boilerplate: np.ndarray) -> CodeFingerprint:
    """copydetect's fingerprints of the text: tokenized, names and strings replaced."""
    return CodeFingerprint(code.id, NOISE, WINDOW, boilerplate=boilerplate, language=LANGUAGE,
                           fp=io.StringIO(code.text))


def _refingerprint(full: CodeFingerprint, boilerplate: np.ndarray) -> CodeFingerprint:
    """The same fingerprints over the text copydetect already filtered, with more left
    out: the same scores without tokenizing again (positions are the filtered text's)."""
    return CodeFingerprint(full.filename, NOISE, WINDOW, boilerplate=boilerplate, filter=False,
                           fp=io.StringIO(full.filtered_code))


def _hashes(values: set[int]) -> np.ndarray:
    return np.array(sorted(values), dtype=np.int64)


def common_limit(count: int) -> int:
    """In how many notebooks a fingerprint may appear before it is an idiom."""
    return max(COMMON_FLOOR, math.ceil(COMMON_SHARE * count))


@dataclass(frozen=True)
class ClassPrints:
    """The class's fingerprints: what is compared, and what is left out of it."""

    codes: tuple[StudentCode, ...]
    prints: tuple[CodeFingerprint, ...]   # over the filtered texts, starter and idioms left out
    left_out: np.ndarray                  # the starter's fingerprints and the idioms
    _highlighted: dict[int, CodeFingerprint] = field(default_factory=dict, compare=False, repr=False)

    def highlighted(self, index: int) -> CodeFingerprint:
        """Fingerprints of one text that place matches in the text as written (tokenized
        again, once per text shown)."""
        if index not in self._highlighted:
            self._highlighted[index] = _fingerprint(self.codes[index], self.left_out)
        return self._highlighted[index]


def class_fingerprints(codes: Sequence[StudentCode], starter: str) -> ClassPrints:
    """Each submission's fingerprints, without the starter's and the class's idioms."""
    starter_hashes = set(_fingerprint(StudentCode("starter", starter, 0), _hashes(set())).hashes)
    full = [_fingerprint(code, _hashes(starter_hashes)) for code in codes]
    counts = Counter(h for prints in full for h in prints.hashes)
    limit = common_limit(len(codes))
    left_out = _hashes(starter_hashes | {h for h, n in counts.items() if n > limit})
    prints = [_refingerprint(item, left_out) for item in full]
    return ClassPrints(tuple(codes), tuple(prints), left_out)


def _candidates(prints: Sequence[CodeFingerprint]) -> set[tuple[int, int]]:
    """Pairs that share at least one fingerprint (all others score 0): an inverted index,
    so a class of hundreds does not cost a comparison per pair."""
    holders: defaultdict[int, list[int]] = defaultdict(list)
    for index, item in enumerate(prints):
        for value in item.hashes:
            holders[value].append(index)
    return {pair for members in holders.values() for pair in combinations(members, 2)}


def _share(slices: np.ndarray, coverage: float) -> float:
    """The share of a text in runs of at least LONG characters found in the other (of its
    filtered code that was compared: copydetect's token coverage), over at least MIN_TOKENS."""
    if len(slices) == 0 or len(slices[0]) == 0:
        return 0.0
    lengths = slices[1] - slices[0]
    return float(lengths[lengths >= LONG].sum()) / max(float(coverage), MIN_TOKENS)


def _long_spans(filtered: np.ndarray, written: np.ndarray) -> Spans:
    """The runs that count (at least LONG long in the filtered text), placed in the text
    as written: copydetect gives the same runs in the same order for both."""
    if len(filtered) == 0 or len(filtered[0]) == 0:
        return ()
    return tuple((int(start), int(end)) for start, end, length in
                 zip(written[0], written[1], filtered[1] - filtered[0]) if length >= LONG)


def _score(a: CodeFingerprint, b: CodeFingerprint) -> float:
    _, _, (slices_a, slices_b) = compare_files(a, b)
    score = max(_share(slices_a, a.token_coverage), _share(slices_b, b.token_coverage))
    return round(min(score, 1.0), 4)


@dataclass(frozen=True)
class Comparison:
    """A class compared: every pair, most alike first (ties by ids)."""

    prints: ClassPrints
    pairs: tuple[Pair, ...]

    def matches(self, pair: Pair) -> tuple[Spans, Spans]:
        """Where the two texts of ``pair`` match in runs that count, in each text as written."""
        _, _, (filtered_a, filtered_b) = compare_files(self.prints.prints[pair.i], self.prints.prints[pair.j])
        a, b = self.prints.highlighted(pair.i), self.prints.highlighted(pair.j)
        _, _, (written_a, written_b) = compare_files(a, b)
        return _long_spans(filtered_a, written_a), _long_spans(filtered_b, written_b)


def compare_class(codes: Sequence[StudentCode], starter: str) -> Comparison:
    """Every pair of submissions scored; ``starter`` is the code handed out."""
    prints = class_fingerprints(codes, starter)
    candidates = _candidates(prints.prints)
    pairs = []
    for i, j in combinations(range(len(codes)), 2):
        score = _score(prints.prints[i], prints.prints[j]) if (i, j) in candidates else 0.0
        pairs.append(Pair(i, j, codes[i].id, codes[j].id, score))
    return Comparison(prints, tuple(sorted(pairs, key=lambda p: (-p.score, p.a, p.b))))
