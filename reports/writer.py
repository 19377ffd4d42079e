"""The one CSV/XLSX writer of every export (reports.exports) and of the statistics'
CSV files.

Spreadsheet formulas: no cell may start a formula (OWASP "CSV Injection": a cell starting
with `=`, `+`, `-`, `@`, tab, CR or LF).
- CSV: defusedcsv prefixes `'` to cells starting with `= + - @ | %` (plain numbers such
  as `-12` stay numbers); `safe_text` adds the same prefix for a leading tab, CR or LF,
  and for a formula behind leading spaces, which defusedcsv lets through. Every cell is
  quoted, so that a file opened with the other separator cannot split a cell into one
  that starts a formula.
- XLSX: every text is an inline string cell (never a formula cell, which openpyxl would
  make of a str starting with `=`), and a text starting with one of those characters also
  gets Excel's quote prefix, so that it stays text when someone edits the cell. The text
  itself is kept as typed.

CSV for German Excel is `;`-separated with a UTF-8 BOM and dates as 31.12.1990; the
international variant is `,`-separated (BOM too, for Excel) with ISO dates. CSV is
streamed row by row; XLSX is written with openpyxl's write-only workbook into a spooled
temporary file, so memory stays flat whatever the number of rows.
"""

import csv
import datetime
import functools
import tempfile

from defusedcsv import csv as defused_csv
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# The first characters defusedcsv escapes (defusedcsv.csv._escape; a plain number such as
# "-12" it leaves alone, which csv_chunks leaves to it too).
DEFUSEDCSV_ESCAPES = frozenset("@+-=|%")
# Rows per string csv_chunks yields (and the response sends).
ROWS_PER_CHUNK = 200
# defusedcsv handles these; the rest of FORMULA_START is ours.
UNHANDLED_BY_DEFUSEDCSV = ("\t", "\r", "\n")
# openpyxl would store a text starting with "=" as a formula and "#N/A" and the like as an
# error value: such texts go into an explicit text cell.
STORED_NOT_AS_TEXT = ("=", "#")
BOM = "\ufeff"
YES, NO = "ja", "nein"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# In memory up to this size, then on disk.
SPOOL_BYTES = 8 * 1024 * 1024


class Dialect:
    def __init__(self, delimiter, date_format, datetime_format):
        self.delimiter = delimiter
        self.date_format = date_format
        self.datetime_format = datetime_format
        # Dates repeat (days of receipt, birthdays): each formatted once.
        self.format_date = functools.lru_cache(maxsize=8192)(self._format_date)

    def _format_date(self, value):
        return value.strftime(self.date_format)


CSV_GERMAN = Dialect(";", "%d.%m.%Y", "%d.%m.%Y %H:%M")
CSV_INTERNATIONAL = Dialect(",", "%Y-%m-%d", "%Y-%m-%d %H:%M")


def local_naive(value):
    """A datetime in the portal's time zone without tzinfo (what a spreadsheet shows)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def starts_formula(text):
    """Whether a spreadsheet could read `text` as a formula: it starts with one of
    FORMULA_START, also after leading spaces (LibreOffice trims them on import when told
    to, and then evaluates)."""
    return text.startswith(FORMULA_START) or (
        text[:1].isspace() and text.lstrip().startswith(FORMULA_START)
    )


def safe_text(text):
    """The CSV form of a text: defusedcsv's prefix also for a leading tab, CR or LF and for
    a formula behind leading spaces, which defusedcsv lets through. (Tab, CR and LF are
    whitespace too: one test for the common case of a text that starts with neither.)"""
    if text[:1].isspace() and (text.startswith(UNHANDLED_BY_DEFUSEDCSV) or starts_formula(text)):
        return "'" + text
    return text


def csv_value(value, dialect):
    if type(value) is str:  # most cells: the fast path
        return safe_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        return local_naive(value).strftime(dialect.datetime_format)
    if isinstance(value, datetime.date):
        return dialect.format_date(value)
    if isinstance(value, int):
        return value
    return safe_text(str(value))


class _Echo:
    """A file-like object whose write() returns what it got (Django's streaming CSV
    recipe): csv.writer formats a row, the generator yields it."""

    def write(self, value):
        return value


def csv_chunks(headers, rows, dialect=CSV_GERMAN):
    """The CSV file as a generator of strings: the BOM with the header row, then the rows,
    ROWS_PER_CHUNK at a time.

    defusedcsv writes every row that has a text cell it would escape; a row without any
    goes through the standard writer with the same dialect, which writes it identically
    (defusedcsv's per-cell checks were a quarter of the time of a 100,000-row export)."""
    # Every cell quoted: opened with the other separator (German Excel splits at `;`,
    # English Excel at `,`), an unquoted "x;=1+1" would become two cells, the second a
    # formula that no prefix at the start of the cell protects.
    options = {"delimiter": dialect.delimiter, "quoting": csv.QUOTE_ALL}
    defused = defused_csv.writer(_Echo(), **options)
    plain = csv.writer(_Echo(), **options)
    yield BOM + defused.writerow([safe_text(str(header)) for header in headers])
    chunk = []
    for row in rows:
        cells = [
            safe_text(str(value)) if isinstance(value, str) else csv_value(value, dialect)
            for value in row
        ]
        # isinstance, not type(): a str subclass (SafeString) must not slip past.
        risky = any(isinstance(cell, str) and cell[:1] in DEFUSEDCSV_ESCAPES for cell in cells)
        chunk.append((defused if risky else plain).writerow(cells))
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _xlsx_cell(sheet, value, header=False):
    """What write_xlsx appends for one value: the value itself where openpyxl stores it
    as it is (numbers, empty cells, plain text), else a cell with the type and format it
    needs (dates; text that could start a formula or read as an error code; headers)."""
    if type(value) is str:
        if not value and not header:
            return None  # an empty cell: openpyxl writes nothing for it
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if not header and not text.startswith(STORED_NOT_AS_TEXT) and not starts_formula(text):
            return text
    elif isinstance(value, bool):
        return YES if value else NO
    elif value is None or isinstance(value, int | float):
        return value
    elif isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=local_naive(value))
        cell.number_format = "DD.MM.YYYY HH:MM"
        return cell
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    cell = WriteOnlyCell(sheet, value=text)
    # An inline string, never a formula, whatever the text starts with.
    cell.data_type = "s"
    if starts_formula(text):
        cell.quotePrefix = True
    if header:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(target, headers, rows, *, title="Export", widths=None):
    """Write one sheet (bold header row, frozen, with a filter) to `target`, a path or a
    binary file object."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    headers = list(headers)
    if headers:
        sheet.auto_filter.ref = f"A1:{_column_letter(len(headers))}1"
    sheet.append([_xlsx_cell(sheet, header, header=True) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(target)


def xlsx_file(headers, rows, **options):
    """The workbook in a temporary file (in memory while small), rewound for reading."""
    # Handed to the response, which closes it when sent.
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    write_xlsx(target, headers, rows, **options)
    target.seek(0)
    return target


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
