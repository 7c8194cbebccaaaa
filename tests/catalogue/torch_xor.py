"""Submissions of `torch_xor`: right, typically wrong, broken; with expected scores.

Points (grading_config.yaml): XorNet 4, train_model 6, predict 3. Check weights, the
public examples weighing 1: XorNet 1+1+2+1 (names, sizes, forward, public),
train_model 1.5+1.5+1+1+1 (losses, parameters, floats, learns, public: 1 point per unit), predict 1+1+1+1
(threshold, type, XOR labels, public). The hidden checks of train_model and predict
run on a network built from torch's own layers, so a wrong XorNet costs points only
in XorNet and in the public examples (which use the student's class).
"""

from __future__ import annotations

from tests.catalogue import Case

SETUP = "import numpy as np\nimport torch\nfrom torch import nn"

XORNET = '''
class XorNet(nn.Module):
    def __init__(self, hidden=4):
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, x):
        return torch.sigmoid(self.fc2(torch.tanh(self.fc1(x))))
'''

TRAIN = '''
def train_model(model, X, y, epochs=1000, lr=0.5):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.BCELoss()
    losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        y_pred = model(X)
        loss = loss_fn(y_pred, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''

PREDICT = '''
def predict(model, X):
    with torch.no_grad():
        probs = model(X)
    return (probs >= 0.5).float()
'''

RIGHT = [SETUP, XORNET, TRAIN, PREDICT]


def variant(index: int, old: str, new: str) -> list[str]:
    """The right solution with one edit in one cell (the edit must apply)."""
    cells = list(RIGHT)
    assert old in cells[index], old
    cells[index] = cells[index].replace(old, new)
    return cells


def predict_cell(body: str) -> list[str]:
    return RIGHT[:3] + [f"\ndef predict(model, X):\n{body}"]


FORWARD_LINE = "return torch.sigmoid(self.fc2(torch.tanh(self.fc1(x))))"

CASES = [
    Case("correct", RIGHT),
    Case("empty", [SETUP], expected={"XorNet": 0, "train_model": 0, "predict": 0},
         messages={"XorNet": "XorNet", "predict": "predict"}),
    # XorNet
    Case("xornet_relu", variant(1, FORWARD_LINE, "return torch.sigmoid(self.fc2(torch.relu(self.fc1(x))))"),
         expected={"XorNet": 4 * 2 / 5, "train_model": 5.0, "predict": 3 * 3 / 4},
         messages={"XorNet": "на скрытом слое ReLU"}),
    Case("xornet_no_output_sigmoid", variant(1, FORWARD_LINE, "return self.fc2(torch.tanh(self.fc1(x)))"),
         expected={"XorNet": 4 * 2 / 5, "train_model": 5.0, "predict": 3 * 3 / 4},
         messages={"XorNet": "на выходе нет сигмоиды"}),
    Case("xornet_other_names",
         [SETUP, XORNET.replace("fc1", "hidden_layer").replace("fc2", "output_layer"), TRAIN, PREDICT],
         expected={"XorNet": 4 * 3 / 5, "train_model": 5.0, "predict": 3 * 3 / 4},
         messages={"XorNet": "назовите слои self.fc1"}),
    Case("xornet_ignores_hidden", variant(1, "nn.Linear(2, hidden)\n        self.fc2 = nn.Linear(hidden, 1)",
                                          "nn.Linear(2, 4)\n        self.fc2 = nn.Linear(4, 1)"),
         expected={"XorNet": 4 * 3 / 5, "train_model": 5.0},
         messages={"XorNet": "по умолчанию hidden=4"}),
    # train_model
    Case("train_no_zero_grad", variant(2, "        optimizer.zero_grad()\n", ""),
         expected={"train_model": 2.0},
         messages={"train_model": "градиенты накапливаются"}),
    Case("train_adam", variant(2, "torch.optim.SGD(", "torch.optim.Adam("),
         expected={"train_model": 2.0},
         messages={"train_model": "это шаг Adam"}),
    Case("train_loss_after_step", variant(2, "        losses.append(loss.item())\n",
                                          "        losses.append(loss_fn(model(X), y).item())\n"),
         expected={"train_model": 3.5},
         messages={"train_model": "потеря берётся после обновления"}),
    Case("train_no_step", variant(2, "        optimizer.step()\n", ""),
         expected={"train_model": 0.0},
         messages={"train_model": "параметры модели не изменились"}),
    Case("train_returns_tensors", variant(2, "losses.append(loss.item())", "losses.append(loss)"),
         expected={"train_model": 4.0},
         messages={"train_model": "добавляйте loss.item()"}),
    Case("train_mse", variant(2, "nn.BCELoss()", "nn.MSELoss()"),
         expected={"train_model": 2.0},
         messages={"train_model": "функция потерь MSE"}),
    # predict
    Case("predict_round", predict_cell("    return torch.round(model(X))\n"),
         expected={"predict": 3 * 2 / 4},
         messages={"predict": "torch.round округляет 0.5 вниз"}),
    Case("predict_threshold_zero", variant(3, "probs >= 0.5", "probs > 0"),
         expected={"predict": 0.0},
         messages={"predict": "порог должен быть 0.5, а не 0"}),
    Case("predict_threshold_04", variant(3, "probs >= 0.5", "probs >= 0.4"),
         expected={"predict": 3 * 2 / 4},
         messages={"predict": "порог равен 0.4"}),
    Case("predict_without_no_grad", predict_cell(
        "    out = model(X)\n    out[out >= 0.5] = 1.0\n    out[out < 0.5] = 0.0\n    return out\n"),
         expected={"predict": 3 * 3 / 4},
         messages={"predict": "with torch.no_grad()"}),
    Case("predict_bool", variant(3, "return (probs >= 0.5).float()", "return probs >= 0.5"),
         expected={"predict": 3 * 2 / 4},
         messages={"predict": ".float()"}),
    # no credit for nothing. XorNet's layer names and sizes are what its __init__ computes,
    # so a right __init__ keeps them when forward returns zeros.
    Case("returns_zeros", [SETUP, XORNET.replace(FORWARD_LINE, "return torch.zeros(len(x), 1)"), """
def train_model(model, X, y, epochs=1000, lr=0.5):
    return [0.0] * epochs
""", """
def predict(model, X):
    return torch.zeros(len(X), 1)
"""], expected={"XorNet": 4 * 2 / 5, "train_model": 0, "predict": 0},
         messages={"predict": "вычисляет верно хотя бы какие-то значения"}),
    Case("returns_constants", [SETUP, XORNET, """
def train_model(model, X, y, epochs=1000, lr=0.5):
    return [0.5] * epochs
""", """
def predict(model, X):
    return torch.ones(len(X), 1)
"""], expected={"train_model": 0, "predict": 0},
         messages={"train_model": "вычисляет верно хотя бы какие-то значения"}),
    # broken notebooks
    Case("cell_raises", RIGHT[:2] + ["model = XorNet()\nmodel.fit(X, y)"] + RIGHT[2:],
         messages={"errors": "AttributeError"}),
    Case("predict_loops_forever", predict_cell(
        "    with torch.no_grad():\n        out = model(X)\n    result = torch.zeros_like(out)\n    i = 0\n"
        "    while i < len(out):\n        if out[i] >= 0.5:\n            result[i] = 1.0\n            i += 1\n"
        "    return result\n"),
         expected={"predict": 0}, messages={"predict": "бесконечного цикла"}),
    Case("missing_xornet", [SETUP, TRAIN, PREDICT],
         expected={"XorNet": 0, "train_model": 5.0, "predict": 3 * 3 / 4},
         messages={"XorNet": "XorNet"}),
]
