"""The hidden-data question: the model the notebook trained, as it leaves it in `model`,
classifies 359 digits it never saw (``checks/hidden/digits_test.npz``, written by
``make_data.py``: never in the jail, the student's notebook or ``data/``). Only their
pixels go to the jail; the predicted classes come back and are scored here, in the bands
of ``grading_config.yaml`` (``hidden_data.accuracy``)."""

from __future__ import annotations

from pathlib import Path

from autograder.checks import check
from autograder.checks.heldout import HiddenSplit, score_hidden

SPLIT = HiddenSplit.load(Path(__file__).resolve().parent / "hidden" / "digits_test.npz")


@check("accuracy", en="the trained `model` classifies hidden digits", ru="обученная `model` распознаёт скрытые цифры")
def test_accuracy_on_hidden_digits(submission, assignment_config):
    score_hidden(submission, SPLIT, assignment_config.hidden_data["accuracy"])
