"""Every sentence the checker prints, in Russian and English.

One entry per message: key -> {"en": ..., "ru": ...}. Both languages use the same
{placeholders}; a test keeps them in step.

The hints for an exception whose own message does not say what to change, when the hint
holds wherever the code runs, live here too (:func:`hint_key`): the notebook's ``check()``
and the grader (its hints module) give the same words from this one catalogue.
"""

from __future__ import annotations

import re
from typing import Any

LANGUAGES = ("ru", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "summary": {
        "en": "{name}: {passed} of {total} examples passed",
        "ru": "{name}: пройдено примеров {passed} из {total}",
    },
    "summary_all": {
        "en": "In total: {passed} of {total} examples passed",
        "ru": "Всего пройдено примеров: {passed} из {total}",
    },
    "all_done": {
        "en": "All examples pass. The grader also runs hidden checks, so test edge cases too.",
        "ru": "Все примеры пройдены. При оценке будут и скрытые проверки, так что проверьте и крайние случаи.",
    },
    "unknown_question": {
        "en": "There are no examples for `{name}`. Known names: {known}",
        "ru": "Для `{name}` нет примеров. Есть примеры для: {known}",
    },
    "no_question": {
        "en": "Name what to check, e.g. check(\"{first}\"), or check_all() for everything. Known names: {known}",
        "ru": "Укажите, что проверить, например check(\"{first}\"), или check_all() для всего сразу. Есть примеры для: {known}",
    },
    "usage_check": {
        "en": "check: call it with a name in brackets, e.g. check(\"{first}\")",
        "ru": "check — это функция: вызовите её с именем в скобках, например check(\"{first}\")",
    },
    "usage_check_all": {
        "en": "check_all: call it with brackets, check_all(), to run every example",
        "ru": "check_all — это функция: допишите скобки, check_all(), чтобы запустить все примеры",
    },
    "expected": {"en": "expected:  {value}", "ru": "ожидалось: {value}"},
    "got": {"en": "got:       {value}", "ru": "получено:  {value}"},
    "hint": {"en": "hint:      {text}", "ru": "подсказка: {text}"},
    # what went wrong before a value came back
    "not_defined": {
        "en": "`{name}` is not defined. Run the cell that defines it (or Runtime > Run all).",
        "ru": "Имя `{name}` не определено. Выполните ячейку, где оно определяется (или «Выполнить все»).",
    },
    "not_callable": {
        "en": "`{name}` is a {type_name}, not a function or class.",
        "ru": "`{name}` — это {type_name}, а не функция или класс.",
    },
    "not_implemented": {
        "en": "`{name}` is not implemented yet: replace the placeholder (`raise NotImplementedError`, `pass`, `...`, `<Ваш код здесь>`) with your code.",
        "ru": "`{name}`: решение ещё не написано — замените заглушку (`raise NotImplementedError`, `pass`, `...`, `<Ваш код здесь>`) своим кодом.",
    },
    "raised": {
        "en": "your code raised {exc_type}: {message}",
        "ru": "ваш код выбросил {exc_type}: {message}",
    },
    "model_load": {
        "en": "the example's parameters do not fit your `{name}` ({message}). Check the layer names and sizes.",
        "ru": "параметры примера не подходят к вашему `{name}` ({message}). Проверьте имена и размеры слоёв.",
    },
    "broken_example": {
        "en": "this example could not be run ({message}); please tell your instructor.",
        "ru": "этот пример не удалось запустить ({message}); сообщите, пожалуйста, преподавателю.",
    },
    "interrupted": {
        "en": "Stopped while running {call}: the check was interrupted before your code returned "
              "(an endless loop? a very slow one?). The remaining examples were not run.",
        "ru": "Остановлено на примере {call}: проверку прервали раньше, чем ваш код вернул ответ "
              "(бесконечный цикл? очень медленный код?). Остальные примеры не запускались.",
    },
    # hints for an exception whose own message does not say what to change (hint_key)
    "hint.float64_into_float32": {
        "en": "Your tensors mix float64 (Double) and float32 (Float): a PyTorch model's weights are float32, while "
              "NumPy's arrays are float64 and `torch.from_numpy` or `torch.tensor` of such an array keeps that. Make "
              "the input float32: `X.float()`, or `torch.tensor(X, dtype=torch.float32)` when you create it.",
        "ru": "В вычислении смешаны тензоры float64 (Double) и float32 (Float): веса модели PyTorch — float32, а массивы "
              "NumPy — float64, и `torch.from_numpy` или `torch.tensor` от такого массива оставляют float64. Сделайте "
              "вход float32: `X.float()` или `torch.tensor(X, dtype=torch.float32)` при создании.",
    },
    "mutated": {
        "en": "your function changed its argument {arg}; work on a copy instead.",
        "ru": "функция изменила свой аргумент {arg}; работайте с копией.",
    },
    # why a value is wrong (one per kind of student.compare.Mismatch)
    "mismatch.type": {
        "en": "expected {expected}{where}, got {got}.",
        "ru": "ожидался {expected}{where}, а получен {got}.",
    },
    "mismatch.shape": {
        "en": "wrong shape{where}: expected {expected}, got {got}.",
        "ru": "неверная форма{where}: ожидалась {expected}, получена {got}.",
    },
    "mismatch.length": {
        "en": "wrong length{where}: expected {expected}, got {got}.",
        "ru": "неверная длина{where}: ожидалась {expected}, получена {got}.",
    },
    "mismatch.keys": {
        "en": "wrong keys{where}: expected {expected}, got {got}.",
        "ru": "неверные ключи{where}: ожидались {expected}, получены {got}.",
    },
    "mismatch.dtype": {
        "en": "expected floating-point numbers{where}, got dtype {got}.",
        "ru": "ожидались числа с плавающей точкой{where}, а тип элементов {got}.",
    },
    "mismatch.not_finite": {
        "en": "NaN or infinity{where} where a number was expected. For large inputs use a numerically stable formula.",
        "ru": "NaN или бесконечность{where} там, где ожидалось число. Для больших входов нужна численно устойчивая формула.",
    },
    "mismatch.values": {
        "en": "wrong values{where} (largest difference {diff}).",
        "ru": "неверные значения{where} (наибольшая разница {diff}).",
    },
    "where": {"en": " at {path}", "ru": " в {path}"},
    # what the student notebook shows in place of the instructor's solution
    "stub": {"en": "Write your solution here", "ru": "Напишите здесь своё решение"},
    "stub_markdown": {"en": "_Your answer here._", "ru": "_Ваш ответ здесь._"},
    "submit_cell": {
        "en": "# Submit: save the notebook (Ctrl+S), put your personal token (from the instructor's email)\n"
              "# between the quotes and run this cell. The feedback is printed below in a few seconds.\n"
              "# submit(\"YOUR-TOKEN\")",
        "ru": "# Сдача: сохраните блокнот (Ctrl+S), вставьте в кавычки личный токен (из письма преподавателя)\n"
              "# и выполните эту ячейку. Отзыв появится ниже через несколько секунд.\n"
              "# submit(\"ВАШ-ТОКЕН\")",
    },
    "data_note": {
        "en": "**Data.** This notebook reads {files} from the `data/` folder next to it (they come with the "
              "assignment). In Jupyter, keep that folder beside the notebook. In Colab, open the Files panel "
              "(the folder icon on the left), create a folder `data` and upload the files into it.",
        "ru": "**Данные.** Блокнот читает {files} из папки `data/` рядом с ним (они выдаются вместе с заданием). "
              "В Jupyter держите эту папку рядом с блокнотом. В Colab откройте панель «Файлы» (значок папки "
              "слева), создайте папку `data` и загрузите файлы в неё.",
    },
    "setup_title": {
        "en": "Setup: run this cell first and do not change it (it defines check and check_all)",
        "ru": "Настройка: выполните эту ячейку первой и не меняйте её (она определяет check и check_all)",
    },
}


def text(key: str, language: str, **fields: Any) -> str:
    """The message ``key`` in ``language`` (English if the language is unknown)."""
    entry = MESSAGES[key]
    return entry.get(language, entry["en"]).format(**fields)


def both(key: str, **fields: Any) -> dict[str, str]:
    """The message ``key`` in every language, for reports shown in either."""
    return {language: text(key, language, **fields) for language in LANGUAGES}


# PyTorch refusing to mix float64 and float32 (nn.Linear, @, torch.mm, Conv, the losses),
# as its 2.x kernels word it: the dtype words, and the two names of the float types
_DTYPE_MISMATCH = re.compile(r"same dtype|scalar type|Found dtype|type \(\w+\) and \w+ type", re.IGNORECASE)
_DOUBLE_AND_FLOAT = (re.compile(r"\bdouble\b", re.IGNORECASE), re.compile(r"\bfloat\b", re.IGNORECASE))


def hint_key(message: str) -> str | None:
    """The key of the hint for an exception's ``message`` that names what went wrong in
    the library's terms, not what to change: PyTorch's float64 and float32 tensors in one
    operation ("mat1 and mat2 must have the same dtype, but got Double and Float"; not Half
    and Float, nor Long and Float: ``.float()`` of a float64 would mislead there)."""
    if _DTYPE_MISMATCH.search(message) and all(word.search(message) for word in _DOUBLE_AND_FLOAT):
        return "hint.float64_into_float32"
    return None


def with_hint(message: str, hint: str) -> str:
    """``message``, ended as a sentence (PyTorch's end without a full stop), then ``hint``."""
    message = message.rstrip()
    return f"{message} {hint}" if message.endswith((".", "!", "?", "…")) else f"{message}. {hint}"
