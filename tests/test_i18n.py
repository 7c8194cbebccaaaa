"""Every message a student reads exists in Russian and English with the same placeholders."""

from __future__ import annotations

import pytest

from autograder.i18n import MESSAGES, Text, check_catalogue, msg, points


def test_catalogue_is_complete_in_both_languages() -> None:
    assert check_catalogue() == []


def test_catalogue_check_notices_a_missing_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MESSAGES, "broken", Text(en="only {x}", ru=""))
    monkeypatch.setitem(MESSAGES, "skewed", Text(en="{a}", ru="{b}"))
    assert check_catalogue() == ["broken: empty ru text", "broken: placeholders differ between en and ru",
                                 "skewed: placeholders differ between en and ru"]


def test_messages_render_in_the_chosen_language() -> None:
    text = msg("call.missing", name="sigmoid")
    assert "не определено" in text.render("ru") and "is not defined" in text.render("en")
    assert "sigmoid" in text.render("ru")


def test_a_detail_said_in_both_languages_goes_into_each_language() -> None:
    """A Text given as a field is rendered per language, not as its repr or its English."""
    detail = Text(en="there is no such file", ru="такого файла нет")
    text = msg("notebook.unreadable", detail=detail)
    assert text.en == "The submitted file could not be read: there is no such file."
    assert text.ru == "Не удалось прочитать отправленный файл: такого файла нет."


@pytest.mark.parametrize(("shown", "ru", "en"), [
    ("1", "1 балл", "1 point"), ("2", "2 балла", "2 points"), ("4", "4 балла", "4 points"),
    ("5", "5 баллов", "5 points"), ("11", "11 баллов", "11 points"), ("12", "12 баллов", "12 points"),
    ("21", "21 балл", "21 points"), ("22", "22 балла", "22 points"), ("0", "0 баллов", "0 points"),
    ("1.5", "1.5 балла", "1.5 points"), ("0.25", "0.25 балла", "0.25 points"),
])
def test_points_take_the_russian_plural_the_number_asks_for(shown: str, ru: str, en: str) -> None:
    """"Оценивается вручную (3 балл.)": the word was cut short for every number; Russian
    chooses between балл, балла and баллов by the number, a fraction takes балла."""
    assert points(shown).render("ru") == ru and points(shown).render("en") == en
