"""The user's cache (autograder/caches.py): compiled report templates are kept there,
render the same, and are never loaded from a folder that others could write in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder import caches
from autograder.reports import templating
from autograder.reports.base import ReportContext
from autograder.reports.ci_markdown import summary_markdown
from autograder.results import SubmissionResult


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    templating.environment.cache_clear()
    yield tmp_path / "autograder"
    templating.environment.cache_clear()


RESULT = {"assignment": "activations", "submission": "ivanov", "score": 1.0, "max_score": 2.0,
          "questions": [{"name": "relu", "score": 1.0, "max_score": 2.0, "checks": [
              {"name": "matches", "passed": True, "score": 1.0, "max_score": 1.0, "visibility": "hidden",
               "message": ""},
              {"name": "keeps `x`", "passed": False, "score": 0.0, "max_score": 1.0, "visibility": "hidden",
               "message": "`relu` changed <x>"}]}],
          "errors": [], "duration_s": 0.1, "status": "graded", "sandbox": "bwrap", "language": "en",
          "sha256": "0" * 64, "version": "1"}


def summary() -> str:
    context = ReportContext("activations", "Activations", "en", ("relu",))
    return summary_markdown([SubmissionResult.from_json(RESULT)], context)


def test_templates_are_compiled_once_and_render_the_same(cache_home: Path) -> None:
    first = summary()
    kept = sorted((cache_home / "templates").iterdir())
    assert len(kept) == 1 and kept[0].stat().st_size > 0
    stamps = [path.stat().st_mtime_ns for path in kept]
    templating.environment.cache_clear()  # a new command: the compiled template is read back
    assert summary() == first and "`relu` changed <x>" in first
    assert sorted((cache_home / "templates").iterdir()) == kept
    assert [path.stat().st_mtime_ns for path in kept] == stamps  # read, not written again


def test_a_folder_others_can_write_in_is_not_used(cache_home: Path) -> None:
    folder = cache_home / "templates"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    assert caches.private_folder("templates") is None
    assert templating.environment().bytecode_cache is None
    os.chmod(folder, 0o700)
    assert caches.private_folder("templates") == folder


def test_an_unwritable_cache_home_caches_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert caches.private_folder("templates") is None
