"""Reading submissions: each unreadable file has its own kind; Colab quirks do not matter."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from autograder.exceptions import NotebookError
from autograder.notebook import read_submission, transform_ipython


def write(tmp_path, content, name="nb.ipynb"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize("content, kind", [
    (b"", "empty"),
    (b"  \n", "empty"),
    (b'{"cells": [\xff]}', "not_utf8"),
    ('{"cells": [', "invalid_json"),
    ("[1, 2]", "not_notebook"),
    ("{}", "not_notebook"),
])
def test_bad_files_have_their_kind(tmp_path, content, kind):
    with pytest.raises(NotebookError) as caught:
        read_submission(write(tmp_path, content))
    assert caught.value.kind == kind
    assert caught.value.text().en and caught.value.text().ru


V3_UNCONVERTIBLE = '{"nbformat": 3, "worksheets": [{"cells": [{"cell_type": 5}]}]}'
# Latin words a Russian message may hold: names of formats and tools, and JSON's own
SPELT_AS_IS = {"JSON", "Jupyter", "Colab", "ipynb", "UTF", "PDF", "cells", "nbformat", "true", "false", "null"}


@pytest.mark.parametrize("content, detail_ru, detail_en", [
    ('{"cells": [', "ошибка в строке 1, столбце 12", "the error is at line 1, column 12"),
    ("[" * 100_000, "в нём слишком глубокая вложенность", "it is nested too deeply"),
    ('{"n": 1' + "1" * 5000 + "}", "одно из значений в нём не читается", "a value in it cannot be read"),
    ("[1, 2]", "на верхнем уровне в нём список, а не объект", "its top level is a list, not an object"),
    ('"notebook"', "на верхнем уровне в нём строка, а не объект", "its top level is a string, not an object"),
    ("3.5", "на верхнем уровне в нём число, а не объект", "its top level is a number, not an object"),
    ("null", "на верхнем уровне в нём null, а не объект", "its top level is null, not an object"),
    ("{}", 'в нём нет списка ячеек "cells"', 'it has no list of cells, "cells"'),
    (V3_UNCONVERTIBLE, "в старом формате nbformat 3, и его не удалось преобразовать", "old format nbformat 3"),
    ("folder", "это папка, а не файл", "it is a folder, not a file"),
    ("absent", "такого файла нет", "there is no such file"),
], ids=["broken", "deep", "long_number", "list", "string", "number", "null", "no_cells", "v3", "folder", "absent"])
def test_why_a_file_is_not_a_notebook_is_said_in_each_language(tmp_path, content, detail_ru, detail_en):
    """The reason inside the message was English in a Russian sentence ("Отправленный файл —
    JSON, но не блокнот Jupyter (the top level is a list, not an object)"), as were the json
    module's and the system's words; now each reason exists in both languages."""
    path = {"folder": tmp_path, "absent": tmp_path / "absent.ipynb"}.get(content) or write(tmp_path, content)
    with pytest.raises(NotebookError) as caught:
        read_submission(path)
    text = caught.value.text()
    assert detail_ru in text.ru and detail_en in text.en, text
    assert set(re.findall(r"[A-Za-z]{2,}", text.ru)) <= SPELT_AS_IS, text.ru


def test_not_utf8_gives_the_byte_offset(tmp_path):
    with pytest.raises(NotebookError) as caught:
        read_submission(write(tmp_path, b'{"cells": [\xff]}'))
    assert caught.value.offset == 11


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(NotebookError) as caught:
        read_submission(tmp_path / "absent.ipynb")
    assert caught.value.kind == "unreadable"


def test_colab_quirks_are_tolerated(tmp_path):
    raw = {"nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "markdown", "source": "# title"},
        {"cell_type": "code", "source": "x = 1\n"},  # no id, no metadata, no outputs
        {"cell_type": "code", "source": ["def f():\n", "    return x\n"], "metadata": {}},
        {"cell_type": "code", "source": "   \n"},
        {"cell_type": "code", "source": "%matplotlib inline\n!pip install torch\ny = 2"},
    ]}
    cells = read_submission(write(tmp_path, json.dumps(raw)))
    assert [c.index for c in cells] == [1, 2, 4]
    assert cells[1].source == "def f():\n    return x\n"
    assert "get_ipython().run_line_magic('matplotlib', 'inline')" in cells[2].source
    assert "get_ipython().system('pip install torch')" in cells[2].source


def test_nbformat_written_v4_and_v3(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a = 1")])
    assert [c.source for c in read_submission(write(tmp_path, nbformat.writes(nb)))] == ["a = 1\n"]
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "b = 2", "language": "python", "outputs": []}]}]}
    assert [c.source for c in read_submission(write(tmp_path, json.dumps(v3), "old.ipynb"))] == ["b = 2\n"]


def test_a_v3_notebook_as_saved_with_outputs_is_read(tmp_path):
    """nbformat 3 keeps sources as lists of lines and titles as heading cells: a heading
    failed the conversion ("old notebook format: ...") and the submission was ungradable."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Homework 1"),
                                         nbformat.v4.new_code_cell("print(1)\nprint(2)")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n2\n"),
                           nbformat.v4.new_output("display_data", data={"text/html": "<b>1</b>\n<i>2</i>",
                                                                        "text/plain": "1\n2"})]
    old = write(tmp_path, nbformat.writes(nbformat.convert(nb, 3), version=3), "saved_v3.ipynb")
    assert '"input": [' in old.read_text() and '"cell_type": "heading"' in old.read_text()  # as v3 files are
    assert [c.source for c in read_submission(old)] == ["print(1)\nprint(2)\n"]


@pytest.mark.parametrize("source, expected", [
    ("%%time\nx = 1", "# %%time\nx = 1\n"),  # run as its body, as the student wrote it
    ("%%writefile f.py\nx = 1", "get_ipython().run_cell_magic('writefile', 'f.py', 'x = 1\\n')"),
    ("%timeit f()", "get_ipython().run_line_magic('timeit', 'f()')"),
    ("x?", "get_ipython().run_line_magic('pinfo', 'x')"),
])
def test_transform_ipython(source, expected):
    assert expected in transform_ipython(source)


def test_untransformable_cell_keeps_its_source():
    source = "def f(:\n    pass"
    assert transform_ipython(source).strip() == source.strip()


def test_the_command_line_starts_without_nbformat_and_reads_notebooks_without_the_iri_grammar() -> None:
    """`autograder --help` and `grade` load no nbformat; commands that do (assign, verify)
    skip jsonschema's RFC 3987 grammar (seconds of CPU) and still validate notebooks."""
    import subprocess
    import sys

    probe = (
        "import sys, autograder.cli\n"
        "assert 'nbformat' not in sys.modules, 'nbformat imported at start-up'\n"
        "from autograder.notebook import decline_iri_grammar\n"
        "decline_iri_grammar()\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')])\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['cell_type'] = 'nonsense'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "except nbformat.ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('an invalid notebook passed')\n"
        "assert sys.modules.get('rfc3987_syntax') is None\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=120)
