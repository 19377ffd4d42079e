"""The one CSV/XLSX writer (reports.writer): no cell becomes a formula, text and dates
survive the round trip. The same through a real export: tests/reports/test_exports.py."""

import csv
import datetime
import io

import openpyxl
import pytest

from reports import writer

DANGEROUS = [
    "=1+1",
    "+49 3943",
    "-2+3",
    "@SUM(A1)",
    "\tTab",
    "\rReturn",
    "\nNewline",
    " =1+1",
    "  @SUM(A1)",
]


def csv_of(rows, dialect=writer.CSV_GERMAN, headers=("Wert",)):
    text = "".join(writer.csv_chunks(list(headers), rows, dialect))
    assert text.startswith(writer.BOM)
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=dialect.delimiter))


def xlsx_of(rows, headers=("Wert",)):
    target = writer.xlsx_file(list(headers), rows)
    return openpyxl.load_workbook(target).active


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cell_starting_a_formula_gets_an_apostrophe(text):
    assert csv_of([[text]]) == [["Wert"], ["'" + text]]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_header_starting_a_formula_gets_an_apostrophe(text):
    assert csv_of([], headers=[text]) == [["'" + text]]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_cell_starting_a_formula_stays_text_with_quote_prefix(text):
    cell = xlsx_of([[text]])["A2"]

    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    # Kept as typed: lxml writes a carriage return as a character reference.
    assert cell.value == text


def test_plain_numbers_stay_numbers():
    assert csv_of([[-12], [3]]) == [["Wert"], ["-12"], ["3"]]
    sheet = xlsx_of([[-12]])
    assert (sheet["A2"].value, sheet["A2"].data_type) == (-12, "n")


def test_unicode_round_trips_in_csv_and_xlsx():
    text = "Jürgen Weiß – مرحبا بكم 😀"

    assert csv_of([[text]]) == [["Wert"], [text]]
    cell = xlsx_of([[text]])["A2"]
    assert (cell.value, cell.quotePrefix) == (text, False)


def test_dates_in_each_format():
    day = datetime.date(1990, 5, 17)

    assert csv_of([[day]]) == [["Wert"], ["17.05.1990"]]
    assert csv_of([[day]], writer.CSV_INTERNATIONAL) == [["Wert"], ["1990-05-17"]]
    cell = xlsx_of([[day]])["A2"]
    assert (cell.value, cell.is_date, cell.number_format) == (
        datetime.datetime(1990, 5, 17),
        True,
        "DD.MM.YYYY",
    )


def test_booleans_and_empty_values():
    assert csv_of([[True], [False], [None]]) == [["Wert"], ["ja"], ["nein"], [""]]


def test_international_csv_uses_commas():
    text = "".join(writer.csv_chunks(["A", "B"], [["x", "y"]], writer.CSV_INTERNATIONAL))
    assert text == '\ufeff"A","B"\r\n"x","y"\r\n'


@pytest.mark.parametrize(
    ("dialect", "other"), [(writer.CSV_GERMAN, ","), (writer.CSV_INTERNATIONAL, ";")]
)
def test_csv_opened_with_the_other_separator_starts_no_formula(dialect, other):
    # German Excel splits at ";", English Excel at ",": every cell is quoted, so the
    # other separator inside a text cannot make a cell that starts a formula.
    text = "".join(writer.csv_chunks(["A"], [["x;=3+3;y"], ["Koch,+1+1"]], dialect))

    cells = [
        cell
        for row in csv.reader(io.StringIO(text[1:], newline=""), delimiter=other)
        for cell in row
    ]

    assert not [cell for cell in cells if writer.starts_formula(cell)]


def test_text_with_spaces_but_no_formula_is_kept_as_it_is():
    assert csv_of([["  Breite Straße 12"]]) == [["Wert"], ["  Breite Straße 12"]]


def test_a_marked_safe_text_is_escaped_too():
    from django.utils.safestring import mark_safe

    assert csv_of([[mark_safe("=1+1")]]) == [["Wert"], ["'=1+1"]]
