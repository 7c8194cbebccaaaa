"""similarity.html in a real browser (headless Chromium through Selenium) at a phone's
size: the instructor reads the pairs' scores and the two codes without the page running
off the screen sideways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.similarity.compare import compare_class
from autograder.similarity.extract import StudentCode
from autograder.similarity.report import write_html
from tests.browser import MARKS, PHONE, chromium

pytestmark = MARKS

CODE = """def softmax(z):
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=-1, keepdims=True)

def relu_grad(x):
    x = np.asarray(x, dtype=float)
    return (x > 0).astype(float)
"""


@pytest.fixture
def phone() -> Iterator[Any]:
    with chromium(*PHONE, emulate=True) as driver:
        yield driver


def test_on_a_phone_the_scores_and_the_codes_fit_the_screen(phone: Any, tmp_path: Path) -> None:
    """Names as students' files have them (Cyrillic, brackets) and the page at 390 px."""
    codes = [StudentCode("Григорьева_[семинар 2]", CODE, 2), StudentCode("Зайцева_[семинар 2]", CODE, 2),
             StudentCode("Константинопольский (копия)", CODE.replace("exps", "e"), 2)]
    page = write_html(compare_class(codes, ""), tmp_path / "similarity.html", title="Функции активации",
                      language="ru", common=10)
    phone.get(page.as_uri())
    width = phone.execute_script("return window.innerWidth")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= width
    score_header = phone.execute_script(
        "return document.querySelector('table tr th:last-child').getBoundingClientRect().right")
    assert score_header <= width  # the score column is on the screen, not off to the right
    sides = phone.execute_script(
        "return [...document.querySelectorAll('.side > div')].map(d => d.getBoundingClientRect().width)")
    main = phone.execute_script("return document.querySelector('.side').getBoundingClientRect().width")
    assert sides and all(side >= 0.9 * main for side in sides)  # one code under the other, full width
