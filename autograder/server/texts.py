"""What the server's pages and API errors say, in both course languages.

Kept beside the server (not in :data:`autograder.i18n.MESSAGES`) so the grading
messages' catalogue stays about grading; built from the same :class:`Text`, and
checked the same way (:func:`check_texts`).
"""

from __future__ import annotations

from autograder.i18n import Language, Text, check_catalogue

TEXTS: dict[str, Text] = {
    "title": Text(en="Homework submission", ru="Сдача домашних заданий"),
    "signed_in_as": Text(en="Signed in as {name}", ru="Вы вошли как {name}"),
    "sign_out": Text(en="Sign out", ru="Выйти"),
    "sign_in_needed": Text(
        en="Open the personal link your instructor sent you to sign in.",
        ru="Чтобы войти, откройте личную ссылку, которую прислал преподаватель."),
    "bad_token": Text(
        en="This link is not valid (any more). Ask your instructor for a new one.",
        ru="Эта ссылка недействительна. Попросите у преподавателя новую."),
    "upload": Text(en="Submit a notebook", ru="Отправить блокнот"),
    "assignment": Text(en="Assignment", ru="Задание"),
    "notebook": Text(en="Notebook (.ipynb)", ru="Блокнот (.ipynb)"),
    "drop_here": Text(en="Drop your .ipynb here, or choose the file:",
                      ru="Перетащите сюда файл .ipynb или выберите его:"),
    "send": Text(en="Submit", ru="Отправить"),
    "accepted": Text(en="Submitted: grading has started.", ru="Отправлено: проверка началась."),
    "your_submissions": Text(en="Your submissions", ru="Ваши отправки"),
    "none_yet": Text(en="Nothing submitted yet.", ru="Пока ничего не отправлено."),
    "submitted_at": Text(en="Submitted", ru="Отправлено"),
    "status": Text(en="Status", ru="Статус"),
    "score": Text(en="Score", ru="Баллы"),
    "feedback": Text(en="feedback", ru="отзыв"),
    "status.queued": Text(en="queued", ru="в очереди"),
    "status.grading": Text(en="grading…", ru="проверяется…"),
    "status.graded": Text(en="graded", ru="проверено"),
    "status.error": Text(en="error", ru="ошибка"),
    "waiting": Text(en="Your notebook is being graded; this page updates by itself.",
                    ru="Ваш блокнот проверяется; страница обновится сама."),
    "grader_failed": Text(
        en="The grader could not grade this submission; your instructor has been told. Submitting again may help.",
        ru="Проверяющая система не смогла проверить эту отправку; преподаватель увидит это. Можно отправить ещё раз."),
    "back": Text(en="← back to my submissions", ru="← к моим отправкам"),
    "back_class": Text(en="← back to the class", ru="← к группе"),
    # errors, API and pages alike
    "error.unauthorized": Text(en="A valid personal token is needed.", ru="Нужен действующий личный токен."),
    "error.forbidden": Text(en="Only instructors may see this.", ru="Это доступно только преподавателям."),
    "error.not_found": Text(en="Not found.", ru="Не найдено."),
    "error.unknown_assignment": Text(en="Unknown assignment {name!r} (known: {known}).",
                                     ru="Неизвестное задание {name!r} (есть: {known})."),
    "error.too_large": Text(en="The notebook is larger than {mb} MB. Clear the outputs (Edit > Clear all outputs) "
                                "and submit again.",
                            ru="Блокнот больше {mb} МБ. Очистите выводы ячеек (Правка > Очистить все выводы) "
                               "и отправьте снова."),
    "error.rate": Text(en="Too many submissions of this assignment: at most {limit} an hour. Try again in "
                          "{minutes} min.",
                       ru="Слишком много отправок этого задания: не больше {limit} в час. Попробуйте через "
                          "{minutes} мин."),
    "error.bad_form": Text(en="Send a form with `assignment` (a name) and `notebook` (the .ipynb file).",
                           ru="Отправьте форму с полями `assignment` (название) и `notebook` (файл .ipynb)."),
    "error.not_notebook": Text(en="{reason}", ru="{reason}"),  # grading's own message (notebook.*)
    "error.csrf": Text(en="This form has expired. Go back, reload the page and try again.",
                       ru="Форма устарела. Вернитесь, обновите страницу и попробуйте снова."),
    "error.server": Text(en="Something went wrong on the server. Try again in a minute.",
                         ru="Что-то пошло не так на сервере. Попробуйте через минуту."),
    "error.method": Text(en="This address does not take that request.", ru="Этот адрес не принимает такой запрос."),
    # instructors
    "class": Text(en="Class", ru="Группа"),
    "instructor_name": Text(en="Instructor", ru="Преподаватель"),  # `tokens --instructor` without a roster
    "student": Text(en="Student", ru="Студент"),
    "submissions": Text(en="Submissions", ru="Отправок"),
    "latest": Text(en="Latest", ru="Последняя"),
    "late": Text(en="Late", ru="Опоздание"),
    "late_days": Text(en="{days} d, −{penalty}%", ru="{days} дн., −{penalty}%"),
    "errors": Text(en="Errors", ru="Ошибки"),
    "nothing": Text(en="—", ru="—"),
    "downloads": Text(en="Downloads", ru="Скачать"),
    "summary": Text(en="Class summary with plots", ru="Сводка по группе с графиками"),
    "regrade_all": Text(en="Regrade everyone's latest", ru="Перепроверить последние отправки всех"),
    "regrade": Text(en="Regrade", ru="Перепроверить"),
    "requeued": Text(en="{count} submission(s) queued for grading again.", ru="Снова в очереди: {count}."),
    "history": Text(en="History of {name}", ru="История: {name}"),
    "queue": Text(en="Queue: {queued} waiting, {grading} being graded.",
                  ru="Очередь: ждут {queued}, проверяются {grading}."),
    "hand_scores": Text(en="Scores of questions graded by hand", ru="Оценки за вопросы с ручной проверкой"),
    "hand_scores_help": Text(
        en="A table as `grade --manual` reads it (columns student, question, points, comment; CSV or as Excel "
           "saves it): it replaces the scores given before, in each student's latest graded submission.",
        ru="Таблица, как её читает `grade --manual` (столбцы student, question, points, comment; CSV или как "
           "сохраняет Excel): она заменяет прежние оценки в последней проверенной отправке каждого студента."),
    "hand_scores_send": Text(en="Upload the scores", ru="Загрузить оценки"),
    "hand_scores_taken": Text(en="Scores taken into {count} result(s).", ru="Оценки внесены в результаты: {count}."),
    "hand_scores_refused": Text(en="The table was not used, nothing changed:",
                                ru="Таблица не принята, ничего не изменено:"),
    "manual_unknown_student": Text(en="row {line}: {student} has no graded submission of this assignment",
                                   ru="строка {line}: у {student} нет проверенной отправки этого задания"),
    "hand_scores_no_file": Text(en="Choose the table to upload.", ru="Выберите таблицу для загрузки."),
}


def tr(key: str, language: Language, **fields: object) -> str:
    return TEXTS[key].format(**fields).render(language)


def check_texts() -> list[str]:
    """Problems in :data:`TEXTS`: a language left empty or placeholders that differ."""
    return check_catalogue(TEXTS)
