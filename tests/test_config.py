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


def test_unparsable_yaml_is_said_in_one_line_with_its_line_and_column(tmp_path: Path) -> None:
    """PyYAML's own text spans lines and calls the file "<unicode string>"; the author reads one
    line with the file, the line and the column."""
    path = tmp_path / "grading_config.yaml"
    path.write_text("language: en\nassignments:\n  a:\n    questions: {relu: 1\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value) == (f"{path}: cannot be read: line 5, column 1: did not find expected ',' or '}}' "
                                "(while parsing a flow mapping at line 4)")


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


GOOD = "assignments:\n  lab1: {questions: {f: 1}}\n"


@pytest.mark.parametrize(("text", "key", "fragment"), [
    ("limits: {memory_mb: -512}\n", "limits.memory_mb", ">= 64"),
    ("limits: {cell_timeout_s: 0}\n", "limits.cell_timeout_s", "> 0"),
    ("limits: {cpu_s: ten}\n", "limits.cpu_s", "expected a whole number, got text"),
    ("limits: {cell_timout_s: 5}\n", "limits.cell_timout_s", "unknown key (known: cell_timeout_s,"),
    ("language: de\n", "language", "must be one of 'ru', 'en' (got 'de')"),
    ("sandbox: docker\n", "sandbox", "must be one of 'auto',"),
    ("server: {warm: [lab1, 3]}\n", "server.warm[1]", "expected text"),
    ("server: {limits: {submissions_per_hour: -1}}\n", "server.limits.submissions_per_hour", ">= 0"),
    ("feedback: {show_hidden_details: maybe}\n", "feedback.show_hidden_details", "true or false"),
    ("  lab2: {questions: {f: two}}\n", "assignments.lab2.questions.f", "expected a number, got text"),
    ("  lab2: {questions: {f: -1}}\n", "assignments.lab2", "points of 'f' must not be negative"),
    ("  lab2: {questions: {}}\n", "assignments.lab2", "at least one question"),
    ("  lab2: {questions: {f: 1}, manual: {f: 2}}\n", "assignments.lab2", "both a question with checks"),
    ("  lab2: {questions: {f: 1}, limts: {}}\n", "assignments.lab2.limts", "unknown key"),
    ("  lab2: {questions: {f: 1}, late_penalty: {max_percent: 150}}\n",
     "assignments.lab2.late_penalty.max_percent", "<= 100"),
    ("  lab2: {questions: {f: 1}, due: next friday}\n", "assignments.lab2.due", "a date and time"),
    ("  lab2: {questions: {f: 1, g: 1}, hidden_data: {f: {full: 0.9, zero: 0.1}, g: {full: 0.9}}}\n",
     "assignments.lab2.hidden_data.g.zero", "required, but missing"),
    ("  lab2: {questions: {f: 1}, hidden_data: {f: {full: 0.1, zero: 0.9}}}\n",
     "assignments.lab2.hidden_data.f", "`full` must be above `zero`"),
    ("  lab2: {questions: {f: 1, g: 0}, optional: [h]}\n", "assignments.lab2", "optional: 'h' is not one"),
    ("  lab2: {title: Lab}\n", "assignments.lab2.questions", "required, but missing"),
    ("  3: {questions: {f: 1}}\n", "assignments.3", "a name must be text (quote it: '3')"),
    ("  lab2: [f, g]\n", "assignments.lab2", "expected a mapping (key: value), got a list"),
    ("  lab2: {questions: {f: 1}, preload: numpy}\n", "assignments.lab2.preload", "expected a list or nothing, got text"),
    ("  lab2: {questions: {1: 1}}\n", "assignments.lab2.questions.1", "a name must be text (quote it: '1')"),
    ("3: x\n", "3", "a name must be text"),
])
def test_a_wrong_config_names_the_key_and_what_was_expected(tmp_path: Path, text: str, key: str,
                                                             fragment: str) -> None:
    """The second assignment is the wrong one: its name must be in the key (msgspec's own
    path says only ``$.assignments[...]``), and the message ends in one line."""
    path = tmp_path / "grading_config.yaml"
    path.write_text(GOOD + text if text.startswith("  ") else text + GOOD)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert (error.value.path, error.value.key) == (str(path), key)
    assert fragment in error.value.reason and "\n" not in str(error.value)


def test_a_config_without_assignments_names_the_missing_key(tmp_path: Path) -> None:
    path = tmp_path / "grading_config.yaml"
    path.write_text("language: en\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert (error.value.key, error.value.reason) == ("assignments", "required, but missing")


def test_values_are_read_as_yaml_and_the_environment_give_them(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """$AUTOGRADER_JOBS is text; a due date may be a date, or a date and time YAML leaves as text."""
    from datetime import datetime, timedelta, timezone

    path = tmp_path / "grading_config.yaml"
    path.write_text("limits: {memory_mb: 512.0}\nassignments:\n  a: {questions: {f: 1}, due: 2026-12-01}\n"
                    "  b: {questions: {f: 1}, due: '2026-12-01 23:59'}\n"
                    "  c: {questions: {f: 1}, due: 2026-12-01T23:59:00+03:00}\n")
    monkeypatch.setenv("AUTOGRADER_JOBS", "4")
    settings = load_settings(path)
    assert settings.config.jobs == 4 and settings.config.limits.memory_mb == 512
    assert settings.assignment("a").due == datetime(2026, 12, 1)
    assert settings.assignment("b").due == datetime(2026, 12, 1, 23, 59)
    assert settings.assignment("c").due == datetime(2026, 12, 1, 23, 59, tzinfo=timezone(timedelta(hours=3)))
    monkeypatch.setenv("AUTOGRADER_JOBS", "many")
    with pytest.raises(ConfigError, match="jobs: expected a whole number, got text"):
        load_settings(path)


def test_a_config_written_out_reads_back_the_same() -> None:
    """What a cluster archive holds (to_data, as YAML) is the config the worker reads."""
    import yaml

    from autograder.config import GradingConfig, replace, to_data, validated

    config = load_settings(PROJECT_CONFIG).config
    written = yaml.safe_dump(to_data(config), allow_unicode=True, sort_keys=False)
    assert validated(GradingConfig, yaml.safe_load(written), "archive") == config
    changed = replace(config, language="en")
    assert changed.language == "en" and config.language == "ru" and changed.limits == config.limits
    with pytest.raises(AttributeError):
        config.language = "en"  # type: ignore[misc]


def test_reading_the_config_does_not_import_pydantic() -> None:
    """pydantic cost 0.15-0.28 s of every command's start (benchmarks/README.md, start-up)."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from autograder.config import load_settings; "
            f"load_settings(Path({str(PROJECT_CONFIG)!r})); print('pydantic' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert shown.stdout.strip() == "False"
