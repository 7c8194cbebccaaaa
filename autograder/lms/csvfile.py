"""A CSV file read so that it can be written back byte for byte, but for the cells set.

An LMS takes its own download back only when every other column is as it wrote it, so
a template is never re-serialised by the ``csv`` module (which would re-quote, change
line ends and drop a BOM). Each cell keeps its raw text, quotes included, and each row
its line end; :meth:`CsvFile.set` replaces one cell's raw text, quoted as that cell was.
Encodings: UTF-8 with or without a BOM, UTF-16 with a BOM, Windows-1251 when it reads
as Cyrillic text (Excel's CSV in Russian); anything else is read as Latin-1 (which keeps
every byte) unless an encoding is named.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from autograder.exceptions import UsageError
from autograder.lms.russian import reads_as_russian

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass
class Cell:
    raw: str        # as in the file: '"Smith, John"'
    value: str      # as meant: 'Smith, John'

    @property
    def quoted(self) -> bool:
        return self.raw.startswith('"')


@dataclass
class Row:
    cells: list[Cell]
    end: str = "\n"  # the line end that followed the row ("" for a last line without one)

    def values(self) -> list[str]:
        return [c.value for c in self.cells]


@dataclass
class CsvFile:
    rows: list[Row]
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bytes = b""
    newline: str = "\n"
    changed: set[tuple[int, int]] = field(default_factory=set)

    # ---- reading ------------------------------------------------------------------

    @classmethod
    def read(cls, path: Path, encoding: str | None = None) -> CsvFile:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageError(f"{path}: cannot be read ({error.strerror or error})") from None
        return cls.parse(data, encoding, str(path))

    @classmethod
    def parse(cls, data: bytes, encoding: str | None = None, where: str = "template") -> CsvFile:
        _refuse_workbook(data, where)
        bom, name = (b"", encoding) if encoding is not None else _bom_of(data)
        body = data[len(bom):]
        if name is None:
            text, name = _undeclared(body)
        else:
            try:
                text = body.decode(name)
            except (UnicodeDecodeError, LookupError) as error:
                raise UsageError(f"{where}: cannot be read as {name} ({error})") from None
        rows = _tokenize(text, delimiter_of(text), where)
        ends = [r.end for r in rows if r.end]
        return cls(rows, delimiter_of(text), name, bom, ends[0] if ends else "\n")

    # ---- editing ------------------------------------------------------------------

    def header(self) -> list[str]:
        return self.rows[0].values() if self.rows else []

    def column(self, name: str) -> int | None:
        """The index of the first header cell equal to ``name`` (spaces around ignored)."""
        for index, value in enumerate(self.header()):
            if value.strip() == name:
                return index
        return None

    def get(self, row: int, column: int) -> str:
        cells = self.rows[row].cells
        return cells[column].value if column < len(cells) else ""

    def set(self, row: int, column: int, value: str) -> None:
        """Replace one cell, quoted as it was (or only when it must be, for a new cell)."""
        cells = self.rows[row].cells
        while len(cells) <= column:
            cells.append(Cell("", ""))
        old = cells[column]
        if old.value == value:
            return
        cells[column] = Cell(self._quote(value, old.quoted), value)
        self.changed.add((row, column))

    def add_row(self, values: list[str]) -> None:
        if self.rows and not self.rows[-1].end:
            self.rows[-1].end = self.newline
        self.rows.append(Row([Cell(self._quote(v, False), v) for v in values], self.newline))

    def _quote(self, value: str, always: bool) -> str:
        special = any(ch in value for ch in (self.delimiter, '"', "\r", "\n")) or value != value.strip()
        if always or special:
            return '"' + value.replace('"', '""') + '"'
        return value

    # ---- writing ------------------------------------------------------------------

    def text(self) -> str:
        return "".join(self.delimiter.join(c.raw for c in row.cells) + row.end for row in self.rows)

    def dumps(self) -> bytes:
        try:
            return self.bom + self.text().encode(self.encoding)
        except UnicodeEncodeError as error:
            bad = error.object[error.start:error.end]
            raise UsageError(f"the template is {self.encoding}, which cannot hold {bad!r} of the "
                             "feedback: save it as UTF-8 CSV or pass --encoding") from None


def text_of(data: bytes, where: str = "file") -> str:
    """A CSV file's text as :meth:`CsvFile.parse` reads it (BOM, UTF-8, Windows-1251 in
    Russian, else Latin-1): for the files only read, a manifest or a table of scores."""
    _refuse_workbook(data, where)
    bom, codec = _bom_of(data)
    body = data[len(bom):]
    return body.decode(codec, errors="replace") if codec is not None else _undeclared(body)[0]


# What a spreadsheet saved as a workbook starts with: a zip (Excel's .xlsx, LibreOffice's
# .ods, Numbers) or an OLE2 compound file (Excel's .xls before 2007).
_WORKBOOKS = ((b"PK\x03\x04", ".xlsx or .ods"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"))


def _refuse_workbook(data: bytes, where: str) -> None:
    """A workbook read as CSV is bytes of a zip: every error after that quoted them as
    its "header". Say what the file is and how to get the CSV the command needs."""
    for magic, kind in _WORKBOOKS:
        if data.startswith(magic):
            raise UsageError(f"{where}: a spreadsheet workbook ({kind}), not a CSV file: save it as "
                             "CSV (Excel: File > Save As > \"CSV UTF-8\"; LibreOffice: Text CSV) "
                             "and give that file")


def _bom_of(data: bytes) -> tuple[bytes, str | None]:
    """The byte-order mark the file starts with and its encoding; (b"", None) for none."""
    return next(((bom, codec) for bom, codec in _BOMS if data.startswith(bom)), (b"", None))


def _undeclared(body: bytes) -> tuple[str, str]:
    """The text and encoding of a file without a BOM: UTF-8; else Windows-1251 when every
    byte decodes so and the letters beyond ASCII are Cyrillic (Excel's CSV on a Russian
    Windows: read as Latin-1, its names came out as "Èâàí"); else Latin-1, which keeps
    every byte. Each is written back as it was read."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = body.decode("cp1251")
    except UnicodeDecodeError:
        return body.decode("latin-1"), "latin-1"
    if reads_as_russian(text):  # Latin-1's accented letters decode as Cyrillic ones too
        return text, "cp1251"
    return body.decode("latin-1"), "latin-1"


def cell_number(text: str) -> float | None:
    """A number as a spreadsheet cell holds it: ``2.5``, or ``2,5`` where the comma is the
    decimal mark (Excel and Moodle in a Russian locale); None when it is not one."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def delimiter_of(text: str) -> str:
    """The delimiter of the header line: comma, semicolon (Excel in many locales) or tab;
    for the files only read too (a table of scores), so every CSV reader takes the same."""
    first = text.split("\n", 1)[0]
    counts = {d: _unquoted_count(first, d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unquoted_count(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _tokenize(text: str, delimiter: str, where: str) -> list[Row]:
    """Rows of cells with their raw text; quotes per RFC 4180 (doubled inside)."""
    rows: list[Row] = []
    cells: list[Cell] = []
    i, n = 0, len(text)
    if n == 0:
        return rows
    while True:
        start = i
        if i < n and text[i] == '"':
            i += 1
            parts = []
            while True:
                close = text.find('"', i)
                if close < 0:
                    raise UsageError(f"{where}: a quoted cell is never closed (row {len(rows) + 1})")
                parts.append(text[i:close])
                if close + 1 < n and text[close + 1] == '"':
                    parts.append('"')
                    i = close + 2
                    continue
                i = close + 1
                break
            # text after the closing quote up to the delimiter stays part of the raw cell
            tail_end = i
            while tail_end < n and text[tail_end] not in (delimiter, "\r", "\n"):
                tail_end += 1
            value = "".join(parts) + text[i:tail_end]
            i = tail_end
        else:
            while i < n and text[i] not in (delimiter, "\r", "\n"):
                i += 1
            value = text[start:i]
        cells.append(Cell(text[start:i], value))
        if i < n and text[i] == delimiter:
            i += 1
            continue
        end = ""
        if text.startswith("\r\n", i):
            end = "\r\n"
        elif i < n:
            end = text[i]
        i += len(end)
        rows.append(Row(cells, end))
        cells = []
        if i >= n:
            return rows
