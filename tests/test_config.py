"""grading_config.yaml: validation names the file and key; precedence cli > env > file."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import load_settings
from autograder.exceptions import AssignmentError, ConfigError
from tests.helpers import ROOT

PROJECT_CONFIG = Path(__file__).resolve().parent.parent / "grading_config.yaml"


def test_project_config_is_valid_and_lists_the_five_assignments() -> None:
    settings = load_settings(PROJECT_CONFIG)
    assert list(settings.config.assignments) == ["activations", "perceptron", "xor_numpy", "torch_xor", "neuron", "torch_basics", "digits"]
    assert settings.language == "ru"
    assert sum(settings.assignment("activations").questions.values()) == 16


def test_bad_value_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "grading_config.yaml"
    path.write_text("limits: {cell_timeout_s: -1}\nassignments: {a: {questions: {f: 1}}}\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(path) in str(error.value) and "limits.cell_timeout_s" in str(error.value)


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "grading_config.yaml"
    path.write_text("langauge: en\nassignments: {a: {questions: {f: 1}}}\n")
    with pytest.raises(ConfigError, match="langauge"):
        load_settings(path)


def test_per_assignment_override_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "grading_config.yaml"
    path.write_text("assignments: {a: {questions: {f: 1}, limits: {memory_mb: 1}}}\n")
    with pytest.raises(ConfigError, match="assignments.a.limits.memory_mb"):
        load_settings(path).limits("a")


def test_precedence_command_line_over_environment_over_file(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grading_config.yaml"
    path.write_text("language: ru\nassignments: {a: {questions: {f: 1}}}\n")
    assert load_settings(path).language == "ru"
    monkeypatch.setenv("AUTOGRADER_LANGUAGE", "en")
    assert load_settings(path).language == "en"
    assert load_settings(path, language="ru").language == "ru"


def test_unknown_assignment_is_an_assignment_error() -> None:
    with pytest.raises(AssignmentError, match="unknown assignment 'nope'"):
        load_settings(PROJECT_CONFIG).assignment("nope")


def test_unparsable_yaml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "grading_config.yaml"
    path.write_text("language: [unclosed\n")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_settings(path)


MASTER = """{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "code", "metadata": {"tags": ["setup"]}, "execution_count": null, "outputs": [],
  "source": ["from autograder.examples import make_checker_for\\n", "import pandas"]},
 {"cell_type": "markdown", "metadata": {}, "source": "import scipy"},
 {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
  "source": "%matplotlib inline\\nimport numpy as np\\nfrom torch import nn\\nfrom . import local\\n"},
 {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
  "source": "def f():\\n    import matplotlib.pyplot as plt\\n"}]}"""


def test_preload_is_what_the_master_notebook_imports_outside_its_setup_cell(tmp_path: Path) -> None:
    config = tmp_path / "grading_config.yaml"
    config.write_text("assignments:\n  a: {questions: {f: 1}}\n  b: {questions: {f: 1}, preload: [numpy]}\n")
    for name in ("a", "b"):
        (tmp_path / "assignments" / name).mkdir(parents=True)
        (tmp_path / "assignments" / name / "source.ipynb").write_text(MASTER)
    settings = load_settings(config)
    assert settings.preload("a") == ["numpy", "torch", "matplotlib.pyplot"]
    assert settings.preload("b") == ["numpy"]           # the config's own list wins


def test_unreadable_master_notebook_is_an_assignment_error(tmp_path: Path) -> None:
    config = tmp_path / "grading_config.yaml"
    config.write_text("assignments:\n  a: {questions: {f: 1}}\n")
    (tmp_path / "assignments" / "a").mkdir(parents=True)
    (tmp_path / "assignments" / "a" / "source.ipynb").write_text("{ not json")
    with pytest.raises(AssignmentError, match="source.ipynb is not a readable notebook"):
        load_settings(config).preload("a")


def test_the_config_reads_the_same_with_libyaml_and_without(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_settings reads YAML with libyaml's safe loader when PyYAML has it (20 ms less
    per command): every bundled and template config reads to the same settings."""
    import yaml

    import autograder.config as config

    paths = [ROOT / "grading_config.yaml", *sorted((ROOT / "autograder" / "scaffold" / "templates").rglob("*.yaml"))]
    for path in [p for p in paths if p.name == "grading_config.yaml"]:
        fast = config.load_settings(path).config
        monkeypatch.setattr(config, "_SAFE_LOADER", yaml.SafeLoader)
        assert config.load_settings(path).config == fast
        monkeypatch.undo()
