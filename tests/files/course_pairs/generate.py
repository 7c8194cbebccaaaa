"""Writes the blank/solution notebook pairs of this folder, in the shape the course's
own notebooks have as Colab exports them: one line of JSON, nbformat 4.0 (no cell
ids), Colab and widget metadata, saved outputs (a DataFrame table, a traceback with
colour codes, a plot as a PNG), `!pip` and `drive.mount` cells, Cyrillic file names
with brackets and spaces. Run it again after a change: `python generate.py`.
"""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
PNG_HEADER = bytes.fromhex("89504e470d0a1a0a")


def png(size: int, seed: int) -> str:
    """A plot as Colab saves it: base64 PNG bytes (random past the header: never decoded)."""
    rng = random.Random(seed)
    return base64.b64encode(PNG_HEADER + bytes(rng.getrandbits(8) for _ in range(size))).decode()


def colab_cell_meta(rng: random.Random) -> dict:
    return {"id": "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789") for _ in range(12)),
            "colab": {"base_uri": "https://localhost:8080/"}, "outputId": f"{rng.getrandbits(64):016x}"}


def lines(source: str) -> list[str]:
    parts = source.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


class Notebook:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.cells: list[dict] = []
        self.count = 0

    def md(self, source: str) -> None:
        self.cells.append({"cell_type": "markdown", "metadata": {"id": colab_cell_meta(self.rng)["id"]},
                           "source": lines(source)})

    def code(self, source: str, outputs: list[dict] | None = None) -> None:
        self.count += 1
        self.cells.append({"cell_type": "code", "execution_count": self.count if outputs else None,
                           "metadata": colab_cell_meta(self.rng), "outputs": outputs or [],
                           "source": lines(source)})

    def write(self, path: Path) -> None:
        notebook = {"nbformat": 4, "nbformat_minor": 0, "metadata": {
            "colab": {"provenance": [], "collapsed_sections": [], "toc_visible": True},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"}, "accelerator": "GPU",
            "widgets": {"application/vnd.jupyter.widget-state+json": {
                "3f2a": {"model_module": "@jupyter-widgets/controls", "model_name": "HBoxModel",
                         "model_module_version": "1.5.0", "state": {"children": ["IPY_MODEL_9c1d"]}}}},
        }, "cells": self.cells}
        path.write_text(json.dumps(notebook, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def stream(text: str) -> dict:
    return {"name": "stdout", "output_type": "stream", "text": lines(text)}


def error(ename: str, evalue: str, where: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [
        "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
        f"\x1b[0;31m{ename}\x1b[0m                                 Traceback (most recent call last)",
        f"\x1b[0;32m<ipython-input-7-2f1e>\x1b[0m in \x1b[0;36m<cell line: 1>\x1b[0;34m()\x1b[0m\n----> 1 {where}",
        f"\x1b[0;31m{ename}\x1b[0m: {evalue}"]}


def image(seed: int, size: int = 150_000) -> dict:
    return {"output_type": "display_data", "metadata": {"needs_background": "light"},
            "data": {"image/png": png(size, seed), "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}


def table(rows: list[tuple[float, float, int]]) -> dict:
    html = "<div><table border=\"1\" class=\"dataframe\"><thead><tr><th></th><th>symmetry</th>" \
           "<th>yellowness</th><th>target</th></tr></thead><tbody>" + "".join(
               f"<tr><th>{i}</th><td>{a}</td><td>{b}</td><td>{t}</td></tr>" for i, (a, b, t) in enumerate(rows)) + \
           "</tbody></table></div>"
    text = "   symmetry  yellowness  target\n" + "\n".join(
        f"{i}  {a:8}  {b:10}  {t:6}" for i, (a, b, t) in enumerate(rows))
    return {"output_type": "execute_result", "execution_count": 4, "metadata": {},
            "data": {"text/html": [html], "text/plain": lines(text)}}


# ---- the perceptron seminar: a class with state, trained on a CSV read with pandas ----

def apples_pears() -> list[tuple[float, float, int]]:
    rng = random.Random(11)
    rows = []
    for _ in range(24):
        target = rng.random() < 0.5
        symmetry = round(rng.uniform(0.05, 0.45) if target else rng.uniform(0.55, 0.95), 3)
        yellowness = round(rng.uniform(0.55, 0.95) if target else rng.uniform(0.05, 0.45), 3)
        rows.append((symmetry, yellowness, int(target)))
    return rows


PERCEPTRON_INTRO = """# Перцептрон

<h3 style="text-align: center;"><b>Школа глубокого обучения</b></h3>

Обучим один нейрон отличать яблоки от груш по двум признакам: симметричности и желтизне."""

IMPORTS = "!pip install -q pandas\nimport numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n%matplotlib inline"
DRIVE = "from google.colab import drive\ndrive.mount('/content/drive')"
READ = 'data = pd.read_csv("./data/apples_pears.csv")\ndata.head()'

LOSS_BLANK = '''def Loss(y_pred, y):
    \'\'\'
    Считаем среднеквадратичную ошибку
    \'\'\'
    y_pred = y_pred.reshape(-1, 1)
    y = np.array(y).reshape(-1, 1)
    return <Ваш код здесь>'''
LOSS_SOLUTION = LOSS_BLANK.replace("return <Ваш код здесь>", "return 0.5 * np.mean((y_pred - y) ** 2)")

CLASS_BLANK = '''class Perceptron:
    def __init__(self, w=None, b=0):
        """
        :param: w -- вектор весов
        :param: b -- смещение
        """
        # Пока что мы не знаем размер матрицы X, а значит не знаем, сколько будет весов
        self.w = w
        self.b = b

    def activate(self, x):
        return <Ваш код здесь>

    def forward_pass(self, X):
        """
        Эта функция рассчитывает ответ перцептрона при предъявлении набора объектов
        :param: X -- матрица объектов размера (n, m), каждая строка - отдельный объект
        :return: вектор размера (n, 1) из нулей и единиц с ответами перцептрона
        """
        n = X.shape[0]
        y_pred = np.zeros((n, 1))  # y_pred == y_predicted - предсказанные классы
        # Ваш код здесь
        return y_pred

    def backward_pass(self, X, y, y_pred, learning_rate=0.005):
        """
        Обновляет значения весов перцептрона в соответствии с этим объектом
        :param: X -- матрица объектов размера (n, m)
                y -- вектор правильных ответов размера (n, 1)
                learning_rate - "скорость обучения" (символ alpha в формулах выше)
        В этом методе ничего возвращать не нужно, только правильно поменять веса
        с помощью градиентного спуска.
        """
        n = len(y)
        y = np.array(y).reshape(-1, 1)
        # Ваш код здесь

    def fit(self, X, y, num_epochs=300):
        """
        Спускаемся в минимум
        :param: X -- матрица объектов размера (n, m)
                y -- вектор правильных ответов размера (n, 1)
                num_epochs -- количество итераций обучения
        :return: losses -- вектор значений функции потерь
        """
        self.w = np.zeros((X.shape[1], 1))  # столбец (m, 1)
        self.b = 0  # смещение
        losses = []  # значения функции потерь на различных итерациях обновления весов

        for i in range(num_epochs):
            # предсказания с текущими весами
            y_pred = self.forward_pass(X)
            # считаем функцию потерь с текущими весами
            losses.append(Loss(y_pred, y))
            # обновляем веса по формуле градиентного спуска
            self.backward_pass(X, y, y_pred)

        return losses'''
CLASS_SOLUTION = (CLASS_BLANK
                  .replace("        return <Ваш код здесь>", "        return np.array(x > 0, dtype=np.int64)")
                  .replace("        # Ваш код здесь\n        return y_pred",
                           "        y_pred = self.activate(X @ self.w.reshape(X.shape[1], 1) + self.b)\n"
                           "        return y_pred")
                  .replace("        y = np.array(y).reshape(-1, 1)\n        # Ваш код здесь",
                           "        y = np.array(y).reshape(-1, 1)\n"
                           "        self.w = self.w - learning_rate * (X.T @ (y_pred - y) / n)\n"
                           "        self.b = self.b - learning_rate * np.mean(y_pred - y)"))
TRAIN = '''X = data[["symmetry", "yellowness"]].values
y = data["target"].values.reshape((-1, 1))

perceptron = Perceptron()
losses = perceptron.fit(X, y)

plt.figure(figsize=(10, 8))
plt.plot(losses)
plt.title("Функция потерь", fontsize=15)
plt.xlabel("номер итерации", fontsize=14)
plt.ylabel("$Loss(\\\\hat{y}, y)$", fontsize=14)
plt.show()'''
QUESTION_BLANK = "**Вопрос:** почему функция потерь перестаёт меняться?\n\n**Ответ:** <Ваш ответ здесь>"
QUESTION_SOLUTION = "**Вопрос:** почему функция потерь перестаёт меняться?\n\n**Ответ:** все объекты уже классифицированы верно, поэтому градиент равен нулю."


def perceptron_pair(folder: Path) -> None:
    rows = apples_pears()
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "apples_pears.csv").write_text(
        "symmetry,yellowness,target\n" + "".join(f"{a},{b},{t}\n" for a, b, t in rows), encoding="utf-8")
    for solved in (False, True):
        nb = Notebook(seed=2 if solved else 1)
        nb.md(PERCEPTRON_INTRO)
        nb.code(IMPORTS, [stream("\x1b[2K     |████████████████████████████████| 11.6 MB 41.2 MB/s\n")])
        nb.code(DRIVE, [stream("Mounted at /content/drive\n")])
        nb.code(READ, [table(rows[:5])])
        nb.md("## Функция потерь\n\n$$Loss(\\hat{y}, y) = \\frac{1}{2n}\\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2$$")
        nb.code(LOSS_SOLUTION if solved else LOSS_BLANK,
                [] if solved else [error("SyntaxError", "invalid syntax", "return <Ваш код здесь>")])
        nb.md("## Класс перцептрона\n\nРеализуйте методы `activate`, `forward_pass` и `backward_pass`.")
        nb.code(CLASS_SOLUTION if solved else CLASS_BLANK)
        nb.md("## Обучение")
        nb.code(TRAIN, [image(seed=5)] if solved else [
            error("NameError", "name 'Perceptron' is not defined", "perceptron = Perceptron()")])
        if solved:
            nb.code("print(perceptron.w.ravel(), perceptron.b)", [stream("[ 0.0123 -0.0081] 0.0004\n")])
        nb.md(QUESTION_SOLUTION if solved else QUESTION_BLANK)
        name = "[sem_solution]perceptron.ipynb" if solved else "[seminar]perceptron.ipynb"
        nb.write(folder / name)


# ---- the activations homework: functions, shown on small inputs --------------------

ACT_INTRO = "# Домашнее задание: функции активации\n\nРеализуйте функции и проверьте их на примерах."
SIGMOID_BLANK = '''def sigmoid(x):
    """Сигмоида 1 / (1 + exp(-x))."""
    # Ваш код здесь
    pass'''
SIGMOID_SOLUTION = '''def sigmoid(x):
    """Сигмоида 1 / (1 + exp(-x))."""
    x = np.asarray(x, dtype=float)
    return np.exp(-np.logaddexp(0.0, -x))'''
RELU_BLANK = '''def relu(x):
    return <Ваш код здесь>


def relu_grad(x):
    # Ваш код здесь
    ...'''
RELU_SOLUTION = '''def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def relu_grad(x):
    # подсказка: производная ReLU равна 1 при x > 0
    return np.where(np.asarray(x, dtype=float) > 0, 1.0, 0.0)'''
SOFTMAX_BLANK = '''def softmax(z):
    raise NotImplementedError'''
SOFTMAX_SOLUTION = '''def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)'''
SHOW = '''x = np.linspace(-3, 3, 7)
print(sigmoid(x))
print(relu(np.array([-2.0, 0.0, 3.5])))
print(relu_grad([-1.0, 0.0, 1.0]))
print(softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])))
print(sigmoid(x_data))'''


def activations_pair(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for solved in (False, True):
        nb = Notebook(seed=4 if solved else 3)
        nb.md(ACT_INTRO)
        nb.code("import numpy as np\nimport matplotlib.pyplot as plt")
        nb.code("x_data = np.random.randn(5)  # not data an example can hold")
        nb.md("## Сигмоида")
        nb.code(SIGMOID_SOLUTION if solved else SIGMOID_BLANK)
        nb.md("## ReLU и её производная")
        nb.code(RELU_SOLUTION if solved else RELU_BLANK)
        nb.md("## Softmax")
        nb.code(SOFTMAX_SOLUTION if solved else SOFTMAX_BLANK)
        nb.code(SHOW, [stream("[0.047 0.119 0.269 0.5 0.731 0.881 0.953]\n[0.  0.  3.5]\n")] if solved else [
            error("NotImplementedError", "", "print(softmax(np.array([[1.0, 2.0, 3.0]])))")])
        nb.code("plt.plot(x, sigmoid(x))", [image(seed=9, size=60_000)] if solved else [])
        name = "[hw_solution] функции активации.ipynb" if solved else "[homework] функции активации.ipynb"
        nb.write(folder / name)


if __name__ == "__main__":
    perceptron_pair(HERE / "perceptron")
    activations_pair(HERE / "activations")
