"""What an export file contains (reports.exports through reports.services): formulas
neutralised, text and dates kept, no self-description, lists in list order, the
response's headers, and a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from candidates.models import Application
from lists.models import CandidateList
from reports.exports import ApplicationExport, CandidateListExport
from tests.factories import (
    get_council,
    get_district,
    get_municipality,
    login_staff,
    make_application,
    make_list,
)
from tests.reports.export_helpers import (
    EXPORT_PAGE,
    FILTERED_EXPORT,
    column,
    content_of,
    csv_rows,
    xlsx_rows,
    xlsx_sheet,
)

pytestmark = pytest.mark.django_db

# Each first character that starts a formula, in a field the default columns export.
DANGEROUS = {
    "last_name": "=1+1",
    "first_names": "+SUM(A1)",
    "occupation": "-2+3",
    "town": "@SUM(A1)",
    "street": "\tBreite Straße 1",
    "ortsteil": "\rHasserode",
}
HEADERS = {
    "last_name": "Familienname",
    "first_names": "Vornamen",
    "occupation": "Beruf oder Stand",
    "town": "Ort",
    "street": "Straße und Hausnummer",
    "ortsteil": "Ortsteil",
}


@pytest.fixture
def harz_client(client, harz_chair):
    return login_staff(client, harz_chair)


@pytest.fixture
def dangerous_application(election):
    application = make_application()
    # The form's validators refuse some of these; data that got in anyway.
    Application.objects.filter(pk=application.pk).update(**DANGEROUS)
    return application


@pytest.mark.parametrize("field", DANGEROUS)
def test_csv_export_neutralises_each_formula_start(harz_client, dangerous_application, field):
    response = harz_client.get(FILTERED_EXPORT, {"format": "csv"})

    assert column(csv_rows(response), HEADERS[field]) == ["'" + DANGEROUS[field]]


@pytest.mark.parametrize("field", DANGEROUS)
def test_xlsx_export_keeps_each_formula_start_as_text(harz_client, dangerous_application, field):
    response = harz_client.get(FILTERED_EXPORT, {"format": "xlsx"})

    sheet = xlsx_sheet(response)
    headers = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index(HEADERS[field]) + 1)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    # Kept as typed: lxml writes a carriage return as a character reference.
    assert cell.value == DANGEROUS[field]


def test_unicode_round_trips_in_every_format(harz_client, election):
    make_application(last_name="Weiß-Öztürk", first_names="Jürgen", occupation="مهندس 😀")

    for file_format, delimiter in [("csv", ";"), ("csv_comma", ",")]:
        rows = csv_rows(harz_client.get(FILTERED_EXPORT, {"format": file_format}), delimiter)
        assert [row[rows[0].index("Familienname")] for row in rows[1:]] == ["Weiß-Öztürk"]
        assert column(rows, "Vornamen") == ["Jürgen"]
        assert column(rows, "Beruf oder Stand") == ["مهندس 😀"]
    rows = xlsx_rows(harz_client.get(FILTERED_EXPORT, {"format": "xlsx"}))
    assert column(rows, "Familienname") == ["Weiß-Öztürk"]
    assert column(rows, "Beruf oder Stand") == ["مهندس 😀"]


def test_dates_are_dates_in_xlsx_and_german_in_csv(harz_client, election):
    make_application(date_of_birth=datetime.date(1990, 5, 17))

    sheet = xlsx_sheet(harz_client.get(FILTERED_EXPORT, {"format": "xlsx"}))
    headers = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Geburtsdatum") + 1)
    assert (cell.value, cell.is_date, cell.number_format) == (
        datetime.datetime(1990, 5, 17),
        True,
        "DD.MM.YYYY",
    )
    rows = csv_rows(harz_client.get(FILTERED_EXPORT, {"format": "csv"}))
    assert column(rows, "Geburtsdatum") == ["17.05.1990"]
    rows = csv_rows(harz_client.get(FILTERED_EXPORT, {"format": "csv_comma"}), ",")
    assert column(rows, "Geburtsdatum") == ["1990-05-17"]


def test_no_export_offers_a_self_description_column():
    headers = [
        str(header)
        for export in (ApplicationExport, CandidateListExport)
        for _key, header in export.column_choices()
    ]

    assert [h for h in headers if "Geschlecht" in h or "Migration" in h] == []


def test_export_of_every_column_has_no_self_description(client, state_office_user, election):
    make_application(gender=Application.Gender.WOMAN, migration_history="yes")
    login_staff(client, state_office_user)
    every_column = [key for key, _header in ApplicationExport.column_choices()]

    response = client.get(
        EXPORT_PAGE,
        {"inhalt": "applications", "spalte": every_column, "format": "csv", "download": "1"},
    )

    rows = csv_rows(response)
    assert rows[0] == [str(header) for _key, header in ApplicationExport.column_choices()]
    assert "Frau" not in rows[1]


def test_csv_response_is_streamed_as_attachment_not_stored(harz_client, election):
    make_application()

    response = harz_client.get(FILTERED_EXPORT, {"format": "csv"})

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"].split(", ")
    assert response["Content-Disposition"] == (
        f'attachment; filename="bewerbungen-{datetime.date.today():%Y-%m-%d}.csv"'
    )


def test_xlsx_response_is_an_attachment_not_stored(harz_client, election):
    make_application(last_name="Mustermann")

    response = harz_client.get(FILTERED_EXPORT, {"format": "xlsx"})

    assert "no-store" in response["Cache-Control"].split(", ")
    assert response["Content-Disposition"] == (
        f'attachment; filename="bewerbungen-{datetime.date.today():%Y-%m-%d}.xlsx"'
    )
    assert "Mustermann" not in response["Content-Disposition"]


def test_csv_streams_outside_the_requests_district_scope(harz_client, election):
    """The streamed rows are read after DistrictScopeMiddleware has closed its scope."""
    make_application(last_name="Mustermann")
    response = harz_client.get(FILTERED_EXPORT, {"format": "csv"})

    with scope():  # no district: what a scoped manager sees after the middleware
        rows = csv_rows(response)

    assert column(rows, "Familienname") == ["Mustermann"]


def test_filtered_export_query_count_same_for_one_and_three_rows(harz_client, election):
    make_application(district=get_district("harz"))

    def queries():
        with CaptureQueriesContext(connection) as context:
            content_of(harz_client.get(FILTERED_EXPORT, {"format": "csv"}))
        return len(context)

    queries()
    one_row = queries()
    make_application(municipality=get_municipality("harz", "blankenburg-harz"))
    make_application(assignee=None)
    assert queries() == one_row
    assert len(csv_rows(harz_client.get(FILTERED_EXPORT, {"format": "csv"}))) == 4


# --- adopted lists --------------------------------------------------------------------


@pytest.fixture
def adopted_lists(election):
    """Harz: an adopted Stadtrat list (two places), a submitted Kreistag list and a draft."""
    first = make_application(last_name="Zander", first_names="Anna")
    second = make_application(last_name="Albers", first_names="Bernd")
    council = make_list(
        get_council(),
        election=election,
        places=[first, second],
        status=CandidateList.Status.ADOPTED,
    )
    district_council = make_list(
        get_council(kind="district_council", area_name="Harz"),
        election=election,
        places=[second],
        status=CandidateList.Status.SUBMITTED,
    )
    draft = make_list(
        get_council(area_name="Blankenburg (Harz)"),
        election=election,
        places=[make_application(last_name="Entwurf")],
    )
    return council, district_council, draft


def test_list_export_in_list_order_with_list_columns_without_drafts(
    client, harz_chair, adopted_lists
):
    login_staff(client, harz_chair)

    response = client.get(
        EXPORT_PAGE, {"inhalt": "lists", "format": "csv", "download": "1", "wahl": ""}
    )

    rows = csv_rows(response)
    assert rows[0] == [str(header) for header in CandidateListExport().headers()]
    assert [row[:6] for row in rows[1:]] == [
        ["Harz", "Kreistag Harz", "1", "eingereicht", "1", "Albers"],
        ["Harz", "Stadtrat Wernigerode", "1", "von der Versammlung beschlossen", "1", "Zander"],
        ["Harz", "Stadtrat Wernigerode", "1", "von der Versammlung beschlossen", "2", "Albers"],
    ]


def test_every_column_reads_the_same_from_stored_values_as_from_the_model(election, harz_chair):
    """ApplicationExport reads plain values (reports.exports.ApplicationValues) instead of
    model instances, for speed; each column must give what the model gives."""
    make_application(
        last_name="Komplett",
        assignee=harz_chair,
        wants_training=True,
        wants_mentoring=True,
        stands_for_district_council=True,
    )
    make_application(
        last_name="Kurz",
        occupation="",
        date_of_birth=None,
        street="",
        citizenship="",
        membership="",
        motivation="",
        stands_for_council=False,
    )
    make_application(
        last_name="Jung",
        date_of_birth=datetime.date(2015, 1, 1),
        citizenship=Application.Citizenship.OTHER,
        is_eligible=False,
        ineligibility_reasons=["age", "citizenship"],
    )
    make_application(last_name="Direkt", entered_by=harz_chair, motivation="")
    every_column = ApplicationExport([column.key for column in ApplicationExport.columns])
    with scope(district=[get_district().pk]):
        queryset = Application.objects.order_by("last_name")
        from_values = list(every_column.rows(queryset))
        texts = {}
        from_model = [
            [
                str(value) if hasattr(value, "_proxy____cast") else value
                for value in (
                    column.value(application, lambda label: texts.setdefault(label, str(label)))
                    if column.needs_text
                    else column.value(application)
                    for column in every_column.selected
                )
            ]
            for application in queryset.select_related("election", "municipality__district")
        ]

    assert from_values == from_model
    assert [row[every_column.column_keys.index("familienname")] for row in from_values] == [
        "Direkt",
        "Jung",
        "Komplett",
        "Kurz",
    ]
