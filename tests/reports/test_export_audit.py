"""The export log (reports.models.ExportRecord): one row per export on every path, with
the path, kind, format, number of rows and the choices, but no applicant's data; and its
read-only admin, for the state office only."""

import io
import json
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from candidates.models import Application
from lists.models import CandidateList
from reports.exports import ApplicationExport, CandidateListExport
from reports.models import ExportRecord
from tests.factories import get_council, login_staff, make_application, make_list, queries_for
from tests.reports.export_helpers import (
    APPLICATION_CHANGELIST,
    AUDIT_CHANGELIST,
    EXPORT_PAGE,
    FILTERED_EXPORT,
    LIST_CHANGELIST,
    action_post,
    content_of,
)

pytestmark = pytest.mark.django_db

RECORD_FIELDS = ["user", "username", "path", "kind", "file_format", "row_count", "filters"]


def record_of(record):
    return {field: getattr(record, field) for field in RECORD_FIELDS}


@pytest.fixture
def mueller(election, magdeburg_application):
    return make_application(last_name="Müller", email="mueller@example.org")


@pytest.fixture
def harz_client(client, harz_chair):
    return login_staff(client, harz_chair)


def assert_no_personal_data(record, *applications):
    text = json.dumps(record.filters, ensure_ascii=False)
    for application in applications:
        assert application.last_name not in text
        assert application.email not in text
    assert "pk" not in text and "id" not in record.filters


def test_action_writes_one_record_with_filters_and_count(harz_client, harz_chair, mueller):
    response = harz_client.post(
        f"{APPLICATION_CHANGELIST}?status=new&q=M%C3%BCller&p=1",
        action_post("export_csv_action", [mueller]),
    )
    content_of(response)

    [record] = ExportRecord.objects.all()
    assert record_of(record) == {
        "user": harz_chair,
        "username": "chair@harz.example.org",
        "path": ExportRecord.Path.ADMIN_ACTION,
        "kind": ExportRecord.Kind.APPLICATIONS,
        "file_format": ExportRecord.Format.CSV,
        "row_count": 1,
        "filters": {"q": "(Suchbegriff)", "status": "new", "ausgewählt": 1},
    }
    assert_no_personal_data(record, mueller)


@pytest.mark.parametrize(
    "lookup",
    [
        {"last_name": "Müller"},
        {"email": "mueller@example.org"},
        {"first_names__startswith": "Ma"},
        {"phone__contains": "0391"},
    ],
)
def test_lookups_on_personal_fields_are_recorded_only_as_used(harz_client, mueller, lookup):
    # Django's changelist filters by any of the model's own fields from the address; the
    # value may be a person's data, so the audit row only says such a filter was used.
    content_of(harz_client.get(FILTERED_EXPORT, {**lookup, "format": "csv"}))
    harz_client.post(
        APPLICATION_CHANGELIST + "?" + urlencode(lookup),
        action_post("export_csv_action", [mueller]),
    )

    filtered, action = (record.filters for record in ExportRecord.objects.order_by("pk"))
    assert filtered == dict.fromkeys(lookup, "(weiterer Filter)")
    assert {name: action[name] for name in lookup} == dict.fromkeys(lookup, "(weiterer Filter)")


def test_filtered_export_writes_one_record(harz_client, harz_chair, mueller):
    response = harz_client.get(
        FILTERED_EXPORT, {"status": "new", "q": "Müller", "o": "2", "format": "xlsx"}
    )
    content_of(response)

    [record] = ExportRecord.objects.all()
    assert record_of(record) == {
        "user": harz_chair,
        "username": "chair@harz.example.org",
        "path": ExportRecord.Path.ADMIN_FILTER,
        "kind": ExportRecord.Kind.APPLICATIONS,
        "file_format": ExportRecord.Format.XLSX,
        "row_count": 1,
        "filters": {"q": "(Suchbegriff)", "status": "new"},
    }
    assert_no_personal_data(record, mueller)


def test_export_page_writes_one_record_with_the_choices(harz_client, harz_chair, election, mueller):
    response = harz_client.get(
        EXPORT_PAGE,
        {
            "inhalt": "applications",
            "wahl": str(election.pk),
            "kreisverband": "harz",
            "status": "new",
            "gremium": "council",
            "spalte": ["email", "familienname"],
            "format": "csv_comma",
            "download": "1",
        },
    )
    content_of(response)

    [record] = ExportRecord.objects.all()
    assert record_of(record) == {
        "user": harz_chair,
        "username": "chair@harz.example.org",
        "path": ExportRecord.Path.EXPORT_PAGE,
        "kind": ExportRecord.Kind.APPLICATIONS,
        "file_format": ExportRecord.Format.CSV_COMMA,
        "row_count": 1,
        "filters": {
            "wahl": election.pk,
            "kreisverband": ["harz"],
            "status": ["new"],
            "gremium": ["council"],
            "spalten": ["familienname", "email"],
        },
    }
    assert_no_personal_data(record, mueller)


def test_export_page_counting_rows_writes_no_record(harz_client, election, mueller):
    response = harz_client.get(EXPORT_PAGE, {"format": "xlsx", "wahl": str(election.pk)})

    assertContains(response, "Diese Auswahl ergibt 1 Zeile.")
    assert ExportRecord.objects.count() == 0


@pytest.fixture
def harz_lists(election):
    """An adopted list with two places and a draft."""
    adopted = make_list(
        get_council(),
        election=election,
        places=[make_application(last_name="Zander"), make_application(last_name="Albers")],
        status=CandidateList.Status.ADOPTED,
    )
    draft = make_list(get_council(area_name="Blankenburg (Harz)"), election=election)
    return adopted, draft


def test_list_action_writes_one_record_and_skips_drafts(harz_client, harz_chair, harz_lists):
    response = harz_client.post(
        f"{LIST_CHANGELIST}?kind=council", action_post("export_xlsx_action", harz_lists)
    )
    content_of(response)

    [record] = ExportRecord.objects.all()
    assert record_of(record) == {
        "user": harz_chair,
        "username": "chair@harz.example.org",
        "path": ExportRecord.Path.LIST_ACTION,
        "kind": ExportRecord.Kind.LISTS,
        "file_format": ExportRecord.Format.XLSX,
        "row_count": 2,
        "filters": {"kind": "council", "ausgewählt": 2, "Entwürfe übersprungen": 1},
    }
    messages = [str(m) for m in harz_client.get(LIST_CHANGELIST).context["messages"]]
    assert messages == [
        "1 Entwurf wurde übersprungen: Nur beschlossene oder eingereichte Listen werden exportiert."
    ]


def test_list_action_with_only_drafts_exports_nothing(harz_client, harz_lists):
    _adopted, draft = harz_lists

    response = harz_client.post(LIST_CHANGELIST, action_post("export_csv_action", [draft]))

    assert response.status_code == 302
    assert ExportRecord.objects.count() == 0
    messages = [str(m) for m in harz_client.get(LIST_CHANGELIST).context["messages"]]
    assert messages == [
        "Nichts exportiert: Nur beschlossene oder eingereichte Listen werden exportiert, "
        "Entwürfe nicht."
    ]


def test_command_writes_one_record(harz_chair, mueller, tmp_path):
    output = tmp_path / "export.xlsx"

    call_command(
        "export_applications",
        "--user",
        harz_chair.email,
        "--status",
        "new",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )

    [record] = ExportRecord.objects.all()
    assert record_of(record) == {
        "user": harz_chair,
        "username": "chair@harz.example.org",
        "path": ExportRecord.Path.COMMAND,
        "kind": ExportRecord.Kind.APPLICATIONS,
        "file_format": ExportRecord.Format.XLSX,
        "row_count": 1,
        "filters": {
            "wahl": None,
            "kreisverband": [],
            "status": ["new"],
            "gremium": [],
            "spalten": ApplicationExport.default_keys(),
        },
    }


def test_command_lists_writes_one_record(harz_chair, harz_lists, tmp_path):
    call_command(
        "export_applications",
        "--user",
        harz_chair.email,
        "--lists",
        "--format",
        "csv",
        "--columns",
        "platz,familienname",
        "--output",
        str(tmp_path / "listen.csv"),
        stdout=io.StringIO(),
    )

    [record] = ExportRecord.objects.all()
    assert (record.path, record.kind, record.row_count, record.filters) == (
        ExportRecord.Path.COMMAND,
        ExportRecord.Kind.LISTS,
        2,
        {"wahl": None, "kreisverband": [], "spalten": ["platz", "familienname"]},
    )
    assert CandidateListExport(["platz", "familienname"]).headers() == ["Platz", "Familienname"]


# --- the export log in the admin ---------------------------------------------------------


def make_record(user, **overrides):
    values = {
        "user": user,
        "username": user.username,
        "path": ExportRecord.Path.EXPORT_PAGE,
        "kind": ExportRecord.Kind.APPLICATIONS,
        "file_format": ExportRecord.Format.XLSX,
        "filters": {"kreisverband": ["harz"]},
        "row_count": 12,
    }
    values.update(overrides)
    return ExportRecord.objects.create(**values)


@pytest.fixture
def state_office_client(client, state_office_user):
    return login_staff(client, state_office_user)


def test_state_office_sees_the_log(state_office_client, harz_chair, magdeburg_chair):
    first = make_record(harz_chair)
    second = make_record(magdeburg_chair, path=ExportRecord.Path.COMMAND)

    response = state_office_client.get(AUDIT_CHANGELIST)

    assert list(response.context["cl"].result_list) == [second, first]
    assertContains(response, "chair@harz.example.org")
    assertContains(response, "{&quot;kreisverband&quot;: [&quot;harz&quot;]}")
    assertNotContains(response, "delete_selected")


def test_log_query_count_same_for_one_and_three_rows(
    state_office_client, harz_chair, django_assert_num_queries
):
    make_record(harz_chair)
    queries_for_one_row = queries_for(state_office_client, AUDIT_CHANGELIST)
    make_record(harz_chair, kind=ExportRecord.Kind.LISTS)
    make_record(harz_chair, file_format=ExportRecord.Format.CSV)

    with django_assert_num_queries(queries_for_one_row):
        response = state_office_client.get(AUDIT_CHANGELIST)

    assert len(response.context["cl"].result_list) == 3


def test_log_cannot_be_added_changed_or_deleted(state_office_client, harz_chair):
    record = make_record(harz_chair)
    change_url = reverse("admin:reports_exportrecord_change", args=[record.pk])

    assert state_office_client.get(reverse("admin:reports_exportrecord_add")).status_code == 403
    assert state_office_client.post(change_url, {"row_count": 0}).status_code == 403
    delete_url = reverse("admin:reports_exportrecord_delete", args=[record.pk])
    assert state_office_client.get(delete_url).status_code == 403
    assert state_office_client.post(delete_url, {"post": "yes"}).status_code == 403
    # No actions at all: the list ignores the forged one.
    response = state_office_client.post(
        AUDIT_CHANGELIST, {"action": "delete_selected", "_selected_action": [record.pk]}
    )
    assert response.status_code == 200
    assert ExportRecord.objects.get().row_count == 12


def test_log_detail_is_read_only(state_office_client, harz_chair):
    record = make_record(harz_chair)

    response = state_office_client.get(
        reverse("admin:reports_exportrecord_change", args=[record.pk])
    )

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assertNotContains(response, 'name="_save"')


@pytest.mark.parametrize("fixture", ["harz_chair", "staff_without_district"])
def test_log_refused_to_district_teams(client, request, fixture, magdeburg_chair):
    make_record(magdeburg_chair)
    login_staff(client, request.getfixturevalue(fixture))

    assert client.get(AUDIT_CHANGELIST).status_code == 403
    assertNotContains(client.get(reverse("admin:index")), AUDIT_CHANGELIST)


def test_application_export_rows_name_no_self_description(harz_client, election):
    make_application(gender=Application.Gender.DIVERSE)

    content = content_of(harz_client.get(FILTERED_EXPORT, {"format": "csv"})).decode()

    assert "divers" not in content


def test_export_records_cannot_be_rewritten_or_deleted_in_bulk(harz_client, harz_chair, mueller):
    content_of(harz_client.get(FILTERED_EXPORT, {"format": "csv"}))

    with pytest.raises(ValueError, match="append-only"):
        ExportRecord.objects.all().update(username="someone else")
    with pytest.raises(ValueError, match="append-only"):
        ExportRecord.objects.all().delete()

    assert list(ExportRecord.objects.values_list("username", flat=True)) == [
        "chair@harz.example.org"
    ]


def test_deleting_the_staff_account_keeps_the_record(harz_client, harz_chair, mueller):
    content_of(harz_client.get(FILTERED_EXPORT, {"format": "csv"}))
    # The chair is the Ansprechperson of nothing and entered nobody directly.
    harz_chair.delete()

    assert list(ExportRecord.objects.values_list("user", "username")) == [
        (None, "chair@harz.example.org")
    ]
