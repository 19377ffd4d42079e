"""Every way out of the portal for applications and lists: the application list's
actions and filtered view, the export page, the list admin's action and the command
export_applications. Each is scoped like the admin (a Harz chair never gets a Magdeburg
row), refused without the export permission, and answers odd input with an error, never
a 500."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertContains, assertNotContains

from lists.models import CandidateList
from reports.models import ExportRecord
from tests.factories import (
    MAGDEBURG_NAME,
    get_council,
    get_district,
    login_staff,
    make_application,
    make_list,
)
from tests.reports.export_helpers import (
    APPLICATION_CHANGELIST,
    EXPORT_PAGE,
    FILTERED_EXPORT,
    LIST_CHANGELIST,
    action_post,
    column,
    content_of,
    csv_rows,
    team_member_without_export,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def harz_application(election):
    return make_application(last_name="Harzer")


@pytest.fixture
def harz_client(client, harz_chair):
    return login_staff(client, harz_chair)


@pytest.fixture
def lists(election, harz_application, magdeburg_application):
    """An adopted list in Harz and one in Magdeburg."""
    harz = make_list(
        get_council(),
        election=election,
        places=[harz_application],
        status=CandidateList.Status.ADOPTED,
    )
    magdeburg = make_list(
        get_council(district_slug="magdeburg", area_name="Magdeburg"),
        election=election,
        places=[magdeburg_application],
        status=CandidateList.Status.ADOPTED,
    )
    return harz, magdeburg


def run_command(*args):
    out = io.StringIO()
    call_command("export_applications", *args, stdout=out)
    return out.getvalue()


def csv_file_rows(path, delimiter=";"):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


# --- scope: a Harz chair never gets a Magdeburg row --------------------------------------


def test_action_exports_only_own_district_even_with_another_districts_id(
    harz_client, harz_application, magdeburg_application
):
    response = harz_client.post(
        APPLICATION_CHANGELIST,
        action_post("export_csv_action", [harz_application, magdeburg_application]),
    )

    assert column(csv_rows(response), "Familienname") == ["Harzer"]


def test_action_select_all_exports_every_matching_row_of_own_district(
    harz_client, harz_application, magdeburg_application
):
    make_application(last_name="Brockenwirt")

    response = harz_client.post(
        APPLICATION_CHANGELIST,
        action_post("export_xlsx_action", [harz_application], select_across="1"),
    )

    assert column(xlsx_rows(response), "Familienname") == ["Brockenwirt", "Harzer"]


def test_filtered_export_only_own_district(harz_client, harz_application, magdeburg_application):
    response = harz_client.get(FILTERED_EXPORT, {"format": "csv"})

    assert column(csv_rows(response), "Familienname") == ["Harzer"]


def test_filtered_export_filtering_for_another_district_exports_nothing(
    harz_client, harz_application, magdeburg_application
):
    response = harz_client.get(
        FILTERED_EXPORT,
        {"format": "csv", "municipality__district__id__exact": get_district("magdeburg").pk},
    )

    # Not a district of the chair's: a wrong filter, back to the list with a message.
    assert response.status_code == 302
    assert not ExportRecord.objects.exists()


def test_filtered_export_follows_the_lists_filters_search_and_order(
    harz_client, harz_application, magdeburg_application
):
    make_application(last_name="Abendroth", status="contacted")
    make_application(last_name="Zöllner", status="contacted")

    response = harz_client.get(FILTERED_EXPORT, {"format": "csv", "status": "contacted", "o": "-1"})
    assert column(csv_rows(response), "Familienname") == ["Zöllner", "Abendroth"]

    response = harz_client.get(FILTERED_EXPORT, {"format": "csv", "q": "Abend"})
    assert column(csv_rows(response), "Familienname") == ["Abendroth"]


def test_export_page_without_districts_exports_only_own(
    harz_client, harz_application, magdeburg_application
):
    response = harz_client.get(EXPORT_PAGE, {"format": "csv", "download": "1"})

    assert column(csv_rows(response), "Familienname") == ["Harzer"]


def test_export_page_refuses_another_district(harz_client, harz_application, magdeburg_application):
    response = harz_client.get(
        EXPORT_PAGE, {"format": "csv", "download": "1", "kreisverband": "magdeburg"}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["kreisverband"]
    assert ExportRecord.objects.count() == 0


def test_export_page_lists_only_own(harz_client, lists):
    response = harz_client.get(EXPORT_PAGE, {"inhalt": "lists", "format": "csv", "download": "1"})

    assert column(csv_rows(response), "Familienname") == ["Harzer"]


def test_list_action_exports_only_own_district(harz_client, lists):
    response = harz_client.post(LIST_CHANGELIST, action_post("export_csv_action", lists))

    assert column(csv_rows(response), "Familienname") == ["Harzer"]


def test_command_exports_only_the_users_districts(
    harz_chair, harz_application, magdeburg_application, tmp_path
):
    output = tmp_path / "export.csv"

    printed = run_command("--user", harz_chair.email, "--format", "csv", "--output", str(output))

    assert column(csv_file_rows(output), "Familienname") == ["Harzer"]
    assert printed == f"Wrote 1 row(s) to {output}.\n"


def test_command_refuses_another_district(
    harz_chair, harz_application, magdeburg_application, tmp_path
):
    output = tmp_path / "export.csv"

    with pytest.raises(CommandError, match="--district"):
        run_command("--user", harz_chair.email, "--district", "magdeburg", "--output", str(output))

    assert not output.exists()
    assert ExportRecord.objects.count() == 0


def test_command_lists_only_the_users_districts(harz_chair, lists, tmp_path):
    output = tmp_path / "listen.xlsx"

    run_command("--user", harz_chair.username, "--lists", "--output", str(output))

    sheet = openpyxl.load_workbook(output).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert column(rows, "Familienname") == ["Harzer"]


def test_state_office_exports_every_district(
    client, state_office_user, harz_application, magdeburg_application
):
    login_staff(client, state_office_user)

    response = client.get(FILTERED_EXPORT, {"format": "csv", "o": "1"})

    assert sorted(column(csv_rows(response), "Familienname")) == ["Harzer", MAGDEBURG_NAME]


# --- without the permission -------------------------------------------------------------


@pytest.fixture(params=["team_without_export", "staff_without_group"])
def refused_client(request, client, election, staff_without_district):
    if request.param == "team_without_export":
        user = team_member_without_export()
    else:
        user = staff_without_district
    return login_staff(client, user)


def test_filtered_export_refused_without_permission(refused_client, harz_application):
    assert refused_client.get(FILTERED_EXPORT, {"format": "csv"}).status_code == 403


def test_action_refused_without_permission(refused_client, harz_application):
    response = refused_client.post(
        APPLICATION_CHANGELIST, action_post("export_csv_action", [harz_application])
    )

    assert response.status_code == 403


def test_export_page_refused_without_permission(refused_client, harz_application):
    assert refused_client.get(EXPORT_PAGE).status_code == 403
    response = refused_client.get(EXPORT_PAGE, {"format": "csv", "download": "1"})
    assert response.status_code == 403


def test_list_action_refused_without_permission(refused_client, lists):
    response = refused_client.post(LIST_CHANGELIST, action_post("export_csv_action", lists))

    assert response.status_code == 403


def test_nothing_recorded_when_refused(refused_client, harz_application):
    refused_client.get(FILTERED_EXPORT, {"format": "csv"})
    refused_client.get(EXPORT_PAGE, {"format": "csv", "download": "1"})

    assert ExportRecord.objects.count() == 0


def test_team_member_without_permission_sees_no_export_action_or_buttons(client, election):
    user = team_member_without_export()
    make_application()
    login_staff(client, user)

    response = client.get(APPLICATION_CHANGELIST)

    actions = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "change_status_action", "assign_action"]
    assertNotContains(response, FILTERED_EXPORT)


def test_changelist_buttons_export_the_filtered_view(harz_client, harz_application):
    response = harz_client.get(APPLICATION_CHANGELIST, {"status": "new", "q": "Harz", "p": "1"})

    assertContains(
        response,
        f'<a href="{FILTERED_EXPORT}?status=new&amp;q=Harz&amp;format=xlsx" '
        'class="export-link">Diese Auswahl als Excel</a>',
        html=True,
    )
    assertContains(
        response,
        f'<a href="{FILTERED_EXPORT}?status=new&amp;q=Harz&amp;format=csv" '
        'class="export-link">als CSV</a>',
        html=True,
    )


@pytest.mark.parametrize("who", ["team_without_export", "staff_without_group"])
def test_command_refuses_user_without_permission(who, staff_without_district, tmp_path):
    user = team_member_without_export() if who == "team_without_export" else staff_without_district
    output = tmp_path / "export.xlsx"

    with pytest.raises(CommandError, match="reports.export_data"):
        run_command("--user", user.email, "--output", str(output))

    assert not output.exists()


def test_command_refuses_unknown_user(db, tmp_path):
    with pytest.raises(CommandError, match="No single account"):
        run_command("--user", "niemand@example.org", "--output", str(tmp_path / "x.xlsx"))


def test_command_refuses_to_overwrite_without_force(harz_chair, harz_application, tmp_path):
    output = tmp_path / "export.csv"
    output.write_text("vorher")

    with pytest.raises(CommandError, match="--force"):
        run_command("--user", harz_chair.email, "--format", "csv", "--output", str(output))
    assert output.read_text() == "vorher"

    run_command("--user", harz_chair.email, "--format", "csv", "--output", str(output), "--force")
    assert column(csv_file_rows(output), "Familienname") == ["Harzer"]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--election", "+9"),
        ("--election", "٩"),
        ("--election", "abc"),
        ("--status", "erfunden"),
        ("--body", "bundestag"),
        ("--columns", "familienname,geschlecht"),
        ("--district", "\x00"),
    ],
)
def test_command_refuses_odd_choices(harz_chair, election, tmp_path, option, value):
    output = tmp_path / "export.xlsx"

    with pytest.raises(CommandError, match=option):
        run_command("--user", harz_chair.email, option, value, "--output", str(output))

    assert not output.exists()


def test_command_team_member_cannot_ask_for_unconfirmed(harz_chair, election, tmp_path):
    with pytest.raises(CommandError, match="--status"):
        run_command(
            "--user", harz_chair.email, "--status", "unconfirmed", "--output", str(tmp_path / "x")
        )


# --- odd input: an error, never a 500 ------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"wahl": "+9"}, "wahl"),
        ({"wahl": "٩"}, "wahl"),
        ({"wahl": "abc"}, "wahl"),
        ({"wahl": "9 "}, "wahl"),
        ({"spalte": "geschlecht"}, "spalte"),
        ({"listenspalte": "email"}, "listenspalte"),
        ({"format": "pdf"}, "format"),
        ({"inhalt": "alles"}, "inhalt"),
        ({"status": "unconfirmed"}, "status"),
        ({"gremium": "bundestag"}, "gremium"),
        ({"kreisverband": "x" * 5000}, "kreisverband"),
    ],
)
def test_export_page_odd_choice_is_a_form_error(harz_client, election, params, field):
    query = {"format": "csv", "download": "1", **params}

    response = harz_client.get(EXPORT_PAGE, query)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert ExportRecord.objects.count() == 0


def test_export_page_nul_is_400(harz_client, election):
    # portal.middleware answers before the page; nothing exported.
    response = harz_client.get(EXPORT_PAGE, {"download": "1", "kreisverband": "\x00"})

    assert response.status_code == 400
    assert ExportRecord.objects.count() == 0


def test_export_page_election_outside_the_list_is_an_error(harz_client, election):
    response = harz_client.get(
        EXPORT_PAGE, {"format": "csv", "download": "1", "wahl": str(election.pk + 1000)}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["wahl"]


@pytest.mark.parametrize("file_format", [None, "pdf", "XLSX", "٩"])
def test_filtered_export_unknown_format_is_400(harz_client, harz_application, file_format):
    params = {} if file_format is None else {"format": file_format}

    response = harz_client.get(FILTERED_EXPORT, params)

    assert response.status_code == 400
    assert "Unbekanntes Format" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"wahl": "+9"},
        {"election__id__exact": "abc"},
        {"created_at__year": "99999999999999"},
        {"municipality__district__id__exact": "٩"},
        {"p": "999"},
        {"o": "abc"},
        {"q": "\x00"},
    ],
)
def test_filtered_export_odd_filter_never_500(harz_client, harz_application, params):
    response = harz_client.get(FILTERED_EXPORT, {"format": "csv", **params})

    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert response["Location"] == APPLICATION_CHANGELIST
        assert ExportRecord.objects.count() == 0
    if response.status_code == 200:
        content_of(response)


# --- the export page's form ----------------------------------------------------------------


def test_export_page_offers_own_districts_and_the_open_election(harz_client, election):
    response = harz_client.get(EXPORT_PAGE)

    form = response.context["form"]
    assert form.fields["kreisverband"].choices == [("harz", "Harz")]
    assert form.initial == {"wahl": str(election.pk)}
    assert [value for value, _label in form.fields["status"].choices] == [
        "new",
        "contacted",
        "interview",
        "nominated",
        "not_considered",
        "withdrawn",
    ]
    assertContains(response, "Jeder Export wird protokolliert")
    assertNotContains(response, "Magdeburg")


def test_state_office_may_export_unconfirmed(client, state_office_user, election):
    make_application(last_name="Unbestätigt", status="unconfirmed", confirmed_at=None)
    make_application(last_name="Bestätigt")
    login_staff(client, state_office_user)

    response = client.get(EXPORT_PAGE, {"status": "unconfirmed", "format": "csv", "download": "1"})

    assert column(csv_rows(response), "Familienname") == ["Unbestätigt"]
    form = client.get(EXPORT_PAGE).context["form"]
    assert len(form.fields["kreisverband"].choices) == 14
    assert ("unconfirmed", "unbestätigt") in form.fields["status"].choices
