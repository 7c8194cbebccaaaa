"""Feedback inside the student's own notebook: ``feedback/<id>.ipynb`` and its HTML.

The student's notebook, outputs kept, with a summary cell at the top (score, late
penalty, errors, one line per question) and a feedback cell after the cell that defines
each question (score, each check, what failed and the hint, in the result's language),
then rendered by nbconvert as ``feedback/<id>.notebook.html``. A question is found by
the name it defines (``sigmoid``; ``Perceptron`` for ``Perceptron.fit``), the last
cell defining it winning as when the notebook runs in order, or by nbgrader's
``grade_id`` in the cell metadata; a question not found is in the summary only.

Everything a student or their code wrote (messages quote their values and exceptions)
goes into Markdown escaped or inside code spans and fences. The HTML page carries a
Content-Security-Policy that lets no script run at all (the notebook's outputs and
Markdown are the student's: a ``<script>`` or an ``onerror=`` in them stays inert), and
script outputs are dropped; nbconvert's own sanitizer is not used, as it escapes the
Markdown's headings and paragraphs too.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cell_ids import fitted, fixed_id
from autograder.i18n import Language, msg
from autograder.notebook import cell_source, read_with_nbformat, transform_ipython
from autograder.reports.base import ReportContext
from autograder.reports.feedback import FOLDER, late_line, score_line
from autograder.reports.templating import fenced
from autograder.reports.text import number, split_message, visible_message, who
from autograder.atomic import write_atomic
from autograder.results import QuestionResult, SubmissionResult
from autograder.sandbox.inside import salvage

TAG = "autograder-feedback"
NOTEBOOK_SUFFIX, HTML_SUFFIX = ".ipynb", ".notebook.html"
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_SCRIPT_MIMES = ("application/javascript", "text/javascript", "application/vnd.jupyter.widget-view+json")
# No script of any origin, no requests out: only inline styles and embedded images.
CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
       'img-src data:; style-src \'unsafe-inline\'; font-src data:">')
STYLE = """<style>
.jp-Cell.celltag_autograder-feedback, .celltag_autograder-feedback { border-left: 6px solid #c0392b;
  background: #fdf1f0; padding: 0.2em 0.8em; margin: 0.4em 0 1em 0; border-radius: 4px; }
.celltag_autograder-passed { border-left-color: #27ae60 !important; background: #effaf2 !important; }
.celltag_autograder-summary { border-left-color: #2c6fbb !important; background: #eef4fb !important; }
</style>"""


def md(text: str) -> str:
    """Text for Markdown: HTML and emphasis escaped outside `code spans`, which render as is."""
    parts = _CODE_SPAN.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part)
        else:
            escaped = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(re.sub(r"([\\*_\[\]#|~])", r"\\\1", escaped))
    return "".join(out)


def _defined(source: str) -> set[str]:
    """The names a cell defines at its top level; of a cell with a syntax error, those
    of its statements that parse (the rest of such a cell runs: ``inside/salvage``)."""
    names: set[str] = set()
    for node in (node for tree in salvage.trees(transform_ipython(source)) for node in tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def question_cells(notebook: NotebookNode, questions: Sequence[str]) -> dict[str, int]:
    """Question -> index of the cell after which its feedback goes."""
    found: dict[str, int] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        names = _defined(cell_source(cell))
        for question in questions:
            if question == grade_id or question.split(".", 1)[0] in names:
                found[question] = index  # later definitions win, as when the cells run in order
    return found


def _cell(lines: list[str], purpose: str, *tags: str) -> NotebookNode:
    cell = fixed_id(nbformat.v4.new_markdown_cell("\n".join(lines)), "feedback", purpose)
    cell.metadata["tags"] = [TAG, *tags]
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    return cell


def _question_lines(question: QuestionResult, language: Language, show_hidden: bool) -> list[str]:
    mark = "✅" if question.passed else "❌"
    title = msg("nbfeedback.question", question=question.name, score=number(question.score),
                max_score=number(question.max_score)).render(language)
    lines = [f"**{mark} {md(title)}**", ""]
    for check in question.checks:
        kind = msg(f"report.visibility.{check.visibility}").render(language)
        lines.append(f"- {'✅' if check.passed else '❌'} {md(check.name)} ({md(kind)}): "
                     f"{number(check.score)} / {number(check.max_score)}")
        head, tail = split_message(visible_message(check, show_hidden, language))
        if head:
            lines.append(f"  {md(head)}")
        if tail:
            lines += ["", *("  " + line for line in fenced(tail).split("\n")), ""]
    return lines


def _summary_lines(result: SubmissionResult, context: ReportContext, language: Language,
                   missing: list[str]) -> list[str]:
    title = msg("report.feedback_title", title=context.title, submission=who(result)).render(language)
    lines = [f"### {md(title)}", "", f"**{md(score_line(result, language))}**", ""]
    if late := late_line(result, language, context.timezone):
        lines += [md(late), ""]
    if result.errors:
        lines += [f"**{md(msg('report.errors').render(language))}**", ""]
        lines += [f"- {md(split_message(e)[0])}" for e in result.errors] + [""]
    for question in result.questions:
        lines.append(f"- {'✅' if question.passed else '❌'} `{question.name}`: "
                     f"{number(question.score)} / {number(question.max_score)}")
    if missing:
        lines += ["", md(msg("nbfeedback.not_found", questions=", ".join(missing)).render(language))]
    return lines


def annotate(notebook: NotebookNode, result: SubmissionResult, context: ReportContext) -> NotebookNode:
    """A copy of the student's ``notebook`` with the feedback cells in."""
    language: Language = "en" if result.language == "en" else "ru"
    annotated = copy.deepcopy(notebook)
    names = [q.name for q in result.questions]
    where = question_cells(annotated, names)
    after: dict[int, list[NotebookNode]] = {}
    for question in result.questions:
        if question.name in where:
            passed = ("autograder-passed",) if question.passed else ()
            after.setdefault(where[question.name], []).append(
                _cell(_question_lines(question, language, context.show_hidden_details), f"question-{question.name}",
                      *passed))
    missing = [n for n in names if n not in where]
    cells = [_cell(_summary_lines(result, context, language, missing), "summary", "autograder-summary")]
    for index, cell in enumerate(annotated.cells):
        cells.append(cell)
        cells.extend(after.get(index, []))
    annotated.cells = cells
    return fitted(annotated)  # a notebook saved before nbformat 4.5 (Colab's 4.0-4.4): no cell ids


class HtmlRenderer:
    """nbconvert's HTML exporter, made once per batch (building it costs most of a second)."""

    def __init__(self) -> None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from nbconvert import HTMLExporter
        self.exporter = HTMLExporter()

    def render(self, notebook: NotebookNode) -> str:
        safe = copy.deepcopy(notebook)
        for cell in safe.cells:
            if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
                cell.source = cell_source(cell).split("\n", 1)[0]  # the setup cell: its title line
            for output in cell.get("outputs", []):
                data = output.get("data")
                if isinstance(data, dict):
                    for mime in _SCRIPT_MIMES:
                        data.pop(mime, None)
        body, _ = self.exporter.from_notebook_node(safe)
        if "<head>" not in body:
            raise ValueError("nbconvert wrote a page without <head>: cannot add its security policy")
        return body.replace("<head>", "<head>\n" + CSP, 1).replace("</head>", STYLE + "\n</head>", 1)


def write_notebook_feedback(results: Sequence[SubmissionResult], notebooks: Mapping[str, Path],
                            context: ReportContext, out_dir: Path, html: bool = True) -> list[Path]:
    """``feedback/<id>.ipynb`` (and ``.notebook.html``) for each result whose notebook
    can be read; a notebook that cannot be read gets none (its result says why)."""
    renderer = HtmlRenderer() if html and results else None
    written: list[Path] = []
    for result in results:
        path = notebooks.get(result.submission)
        notebook = _read(path) if path is not None else None
        if notebook is None:
            continue
        annotated = annotate(notebook, result, context)
        target = out_dir / FOLDER / f"{result.submission}{NOTEBOOK_SUFFIX}"
        write_atomic(target, nbformat.writes(annotated))
        written.append(target)
        if renderer is not None:
            page = out_dir / FOLDER / f"{result.submission}{HTML_SUFFIX}"
            write_atomic(page, renderer.render(annotated))
            written.append(page)
    return written


def _read(path: Path) -> NotebookNode | None:
    """The notebook as grading read it (a byte-order mark, nbformat 3 converted), or None
    when it cannot be read (its result says why)."""
    try:
        return read_with_nbformat(path)
    except Exception:  # noqa: BLE001 -- any unreadable notebook: no annotated copy, the result says why
        return None
