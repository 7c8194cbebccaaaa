"""`autograder new NAME --from BLANK SOLUTION`: the course's own seminar and homework
notebooks (tests/files/course_pairs, made by its generate.py in Colab's export shape)
become an assignment; what it cannot know, it refuses to grade without."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from autograder.assign import strip_solutions
from autograder.scaffold.config_text import add_assignment
from autograder.scaffold.regions import Blanks, cell_regions
from tests.helpers import run_cli

PAIRS = Path(__file__).resolve().parent / "files" / "course_pairs"
SEMINAR = PAIRS / "perceptron" / "[seminar]perceptron.ipynb"
SEMINAR_SOLUTION = PAIRS / "perceptron" / "[sem_solution]perceptron.ipynb"
HOMEWORK = PAIRS / "activations" / "[homework] функции активации.ipynb"
HOMEWORK_SOLUTION = PAIRS / "activations" / "[hw_solution] функции активации.ipynb"


def student_version(master: str) -> str:
    return strip_solutions(master, "cell", 'raise NotImplementedError("stub")')


# ---- one cell: where the regions go ---------------------------------------------------


@pytest.mark.parametrize("blank_body", [
    "    return <Ваш код здесь>",
    "    # Ваш код здесь",
    "    # Ваш код здесь\n    pass",
    "    ...",
    "    raise NotImplementedError",
    "    raise NotImplementedError('сделайте это')",
])
def test_each_placeholder_of_the_course_becomes_one_region(blank_body: str) -> None:
    blank = f"def sigmoid(x):\n    \"\"\"Сигмоида.\"\"\"\n{blank_body}\n\nprint('готово')"
    solution = "def sigmoid(x):\n    \"\"\"Сигмоида.\"\"\"\n    x = np.asarray(x)\n    return 1 / (1 + np.exp(-x))\n\nprint('готово')"
    made = cell_regions(blank, solution, True, Blanks())
    assert made.source == ("def sigmoid(x):\n    \"\"\"Сигмоида.\"\"\"\n    ### BEGIN SOLUTION\n    x = np.asarray(x)\n"
                           "    return 1 / (1 + np.exp(-x))\n    ### END SOLUTION\n\nprint('готово')")
    assert made.notes == []
    ast.parse(student_version(made.source))


def test_a_region_takes_whole_statements_and_keeps_the_blanks_hints() -> None:
    blank = ("def f(x):\n    total = 0\n    for v in x:\n        # подсказка: прибавляйте v ** 2\n"
             "        <Ваш код здесь>\n    return total")
    solution = ("def f(x):\n    total = 0\n    for v in x:\n        total = (total +\n"
                "                 v ** 2)\n    return total")
    made = cell_regions(blank, solution, True, Blanks())
    assert "        # подсказка: прибавляйте v ** 2\n        ### BEGIN SOLUTION\n        total = (total +\n" \
           "                 v ** 2)\n        ### END SOLUTION" in made.source
    student = student_version(made.source)
    ast.parse(student)
    assert "подсказка" in student and "v ** 2)" not in student


def test_a_changed_header_takes_its_block() -> None:
    blank = "def g(x):\n    if <Ваш код здесь>:\n        return 1\n    return 0"
    solution = "def g(x):\n    if x > 0:\n        return 1\n    return 0"
    made = cell_regions(blank, solution, True, Blanks())
    assert made.source == ("def g(x):\n    ### BEGIN SOLUTION\n    if x > 0:\n        return 1\n"
                           "    ### END SOLUTION\n    return 0")
    ast.parse(student_version(made.source))


def test_a_markdown_answer_becomes_an_answer_region() -> None:
    made = cell_regions("**Вопрос:** почему?\n\n**Ответ:** <Ваш ответ здесь>",
                        "**Вопрос:** почему?\n\n**Ответ:** потому что.", False, Blanks())
    assert made.source == "**Вопрос:** почему?\n\n### BEGIN SOLUTION\n**Ответ:** потому что.\n### END SOLUTION"
    assert made.notes == []


# ---- a config that is not ours ---------------------------------------------------------


def test_the_entry_goes_into_the_assignments_block_wherever_it_is(tmp_path: Path) -> None:
    config = tmp_path / "grading_config.yaml"
    config.write_text("# my course\nassignments:\n    first:   # week 1\n        questions: {f: 1}\n"
                      "    # second comes later\n\n# the limits\nlimits:\n    cell_timeout_s: 5\n")
    add_assignment(config, "perceptron", "Перцептрон: «класс»", {"Perceptron.fit": 2, "Loss": 1})
    text = config.read_text()
    assert text.startswith("# my course\nassignments:\n    first:   # week 1\n")
    assert "    # second comes later\n    perceptron:\n        title: \"Перцептрон: «класс»\"\n" in text
    assert text.endswith("\n# the limits\nlimits:\n    cell_timeout_s: 5\n")
    loaded = yaml.safe_load(text)
    assert loaded["assignments"]["perceptron"]["questions"] == {"Perceptron.fit": 2, "Loss": 1}
    assert loaded["limits"] == {"cell_timeout_s": 5}


def test_a_flow_style_assignments_block_is_left_to_the_instructor(tmp_path: Path) -> None:
    from autograder.exceptions import ConfigError

    config = tmp_path / "grading_config.yaml"
    config.write_text("assignments: {first: {questions: {f: 1}}}\n")
    with pytest.raises(ConfigError, match="add it by hand|not a block"):
        add_assignment(config, "second", "x", {"g": 1})
    assert config.read_text() == "assignments: {first: {questions: {f: 1}}}\n"


# ---- whole notebooks ---------------------------------------------------------------------


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert run_cli("init", str(tmp_path / "course")) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path / "course"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _grade(course: Path, name: str, out: Path, *notebooks: Path) -> dict[str, dict]:
    code = run_cli("grade", "--course", str(course), "-a", name, *map(str, notebooks), "--out", str(out))
    assert code == 0
    return {nb.stem: json.loads((out / f"{nb.stem}.json").read_text(encoding="utf-8")) for nb in notebooks}


def _wrong_fails_alone(course: Path, name: str, tmp_path: Path, blank: Path, solution: Path,
                       mistake: tuple[str, str]) -> dict:
    """Grade the solution, the blank and the solution with ``mistake`` (old, new) made: full
    marks, nothing, nothing; the wrong one's first failed check."""
    wrong = tmp_path / "wrong.ipynb"
    wrong.write_text(solution.read_text().replace(*mistake))
    results = _grade(course, name, tmp_path / "results", solution, blank, wrong)
    assert results["solution"]["score"] == results["solution"]["max_score"] == 1
    assert results["blank"]["score"] == 0
    assert results["wrong"]["score"] == 0
    return results["wrong"]["questions"][0]["checks"][0]


def test_the_master_of_a_pair_is_the_same_bytes_every_time() -> None:
    from autograder.scaffold.pair import build_master, notebook_of

    made = [notebook_of(build_master(SEMINAR, SEMINAR_SOLUTION, "perceptron", Blanks())[0]) for _ in range(2)]
    assert made[0] == made[1]  # nbformat's own new cells have random ids
    assert json.loads(made[0])["cells"][0]["id"] == "autograder-master-1"


def test_the_fixtures_are_as_colab_exports_them() -> None:
    for path in (SEMINAR, SEMINAR_SOLUTION, HOMEWORK, HOMEWORK_SOLUTION):
        text = path.read_text(encoding="utf-8")
        notebook = json.loads(text)
        assert "\n" not in text and (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 0)
        assert all("id" not in cell for cell in notebook["cells"])
    outputs = [o for c in _cells(SEMINAR_SOLUTION) for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert any(o["output_type"] == "error" for c in _cells(SEMINAR) for o in c.get("outputs", []))


@pytest.mark.slow
def test_homework_pair_becomes_an_assignment_that_grades(course: Path, tmp_path: Path) -> None:
    big = tmp_path / "pair"  # the solution with a plot of several MB saved in it
    big.mkdir()
    solution = json.loads(HOMEWORK_SOLUTION.read_text(encoding="utf-8"))
    for cell in solution["cells"]:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output["data"]["image/png"] *= 60
    heavy = big / HOMEWORK_SOLUTION.name
    heavy.write_text(json.dumps(solution, ensure_ascii=False), encoding="utf-8")
    assert heavy.stat().st_size > 4_000_000
    assert run_cli("new", "activations", "--course", str(course), "--from", str(HOMEWORK), str(heavy)) == 0

    folder = course / "assignments" / "activations"
    config = yaml.safe_load((course / "grading_config.yaml").read_text())
    assert config["assignments"]["activations"] == {
        "title": "Домашнее задание: функции активации",
        "questions": {"sigmoid": 1, "relu": 1, "relu_grad": 1, "softmax": 1}}
    assert (folder / "source.ipynb").stat().st_size < 20_000  # no outputs in the master
    examples = (folder / "examples.py").read_text()
    assert "Example('relu', args=(np.array([-2.0, 0.0, 3.5]),))" in examples
    assert "Example('sigmoid', args=(np.linspace(-3, 3, 7),))" in examples  # through x = np.linspace(...)
    assert "x_data" not in examples  # random data is not an example
    assert "def relu_grad" in (folder / "reference.py").read_text()
    assert "matplotlib  # imported by activations" in (course / "requirements.txt").read_text()

    student = tmp_path / "student"
    assert run_cli("assign", "activations", "--course", str(course), "--out", str(student)) == 0
    results = _grade(course, "activations", tmp_path / "results", HOMEWORK_SOLUTION, HOMEWORK,
                     student / "activations.ipynb")
    solved, blank, assigned = (results[p.stem] for p in (HOMEWORK_SOLUTION, HOMEWORK, student / "activations.ipynb"))
    assert solved["score"] == solved["max_score"] == 4  # the course's own solution, as it is
    assert blank["score"] == 0 and assigned["score"] == 0
    wrong = tmp_path / "wrong.ipynb"
    wrong.write_text(HOMEWORK_SOLUTION.read_text(encoding="utf-8").replace(
        "np.maximum(np.asarray(x, dtype=float), 0.0)", "np.abs(np.asarray(x, dtype=float))"), encoding="utf-8")
    scores = {q["name"]: q["score"] for q in _grade(course, "activations", tmp_path / "r2", wrong)["wrong"]["questions"]}
    assert scores == {"sigmoid": 1, "relu": 0, "relu_grad": 1, "softmax": 1}


@pytest.mark.slow
def test_seminar_pair_with_a_class_pandas_and_data(course: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("new", "perceptron", "--course", str(course), "--from", str(SEMINAR), str(SEMINAR_SOLUTION)) == 0
    said = capsys.readouterr().out
    assert "give the check inputs" not in said and "the solution's run gave the checks their inputs" in said
    folder = course / "assignments" / "perceptron"
    questions = yaml.safe_load((course / "grading_config.yaml").read_text())["assignments"]["perceptron"]["questions"]
    assert list(questions) == ["Loss", "Perceptron.activate", "Perceptron.forward_pass", "Perceptron.backward_pass"]
    assert (folder / "data" / "apples_pears.csv").read_bytes() == (PAIRS / "perceptron" / "data" / "apples_pears.csv").read_bytes()
    requirements = (course / "requirements.txt").read_text()
    assert "pandas  # imported by perceptron" in requirements
    assert "'w', 'b'" in (folder / "checks" / "test_Perceptron_backward_pass.py").read_text()

    cells = _cells(folder / "source.ipynb")
    sources = [_source(c) for c in cells]
    assert [c["metadata"].get("tags") for c in cells].count(["setup"]) == 1
    assert any("print(perceptron.w.ravel()" in s and c["metadata"].get("tags") == ["instructor"]
               for s, c in zip(sources, cells))
    perceptron_cell = next(s for s in sources if s.startswith("class Perceptron"))
    assert perceptron_cell.count("### BEGIN SOLUTION") == 3  # activate, forward_pass, backward_pass
    assert "def fit" in perceptron_cell and "Ваш код" not in perceptron_cell

    student = tmp_path / "student"
    assert run_cli("assign", "perceptron", "--course", str(course), "--out", str(student)) == 0
    assert (student / "data" / "apples_pears.csv").is_file()
    student_cells = [_source(c) for c in _cells(student / "perceptron.ipynb")]
    assert any("data/apples_pears.csv" in s and "Colab" in s for s in student_cells)
    assert not any("BEGIN SOLUTION" in s or "self.b - learning_rate" in s for s in student_cells)

    # the notebook only calls perceptron.fit(X, y): its methods' cases are the calls fit made,
    # on objects built with the attributes they had (no hand edits of the generated checks)
    backward = (folder / "checks" / "test_Perceptron_backward_pass.py").read_text(encoding="utf-8")
    assert "RECORDED['Perceptron_backward_pass_0_a_0']" in backward and "{'w': np.array([[0.0], [0.0]])" in backward
    wrong = tmp_path / "forgot_n.ipynb"
    wrong.write_text(SEMINAR_SOLUTION.read_text(encoding="utf-8").replace(
        "(X.T @ (y_pred - y) / n)", "(X.T @ (y_pred - y))"), encoding="utf-8")
    named = tmp_path / "[seminar] Иванов.ipynb"
    shutil.copy(SEMINAR, named)
    results = _grade(course, "perceptron", tmp_path / "results", SEMINAR_SOLUTION, named, wrong,
                     student / "perceptron.ipynb")
    solved = results[SEMINAR_SOLUTION.stem]
    assert solved["score"] == solved["max_score"] == 4, solved
    assert results[named.stem]["score"] == 0 and results["perceptron"]["score"] == 0
    scores = {q["name"]: q["score"] for q in results["forgot_n"]["questions"]}
    assert scores == {"Loss": 1, "Perceptron.activate": 1, "Perceptron.forward_pass": 1,
                      "Perceptron.backward_pass": 0}
    assert (tmp_path / "results" / f"{named.stem}.json").is_file()


def test_new_from_refuses_what_is_not_a_notebook(course: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert run_cli("new", "x", "--course", str(course), "--from", str(broken), str(HOMEWORK_SOLUTION)) == 2
    err = capsys.readouterr().err
    assert "broken.ipynb: not a notebook" in err and "Traceback" not in err
    assert not (course / "assignments" / "x").exists()
    assert "  x:" not in (course / "grading_config.yaml").read_text()


def test_the_fixtures_are_what_generate_py_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_pairs_generate", PAIRS / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.perceptron_pair(tmp_path / "perceptron")
    generate.activations_pair(tmp_path / "activations")
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(PAIRS) for p in PAIRS.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc"))
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (PAIRS / relative).read_bytes(), relative


def test_a_pair_that_differs_in_no_function_is_refused(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("new", "same", "--course", str(course), "--from", str(HOMEWORK), str(HOMEWORK)) == 2
    assert "differ in no function or class" in capsys.readouterr().err
    assert not (course / "assignments" / "same").exists()


NEURON_BLANK = '''class Neuron:
    def __init__(self, w, b=0.0):
        self.w, self.b = w, b

    def forward(self, X):
        return <Ваш код здесь>

    def step(self, X, y, lr=0.1):
        # Ваш код здесь
        pass'''
NEURON_SOLUTION = '''class Neuron:
    def __init__(self, w, b=0.0):
        self.w, self.b = w, b

    def forward(self, X):
        return X @ self.w + self.b

    def step(self, X, y, lr=0.1):
        error = self.forward(X) - y
        self.w = self.w - lr * X.T @ error / len(X)
        self.b = self.b - lr * float(error.mean())'''
NEURON_SHOW = '''neuron = Neuron(w=np.array([[1.0], [-2.0]]), b=0.5)
print(neuron.forward(np.array([[1.0, 1.0], [0.0, 2.0]])))
neuron.step(np.array([[1.0, 1.0], [0.0, 2.0]]), np.array([[1.0], [0.0]]), lr=0.5)'''


def _pair(folder: Path, cells: list[tuple[str, str]]) -> tuple[Path, Path]:
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for solved in (False, True):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_markdown_cell("# Нейрон"), nbformat.v4.new_code_cell("import numpy as np")]
        notebook.cells += [nbformat.v4.new_code_cell(solution if solved else blank) for blank, solution in cells]
        paths.append(folder / ("solution.ipynb" if solved else "blank.ipynb"))
        nbformat.write(notebook, paths[-1])
    return paths[0], paths[1]


@pytest.mark.slow
def test_a_method_called_on_an_object_made_from_data_gets_its_check_cases(course: Path, tmp_path: Path) -> None:
    blank, solution = _pair(tmp_path / "pair", [(NEURON_BLANK, NEURON_SOLUTION), (NEURON_SHOW, NEURON_SHOW)])
    assert run_cli("new", "neuron", "--course", str(course), "--from", str(blank), str(solution)) == 0
    checks = course / "assignments" / "neuron" / "checks"
    step = (checks / "test_Neuron_step.py").read_text()
    assert "(((), {'w': np.array([[1.0], [-2.0]]), 'b': 0.5}), (np.array([[1.0, 1.0], [0.0, 2.0]]), " \
        "np.array([[1.0], [0.0]])), {'lr': 0.5})," in step and "STATE = ['w', 'b']" in step
    assert "{'lr': 0.5}" in step and "no inputs yet" not in step
    assert "(((), {'w': np.array([[1.0], [-2.0]]), 'b': 0.5}), (np.array([[1.0, 1.0], [0.0, 2.0]]),), {})," \
        in (checks / "test_Neuron_forward.py").read_text()
    wrong = tmp_path / "wrong.ipynb"
    wrong.write_text(solution.read_text().replace("/ len(X)", ""))
    results = _grade(course, "neuron", tmp_path / "results", solution, blank, wrong)
    assert results["solution"]["score"] == results["solution"]["max_score"] == 2
    assert results["blank"]["score"] == 0
    assert {q["name"]: q["score"] for q in results["wrong"]["questions"]} == {"Neuron.forward": 1, "Neuron.step": 0}


def test_example_inputs_are_built_from_plain_data_never_evaluated() -> None:
    """`new --from` checks the solution's example inputs against the reference: their
    text is built node by node (literals, np data, tensor), anything else refused."""
    import numpy as np

    from autograder.scaffold.starters import _case_values

    args, kwargs = _case_values("((np.array([-1.0, 2.0], dtype=np.float32), [1, -2]), {'lr': 0.1})")
    assert args[0].dtype == np.float32 and args[0].tolist() == [-1.0, 2.0]
    assert args[1] == [1, -2] and kwargs == {"lr": 0.1}
    for code in ("((__import__('os').system('true'),), {})", "((np.load('x.npy'),), {})",
                 "((open('/etc/passwd'),), {})"):
        with pytest.raises(ValueError, match="not plain data"):
            _case_values(code)


def test_the_title_is_the_blanks_heading_not_the_solutions(tmp_path: Path) -> None:
    """A course's solution notebook often says so in its heading ("...: решение") and may
    carry headings of its own; the title feedback shows students is the blank's."""
    import nbformat

    from autograder.scaffold.pair import build_master, title_of

    paths = []
    for solved, heading in ((False, "## Классы и объекты"), (True, "<h2><b>Классы и объекты: решение</b></h2>")):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_markdown_cell(heading)]
        if solved:
            notebook.cells.append(nbformat.v4.new_markdown_cell("# Разбор решения"))
        notebook.cells.append(nbformat.v4.new_code_cell("def f(x):\n    return x + 1" if solved
                                                        else "def f(x):\n    return <Ваш код здесь>"))
        paths.append(tmp_path / f"{solved}.ipynb")
        nbformat.write(notebook, paths[-1])
    cells, _ = build_master(paths[0], paths[1], "oop", Blanks())
    assert title_of(cells, "oop") == "Классы и объекты"


CAR_SOLUTION = '''# ваш код здесь
class Car:
    def __init__(self, model, passengers, color, speed=1.0):
        self.model = model
        self.passengers = passengers
        self.color = color
        self.speed = speed'''
CAR_SHOW = '''bmw = Car("BMW", 4, "red", 5.5)
lada = Car("Лада", passengers=5, color="белый")
print(bmw.color, lada.speed)'''


@pytest.mark.slow
def test_a_class_with_only_a_constructor_is_graded_by_what_it_stores(course: Path, tmp_path: Path) -> None:
    """An OOP seminar's first task is a class with a constructor alone (`Car(model,
    passengers, color, speed)`): its question is the class. Its cases are the calls the
    solution made, and its check compares the attributes the objects hold, strings too."""
    blank, solution = _pair(tmp_path / "pair", [("# ваш код здесь", CAR_SOLUTION), (CAR_SHOW, CAR_SHOW)])
    assert run_cli("new", "cars", "--course", str(course), "--from", str(blank), str(solution)) == 0
    check = (course / "assignments" / "cars" / "checks" / "test_Car.py").read_text()
    assert "(('BMW', 4, 'red', 5.5), {})," in check and "STATE = ['model', 'passengers', 'color', 'speed']" in check
    assert "no inputs yet" not in check
    failed = _wrong_fails_alone(course, "cars", tmp_path, blank, solution, ("self.color = color", "self.color = model"))
    assert "self.color" in failed["message"] and "'red'" in failed["message"]


SHOP_GIVEN = '''class Shop:
    def __init__(self, name):
        self.name = name

    def set_price(self, price):
        self.price = price'''
SHOP_SOLUTION = '''# ваш код здесь
class Shop:
    def __init__(self, name):
        self.name = name

    def set_price(self, price):
        self.price = price

    def discount(self, percent):
        self.price = self.price * (1 - percent / 100)
        return self.price'''


def test_what_the_blank_gives_as_it_is_is_not_a_question(tmp_path: Path) -> None:
    """A seminar shows part of a class ("добавим метод"), then asks for the whole class with
    one method more: the methods the blank already gives, unchanged, earn no points."""
    from autograder.scaffold.derive import derive
    from autograder.scaffold.pair import build_master

    blank, solution = _pair(tmp_path / "pair", [(SHOP_GIVEN, SHOP_GIVEN), ("# ваш код здесь", SHOP_SOLUTION)])
    cells, _ = build_master(blank, solution, "shop", Blanks())
    derived = derive("shop", cells)
    assert list(derived.questions) == ["Shop.discount"]
    assert "Shop.set_price: the cell 'class Shop:' gives it to students as it is: not a question" in derived.notes
    assert "def set_price" in derived.reference  # the reference still has the whole class


@pytest.mark.slow
def test_a_solution_cell_that_fails_is_named_by_its_place_in_the_notebook(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The instructor counts every cell (markdown too) to find it: the third code cell of
    this notebook is its sixth cell."""
    import nbformat

    tmp_path.joinpath("pair").mkdir()
    for solved in (False, True):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [
            nbformat.v4.new_markdown_cell("# Удвоение"), nbformat.v4.new_code_cell("import numpy as np"),
            nbformat.v4.new_markdown_cell("## Задание"),
            nbformat.v4.new_code_cell("def double(x):\n    return 2 * x\n" if solved
                                      else "def double(x):\n    # ваш код здесь\n    pass\n"),
            nbformat.v4.new_markdown_cell("Проверим:"),
            nbformat.v4.new_code_cell("print(double(3))\nraise RuntimeError('нет файла')")]
        nbformat.write(notebook, tmp_path / "pair" / ("solution.ipynb" if solved else "blank.ipynb"))
    pair = tmp_path / "pair"
    run_cli("new", "dbl", "--course", str(course), "--from", str(pair / "blank.ipynb"), str(pair / "solution.ipynb"))
    said = capsys.readouterr()
    assert "the solution notebook's cell 6 ended with error RuntimeError: нет файла" in said.out + said.err


CAR_GIVEN = '''class Car:
    def __init__(self, model, color):
        self.model = model
        self.color = color
        self.mileage = 0

    def set_cost(self, cost):
        self.cost = cost

    def drive(self, km):
        self.mileage = self.mileage + km'''
CAR_BOUGHT = '''bmw = Car("BMW", "red")
bmw.set_cost(1000.0)
bmw.drive(120)'''
CAR_NEW_COST = "# ваш код здесь\n" + CAR_GIVEN + '''

    def new_cost(self, years):
        self.cost = self.cost * 0.9 ** years - self.mileage
        return self.cost'''
CAR_SOLD = '''bmw = Car("BMW", "red")
bmw.set_cost(1000.0)
bmw.drive(120)
print(bmw.new_cost(2))'''


@pytest.mark.slow
def test_a_method_needing_what_other_methods_stored_is_checked_on_an_object_made_as_the_notebook_did(
        course: Path, tmp_path: Path) -> None:
    """A seminar gives `Car` with `set_cost` and asks for `new_cost`, which reads the cost
    `set_cost` stored: the object is made again with the calls the notebook made on it
    before (the constructor alone would leave no cost to read, and no case at all)."""
    blank, solution = _pair(tmp_path / "pair", [(CAR_GIVEN, CAR_GIVEN), (CAR_BOUGHT, CAR_BOUGHT),
                                                ("# ваш код здесь", CAR_NEW_COST), (CAR_SOLD, CAR_SOLD)])
    assert run_cli("new", "cars", "--course", str(course), "--from", str(blank), str(solution)) == 0
    check = (course / "assignments" / "cars" / "checks" / "test_Car_new_cost.py").read_text()
    assert "(((), {'model': 'BMW', 'color': 'red'}, [('set_cost', (1000.0,), {}), ('drive', (120,), {})]), " \
        "(2,), {})," in check and "no inputs yet" not in check
    failed = _wrong_fails_alone(course, "cars", tmp_path, blank, solution, ("0.9 ** years - self.mileage", "0.9 ** years"))
    assert "690" in failed["message"], failed
    # the message shows how the object was made and called, as code the student can run
    assert failed["message"].endswith("Объект и его вызовы: `Car(model='BMW', color='red')`, затем `.set_cost(1000.0)`, "
                                      "затем `.drive(120)`, затем `.new_cost(2)`."), failed["message"]


COUNTER_GIVEN = '''class Counter:
    def __init__(self, count):
        self.count = count

    def add(self, n):
        self.count = self.count + n'''
COUNTER_SOLUTION = '''# ваш код здесь
class Counter:
    def __init__(self, count):
        self.count = count

    def add(self, n):
        self.count = self.count + n

    def doubled(self):
        return 2 * self.count'''


def test_a_literal_method_call_the_reference_cannot_answer_is_no_case(tmp_path: Path) -> None:
    """Without the solution's run (it failed, or no jail), the notebook's literal calls are
    the cases: `bmw.new_cost(2)` on `Car("BMW", "red")` alone, without the `set_cost` the
    notebook called first, made the reference raise and every grading stop (exit 3);
    such a case is left out and the check asks for inputs, as a function's is."""
    from autograder.scaffold.derive import derive
    from autograder.scaffold.pair import build_master

    for name, pairs in (("cars", [(CAR_GIVEN, CAR_GIVEN), ("# ваш код здесь", CAR_NEW_COST), (CAR_SOLD, CAR_SOLD)]),
                        ("counter", [(COUNTER_GIVEN, COUNTER_GIVEN), ("# ваш код здесь", COUNTER_SOLUTION),
                                     ("c = Counter(3)\nprint(c.doubled())",) * 2])):
        blank, solution = _pair(tmp_path / name, pairs)
        derived = derive(name, build_master(blank, solution, name, Blanks())[0])
        checks = {path: str(text) for path, text in derived.checks.items()}
        if name == "cars":
            assert "((('BMW', 'red'), {}), (2,), {})" not in checks["checks/test_Car_new_cost.py"]
            assert any("test_Car_new_cost.py: give the check inputs" in t for t in derived.todo)
        else:
            assert "    (((3,), {}), (), {}),\n" in checks["checks/test_Counter_doubled.py"] and not derived.todo


@pytest.mark.slow
def test_verify_makes_no_mutant_of_code_students_are_given(course: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The solution rewrites the class the blank gave (`__init__`, `add`) with one method
    more: a mutant of the given methods is no mistake a student makes, and one that no
    check catches (nothing checks `add`) said nothing about the checks of `doubled`."""
    blank, solution = _pair(tmp_path / "pair", [(COUNTER_GIVEN, COUNTER_GIVEN),
                                                ("# ваш код здесь", COUNTER_SOLUTION),
                                                ("c = Counter(3)\nprint(c.doubled())",) * 2])
    assert run_cli("new", "counter", "--course", str(course), "--from", str(blank), str(solution)) == 0
    equivalents = course / "assignments" / "counter" / "equivalent_mutants.yaml"
    assert not equivalents.exists() or "Counter.add" not in equivalents.read_text()  # no entry to go stale
    capsys.readouterr()
    assert run_cli("verify", "counter", "--course", str(course)) == 0
    said = capsys.readouterr().out
    assert "code outside the questions' functions" not in said and "Counter.add" not in said
    assert re.search(r"mutation score: (\d+)/\1 \(100%\): Counter.doubled \1/\1\n", said), said


def test_the_mutation_score_of_nothing_to_mutate_says_why() -> None:
    from autograder.verify.report import VerifyReport

    assert "mutation score: none counted, no question is graded by checks" in VerifyReport("essay", []).render()
    said = VerifyReport("f", ["f"]).render()
    assert "mutation score: none counted, no mutant made" in said and "f: no mutant counted" in said
    assert "0/0" not in said


def test_an_empty_cell_in_one_notebook_only_is_no_note(tmp_path: Path) -> None:
    """Colab notebooks end in empty cells, more in the blank (room to write) than in the
    solution: "the cell '': only in the blank" named nothing the instructor could find."""
    from autograder.scaffold.pair import build_master

    blank, solution = _pair(tmp_path / "pair", [("def f(x):\n    # ваш код здесь\n    pass", "def f(x):\n    return x")])
    for path, empty in ((blank, 3), (solution, 1)):
        notebook = json.loads(path.read_text())
        notebook["cells"] += [{"cell_type": "code", "metadata": {}, "source": "", "outputs": [],
                               "execution_count": None, "id": f"e{n}"} for n in range(empty)]
        notebook["cells"].insert(2, {"cell_type": "markdown", "metadata": {}, "source": " ", "id": "m"} if path == solution
                                 else {"cell_type": "code", "metadata": {}, "source": "print(1)", "outputs": [],
                                       "execution_count": None, "id": "p"})
        path.write_text(json.dumps(notebook))
    cells, notes = build_master(blank, solution, "f", Blanks())
    assert notes == ["the cell 'print(1)': only in the blank, kept as it is"]
    assert [c.source for c in cells if "instructor" in c.tags] == []
    assert sum(c.source == "" for c in cells) == 3  # the blank's room to write in, kept
