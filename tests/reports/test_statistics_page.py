"""The statistics page "Auswertung" and its CSV files (reports.statistics_views): who may
open them, what they show (suppressed figures, the baseline, charts readable without
colour), odd parameters, and a constant number of queries."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from candidates.models import Application
from districts.models import DistrictMembership
from reports import suppression
from reports.baseline import WOMEN_BASELINE_LABEL
from tests.factories import (
    MAGDEBURG_NAME,
    get_municipality,
    login_staff,
    make_application,
    make_election,
    make_staff_user,
    queries_for,
)

PAGE = reverse("admin:statistics")
WOMAN = Application.Gender.WOMAN
MAN = Application.Gender.MAN
TABLE_KEYS = [
    "stand",
    "gremien",
    "quellen",
    "stufen",
    "vielfalt-aktiv",
    "vielfalt-nominiert",
    "vielfalt-listen",
    "alter",
]


def csv_url(table, election):
    return f"{reverse('admin:statistics_csv', kwargs={'table': table})}?wahl={election.pk}"


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(text):
    """The rows of a CSV file for German Excel: BOM first, cells separated by ';'."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def harz_and_magdeburg_people():
    for _ in range(6):
        make_application(gender=WOMAN)
    for _ in range(5):
        make_application(gender=MAN)
    for _ in range(3):
        make_application(gender=WOMAN, municipality=get_municipality("magdeburg", "magdeburg"))


def content_main(response):
    """The page's own part (inside #content-main), without the admin's frame."""
    html = response.content.decode()
    return html[html.index('<div id="content-main">') :]


# --- Who may open it ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PAGE, reverse("admin:statistics_csv", kwargs={"table": "stand"})])
def test_anonymous_is_sent_to_the_sign_in(client, url):
    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"/verwaltung/login/?next={url}")


def test_staff_without_the_permission_gets_403(client, staff_without_district, election):
    login_staff(client, staff_without_district)

    assert client.get(PAGE).status_code == 403
    assert client.get(csv_url("stand", election)).status_code == 403


def test_harz_chair_sees_only_harz(client, harz_chair, election, magdeburg_application):
    harz_and_magdeburg_people()

    response = login_staff(client, harz_chair).get(PAGE)

    stats = response.context["stats"]
    assert [row.district.slug for row in stats.rows] == ["harz"]
    assert [row.label for row in response.context["tables"]["stand"].rows] == [
        "Harz",
        "Ihre Kreisverbände insgesamt",
    ]
    assert str(stats.total.stages["active"].people) == "11"
    assertNotContains(response, "Magdeburg")
    assertNotContains(response, MAGDEBURG_NAME)


def test_state_office_sees_all_districts_and_a_total(client, state_office_user, election):
    harz_and_magdeburg_people()

    response = login_staff(client, state_office_user).get(PAGE)

    labels = [row.label for row in response.context["tables"]["vielfalt-aktiv"].rows]
    assert len(labels) == 15
    assert (labels[0], labels[-1]) == ("Altmarkkreis Salzwedel", "Sachsen-Anhalt insgesamt")
    assertContains(response, "Magdeburg")
    assert str(response.context["stats"].total.stages["active"].people) == "14"


def test_team_member_without_district_is_told_so(client, election):
    user = make_staff_user("team@example.org", districts=["harz"])
    DistrictMembership.objects.filter(user=user).delete()

    response = login_staff(client, user).get(PAGE)

    assert response.status_code == 200
    assertContains(response, "Sie gehören noch zu keinem Kreisverbands-Team.")


# --- What it shows -----------------------------------------------------------------------


def test_page_shows_the_womens_share_beside_the_baseline(client, harz_chair, election):
    harz_and_magdeburg_people()

    response = login_staff(client, harz_chair).get(PAGE)

    assert response.context["title"] == "Auswertung"
    assert response.context["tables"]["vielfalt-aktiv"].rows[0].cells[:3] == [
        "11",
        "6",
        "54,5\u00a0%",
    ]
    html = content_main(response)
    assert str(WOMEN_BASELINE_LABEL) in html
    assert escape(str(suppression.EXPLANATION)) in html
    # The per-district chart: Harz's bar, labelled, and the dashed baseline with its text.
    chart = html[html.index('id="diagramm-frauen-kreisverbaende"') :]
    chart = chart[: chart.index("</figure>")]
    assert '<rect class="chart-bar"' in chart
    assert re.search(r'<text class="chart-value"[^>]*>54,5\u00a0%</text>', chart)
    assert 'class="chart-baseline"' in chart and 'stroke-dasharray="6 4"' in chart
    assert "heute in den Räten: 19,4 %" in chart
    assert "<title" in chart and 'role="img"' in chart


def test_suppressed_shares_get_no_bar_but_their_text(client, harz_chair, election):
    for _ in range(3):
        make_application(gender=WOMAN)
    for _ in range(8):
        make_application(gender=MAN)

    response = login_staff(client, harz_chair).get(PAGE)

    html = content_main(response)
    chart = html[html.index('id="diagramm-frauen-kreisverbaende"') :]
    chart = chart[: chart.index("</figure>")]
    assert "<rect" not in chart
    assert re.findall(r'<text class="chart-value[^"]*"[^>]*>([^<]*)</text>', chart) == [
        "&lt; 5",
        "&lt; 5",
    ]
    assert response.context["tables"]["vielfalt-aktiv"].rows[0].cells[:3] == ["11", "< 5", "–"]


def test_page_has_no_inline_style_or_script(client, state_office_user, election):
    harz_and_magdeburg_people()

    html = content_main(login_staff(client, state_office_user).get(PAGE))

    assert "style=" not in html
    assert "<script" not in html
    assert "<style" not in html


def test_every_table_has_a_csv_link_with_the_election(client, state_office_user, election):
    response = login_staff(client, state_office_user).get(PAGE)

    html = content_main(response)
    links = re.findall(r'href="(/verwaltung/auswertung/csv/[^"]*)"', html)
    assert links == [csv_url(key, election).replace("&", "&amp;") for key in TABLE_KEYS]


def test_election_selector_lists_the_elections(client, state_office_user, election):
    older = make_election(
        name="Kommunalwahl 2024",
        election_day=datetime.date(2024, 6, 9),
        applications_open_from=datetime.date(2023, 1, 1),
        applications_open_until=datetime.date(2024, 4, 1),
    )
    make_application(election=older, gender=WOMAN)
    login_staff(client, state_office_user)

    response = client.get(f"{PAGE}?wahl={older.pk}")

    assert response.context["stats"].election == older
    assert str(response.context["stats"].total.applications) == "< 5"
    assertContains(response, f'<option value="{older.pk}" selected>', html=False)
    assertContains(response, f'<option value="{election.pk}">', html=False)


@pytest.mark.parametrize(
    "value", ["abc", "+9", "٩", "9%20", "99999999999999999999999999", "-1", "0"]
)
def test_odd_election_values_show_the_default_with_a_message(client, harz_chair, election, value):
    response = login_staff(client, harz_chair).get(f"{PAGE}?wahl={value}")

    assert response.status_code == 200
    assert response.context["stats"].election == election
    assertContains(response, "Diese Wahl gibt es nicht.")


def test_without_any_election_the_page_says_so(client, state_office_user):
    response = login_staff(client, state_office_user).get(PAGE)

    assert response.status_code == 200
    assertContains(response, "Es ist noch keine Wahl angelegt.")


# --- CSV ---------------------------------------------------------------------------------


def test_csv_of_a_table(client, harz_chair, election):
    for _ in range(3):
        make_application(gender=WOMAN)
    for _ in range(8):
        make_application(gender=MAN)
    make_application(gender=WOMAN, municipality=get_municipality("magdeburg", "magdeburg"))

    response = login_staff(client, harz_chair).get(csv_url("vielfalt-aktiv", election))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="auswertung-vielfalt-aktiv-wahl-{election.pk}.csv"'
    )
    assert "no-store" in response["Cache-Control"].split(", ")
    text = csv_text(response)
    assert text.count(";") == 3 * 10
    assert csv_rows(text) == [
        [
            "Kreisverband",
            "Personen",
            "Frauen",
            "Anteil Frauen (%)",
            "unter 35",
            "Anteil unter 35 (%)",
            "Alter unbekannt",
            "Migrationsgeschichte",
            "Anteil mit Migrationsgeschichte (%)",
            "Nichtmitglieder",
            "Anteil Nichtmitglieder (%)",
        ],
        ["Harz", "11", "< 5", "", "< 5", "", "< 5", "< 5", "", "> 6", ""],
        ["Ihre Kreisverbände insgesamt", "11", "< 5", "", "< 5", "", "< 5", "< 5", "", "> 6", ""],
    ]


def test_csv_shares_use_the_decimal_comma(client, state_office_user, election):
    harz_and_magdeburg_people()

    response = login_staff(client, state_office_user).get(csv_url("stufen", election))

    rows = csv_rows(csv_text(response))
    assert rows[1:] == [
        ["aktive Bewerber:innen", "14", "9", "64,3", "< 5", "", "< 5", "< 5", "", "> 9", ""],
        ["nominiert", "< 5", "< 5", "", "< 5", "", "< 5", "< 5", "", "< 5", ""],
        ["auf beschlossenen Listen", "< 5", "< 5", "", "< 5", "", "< 5", "< 5", "", "< 5", ""],
    ]


@pytest.mark.parametrize("table", ["unbekannt", "STAND", "stand%00", "x" * 300])
def test_csv_of_an_unknown_table_is_404(client, harz_chair, election, table):
    response = login_staff(client, harz_chair).get(
        f"/verwaltung/auswertung/csv/{table}/?wahl={election.pk}"
    )

    assert response.status_code in (400, 404)


@pytest.mark.parametrize("value", ["abc", "+9", "٩", "9%20", "99999999999999999999", "0"])
def test_csv_with_an_odd_election_is_404(client, harz_chair, election, value):
    url = reverse("admin:statistics_csv", kwargs={"table": "stand"})

    response = login_staff(client, harz_chair).get(f"{url}?wahl={value}")

    assert response.status_code == 404


def test_csv_writes_no_export_record(client, harz_chair, election):
    from reports.models import ExportRecord

    login_staff(client, harz_chair).get(csv_url("stand", election))

    assert ExportRecord.objects.count() == 0


# --- Queries -----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_applications(client, state_office_user, election):
    login_staff(client, state_office_user)
    make_application()
    one = queries_for(client, PAGE)

    make_application(gender=WOMAN)
    make_application(status=Application.Status.NOMINATED)
    three = queries_for(client, PAGE)

    assert one == three


def test_query_count_does_not_grow_with_districts(client, election):
    user = make_staff_user("team@example.org", districts=["harz", "magdeburg"])
    login_staff(client, user)
    make_application()
    one_district = queries_for(client, PAGE)

    make_application(municipality=get_municipality("magdeburg", "magdeburg"))
    two_districts = queries_for(client, PAGE)

    assert one_district == two_districts


def test_csv_query_count_does_not_grow_with_applications(client, harz_chair, election):
    login_staff(client, harz_chair)
    make_application()
    one = queries_for(client, csv_url("alter", election))

    make_application()
    make_application()

    assert queries_for(client, csv_url("alter", election)) == one
