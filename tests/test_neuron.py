"""The `neuron` assignment: its data file, its preload, and the course's own notebook
shape (pandas, ./data, a Colab mount) graded through the real jail."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from autograder.config import load_settings
from autograder.grading import Grader, Submission
from autograder.notebook import read_submission
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.validate import validate_notebook
from tests.catalogue import neuron
from tests.helpers import write_notebook

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "assignments" / "neuron"


def make_data_module():
    spec = importlib.util.spec_from_file_location("make_data", FOLDER / "make_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_csv_is_what_the_seeded_script_writes() -> None:
    make_data = make_data_module()
    committed = (FOLDER / "data" / "apples_pears.csv").read_text(encoding="utf-8")
    assert committed == make_data.csv_text(make_data.fruits())
    assert committed.splitlines()[0] == "symmetry,yellowness,target"
    assert len(committed.splitlines()) == 1001


def test_the_fruits_are_two_linearly_separable_classes() -> None:
    table = np.loadtxt(FOLDER / "data" / "apples_pears.csv", delimiter=",", skiprows=1)
    X, y = table[:, :2], table[:, 2]
    assert sorted(np.unique(y)) == [0.0, 1.0] and y.sum() == 500
    assert X.min() >= 0 and X.max() <= 1
    above = X[:, 1] - 0.5 * X[:, 0] - 0.3   # the generating line: pears above it
    assert np.all((above > 0) == (y == 1)) and np.abs(above).min() > 0.02


def test_preload_covers_pandas_and_matplotlib() -> None:
    assert load_settings(ROOT / "grading_config.yaml").preload("neuron")[:3] == ["numpy", "pandas", "matplotlib.pyplot"]


@pytest.fixture(scope="module")
def neuron_jail():
    settings = load_settings(ROOT / "grading_config.yaml")
    with Jail.start("auto", settings.preload("neuron"), settings.data_dir("neuron")) as jail:
        yield jail


COURSE_NOTEBOOK = [
    "from google.colab import drive\ndrive.mount('/content/drive')\n" + neuron.IMPORTS,
    neuron.DATA,
    neuron.code(neuron.LOSS),
    neuron.perceptron_class(),
    neuron.TRAIN,
]


@pytest.mark.slow
def test_the_course_s_notebook_grades_cleanly(neuron_jail: Jail, tmp_path: Path) -> None:
    settings = load_settings(ROOT / "grading_config.yaml")
    path = write_notebook(tmp_path / "dls_[seminar]perceptron.ipynb", COURSE_NOTEBOOK)
    result = Grader("neuron", settings, neuron_jail).grade(Submission("dls_[seminar]perceptron", path))
    assert (result.score, result.max_score, result.errors) == (16.0, 16.0, ())
    with Session(neuron_jail.spawn, read_submission(path), settings.limits("neuron")) as session:
        assert session.getattr("accuracy") == 1.0 and len(session.getattr("losses")) == 300
        assert "drive.mount('/content/drive')" in session.run.cells[0].stdout


@pytest.mark.slow
def test_validate_finds_the_methods_by_their_dotted_names(neuron_jail: Jail, tmp_path: Path) -> None:
    settings = load_settings(ROOT / "grading_config.yaml")
    report = validate_notebook(write_notebook(tmp_path / "me.ipynb", COURSE_NOTEBOOK), "neuron", settings, neuron_jail)
    text = report.render("en")
    assert report.ready, text
    assert "✓ `Perceptron.fit`: public examples pass" in text


@pytest.mark.slow
def test_a_missing_method_is_asked_for_as_a_method(neuron_jail: Jail, tmp_path: Path) -> None:
    """validate said "Define a function named exactly `Perceptron.fit`": no function can be
    named so; a method is defined inside its class."""
    settings = load_settings(ROOT / "grading_config.yaml")
    cells = [*COURSE_NOTEBOOK[:3], neuron.perceptron_class().replace("def fit(", "def train(")]
    report = validate_notebook(write_notebook(tmp_path / "me.ipynb", cells), "neuron", settings, neuron_jail)
    text = report.render("en")
    assert "`Perceptron.fit` is not defined in your notebook. Define the method `fit` inside `class Perceptron`" \
        in text and "a function named exactly `Perceptron.fit`" not in text, text
    assert "Определите метод `fit` внутри `class Perceptron`" in report.render("ru")
