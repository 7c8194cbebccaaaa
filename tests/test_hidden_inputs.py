"""Hidden inputs drawn per submission: same submission same inputs, changed submission new
ones, another secret other ones; fixed inputs stay fixed; costly references come from a pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import secret
from autograder.checks import inputs
from autograder.config import load_settings
from autograder.exceptions import AssignmentError
from autograder.grading import Grader, Submission
from autograder.notebook import CodeCell
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, write_notebook

# Every check fails on purpose and shows what it drew, so the inputs can be compared.
SHOW_CHECKS = '''
from autograder.checks import check, expect_close, fail


@check("double", en="doubles", ru="удваивает")
def test_double(submission, reference, tol):
    expect_close("double", (2.0,), submission.double(2.0), reference.double(2.0), tol)


@check("halve", en="shows its per-submission input", ru="показывает вход")
def test_per_submission(submission, rng):
    raise fail("drew {x}", "drew {x}", x=rng.integers(10 ** 12))


@check("halve", en="shows its fixed input", ru="показывает фиксированный вход")
def test_fixed(submission, fixed_rng):
    raise fail("drew {x}", "drew {x}", x=fixed_rng.integers(10 ** 12))


@check("halve", en="shows its variant", ru="показывает вариант")
def test_pooled(submission, reference, variant, once):
    x = int(variant.rng.integers(10 ** 12))

    def compute():
        reference.RUNS = getattr(reference, "RUNS", 0) + 1
        return x
    expected = once("expected", compute)
    raise fail("variant {i} drew {x} expected {e}", "variant {i} drew {x} expected {e}",
               i=variant.index, x=x, e=expected)
'''

CELLS = ["import numpy as np", "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]


def project(tmp_path: Path, checks: str = SHOW_CHECKS, secret_line: str = "") -> Path:
    config = make_mini_project(tmp_path / "project")
    (config.parent / "assignments" / "mini" / "checks" / "test_mini.py").write_text(checks)
    if secret_line:
        config.write_text(secret_line + "\n" + config.read_text())
    return config


def shown(result: SubmissionResult) -> dict[str, str]:
    return {c.name: c.message for q in result.questions for c in q.checks if q.name == "halve"}


def grade_all(grader: Grader, tmp_path: Path, notebooks: dict[str, list[str]]) -> dict[str, SubmissionResult]:
    subs = [Submission(name, write_notebook(tmp_path / "nb" / f"{name}.ipynb", cells))
            for name, cells in notebooks.items()]
    results: dict[str, SubmissionResult] = {}
    grader.grade_many(subs, lambda r: results.__setitem__(r.submission, r))
    return results


def test_same_submission_same_inputs_changed_submission_new_ones(tmp_path: Path, jail: Jail) -> None:
    grader = Grader("mini", load_settings(project(tmp_path, secret_line="secret: s3cr3t")), jail)
    changed = [CELLS[0], CELLS[1] + "  # resubmitted"]
    first = grade_all(grader, tmp_path / "a", {"alice": CELLS, "bob": changed, "again": CELLS})
    later = grade_all(grader, tmp_path / "b", {"again": CELLS, "alice": CELLS})  # another batch, order
    per, fixed = "shows its per-submission input", "shows its fixed input"
    assert shown(first["alice"]) == shown(first["again"]) == shown(later["again"]) == shown(later["alice"])
    assert shown(first["alice"])[per] != shown(first["bob"])[per]
    assert shown(first["alice"])[fixed] == shown(first["bob"])[fixed]


def test_another_secret_draws_other_inputs(tmp_path: Path, jail: Jail, monkeypatch: pytest.MonkeyPatch) -> None:
    config = project(tmp_path, secret_line="secret: first")
    one = Grader("mini", load_settings(config), jail).grade(
        Submission("s", write_notebook(tmp_path / "s.ipynb", CELLS)))
    monkeypatch.setenv(secret.ENV, "second")  # the environment wins over the file
    settings = load_settings(config)
    assert settings.config.secret == "second"
    two = Grader("mini", settings, jail).grade(Submission("s", tmp_path / "s.ipynb"))
    per = "shows its per-submission input"
    assert shown(one)[per] != shown(two)[per]
    assert shown(one)["shows its fixed input"] == shown(two)["shows its fixed input"]


def test_costly_references_are_computed_once_per_variant(tmp_path: Path, jail: Jail) -> None:
    grader = Grader("mini", load_settings(project(tmp_path, secret_line="secret: pool")), jail)
    notebooks = {f"s{i}": [CELLS[0], CELLS[1] + f"  # {i}"] for i in range(24)}
    results = grade_all(grader, tmp_path, notebooks)
    seen: dict[str, str] = {}
    for result in results.values():
        message = shown(result)["shows its variant"]
        index, rest = message.split(" drew ")
        drew, expected = rest.split(" expected ")
        assert drew == expected  # the cached value was computed from this variant's inputs
        assert seen.setdefault(index, drew) == drew  # a variant is the same for everyone drawing it
    assert 4 <= len(seen) <= inputs.POOL  # 24 submissions spread over the pool
    assert grader.suite.reference.RUNS == len(seen)  # one reference run per variant drawn


def test_once_with_the_per_submission_rng_is_refused_at_load(tmp_path: Path, jail: Jail) -> None:
    bad = SHOW_CHECKS + '''

@check("double", en="caches per-submission values", ru="кэширует")
def test_wrong(submission, rng, once):
    x = rng.normal()
    once("expected", lambda: x)
'''
    grader = Grader("mini", load_settings(project(tmp_path, bad)), jail)
    with pytest.raises(AssignmentError, match="uses both `once` and the per-submission `rng`"):
        grader.grade(Submission("s", write_notebook(tmp_path / "s.ipynb", CELLS)))


def test_seeds_depend_on_every_part() -> None:
    base = inputs.submission_rng("k", "digest", "test_a").integers(10 ** 12)
    assert inputs.submission_rng("k", "digest", "test_a").integers(10 ** 12) == base
    assert inputs.submission_rng("k", "other", "test_a").integers(10 ** 12) != base
    assert inputs.submission_rng("k2", "digest", "test_a").integers(10 ** 12) != base
    assert inputs.submission_rng("k", "digest", "test_b").integers(10 ** 12) != base
    assert inputs.fixed_rng("test_a").integers(10 ** 12) == inputs.fixed_rng("test_a").integers(10 ** 12)


def test_the_digest_follows_the_code_only() -> None:
    cells = [CodeCell(1, "x = 1"), CodeCell(2, "def f(): pass")]
    assert secret.code_digest(cells) == secret.code_digest(list(cells))
    assert secret.code_digest(cells) != secret.code_digest([CodeCell(1, "x = 2"), cells[1]])
    assert secret.code_digest(cells) != secret.code_digest([CodeCell(1, "x = 1def f(): pass")])


def test_new_secrets_are_long_and_distinct() -> None:
    one, two = secret.new_secret(), secret.new_secret()
    assert one != two and len(one) >= 40
    assert secret.fingerprint(one) != secret.fingerprint(two) and one not in secret.fingerprint(one)


@pytest.mark.parametrize("seed", [0, 1, 7, 2**32 - 1, 2**32, 2**32 + 5, 2**64 - 1, 2**64, 2**96 - 1, 2**96,
                                  2**127, 2**128 - 1, 0x0000_0000_FFFF_FFFF_0000_0000_0000_0001,
                                  secret.seed("course secret", "inputs", "test_x", "0" * 64)])
def test_a_checks_generator_is_default_rng_of_its_seed(seed: int) -> None:
    """The cheaper generator of ``rng`` (the seed's 32-bit words given as NumPy reads an
    int) starts where ``np.random.default_rng(seed)`` does: same state, same draws; a
    seed with zero high words (fewer words) included."""
    import numpy as np

    ours, numpy_s = inputs.generator(seed), np.random.default_rng(seed)
    assert ours.bit_generator.state == numpy_s.bit_generator.state
    assert ours.normal(size=4).tolist() == numpy_s.normal(size=4).tolist()
    assert ours.integers(10**12) == numpy_s.integers(10**12)


def test_a_seed_beyond_128_bits_is_left_to_numpy() -> None:
    import numpy as np

    seed = 2**130 + 3
    assert inputs.generator(seed).bit_generator.state == np.random.default_rng(seed).bit_generator.state
