"""Writes messy blank/solution pairs shaped like the course's real homework, as Colab
exports them: one line of JSON, nbformat 4.0 without cell ids, Colab metadata,
2-space indents, trailing blank lines at the end of cells, `%%time` cells, HTML
headings, a printed-answer cell, data read with pandas. Run it again after a change:
`python generate.py`.

- `neuron/`: the activations homework (relu, leaky_relu, elu and their derivatives;
  classes NeuronReLU / NeuronELU with forward_pass / backward_pass / fit trained on
  ./data/apples_pears.csv); ELU is optional and not graded.
- `torch_task/`: the PyTorch seminar's `forward_pass(X, w)` on tensors.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
BLANK = "<Ваш код здесь>"


def lines(source: str) -> list[str]:
    parts = source.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


class Notebook:
    def __init__(self) -> None:
        self.cells: list[dict] = []

    def md(self, source: str) -> None:
        self.cells.append({"cell_type": "markdown", "metadata": {"colab_type": "text"}, "source": lines(source)})

    def code(self, source: str) -> None:
        self.cells.append({"cell_type": "code", "execution_count": None,
                           "metadata": {"colab": {}, "colab_type": "code"}, "outputs": [],
                           "source": lines(source)})

    def write(self, path: Path) -> None:
        notebook = {"nbformat": 4, "nbformat_minor": 0, "metadata": {
            "colab": {"name": path.name, "provenance": [], "collapsed_sections": []},
            "kernelspec": {"name": "python3", "display_name": "Python 3"}}, "cells": self.cells}
        path.write_text(json.dumps(notebook, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


HEADER = ('<p style="align: center;"><img align=center src="https://s8.hostingkartinok.com/uploads/images/'
          '2018/08/308b49fcfbc619d629fe4604bceb67ac.jpg" width=500 height=450/></p>\n\n'
          '<h3 style="text-align: center;"><b>Физтех-Школа Прикладной математики и информатики (ФПМИ) МФТИ</b></h3>')


def pair(blank: str, solution: str) -> tuple[str, str]:
    return blank, solution


ACTIVATIONS = [  # (blank, solution): 2-space indents, Colab's trailing blank lines
    pair(f'def relu(x):\n  """ReLU: max(0, x)"""\n  return {BLANK}\n\n',
         'def relu(x):\n  """ReLU: max(0, x)"""\n  return np.maximum(0, x)\n\n'),
    pair(f'def relu_derivative(x):\n  """Производная ReLU"""\n  return {BLANK}\n\n\n',
         'def relu_derivative(x):\n  """Производная ReLU"""\n  return (x > 0).astype(float)\n\n\n'),
    pair(f'def leaky_relu(x, alpha=0.01):\n  """Leaky ReLU"""\n  {BLANK}\n\n',
         'def leaky_relu(x, alpha=0.01):\n  """Leaky ReLU"""\n  return np.where(x > 0, x, alpha * x)\n\n'),
    pair(f'def leaky_relu_derivative(x, alpha=0.01):\n  """Производная Leaky ReLU"""\n  {BLANK}\n\n',
         'def leaky_relu_derivative(x, alpha=0.01):\n  """Производная Leaky ReLU"""\n'
         '  return np.where(x > 0, 1.0, alpha)\n\n'),
]
ELU = pair(f'def elu(x, alpha=1.0):\n  """ELU (необязательно)"""\n  {BLANK}\n\n'
           f'def elu_derivative(x, alpha=1.0):\n  {BLANK}\n',
           'def elu(x, alpha=1.0):\n  """ELU (необязательно)"""\n  return np.where(x > 0, x, alpha * (np.exp(x) - 1))\n\n'
           'def elu_derivative(x, alpha=1.0):\n  return np.where(x > 0, 1.0, alpha * np.exp(x))\n')


def neuron_class(name: str, act: str, blank: bool) -> str:
    code = (BLANK if blank else None)
    forward = f"    return {code}" if blank else f"    return {act}(X @ self.w + self.b)"
    backward = (f"    {code}" if blank else
                f"    grad = (y_pred - y) * {act}_derivative(X @ self.w + self.b)\n"
                "    self.w = self.w - learning_rate * X.T @ grad / len(y)\n"
                "    self.b = self.b - learning_rate * np.mean(grad)")
    return (f"class {name}:\n"
            "  def __init__(self, w=None, b=0):\n"
            '    """w -- веса (m, 1), b -- смещение"""\n'
            "    self.w = w\n    self.b = b\n\n"
            "  def forward_pass(self, X):\n"
            '    """Ответ нейрона на объекты X (n, m): (n, 1)"""\n'
            f"{forward}\n\n"
            "  def backward_pass(self, X, y, y_pred, learning_rate=0.005):\n"
            '    """Один шаг градиентного спуска: меняет self.w и self.b"""\n'
            f"{backward}\n\n"
            "  def fit(self, X, y, num_epochs=10000):\n"
            "    self.w = np.random.randn(X.shape[1], 1) * 0.1\n    self.b = 0\n    losses = []\n"
            "    for i in range(num_epochs):\n"
            "      y_pred = self.forward_pass(X)\n"
            "      losses.append(Loss(y_pred, y))\n"
            "      self.backward_pass(X, y, y_pred)\n"
            "    return losses\n\n\n")


def apples_pears(folder: Path) -> None:
    rng = random.Random(5)
    rows = []
    for _ in range(40):
        target = rng.random() < 0.5
        rows.append((round(rng.uniform(0.05, 0.45) if target else rng.uniform(0.55, 0.95), 3),
                     round(rng.uniform(0.55, 0.95) if target else rng.uniform(0.05, 0.45), 3), int(target)))
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "apples_pears.csv").write_text(
        "symmetry,yellowness,target\n" + "".join(f"{a},{b},{t}\n" for a, b, t in rows), encoding="utf-8")


def neuron_pair(folder: Path) -> None:
    apples_pears(folder)
    for solved in (False, True):
        nb = Notebook()
        nb.md(HEADER)
        nb.md('---\n\n<h2 style="text-align: center;"><b>Нейрон с разными функциями активации</b></h2>\n\n---')
        nb.code("import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
                "%matplotlib inline\n")
        nb.code('data = pd.read_csv("./data/apples_pears.csv")\ndata.head()')
        nb.code("X = data.iloc[:, :2].values\ny = data['target'].values.reshape((-1, 1))\n\n")
        nb.code("def Loss(y_pred, y):\n  return 0.5 * np.mean((y_pred - y) ** 2)\n\n")
        nb.md("## ReLU\n\nРеализуйте функции активации и их производные.")
        for blank, solution in ACTIVATIONS:
            nb.code(solution if solved else blank)
        nb.code("b = 2.\nprint(relu(np.array([-1.0, 0.0, b])), relu_derivative(np.array([-1.0, 0.0, b])))")
        nb.code(neuron_class("NeuronReLU", "relu", not solved))
        nb.code("%%time\nneuron = NeuronReLU()\nlosses = neuron.fit(X, y)\n" if solved else
                f"%%time\nneuron = {BLANK}\nlosses = {BLANK}\n")
        nb.code("print(np.mean(y == (neuron.forward_pass(X) > 0.5)))\nplt.plot(losses)")
        nb.code(neuron_class("NeuronLeakyReLU", "leaky_relu", not solved))
        nb.code("%%time\nneuron_leaky = NeuronLeakyReLU()\nlosses_leaky = neuron_leaky.fit(X, y)\n\n")
        nb.code("neuron = NeuronReLU(np.array([[0.5], [-0.25]]), 0.1)\n"
                "print(neuron.forward_pass(X[:3]))")
        nb.md("**Вопрос:** какая функция активации сходится быстрее?")
        nb.code('print("Ответ: ReLU")' if solved else f'print("Ответ: {BLANK}")')
        nb.md("## ELU (необязательно, не оценивается)")
        nb.code(ELU[1] if solved else ELU[0])
        nb.code(neuron_class("NeuronELU", "elu", not solved))
        nb.code("%%time\nneuron_elu = NeuronELU()\nlosses_elu = neuron_elu.fit(X, y)\n\n")
        nb.write(folder / ("[hw_solution]neuron.ipynb" if solved else "[homework]neuron.ipynb"))


def torch_pair(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for solved in (False, True):
        nb = Notebook()
        nb.md("# PyTorch: прямой проход\n\nНапишите прямой проход нейрона на тензорах.")
        nb.code("import torch\n")
        nb.code("def forward_pass(X, w):\n  return torch.sigmoid(X @ w)\n\n\n" if solved else
                f"def forward_pass(X, w):\n  {BLANK}\n\n\n")
        nb.code("X = torch.tensor([[-5, 5], [2, 3], [1, -1]], dtype=torch.float32)\n"
                "w = torch.tensor([[-0.5], [2.5]], dtype=torch.float32)\n"
                "result = forward_pass(X, w)\nprint(result)\n")
        nb.write(folder / ("[sem_solution]torch.ipynb" if solved else "[seminar]torch.ipynb"))


if __name__ == "__main__":
    neuron_pair(HERE / "neuron")
    torch_pair(HERE / "torch_task")
