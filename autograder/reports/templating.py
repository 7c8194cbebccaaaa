"""The Jinja2 environment of the HTML and Markdown reports (templates/ next to this file)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket
from markupsafe import Markup

from autograder import caches
from autograder.i18n import Language, msg
from autograder.reports.text import number, who

TEMPLATES = Path(__file__).parent / "templates"
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def code_spans(text: str) -> Markup:
    """HTML-escape ``text`` and show its `backticked` parts as ``<code>``."""
    escaped = html.escape(text, quote=False)
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))


def fenced(text: str, info: str = "text") -> str:
    """A Markdown fenced block that no backtick run inside ``text`` can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def table_cell(text: str) -> str:
    """One Markdown table cell: a single line with ``|`` escaped."""
    printable = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return " ".join(printable.split()).replace("|", "\\|")


def translator(language: Language) -> Callable[..., str]:
    def t(key: str, **fields: Any) -> str:
        return msg(key, **fields).render(language)

    return t


class _Compiled(FileSystemBytecodeCache):
    """Templates compiled once per version of their text (Jinja2 compares a checksum of
    the source), in the user's cache: compiling them was a fifth of a one-notebook
    ``grade``. A cache that cannot be written is only not written."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> _Compiled | None:
    folder = caches.private_folder("templates")
    return _Compiled(str(folder)) if folder is not None else None


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=_bytecode_cache(),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(code_spans=code_spans, fenced=fenced, cell=table_cell, num=number, who=who)
    return env


def render(template: str, language: Language, **context: Any) -> str:
    return environment().get_template(template).render(t=translator(language), lang=language,
                                                        **context)
