"""Bilingual text for everything a student reads.

The course is taught in Russian, so every message exists in Russian and English and
the language is chosen late (by ``language:`` in ``grading_config.yaml``). A message
is a :class:`Text` holding both; it cannot be built with one language missing.
Catalogue messages live in :data:`MESSAGES` so a test can prove both languages are
there and that their ``{placeholders}`` agree.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any, Literal, get_args

Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


@dataclass(frozen=True)
class Text:
    """One message in both course languages."""

    en: str
    ru: str

    def render(self, language: Language) -> str:
        return self.ru if language == "ru" else self.en

    def format(self, **fields: Any) -> Text:
        """Placeholders filled in; a field that is itself a :class:`Text` (a detail said in
        both languages) goes in in each language, so no English lands in a Russian sentence."""
        return Text(en=self.en.format(**_in(fields, "en")), ru=self.ru.format(**_in(fields, "ru")))

    def __add__(self, other: Text) -> Text:
        return Text(en=self.en + other.en, ru=self.ru + other.ru)

    @staticmethod
    def plain(value: str) -> Text:
        """Text that reads the same in every language (a value, a traceback)."""
        return Text(en=value, ru=value)

    @staticmethod
    def join(parts: list[Text], sep: str = " ") -> Text:
        return Text(en=sep.join(p.en for p in parts), ru=sep.join(p.ru for p in parts))


def _in(fields: Mapping[str, Any], language: Language) -> dict[str, Any]:
    return {key: value.render(language) if isinstance(value, Text) else value for key, value in fields.items()}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def points(shown: str) -> Text:
    """``shown`` (a number as the reports write it: ``1``, ``2``, ``1.5``) with the word for
    points: Russian needs one of three forms by the number (1 балл, 2 балла, 5 баллов,
    11 баллов, 1.5 балла), and "балл." cut short read as a form nobody could choose."""
    whole = shown.lstrip("-").isdigit()
    one = whole and int(shown) % 10 == 1 and int(shown) % 100 != 11
    if not whole:
        ru = "балла"  # a fraction takes the genitive singular
    elif one:
        ru = "балл"
    elif int(shown) % 10 in (2, 3, 4) and int(shown) % 100 not in (12, 13, 14):
        ru = "балла"
    else:
        ru = "баллов"
    return Text(en=f"{shown} {'point' if shown == '1' else 'points'}", ru=f"{shown} {ru}")


def msg(key: str, **fields: Any) -> Text:
    """A catalogue message with its placeholders filled in."""
    return MESSAGES[key].format(**fields)


MESSAGES: dict[str, Text] = {
    # reading a submission
    "notebook.empty": Text(
        en="The submitted file is empty. Download your notebook again (File > Download .ipynb) and resubmit it.",
        ru="Отправленный файл пуст. Скачайте блокнот заново (Файл > Скачать .ipynb) и отправьте его ещё раз.",
    ),
    "notebook.not_utf8": Text(
        en="The submitted file is not a text file (byte {offset} is not UTF-8). Submit the .ipynb file itself, not a PDF or an archive.",
        ru="Отправленный файл не текстовый (байт {offset} не в кодировке UTF-8). Отправьте сам файл .ipynb, а не PDF или архив.",
    ),
    "notebook.invalid_json": Text(
        en="The submitted file is not valid JSON ({detail}). It was probably damaged while editing; download the notebook again from Jupyter or Colab.",
        ru="Отправленный файл не является корректным JSON ({detail}). Вероятно, он повреждён при редактировании; скачайте блокнот заново из Jupyter или Colab.",
    ),
    "notebook.not_notebook": Text(
        en="The submitted file is JSON but not a Jupyter notebook ({detail}). Submit the .ipynb file of the assignment.",
        ru="Отправленный файл — JSON, но не блокнот Jupyter ({detail}). Отправьте файл .ipynb с заданием.",
    ),
    "notebook.unreadable": Text(
        en="The submitted file could not be read: {detail}.",
        ru="Не удалось прочитать отправленный файл: {detail}.",
    ),
    # what is wrong with a file that is not a notebook, the {detail} of the messages above
    "notebook.detail.json_at": Text(
        en="the error is at line {line}, column {column}",
        ru="ошибка в строке {line}, столбце {column}",
    ),
    "notebook.detail.json_nested": Text(en="it is nested too deeply", ru="в нём слишком глубокая вложенность"),
    "notebook.detail.json_value": Text(en="a value in it cannot be read", ru="одно из значений в нём не читается"),
    "notebook.detail.top_level": Text(
        en="its top level is {what}, not an object with the notebook's cells",
        ru="на верхнем уровне в нём {what}, а не объект с ячейками блокнота",
    ),
    "notebook.detail.json.array": Text(en="a list", ru="список"),
    "notebook.detail.json.string": Text(en="a string", ru="строка"),
    "notebook.detail.json.number": Text(en="a number", ru="число"),
    "notebook.detail.json.boolean": Text(en="true or false", ru="true или false"),
    "notebook.detail.json.null": Text(en="null", ru="null"),
    "notebook.detail.no_cells": Text(en='it has no list of cells, "cells"', ru='в нём нет списка ячеек "cells"'),
    "notebook.detail.old_format": Text(
        en="it is in the old format nbformat 3 and could not be converted; open it in Jupyter or Colab and save it again",
        ru="он в старом формате nbformat 3, и его не удалось преобразовать; откройте его в Jupyter или Colab и сохраните заново",
    ),
    "notebook.detail.missing": Text(en="there is no such file", ru="такого файла нет"),
    "notebook.detail.denied": Text(en="there is no permission to read it", ru="нет прав на его чтение"),
    "notebook.detail.folder": Text(en="it is a folder, not a file", ru="это папка, а не файл"),
    "notebook.detail.os_error": Text(en="the system reported error {code}", ru="система сообщила об ошибке {code}"),
    "notebook.no_code": Text(
        en="The notebook has no code cells, so there is nothing to grade.",
        ru="В блокноте нет ячеек с кодом, оценивать нечего.",
    ),
    # running cells
    "cell.input": Text(
        en="Cell {cell} calls input(): while grading nobody is there to type an answer. Set the value in the "
           "code instead (for example `name = \"Ivan\"`). The cells after it still ran.",
        ru="Ячейка {cell} вызывает input(): при проверке некому ввести ответ. Задайте значение прямо в коде "
           "(например, `name = \"Иван\"`). Следующие ячейки всё равно выполнены.",
    ),
    "cell.raised": Text(
        en="Cell {cell} raised {exc_type}: {message}. The cells after it still ran.",
        ru="Ячейка {cell} выбросила {exc_type}: {message}. Следующие ячейки всё равно выполнены.",
    ),
    # course folders (autograder init / new): a module the course does not provide
    "cell.missing_module": Text(
        en="Cell {cell} imports `{module}`, which the grader does not have. Use only the packages the "
           "course provides, or ask your instructor to add `{module}` to the course's requirements.txt. "
           "The cells after it still ran.",
        ru="Ячейка {cell} импортирует `{module}`, а такого пакета у проверяющей системы нет. Пользуйтесь "
           "только пакетами курса или попросите преподавателя добавить `{module}` в requirements.txt курса. "
           "Следующие ячейки всё равно выполнены.",
    ),
    # the course's blanks (placeholders): issue 8
    "cell.not_done": Text(
        en="Cell {cell} is not done yet: it runs code that still has a placeholder ({message}). The cells after it still ran.",
        ru="Ячейка {cell} ещё не готова: в ней выполняется код, где осталась заглушка ({message}). Следующие ячейки всё равно выполнены.",
    ),
    "cell.syntax": Text(
        en="Cell {cell} has a syntax error: {message}. Nothing in that cell was defined.",
        ru="В ячейке {cell} синтаксическая ошибка: {message}. Ничего из этой ячейки не определено.",
    ),
    # a syntax error does not hide the rest of its cell (issue 8, item 6): the skipped lines
    "cell.syntax_skipped": Text(
        en="Cell {cell} has a syntax error at line {line}: {message}. Lines {first}–{last} of that cell "
           "were skipped; the rest of the cell ran.",
        ru="В ячейке {cell} синтаксическая ошибка в строке {line}: {message}. Строки {first}–{last} этой "
           "ячейки пропущены, остальной код ячейки выполнен.",
    ),
    "cause.syntax_skipped": Text(
        en="That is because of a syntax error in cell {cell}, line {line}: {message} (lines {first}–{last} of "
           "that cell, where it is defined, were skipped; the rest of the cell ran). Fix that line and run all cells.",
        ru="Причина — синтаксическая ошибка в ячейке {cell}, строка {line}: {message} (строки {first}–{last} этой "
           "ячейки, где оно определяется, пропущены; остальной код ячейки выполнен). Исправьте эту строку и "
           "выполните все ячейки.",
    ),
    "cell.timeout": Text(
        en="Cell {cell} ran longer than {limit:g} s and was stopped. Look for an infinite loop or a very long training run.",
        ru="Ячейка {cell} выполнялась дольше {limit:g} с и была остановлена. Проверьте, нет ли бесконечного цикла или слишком долгого обучения.",
    ),
    "cell.ended_process": Text(
        en="Cell {cell} ended the Python process ({detail}); the cells after it never ran. Remove exit()/os._exit() and code that crashes the interpreter.",
        ru="Ячейка {cell} завершила процесс Python ({detail}); следующие ячейки не выполнялись. Уберите exit()/os._exit() и код, который роняет интерпретатор.",
    ),
    "run.timeout": Text(
        en="The notebook ran longer than {limit:g} s in total and was stopped at cell {cell}.",
        ru="Блокнот выполнялся дольше {limit:g} с и был остановлен на ячейке {cell}.",
    ),
    "run.output_truncated": Text(
        en="Your notebook printed more than {limit} KB; the rest of the output was dropped.",
        ru="Блокнот вывел больше {limit} КБ; остальной вывод отброшен.",
    ),
    # calls into the student's code
    "call.missing": Text(
        en="`{name}` is not defined in your notebook. Define a function named exactly `{name}` and run all cells.",
        ru="В блокноте не определено имя `{name}`. Определите функцию с именем ровно `{name}` и выполните все ячейки.",
    ),
    "call.missing_method": Text(
        en="`{name}` is not defined in your notebook. Define the method `{method}` inside `class {cls}` and run all cells.",
        ru="В блокноте не определён метод `{name}`. Определите метод `{method}` внутри `class {cls}` и выполните все ячейки.",
    ),
    "call.not_callable": Text(
        en="`{name}` is defined but is a {type_name}, not a function.",
        ru="`{name}` определено, но это {type_name}, а не функция.",
    ),
    "call.not_implemented": Text(
        en="`{name}` is not implemented yet (it raises NotImplementedError or its body is empty). Replace the placeholder (`raise NotImplementedError`, `pass`, `...`, `<Ваш код здесь>`) with your code.",
        ru="`{name}` ещё не реализована (выбрасывает NotImplementedError или её тело пусто). Замените заглушку (`raise NotImplementedError`, `pass`, `...`, `<Ваш код здесь>`) своим кодом.",
    ),
    "call.input": Text(
        en="`{call}` calls input(): while grading nobody is there to type an answer. Pass the value as an "
           "argument instead.",
        ru="`{call}` вызывает input(): при проверке некому ввести ответ. Передавайте значение аргументом.",
    ),
    "call.raised": Text(
        en="`{call}` raised {exc_type}: {message}",
        ru="`{call}` выбросила {exc_type}: {message}",
    ),
    "call.timeout": Text(
        en="`{call}` did not return within {limit:g} s and was stopped. Look for an infinite loop.",
        ru="`{call}` не вернула результат за {limit:g} с и была остановлена. Проверьте, нет ли бесконечного цикла.",
    ),
    "call.over_budget": Text(
        en="The calls of `{question}` took more than {budget:g} s in all (together they may take what one call may), so the remaining checks of this question were stopped. Look for slow work inside the function: walking folders, reading files, loops that redo the same heavy computation.",
        ru="Вызовы `{question}` заняли в сумме больше {budget:g} с (вместе им отведено столько же, сколько одному вызову), поэтому остальные проверки этого задания остановлены. Ищите медленную работу внутри функции: обход папок, чтение файлов, циклы, повторяющие одни и те же тяжёлые вычисления.",
    ),
    "call.died": Text(
        en="`{call}` ended the Python process ({detail}).",
        ru="`{call}` завершила процесс Python ({detail}).",
    ),
    "call.memory": Text(
        en="`{call}` ran out of memory (limit {limit} MB). Avoid building huge arrays.",
        ru="`{call}` исчерпала память (предел {limit} МБ). Не создавайте огромные массивы.",
    ),
    "call.bad_value": Text(
        en="`{call}` returned a value that cannot be checked: {detail}.",
        ru="`{call}` вернула значение, которое нельзя проверить: {detail}.",
    ),
    # comparisons
    "compare.type": Text(
        en="`{call}` returned {got_type}; expected {expected_type}.",
        ru="`{call}` вернула {got_type}; ожидался {expected_type}.",
    ),
    "compare.tuple_of": Text(en="a tuple of {count}", ru="кортеж из {count} значений"),  # compare.type's expected_type
    "compare.shape": Text(
        en="`{call}` returned shape {got}; expected shape {expected}.",
        ru="`{call}` вернула массив формы {got}; ожидалась форма {expected}.",
    ),
    "compare.dtype": Text(
        en="`{call}` returned dtype {got}; expected a floating-point result ({expected}).",
        ru="`{call}` вернула тип элементов {got}; ожидались числа с плавающей точкой ({expected}).",
    ),
    "compare.values": Text(
        en="`{call}` returned wrong values.\n  input:     {input}\n  expected:  {expected}\n  got:       {got}",
        ru="`{call}` вернула неверные значения.\n  вход:      {input}\n  ожидалось: {expected}\n  получено:  {got}",
    ),
    "compare.not_finite": Text(
        en="`{call}` returned NaN or infinity for input {input}: {got}",
        ru="`{call}` вернула NaN или бесконечность на входе {input}: {got}",
    ),
    "compare.mutated": Text(
        en="`{call}` changed its input `{arg}`. Work on a copy (e.g. `x = np.array(x, dtype=float)`) instead of modifying the argument in place.",
        ru="`{call}` изменила свой аргумент `{arg}`. Работайте с копией (например, `x = np.array(x, dtype=float)`), а не меняйте аргумент на месте.",
    ),
    "compare.warning": Text(
        en="`{call}` emitted a warning: {warning}",
        ru="`{call}` выдала предупреждение: {warning}",
    ),
    "compare.hint": Text(en="Hint: {hint}", ru="Подсказка: {hint}"),
    # the course's notebooks as students write them (Colab, placeholders): issue 8
    "hint.no_gpu": Text(
        en='The grader has no GPU: choose the device with `device = "cuda" if torch.cuda.is_available() else "cpu"` '
           'and use `.to(device)` instead of `.cuda()`.',
        ru='У проверяющего нет GPU: выбирайте устройство так: `device = "cuda" if torch.cuda.is_available() else "cpu"` '
           'и пишите `.to(device)` вместо `.cuda()`.',
    ),
    "hint.no_network": Text(
        en="The grader has no internet: nothing can be downloaded while a notebook is graded (data sets, "
           "`!wget`, `download=True`). Keep the course's files in the `data/` folder next to the notebook and "
           "open them by that path (`data/<file name>`).",
        ru="У проверяющего нет интернета: во время проверки ничего не скачивается (наборы данных, `!wget`, "
           "`download=True`). Держите файлы курса в папке `data/` рядом с блокнотом и открывайте их по этому "
           "пути (`data/<имя файла>`).",
    ),
    "hint.no_worker_processes": Text(
        en="The grader does not run helper processes for loading data (it gives them no shared memory): "
           "remove `num_workers` from `DataLoader(...)` (the default, 0, loads the batches in the notebook itself).",
        ru="Проверяющий не запускает вспомогательные процессы для загрузки данных (у него нет для них общей "
           "памяти): уберите `num_workers` из `DataLoader(...)` (по умолчанию 0 — батчи готовит сам блокнот).",
    ),
    "hint.saved_model": Text(
        en="Only the notebook (and the assignment's files in `data/`) reaches the grader, not the files you saved "
           "on your machine, such as a model's weights: train the model in the notebook itself, which the grader "
           "runs from the first cell to the last.",
        ru="Проверяющий получает только блокнот (и файлы задания из `data/`), а не файлы, которые вы сохранили у "
           "себя, например веса модели: обучайте модель в самом блокноте — при проверке он выполняется целиком.",
    ),
    "hint.colab_path": Text(
        en="The grader is not Colab: it has no `/content` folder and no Google Drive. Keep the course's files in "
           "the `data/` folder next to the notebook and open them by that path (`data/<file name>`).",
        ru="Проверяющий — не Colab: у него нет папки `/content` и Google Диска. Держите файлы курса в папке `data/` "
           "рядом с блокнотом и открывайте их по этому пути (`data/<имя файла>`).",
    ),
    # grading outcome
    "check.internal_error": Text(
        en="This check could not run because of a problem in the grader ({detail}). It is not your fault; tell your instructor.",
        ru="Проверка не выполнилась из-за ошибки в самом проверяющем ({detail}). Вы не виноваты; сообщите преподавателю.",
    ),
    # a method checked on an object made and called as the notebook did (new --from's checks)
    "check.object_made": Text(
        en="The object and its calls: `{steps}`.",
        ru="Объект и его вызовы: `{steps}`.",
    ),
    "check.unmet": Text(
        en="The check's condition does not hold: {detail}",
        ru="Условие проверки не выполнено: {detail}",
    ),
    # fail closed (issue 12): a check that did not end in a verdict counts as failed
    "check.skipped": Text(
        en="This check was skipped ({reason}), so it counts as failed. It is not your fault; tell your instructor.",
        ru="Эта проверка была пропущена ({reason}), поэтому она считается непройденной. Вы не виноваты; сообщите преподавателю.",
    ),
    "check.no_outcome": Text(
        en="This check ended without a verdict, so it counts as failed. It is not your fault; tell your instructor.",
        ru="Эта проверка завершилась без результата, поэтому она считается непройденной. Вы не виноваты; сообщите преподавателю.",
    ),
    # no credit for nothing (issue 13): form checks pay only with some values right
    "check.form_needs_values": Text(
        en="Not counted: this check of form earns its points only when `{name}` also computes some values right, and none of its value checks passed.",
        ru="Не засчитано: эта проверка формы приносит баллы, только если `{name}` вычисляет верно хотя бы какие-то значения, а ни одна проверка значений не пройдена.",
    ),
    # feedback says the cause once (issue 13): why a question's function could not be called
    "cause.missing": Text(en="`{name}` is not defined.", ru="Имя `{name}` не определено."),
    "cause.name_error": Text(
        en="Every call of `{question}` raised NameError: it uses `{name}`, which is not defined.",
        ru="Каждый вызов `{question}` выбросил NameError: функция использует имя `{name}`, которое не определено.",
    ),
    "cause.syntax": Text(
        en="Cell {cell}, where `{name}` is defined, has a syntax error ({message}), so nothing in it ran. Fix that cell and run all cells.",
        ru="В ячейке {cell}, где определяется `{name}`, синтаксическая ошибка ({message}), поэтому ничего из неё не выполнилось. Исправьте эту ячейку и выполните все ячейки.",
    ),
    "cause.raised": Text(
        en="Cell {cell}, where `{name}` is defined, raised {exc_type} ({message}) before reaching the definition. Fix that cell and run all cells.",
        ru="Ячейка {cell}, где определяется `{name}`, выбросила {exc_type} ({message}) раньше, чем дошла до определения. Исправьте эту ячейку и выполните все ячейки.",
    ),
    "cause.timeout": Text(
        en="Cell {cell}, where `{name}` is defined, was stopped at its time limit before reaching the definition.",
        ru="Ячейка {cell}, где определяется `{name}`, была остановлена по пределу времени раньше, чем дошла до определения.",
    ),
    # cells run out of order (Colab runs them as clicked; the grader top to bottom)
    "cause.defined_below": Text(
        en="`{name}` is defined in cell {cell}, below the cell that uses it: move it up, above that cell, and run all cells.",
        ru="`{name}` определяется в ячейке {cell}, ниже ячейки, которая его использует: перенесите определение выше "
           "этой ячейки и выполните все ячейки.",
    ),
    # a value made by a cell that failed (the model graded on hidden data): said instead of advice on the value
    "cause.using_raised": Text(
        en="Cell {cell}, which uses `{name}`, raised {exc_type}: {message}",
        ru="Ячейка {cell}, где используется `{name}`, выбросила {exc_type}: {message}",
    ),
    "cause.using_left": Text(
        en="So `{name}` was graded as that cell left it: fix that cell and run all cells.",
        ru="Поэтому `{name}` оценена в том виде, в каком её оставила эта ячейка: исправьте эту ячейку и "
           "выполните все ячейки.",
    ),
    "cause.using_timeout": Text(
        en="Cell {cell}, which uses `{name}`, was stopped at its time limit, so `{name}` was graded as that cell "
           "left it. Make that cell faster (fewer epochs, a smaller model) and run all cells.",
        ru="Ячейка {cell}, где используется `{name}`, остановлена по пределу времени, поэтому `{name}` оценена в "
           "том виде, в каком её оставила эта ячейка. Ускорьте эту ячейку (меньше эпох, модель поменьше) и "
           "выполните все ячейки.",
    ),
    "cause.using_syntax": Text(
        en="Cell {cell}, which uses `{name}`, has a syntax error ({message}) and did not run, so `{name}` was "
           "graded as the cells before it left it. Fix that cell and run all cells.",
        ru="В ячейке {cell}, где используется `{name}`, синтаксическая ошибка ({message}), и она не выполнилась, "
           "поэтому `{name}` оценена в том виде, в каком её оставили предыдущие ячейки. Исправьте эту ячейку и "
           "выполните все ячейки.",
    ),
    "cause.not_run": Text(
        en="Cell {cell}, where `{name}` is defined, never ran: an earlier cell ended the run.",
        ru="Ячейка {cell}, где определяется `{name}`, не выполнялась: одна из предыдущих ячеек прервала выполнение.",
    ),
    "cause.nowhere": Text(
        en="No cell of the notebook defines it: define a function named exactly `{name}` and run all cells.",
        ru="Ни одна ячейка блокнота его не определяет: определите функцию с именем ровно `{name}` и выполните все ячейки.",
    ),
    "cause.nowhere_class": Text(
        en="No cell of the notebook defines it: define a class named exactly `{name}` and run all cells.",
        ru="Ни одна ячейка блокнота его не определяет: определите класс с именем ровно `{name}` и выполните все ячейки.",
    ),
    "cause.near": Text(
        en="Your notebook defines `{near}`: did you mean `{name}`? Names must match exactly (case too).",
        ru="В блокноте есть `{near}`: может быть, имелось в виду `{name}`? Имя должно совпадать точно (и регистр тоже).",
    ),
    "cause.not_implemented": Text(
        en="`{name}` is not implemented yet: in cell {cell} it still raises NotImplementedError or its body is empty. Replace the placeholder (`raise NotImplementedError`, `pass`, `...`, `<Ваш код здесь>`) with your code.",
        ru="`{name}` ещё не реализована: в ячейке {cell} она по-прежнему выбрасывает NotImplementedError или её тело пусто. Замените заглушку (`raise NotImplementedError`, `pass`, `...`, `<Ваш код здесь>`) своим кодом.",
    ),
    "cause.see_question": Text(
        en="Not checked: `{question}` could not be called (the reason is given once, for the question).",
        ru="Не проверено: `{question}` не удалось вызвать (причина указана один раз, для всего задания).",
    ),
    "report.cause": Text(en="Why", ru="Причина"),
    "grade.sandbox_none": Text(
        en="WARNING: graded WITHOUT a sandbox (neither bubblewrap nor Landlock, or --sandbox none); "
           "student code ran as a plain subprocess.",
        ru="ВНИМАНИЕ: оценено БЕЗ песочницы (нет ни bubblewrap, ни Landlock, или --sandbox none); "
           "код студента выполнялся в обычном подпроцессе.",
    ),
    "grade.not_graded": Text(
        en="The notebook could not be run, so no check was run.",
        ru="Блокнот не удалось выполнить, поэтому проверки не запускались.",
    ),
    "example.public": Text(en="public examples", ru="открытые примеры"),
    # reports (feedback, class summary, CI summary, terminal table)
    "report.feedback_title": Text(en="{title}: feedback for {submission}", ru="{title}: отзыв для {submission}"),
    "report.summary_title": Text(en="{title}: class summary", ru="{title}: сводка по группе"),
    "report.ci_title": Text(en="Autograder: {title}", ru="Автопроверка: {title}"),
    "report.score": Text(en="Score: {score} of {max_score} ({percent}%)", ru="Баллы: {score} из {max_score} ({percent}%)"),
    "report.late": Text(
        en="Submitted {submitted_at}, {days} day(s) late: the penalty is {penalty}% (score before the penalty: {raw_score}).",
        ru="Сдано {submitted_at}, опоздание {days} дн.: штраф {penalty}% (баллы без штрафа: {raw_score}).",
    ),
    "report.errors": Text(en="Errors", ru="Ошибки"),
    "report.questions": Text(en="Questions", ru="Задания"),
    "report.passed": Text(en="passed", ru="пройдена"),
    "report.failed": Text(en="failed", ru="не пройдена"),
    "report.all_passed": Text(en="All checks passed.", ru="Все проверки пройдены."),
    "report.to_fix": Text(en="To fix", ru="Что исправить"),
    "report.hidden_details": Text(
        en="This is a hidden check; its details are not shown.",
        ru="Это скрытая проверка; подробности не показываются.",
    ),
    "report.visibility.public": Text(en="public example", ru="открытый пример"),
    "report.visibility.hidden": Text(en="hidden check", ru="скрытая проверка"),
    "report.visibility.manual": Text(en="graded by hand", ru="ручная проверка"),
    "report.status.graded": Text(en="graded", ru="оценено"),
    "report.status.error": Text(en="error", ru="ошибка"),
    "report.submissions": Text(en="Submissions", ru="Работы"),
    "report.table_rest": Text(
        en="{shown} of {count} submissions shown (errors and lowest scores first); all of them: {path}. "
           "Mean {mean}%, {errors} could not be graded.",
        ru="Показаны {shown} из {count} работ (сначала ошибки и низшие баллы); все работы: {path}. "
           "Среднее {mean}%, не удалось оценить: {errors}.",
    ),
    "report.mean": Text(en="Mean", ru="Среднее"),
    "report.median": Text(en="Median", ru="Медиана"),
    "report.late_count": Text(en="Late", ru="С опозданием"),
    "report.distribution": Text(en="Score distribution", ru="Распределение баллов"),
    "report.percent_axis": Text(en="Score, % of the maximum", ru="Баллы, % от максимума"),
    "report.count_axis": Text(en="Submissions", ru="Число работ"),
    "report.pass_rate_question": Text(en="Pass rate per question", ru="Доля прошедших по заданиям"),
    "report.pass_rate_check": Text(en="Pass rate per check", ru="Доля прошедших по проверкам"),
    "report.pass_rate_axis": Text(en="Passed, %", ru="Прошли, %"),
    "report.common_failures": Text(en="Most common failure messages", ru="Самые частые сообщения об ошибках"),
    "report.no_failures": Text(en="No failed checks and no errors.", ru="Нет проваленных проверок и ошибок."),
    "report.slowest": Text(en="Slowest submissions", ru="Самые медленные работы"),
    "report.all_submissions": Text(en="All submissions", ru="Все работы"),
    "report.leaderboard": Text(en="Leaderboard", ru="Рейтинг"),
    "report.leaderboard_pseudonyms": Text(
        en="Ranked by the trained model's score on hidden data; students appear under pseudonyms (the same "
           "for a student in every run), so the table can be shown to the class.",
        ru="По качеству обученной модели на скрытых данных; студенты показаны под псевдонимами (у каждого "
           "всегда один и тот же), так что таблицу можно показать группе."),
    "report.leaderboard_names": Text(
        en="Ranked by the trained model's score on hidden data.",
        ru="По качеству обученной модели на скрытых данных."),
    "report.failing": Text(en="Failed checks", ru="Проваленные проверки"),
    "report.notebook": Text(en="notebook", ru="блокнот"),
    "report.col.submission": Text(en="Submission", ru="Работа"),
    "report.col.score": Text(en="Score", ru="Баллы"),
    "report.col.max": Text(en="Max", ru="Макс."),
    "report.col.percent": Text(en="%", ru="%"),
    "report.col.status": Text(en="Status", ru="Статус"),
    "report.col.question": Text(en="Question", ru="Задание"),
    "report.col.check": Text(en="Check", ru="Проверка"),
    "report.col.message": Text(en="Message", ru="Сообщение"),
    "report.col.count": Text(en="Count", ru="Сколько"),
    "report.col.late": Text(en="Late penalty", ru="Штраф за опоздание"),
    "report.col.first_error": Text(en="First error", ru="Первая ошибка"),
    "report.col.passed": Text(en="Passed", ru="Прошли"),
    "report.awaiting": Text(en="⏳ awaiting the instructor: {count}", ru="⏳ ждут оценки преподавателя: {count}"),
    "report.col.duration": Text(en="Time, s", ru="Время, с"),
    # autograder validate
    "validate.header": Text(
        en="Checking {notebook} for assignment {assignment} (public examples only; hidden checks run after you submit)",
        ru="Проверка {notebook} для задания {assignment} (только открытые примеры; скрытые проверки запускаются после отправки)",
    ),
    "validate.cells_ok": Text(en="✓ all {count} code cells ran without errors", ru="✓ все {count} ячеек с кодом выполнились без ошибок"),
    "validate.defined": Text(en="✓ `{name}` is defined", ru="✓ `{name}` определена"),
    "validate.hidden_model": Text(
        en="✓ `{model}` is there: `{name}` is graded by how it does on hidden data",
        ru="✓ `{model}` есть: `{name}` оценивается по её результату на скрытых данных"),
    "validate.hidden_model_missing": Text(
        en="✗ The notebook leaves no `{model}`: `{name}` grades your trained model kept in that variable.",
        ru="✗ В блокноте нет переменной `{model}`: `{name}` оценивает обученную модель, сохранённую в ней."),
    "validate.examples_ok": Text(en="✓ `{name}`: public examples pass", ru="✓ `{name}`: открытые примеры пройдены"),
    "validate.examples_failed": Text(en="✗ `{name}`: {message}", ru="✗ `{name}`: {message}"),
    "validate.problem": Text(en="✗ {message}", ru="✗ {message}"),
    "validate.ready": Text(
        en="Ready to submit: the notebook runs and passes its public examples.",
        ru="Можно отправлять: блокнот выполняется и проходит открытые примеры.",
    ),
    "validate.not_ready": Text(
        en="Not ready yet: fix the {count} problem(s) marked ✗ above, then run this again.",
        ru="Пока не готово: исправьте отмеченные ✗ проблемы ({count}) и запустите проверку снова.",
    ),
    # LMS archives, feedback notebooks and imported tests (issue 9: lms)
    # {where} is one of the two below: an LMS's download of the class, or the student's own upload
    "archive.in_lms": Text(en="in the LMS archive", ru="в архиве LMS"),
    "archive.in_upload": Text(en="in the zip you uploaded", ru="в загруженном вами архиве"),
    "archive.unsafe_path": Text(
        en="The file {member} {where} was refused: its path leaves the archive's folder ({detail}). Submit the notebook again under a plain name.",
        ru="Файл {member} {where} отклонён: его путь выходит за пределы папки архива ({detail}). Отправьте блокнот ещё раз с обычным именем.",
    ),
    "archive.not_utf8_name": Text(
        en="The file {member} {where} was refused: its name is not UTF-8, so it cannot be told apart safely. Rename the notebook with Latin letters and submit it again.",
        ru="Файл {member} {where} отклонён: его имя не в кодировке UTF-8, и его нельзя надёжно распознать. Переименуйте блокнот латиницей и отправьте ещё раз.",
    ),
    "archive.too_large": Text(
        en="The file {member} {where} was refused: it unpacks to more than {limit} MB. Clear the outputs (Edit > Clear all outputs) and submit it again.",
        ru="Файл {member} {where} отклонён: после распаковки он больше {limit} МБ. Очистите вывод (Edit > Clear all outputs) и отправьте ещё раз.",
    ),
    "archive.ratio": Text(
        en="The file {member} {where} was refused: it unpacks to {ratio}x its packed size (a zip bomb, or outputs that repeat). Clear the outputs and submit it again.",
        ru="Файл {member} {where} отклонён: после распаковки он в {ratio} раз больше сжатого (zip-бомба или повторяющийся вывод). Очистите вывод и отправьте ещё раз.",
    ),
    "archive.total": Text(
        en="The file {member} was not unpacked: the LMS archive unpacks to more than {limit} MB in total. Ask your instructor to download the submissions in smaller parts.",
        ru="Файл {member} не распакован: архив LMS в сумме распаковывается больше чем в {limit} МБ. Попросите преподавателя скачать работы частями.",
    ),
    "archive.total_upload": Text(
        en="The file {member} was not unpacked: the zip you uploaded unpacks to more than {limit} MB in total. Submit the notebook itself, not a zip.",
        ru="Файл {member} не распакован: загруженный вами архив в сумме распаковывается больше чем в {limit} МБ. Отправьте сам блокнот, а не архив.",
    ),
    "archive.encrypted": Text(
        en="The file {member} {where} is encrypted (password-protected) and cannot be read. Submit the notebook itself, without a password.",
        ru="Файл {member} {where} зашифрован (защищён паролем) и не может быть прочитан. Отправьте сам блокнот, без пароля.",
    ),
    "archive.unreadable": Text(
        en="The file {member} {where} could not be unpacked ({detail}). Submit the notebook again.",
        ru="Файл {member} {where} не удалось распаковать ({detail}). Отправьте блокнот ещё раз.",
    ),
    "archive.not_a_file": Text(
        en="The entry {member} {where} is a link or a device, not a file, and was refused.",
        ru="Элемент {member} {where} — ссылка или устройство, а не файл; он отклонён.",
    ),
    "archive.several": Text(
        en="Your submission holds several notebooks ({files}), so it is not clear which one to grade. Submit exactly one .ipynb file.",
        ru="В вашей работе несколько блокнотов ({files}), непонятно, какой из них оценивать. Отправьте ровно один файл .ipynb.",
    ),
    "archive.nothing": Text(
        en="Nothing was uploaded. Submit the .ipynb file itself (File > Download .ipynb).",
        ru="Ничего не загружено. Отправьте сам файл .ipynb (File > Download .ipynb).",
    ),
    "archive.no_notebook": Text(
        en="Your submission holds no notebook (.ipynb): found {files}. Submit the .ipynb file itself (File > Download .ipynb), not a PDF or an archive.",
        ru="В вашей работе нет блокнота (.ipynb): найдено {files}. Отправьте сам файл .ipynb (File > Download .ipynb), а не PDF или архив.",
    ),
    "nbfeedback.summary": Text(en="Feedback: {score}", ru="Отзыв: {score}"),
    "nbfeedback.question": Text(en="Feedback on `{question}`: {score} of {max_score}", ru="Отзыв по `{question}`: {score} из {max_score}"),
    "nbfeedback.not_found": Text(
        en="Not found in your notebook (no cell defines it): {questions}",
        ru="Не найдено в блокноте (ни одна ячейка не определяет): {questions}",
    ),
    "imported.failed": Text(en="Test failed: {detail}", ru="Тест не пройден: {detail}"),
    "imported.expected": Text(
        en="`{source}`\nexpected:\n{want}\ngot:\n{got}",
        ru="`{source}`\nожидалось:\n{want}\nполучено:\n{got}",
    ),
    "imported.raised": Text(en="`{source}` raised {exc_type}: {message}", ru="`{source}` выбросило {exc_type}: {message}"),
    "manual.pending": Text(
        en="Graded by hand ({points}): not scored yet, so not in the total yet.",
        ru="Оценивается вручную ({points}): ещё не оценено, поэтому пока не входит в сумму.",
    ),
    "manual.scored": Text(en="Graded by hand: {score} of {max_score}.", ru="Оценено вручную: {score} из {max_score}."),
    "manual.check": Text(en="the instructor's score", ru="оценка преподавателя"),
    "manual.row": Text(en="row {line}: {problem}", ru="строка {line}: {problem}"),
    "manual.columns": Text(
        en="needs the columns {needed} and optionally {optional} (missing: {missing})",
        ru="нужны столбцы {needed} и, если нужно, {optional} (нет столбцов: {missing})",
    ),
    "manual.not_manual": Text(
        en="{question} is not a question graded by hand (those are: {known})",
        ru="{question} — не вопрос с ручной проверкой (такие вопросы: {known})",
    ),
    "manual.not_number": Text(en="points {value} is not a number", ru="баллы {value} — не число"),
    "manual.out_of_range": Text(
        en="points {points} outside 0..{max_score} for {question}",
        ru="баллы {points} вне 0..{max_score} для {question}",
    ),
    "manual.no_student": Text(en="no student for {question}", ru="не указан студент для {question}"),
    "manual.twice": Text(en="a second score for {question}", ru="вторая оценка для {question}"),
    "imported.cell_missing": Text(
        en="The test cell `{cell}` is not in your notebook (deleted, or its grade_id changed): its tests score 0, as in nbgrader. Restore the cell from the assignment.",
        ru="Ячейки с тестами `{cell}` нет в вашем блокноте (удалена или изменён её grade_id): её тесты дают 0, как в nbgrader. Восстановите ячейку из задания.",
    ),
    "imported.not_data.bool": Text(
        en="`{name}` came back as an object of your notebook, not as data (a number, array, list, string...), so the test cannot use it as true/false. Return plain values.",
        ru="`{name}` вернулось как объект из вашего блокнота, а не как данные (число, массив, список, строка...), поэтому тест не может использовать его как истину/ложь. Возвращайте простые значения.",
    ),
    "imported.not_data.compare": Text(
        en="`{name}` came back as an object of your notebook, not as data (a number, array, list, string...), so the test cannot compare it. Return plain values.",
        ru="`{name}` вернулось как объект из вашего блокнота, а не как данные (число, массив, список, строка...), поэтому тест не может его сравнить. Возвращайте простые значения.",
    ),
    "imported.not_data.change": Text(
        en="The test tried to change `{name}`, an object of your notebook; tests run outside your notebook and cannot change it.",
        ru="Тест попытался изменить `{name}` — объект из вашего блокнота; тесты выполняются вне блокнота и не могут его менять.",
    ),
    "imported.not_data.module": Text(
        en="The test uses `{name}`, which is a module in your notebook; tests use the grader's own modules, never the notebook's. Ask your instructor: the master notebook should import `{name}`.",
        ru="Тест использует `{name}` — в вашем блокноте это модуль; тесты используют модули проверяющей системы, а не блокнота. Сообщите преподавателю: эталонный блокнот должен импортировать `{name}`.",
    ),
    "imported.not_data.iterate": Text(
        en="`{name}` came back as an object of your notebook, not as data, so the test cannot take its length, items or elements. Return a list, tuple, dict or array.",
        ru="`{name}` вернулось как объект из вашего блокнота, а не как данные, поэтому тест не может взять его длину или элементы. Возвращайте список, кортеж, словарь или массив.",
    ),
}


def check_catalogue(texts: Mapping[str, Text] | None = None) -> list[str]:
    """Problems in ``texts`` (default :data:`MESSAGES`): a language left empty or
    placeholders that differ."""
    problems = []
    for key, text in (MESSAGES if texts is None else texts).items():
        for language in LANGUAGES:
            if not text.render(language).strip():
                problems.append(f"{key}: empty {language} text")
        if placeholders(text.en) != placeholders(text.ru):
            problems.append(f"{key}: placeholders differ between en and ru")
    return problems
