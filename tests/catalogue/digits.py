"""Submissions of `digits`: right, typically wrong, broken; with expected scores.

Points (grading_config.yaml): make_model 2, train 4, predict 2, accuracy 6. Check weights
(no public examples: a network is random until trained): make_model 1+2 (layers, forward),
train 2+1+1+1 (full batch step by step, mini-batches, floats (form), learns), predict 2+1
(classes, type (form)), accuracy 1: its share follows the bands, full at 0.95, none at
0.80. The checks of train and predict run on a network built from torch's own layers, so
a wrong make_model costs points in make_model and in accuracy (the notebook's own model).
"""

from __future__ import annotations

from tests.catalogue import Case

SETUP = '''import numpy as np
import torch
from torch import nn
data = np.load("./data/digits_train.npz")
X = torch.from_numpy(data["X_train"])
y = torch.from_numpy(data["y_train"])'''

MAKE = '''
def make_model(hidden=64):
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))
'''

TRAIN = '''
def train(model, X, y, epochs=30, lr=0.1, batch_size=64):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = []
    for epoch in range(epochs):
        order = torch.randperm(len(X))
        total, batches = 0.0, 0
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[rows]), y[rows])
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
        history.append(total / batches)
    return history
'''

PREDICT = '''
def predict(model, X):
    with torch.no_grad():
        return model(X).argmax(dim=1)
'''

FIT = '''
torch.manual_seed(1)
model = make_model(64)
losses = train(model, X, y, epochs=20, lr=0.5)
'''

RIGHT = [SETUP, MAKE, TRAIN, PREDICT, FIT]


def variant(index: int, old: str, new: str) -> list[str]:
    """The right solution with one edit in one cell (the edit must apply)."""
    cells = list(RIGHT)
    assert old in cells[index], old
    cells[index] = cells[index].replace(old, new)
    return cells


CASES = [
    Case("correct", RIGHT),
    Case("empty", [SETUP], expected={"make_model": 0, "train": 0, "predict": 0, "accuracy": 0},
         messages={"make_model": "make_model", "accuracy": "нет переменной `model`"}),
    # make_model
    Case("make_model_softmax", variant(1, "nn.Linear(hidden, 10))", "nn.Linear(hidden, 10), nn.Softmax(dim=1))"),
         # softmax before the cross-entropy still learns, worse: 341 of 359, 0.9499 (a share of the points)
         expected={"make_model": 0, "accuracy": 6 * (341 / 359 - 0.80) / 0.15},
         messages={"make_model": "без softmax в конце", "accuracy": "это 99.9% баллов"}),
    Case("make_model_wrong_default", variant(1, "def make_model(hidden=64)", "def make_model(hidden=32)"),
         expected={"make_model": 2 * 2 / 3},
         messages={"make_model": "ожидались Linear(64, 64), ReLU, Linear(64, 10)"}),
    Case("make_model_no_relu", variant(1, "nn.ReLU(), ", ""),
         expected={"make_model": 2 * 1 / 3},
         messages={"make_model": "между слоями нет ReLU"}),
    Case("make_model_own_class_functional_relu", [SETUP, '''
class Net(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def make_model(hidden=64):
    return Net(hidden)
''', *RIGHT[2:]]),
    Case("make_model_sigmoid", variant(1, "nn.ReLU()", "nn.Sigmoid()"),
         expected={"make_model": 0, "accuracy": "full"},
         messages={"make_model": "Sigmoid"}),
    Case("make_model_fixed_hidden", variant(1, "nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)",
                                            "nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)"),
         expected={"make_model": 0},
         messages={"make_model": "ожидались Linear(64, 32)"}),
    # train
    Case("train_no_zero_grad", variant(2, "            optimizer.zero_grad()\n", ""),
         expected={"train": 0, "accuracy": 0},
         messages={"train": "градиенты не обнуляются"}),
    Case("train_full_batch", variant(2, "range(0, len(X), batch_size)", "range(0, len(X), len(X))").copy(),
         expected={"train": 4 * 3 / 5, "accuracy": 0},
         messages={"train": "за эпоху делается один шаг"}),
    Case("train_full_batch_input", variant(2, "range(0, len(X), batch_size)", "range(0, len(X), len(X))").copy(),
         expected={"train": 4 * 3 / 5, "accuracy": 0}, messages={"train": (
             "`train(model, X[:1].repeat(64, 1), y[:1].repeat(64), epochs=2, lr=0.1, batch_size=16)` вернула "
             "неверные значения.\n  вход:      {'X.shape': (64, 64), 'y.shape': (64,)}")}),
    Case("train_last_batch_loss", variant(2, "history.append(total / batches)", "history.append(loss.item())"),
         expected={"train": 4 * 4 / 5},
         messages={"train": "потеря последнего батча"}),
    Case("train_adam", variant(2, "torch.optim.SGD(", "torch.optim.Adam("),
         # the step-by-step checks fail (the hint names Adam); at lr=0.2 Adam still learns the
         # digits, so "the loss falls and the model learns" and the form check pay (2 of 5 shares);
         # the notebook's own model, trained by Adam at lr=0.5, diverges
         expected={"train": 4 * 2 / 5, "accuracy": 0},
         messages={"train": "это шаг Adam"}),
    Case("train_softmax_before_loss", variant(2, "loss_fn(model(X[rows]), y[rows])",
                                              "loss_fn(torch.softmax(model(X[rows]), dim=1), y[rows])"),
         # every value check fails (the hint says why), and so the form check does not pay;
         # the notebook's own model still learns, worse (as make_model_softmax's)
         expected={"train": 0, "accuracy": 6 * (341 / 359 - 0.80) / 0.15},
         messages={"train": "сама применяет log-softmax"}),
    Case("train_sums_tensors", variant(2, "total += loss.item()", "total += loss"),
         expected={"train": 4 * 4 / 5},
         messages={"train": "записывайте loss.item()"}),
    # predict
    Case("predict_dim0", variant(3, "argmax(dim=1)", "argmax(dim=0)"),
         expected={"predict": 0},
         messages={"predict": "argmax взят по строкам"}),
    # a call as code a student can run, its large inputs by their shapes (no "X (40, 64)" or "X (64 copies ...)")
    Case("predict_dim0_input", variant(3, "argmax(dim=1)", "argmax(dim=0)"),
         expected={"predict": 0}, messages={"predict": (
             "`predict(model, torch.zeros(5, 64))` должна вернуть тензор int64 формы (5,)")}),
    Case("predict_with_grad", variant(3, "    with torch.no_grad():\n        return model(X).argmax(dim=1)",
                                      "    return model(X).argmax(dim=1).float()"),
         expected={"predict": 2 * 2 / 3},
         messages={"predict": "тензор int64 формы (5,)"}),
    # accuracy
    Case("model_untrained", variant(4, "losses = train(model, X, y, epochs=20, lr=0.5)\n", ""),
         expected={"accuracy": 0}, messages={"accuracy": "скрытых примерах"}),
    Case("model_trained_on_shuffled_labels", variant(4, "train(model, X, y,", "train(model, X, y[torch.randperm(len(y))],"),
         expected={"accuracy": 0}, messages={"accuracy": "скрытых примерах"}),
    Case("model_trained_briefly", variant(4, "epochs=20, lr=0.5", "epochs=2, lr=0.1"),
         expected={"accuracy": 0}, messages={"accuracy": "скрытых примерах"}),
    Case("no_model", RIGHT[:4], expected={"accuracy": 0}, messages={"accuracy": "нет переменной `model`"}),
    # no credit for nothing
    Case("returns_zeros", [SETUP, MAKE, '''
def train(model, X, y, epochs=30, lr=0.1, batch_size=64):
    return [0.0] * epochs
''', '''
def predict(model, X):
    return torch.zeros(len(X), dtype=torch.int64)
''', FIT], expected={"train": 0, "predict": 0, "accuracy": 0},
         messages={"predict": "вычисляет верно хотя бы какие-то значения"}),
    # broken notebooks
    Case("cell_raises", RIGHT[:4] + ["model = make_model(64)\nmodel.fit(X, y)"],
         expected={"accuracy": 0}, messages={"errors": "AttributeError", "accuracy": (
             "Ячейка 6, где используется `model`, выбросила AttributeError: 'Sequential' object has no attribute "
             "'fit'. Поэтому `model` оценена в том виде, в каком её оставила эта ячейка")}),
    # the training cell raised: the accuracy points to it and its error, not to "train longer"
    Case("train_float64_input", variant(0, 'X = torch.from_numpy(data["X_train"])',
                                        'X = torch.tensor(data["X_train"], dtype=torch.float64)'),
         expected={"accuracy": 0}, messages={"accuracy": (
             "Ячейка 6, где используется `model`, выбросила RuntimeError: mat1 and mat2 must have the same dtype, "
             "but got Double and Float. В вычислении смешаны тензоры float64")}),
    Case("model_for_other_inputs", variant(1, "nn.Linear(64, hidden)", "nn.Linear(784, hidden)"),
         expected={"make_model": 0, "accuracy": 0}, messages={"accuracy": (
             "`model(X_test)` на скрытых входах (X_test: {'X_test.shape': (359, 64)}, float32, как данные блокнота) "
             "выбросила RuntimeError: mat1 and mat2 shapes cannot be multiplied (359x64 and 784x64). Ячейка 6")}),
]
