"""The pages in a real browser (headless Chromium through Selenium): a student signs in
by the link, uploads, sees the status change and reads the feedback; an instructor
sees the class table. Screenshots (desktop and phone) go to $SERVER_SCREENSHOTS when set."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import MARKS, PHONE, chromium
from tests.server_helpers import SAMPLES, make_course, register, serve

pytestmark = MARKS


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium(1200, 900) as driver:
        yield driver


def _shot(driver: Any, tmp_path: Path, name: str) -> None:
    """A desktop and a phone-sized screenshot of the current page."""
    folder = Path(os.environ.get("SERVER_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in (("desktop", (1200, 900)), ("phone", PHONE)):
        driver.set_window_size(width, height)
        driver.save_screenshot(str(folder / f"{name}-{label}.png"))
    driver.set_window_size(1200, 900)


def _wait(driver: Any, condition: Any, timeout: float = 60.0) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)


def test_a_student_signs_in_uploads_and_reads_feedback(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    course = make_course(tmp_path / "course", language="ru")
    student = register(course, {"ann": "Анна Ли"})["ann"]
    teacher = register(course, {"teacher": "Преподаватель"}, "instructor")["teacher"]
    notebook = tmp_path / "my homework.ipynb"
    shutil.copyfile(SAMPLES / "activations" / "ivanov.ipynb", notebook)
    with serve(course) as server:
        browser.get(f"{server.url}/")
        assert "личную ссылку" in browser.find_element(By.TAG_NAME, "main").text  # not signed in
        browser.get(f"{server.url}/login?token={student}")
        assert browser.current_url == f"{server.url}/"  # the token left the address bar
        cookie = browser.get_cookie("autograder_token")
        assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert "Анна Ли" in browser.find_element(By.CLASS_NAME, "bar").text
        _shot(browser, tmp_path, "1-upload")
        browser.find_element(By.ID, "notebook").send_keys(str(notebook))
        browser.find_element(By.ID, "send").click()
        _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#submissions tr[data-status]"))
        _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, '#submissions tr[data-status="graded"]'))
        _shot(browser, tmp_path, "2-submissions")
        text = notebook.read_text(encoding="utf-8")  # a second upload, dropped on the page
        browser.execute_script(
            "const file = new File([arguments[0]], 'dropped.ipynb'); const data = new DataTransfer();"
            "data.items.add(file); document.getElementById('drop').dispatchEvent("
            "new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));", text)
        assert browser.execute_script("return document.getElementById('notebook').files[0].name") == "dropped.ipynb"
        browser.find_element(By.ID, "send").click()
        _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, '#submissions tr[data-status="graded"]')) == 2)
        browser.find_elements(By.PARTIAL_LINK_TEXT, "отзыв")[0].click()
        page = browser.find_element(By.TAG_NAME, "main").text
        assert "Баллы" in page or "балл" in page.lower()
        assert "sigmoid" in page and "← к моим отправкам" in page
        _shot(browser, tmp_path, "3-feedback")
        browser.get(f"{server.url}/class/activations")
        assert browser.find_element(By.TAG_NAME, "h1").text != "Группа: Функции активации"  # students: no
        browser.delete_all_cookies()
        browser.get(f"{server.url}/login?token={teacher}")
        _wait(browser, lambda d: d.find_elements(By.ID, "class"))
        table = browser.find_element(By.ID, "class").text
        assert "Анна Ли" in table and "/ 16" in table
        _shot(browser, tmp_path, "4-class")
        browser.find_element(By.LINK_TEXT, "Анна Ли").click()
        assert "История: Анна Ли" in browser.find_element(By.TAG_NAME, "h1").text
        _shot(browser, tmp_path, "5-history")
