"""Submissions of `neuron`: the perceptron as a class, right, wrong in the usual ways, and
in the course's own shape (pandas, the data file, placeholders, Colab calls).

Points and check weights (public examples weigh 1):
Loss 2 (public 1 + random 2 + shapes 1 + number 1: 0.4 per unit),
activate 2 (public 1 + random 2 + boundary 1 + number 1 + input 1: 1/3 per unit),
forward_pass 3 (public 1 + random 2 + shape 1 + own activate 1: 0.6 per unit),
backward_pass 4 (public 1 + state 2 + None 1 + flat y 1 + given y_pred 1 + default 1: 4/7 per unit),
fit 5 (public 1 + zeros 1 + own loop 2 + losses 1 + final state 1 + default 1: 5/7 per unit).
A method that others call (activate, forward_pass, backward_pass, Loss) breaks fit too
when it is wrong, as in real notebooks; the expected scores say how far.
"""

from __future__ import annotations

import textwrap

from tests.catalogue import Case

IMPORTS = "import numpy as np\nimport pandas as pd"
DATA = ('data = pd.read_csv("./data/apples_pears.csv")\n'
        'X = data[["symmetry", "yellowness"]].values\n'
        'y = data["target"].values.reshape((-1, 1))\n')
TRAIN = "perceptron = Perceptron()\nlosses = perceptron.fit(X, y)\naccuracy = float((perceptron.forward_pass(X) == y).mean())\n"

LOSS = """
    def Loss(y_pred, y):
        y_pred = y_pred.reshape(-1, 1)
        y = np.array(y).reshape(-1, 1)
        return 0.5 * np.mean((y_pred - y) ** 2)
"""

METHODS = {
    "init": """
        def __init__(self, w=None, b=0):
            self.w = w
            self.b = b
    """,
    "activate": """
        def activate(self, x):
            return np.array(x > 0, dtype=np.int64)
    """,
    "forward_pass": """
        def forward_pass(self, X):
            n = X.shape[0]
            y_pred = np.zeros((n, 1))
            y_pred = self.activate(X @ self.w + self.b)
            return y_pred
    """,
    "backward_pass": """
        def backward_pass(self, X, y, y_pred, learning_rate=0.005):
            n = len(y)
            y = np.array(y).reshape(-1, 1)
            self.w = self.w - learning_rate * (X.T @ (y_pred - y) / n)
            self.b = self.b - learning_rate * np.mean(y_pred - y)
    """,
    "fit": """
        def fit(self, X, y, num_epochs=300):
            self.w = np.zeros((X.shape[1], 1))
            self.b = 0
            Loss_values = []
            for i in range(num_epochs):
                y_pred = self.forward_pass(X)
                Loss_values.append(Loss(y_pred, y))
                self.backward_pass(X, y, y_pred)
            return Loss_values
    """,
}

ALL = ("Loss", "Perceptron.activate", "Perceptron.forward_pass", "Perceptron.backward_pass", "Perceptron.fit")


def code(source: str) -> str:
    return textwrap.dedent(source).strip() + "\n"


def perceptron_class(**wrong: str) -> str:
    methods = [textwrap.indent(code(wrong.get(name, source)), "    ") for name, source in METHODS.items()]
    return "class Perceptron:\n" + "\n".join(methods)


def notebook(*, loss: str = LOSS, data: bool = False, after: tuple[str, ...] = (), **wrong: str) -> list[str]:
    cells = [IMPORTS] + ([DATA] if data else []) + [code(loss), perceptron_class(**wrong)]
    return cells + [code(c) for c in after]


def zero(*questions: str) -> dict[str, float]:
    return dict.fromkeys(questions, 0.0)


U_LOSS, U_ACT, U_FWD, U_BWD, U_FIT = 0.4, 1 / 3, 0.6, 4 / 7, 5 / 7

CASES: list[Case] = [
    Case("correct", notebook()),
    Case("correct_course_notebook", [IMPORTS, DATA, code(LOSS), perceptron_class(), TRAIN,
                                     "print('accuracy', accuracy)"],
         messages={}),
    Case("correct_other_style", [IMPORTS, code("""
            def Loss(y_pred, y):
                d = np.asarray(y_pred, dtype=float).ravel() - np.asarray(y, dtype=float).ravel()
                return float((d ** 2).sum() / (2 * len(d)))
        """), code("""
            class Perceptron:
                def __init__(self, w=None, b=0):
                    self.w, self.b = w, b

                @staticmethod
                def activate(x):
                    return np.where(np.asarray(x) > 0, 1.0, 0.0)

                def forward_pass(self, X):
                    return self.activate(np.dot(X, self.w.reshape(-1, 1)) + self.b)

                def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                    y = np.reshape(y, (-1, 1))
                    error = y_pred - y
                    self.w -= learning_rate / len(X) * X.T.dot(error)
                    self.b -= learning_rate * error.mean()

                def fit(self, X, y, num_epochs=300):
                    self.w, self.b = np.zeros((X.shape[1], 1)), 0.0
                    history = []
                    for _ in range(num_epochs):
                        prediction = self.forward_pass(X)
                        history.append(Loss(prediction, y))
                        self.backward_pass(X, y, prediction)
                    return history
        """)]),
    # ---- Loss ---------------------------------------------------------------------
    Case("loss_sum_not_mean", notebook(loss="""
            def Loss(y_pred, y):
                y_pred = y_pred.reshape(-1, 1)
                y = np.array(y).reshape(-1, 1)
                return 0.5 * np.sum((y_pred - y) ** 2)
        """), expected={"Loss": 0.0, "Perceptron.fit": 4 * U_FIT},
         messages={"Loss": ("нужно среднее, np.mean(...), а не np.sum(...)",
                  "`Loss(y_pred, y)` вернула неверные значения.\n  вход:      {'y_pred.shape': (7, 1), 'y.shape': (7, 1)}")}),
    Case("loss_without_half", notebook(loss="""
            def Loss(y_pred, y):
                return np.mean((y_pred.reshape(-1, 1) - np.array(y).reshape(-1, 1)) ** 2)
        """), expected={"Loss": 0.0, "Perceptron.fit": 4 * U_FIT},
         messages={"Loss": "Пропущен множитель 1/2"}),
    Case("loss_no_reshape", notebook(loss="""
            def Loss(y_pred, y):
                return 0.5 * np.mean((y_pred - y) ** 2)
        """), expected={"Loss": 3 * U_LOSS},
         messages={"Loss": "y_pred - y превратилось в матрицу (n, n)"}),
    Case("loss_as_matrix_product", notebook(loss="""
            def Loss(y_pred, y):
                d = y_pred.reshape(-1, 1) - np.array(y).reshape(-1, 1)
                return 0.5 * d.T @ d / len(d)
        """), expected={"Loss": 3 * U_LOSS, "Perceptron.fit": 6 * U_FIT},
         messages={"Loss": "а функция потерь — одно число"}),
    # ---- activate -----------------------------------------------------------------
    Case("activate_greater_or_equal", notebook(activate="""
            def activate(self, x):
                return np.array(x >= 0, dtype=np.int64)
        """), expected={"Perceptron.activate": 0.0},
         messages={"Perceptron.activate": "activate(0) равно 0 (не >=)"}),
    Case("activate_masks_a_copy", notebook(activate="""
            def activate(self, x):
                x = x.copy()
                x[x > 0] = 1
                x[x <= 0] = 0
                return x
        """), expected={"Perceptron.activate": 4 * U_ACT},
         messages={"Perceptron.activate": "x может быть и одним числом"}),
    Case("activate_in_place", notebook(activate="""
            def activate(self, x):
                x[x > 0] = 1
                x[x <= 0] = 0
                return x
        """), expected={"Perceptron.activate": 3 * U_ACT},
         messages={"Perceptron.activate": "изменила сам x"}),
    Case("activate_sign", notebook(activate="""
            def activate(self, x):
                return np.sign(x)
        """), expected={"Perceptron.activate": 0.0, "Perceptron.forward_pass": 2 * U_FWD, "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.activate": "ответы 0 и 1, без -1"}),
    # ---- forward_pass -------------------------------------------------------------
    Case("forward_without_bias", notebook(forward_pass="""
            def forward_pass(self, X):
                return self.activate(X @ self.w)
        """), expected={"Perceptron.forward_pass": 0.0, "Perceptron.fit": 4 * U_FIT},
         messages={"Perceptron.forward_pass": "Пропущено смещение"}),
    Case("forward_flattened", notebook(forward_pass="""
            def forward_pass(self, X):
                return self.activate(X @ self.w + self.b).ravel()
        """), expected={"Perceptron.forward_pass": 3 * U_FWD, "Perceptron.fit": 0.0},
         messages={"Perceptron.forward_pass": "а нужна (1, 1): по ответу на объект"}),
    # ---- backward_pass ------------------------------------------------------------
    Case("backward_sign_error", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                n = len(y)
                y = np.array(y).reshape(-1, 1)
                self.w = self.w + learning_rate * (X.T @ (y_pred - y) / n)
                self.b = self.b + learning_rate * np.mean(y_pred - y)
        """), expected={"Perceptron.backward_pass": 0.0, "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.backward_pass": ("Неверный знак обновления",
                  "`Perceptron(w, b).backward_pass(X, y, y_pred, learning_rate=0.1): self.w` вернула неверные значения.\n"
                  "  вход:      {'X.shape': (20, 2), 'y.shape': (20, 1), 'y_pred.shape': (20, 1), 'w.shape': (2, 1), 'b': ")}),
    Case("backward_forgets_n", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                y = np.array(y).reshape(-1, 1)
                self.w = self.w - learning_rate * (X.T @ (y_pred - y))
                self.b = self.b - learning_rate * np.mean(y_pred - y)
        """), expected={"Perceptron.backward_pass": 0.0, "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.backward_pass": "не поделён на n"}),
    Case("backward_returns_new_weights", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                n = len(y)
                y = np.array(y).reshape(-1, 1)
                w = self.w - learning_rate * (X.T @ (y_pred - y) / n)
                b = self.b - learning_rate * np.mean(y_pred - y)
                return w, b
        """), expected={"Perceptron.backward_pass": 0.0, "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.backward_pass": "должен менять сам перцептрон"}),
    Case("backward_updates_and_returns", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                n = len(y)
                y = np.array(y).reshape(-1, 1)
                self.w = self.w - learning_rate * (X.T @ (y_pred - y) / n)
                self.b = self.b - learning_rate * np.mean(y_pred - y)
                return self.w
        """), expected={"Perceptron.backward_pass": 5 * U_BWD},
         messages={"Perceptron.backward_pass": "уберите return"}),
    Case("backward_without_reshape", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                n = len(y)
                self.w = self.w - learning_rate * (X.T @ (y_pred - y) / n)
                self.b = self.b - learning_rate * np.mean(y_pred - y)
        """), expected={"Perceptron.backward_pass": 5 * U_BWD, "Perceptron.fit": 6 * U_FIT},
         messages={"Perceptron.backward_pass": "сначала приведите y к столбцу"}),
    Case("backward_recomputes_prediction", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                n = len(y)
                y = np.array(y).reshape(-1, 1)
                y_pred = self.forward_pass(X)
                self.w = self.w - learning_rate * (X.T @ (y_pred - y) / n)
                self.b = self.b - learning_rate * np.mean(y_pred - y)
        """), expected={"Perceptron.backward_pass": 5 * U_BWD},
         messages={"Perceptron.backward_pass": "должен использовать переданный y_pred"}),
    Case("backward_other_default_rate", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.01):
                n = len(y)
                y = np.array(y).reshape(-1, 1)
                self.w = self.w - learning_rate * (X.T @ (y_pred - y) / n)
                self.b = self.b - learning_rate * np.mean(y_pred - y)
        """), expected={"Perceptron.backward_pass": 5 * U_BWD, "Perceptron.fit": 4 * U_FIT},
         messages={"Perceptron.backward_pass": "learning_rate=0.005"}),
    # ---- fit ----------------------------------------------------------------------
    Case("fit_keeps_old_weights", notebook(fit="""
            def fit(self, X, y, num_epochs=300):
                if self.w is None:
                    self.w = np.zeros((X.shape[1], 1))
                Loss_values = []
                for i in range(num_epochs):
                    y_pred = self.forward_pass(X)
                    Loss_values.append(Loss(y_pred, y))
                    self.backward_pass(X, y, y_pred)
                return Loss_values
        """), expected={"Perceptron.fit": 2 * U_FIT},
         messages={"Perceptron.fit": ("fit должен начинать с нуля",
                  "`Perceptron(w=np.array([[0.5], [0.5]]), b=0.25).fit(X[500:], y[500:], num_epochs=40): self.w` вернула "
             "неверные значения.\n  вход:      {'X.shape': (500, 2), 'y.shape': (500, 1)}")}),
    Case("fit_loss_after_update", notebook(fit="""
            def fit(self, X, y, num_epochs=300):
                self.w = np.zeros((X.shape[1], 1))
                self.b = 0
                Loss_values = []
                for i in range(num_epochs):
                    self.backward_pass(X, y, self.forward_pass(X))
                    Loss_values.append(Loss(self.forward_pass(X), y))
                return Loss_values
        """), expected={"Perceptron.fit": 2 * U_FIT},
         messages={"Perceptron.fit": "Функция потерь записана после обновления весов"}),
    Case("fit_default_epochs_100", notebook(fit="""
            def fit(self, X, y, num_epochs=100):
                self.w = np.zeros((X.shape[1], 1))
                self.b = 0
                Loss_values = []
                for i in range(num_epochs):
                    y_pred = self.forward_pass(X)
                    Loss_values.append(Loss(y_pred, y))
                    self.backward_pass(X, y, y_pred)
                return Loss_values
        """), expected={"Perceptron.fit": 6 * U_FIT},
         messages={"Perceptron.fit": "по умолчанию fit делает num_epochs=300"}),
    Case("fit_forgets_return", notebook(fit="""
            def fit(self, X, y, num_epochs=300):
                self.w = np.zeros((X.shape[1], 1))
                self.b = 0
                for i in range(num_epochs):
                    y_pred = self.forward_pass(X)
                    self.backward_pass(X, y, y_pred)
        """), expected={"Perceptron.fit": U_FIT},
         messages={"Perceptron.fit": "а должна вернуть список из"}),
    # ---- no credit for nothing: each method returning zeros or a constant, the rest right
    Case("loss_returns_zero", notebook(loss="""
            def Loss(y_pred, y):
                return 0.0
        """), expected={"Loss": 0.0, "Perceptron.fit": 4 * U_FIT},
         messages={"Loss": "вычисляет верно хотя бы какие-то значения"}),
    Case("loss_returns_a_constant", notebook(loss="""
            def Loss(y_pred, y):
                return 0.25
        """), expected={"Loss": 0.0, "Perceptron.fit": 4 * U_FIT},
         messages={"Loss": "вычисляет верно хотя бы какие-то значения"}),
    Case("activate_returns_zeros", notebook(activate="""
            def activate(self, x):
                return np.zeros(np.shape(x), dtype=np.int64)
        """), expected={"Perceptron.activate": 0.0, "Perceptron.forward_pass": 2 * U_FWD, "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.activate": "вычисляет верно хотя бы какие-то значения"}),
    Case("forward_returns_zeros", notebook(forward_pass="""
            def forward_pass(self, X):
                return np.zeros((len(X), 1))
        """), expected={"Perceptron.forward_pass": 0.0, "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.forward_pass": "вычисляет верно хотя бы какие-то значения"}),
    Case("forward_returns_ones", notebook(forward_pass="""
            def forward_pass(self, X):
                return np.ones((len(X), 1))
        """), expected={"Perceptron.forward_pass": 0.0, "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.forward_pass": "вычисляет верно хотя бы какие-то значения"}),
    # an empty body is a stub, not done yet (fit, which calls it, cannot run either)
    Case("backward_does_nothing", notebook(backward_pass="""
            def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                pass
        """), expected={"Perceptron.backward_pass": 0.0, "Perceptron.fit": 0.0},
         messages={"Perceptron.backward_pass": "`Perceptron.backward_pass` ещё не реализована",
                   "Perceptron.fit": "`backward_pass` ещё не реализована"}),  # fit is done: what it calls is not
    Case("forward_pass_left_as_pass", notebook(forward_pass="""
            def forward_pass(self, X):
                pass
        """), expected={"Perceptron.forward_pass": 0.0, "Perceptron.fit": 0.0},
         messages={"Perceptron.forward_pass": "`Perceptron.forward_pass` ещё не реализована",
                   "Perceptron.fit": "`forward_pass` ещё не реализована"}),
    Case("fit_returns_zeros", notebook(fit="""
            def fit(self, X, y, num_epochs=300):
                self.w = np.zeros((X.shape[1], 1))
                self.b = 0
                return [0.0] * num_epochs
        """), expected={"Perceptron.fit": 0.0},
         messages={"Perceptron.fit": "вычисляет верно хотя бы какие-то значения"}),
    # ---- the course's own notebooks: blanks, Colab, no class ----------------------
    Case("untouched_course_blanks", [IMPORTS, DATA, code("""
            def Loss(y_pred, y):
                # Ваш код здесь
        """), code("""
            class Perceptron:
                def __init__(self, w=None, b=0):
                    self.w = w
                    self.b = b

                def activate(self, x):
                    return <Ваш код здесь>

                def forward_pass(self, X):
                    n = X.shape[0]
                    y_pred = np.zeros((n, 1))
                    y_pred = <Ваш код здесь>
                    return y_pred

                def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                    n = len(y)
                    y = np.array(y).reshape(-1, 1)
                    self.w = <Ваш код здесь>
                    self.b = <Ваш код здесь>

                def fit(self, X, y, num_epochs=300):
                    # Ваш код здесь
        """), TRAIN],
         expected=zero(*ALL),
         messages={"Loss": "`Loss` ещё не реализована", "Perceptron.activate": "`Perceptron.activate` ещё не реализована",
                   "Perceptron.fit": "`Perceptron.fit` ещё не реализована",
                   "errors": "Ячейка 6 ещё не готова"}),
    Case("half_done_with_blanks_and_colab", [
        "from google.colab import drive\ndrive.mount('/content/drive')\n" + IMPORTS, DATA, code(LOSS), code("""
            class Perceptron:
                def __init__(self, w=None, b=0):
                    self.w = w
                    self.b = b

                def activate(self, x):
                    return np.array(x > 0, dtype=np.int64)

                def forward_pass(self, X):
                    return self.activate(X @ self.w + self.b)

                def backward_pass(self, X, y, y_pred, learning_rate=0.005):
                    n = len(y)
                    y = np.array(y).reshape(-1, 1)
                    self.w = <Ваш код здесь>
                    self.b = <Ваш код здесь>

                def fit(self, X, y, num_epochs=300):
                    self.w = np.zeros((X.shape[1], 1))
                    self.b = 0
                    Loss_values = []
                    for i in range(num_epochs):
                        y_pred = self.forward_pass(X)
                        Loss_values.append(Loss(y_pred, y))
                        self.backward_pass(X, y, y_pred)
                    return Loss_values
        """), TRAIN],
         expected={"Perceptron.backward_pass": 0.0, "Perceptron.fit": 0.0},
         messages={"Perceptron.backward_pass": "`Perceptron.backward_pass` ещё не реализована",
                   "errors": "Ячейка 6 ещё не готова"}),
    Case("functions_instead_of_a_class", [IMPORTS, code(LOSS), code("""
            def activate(x):
                return np.array(x > 0, dtype=np.int64)

            def forward_pass(X, w, b):
                return activate(X @ w + b)
        """)],
         expected=zero(*ALL[1:]),
         messages={"Perceptron.activate": "Имя `Perceptron` не определено. Ни одна ячейка блокнота его не определяет: определите класс"}),
    Case("init_loses_the_weights", notebook(init="""
            def __init__(self, w=None, b=0):
                self.w = None
                self.b = 0
        """), expected={"Perceptron.forward_pass": 0.0, "Perceptron.backward_pass": 0.0,
                        "Perceptron.fit": 3 * U_FIT},
         messages={"Perceptron.forward_pass": "верните `self.w = w` и `self.b = b`"}),
]
