"""The table "Bewerbungen nach Quelle" of the statistics page: applications per campaign
source of each district the user may see, and those without a source, suppressed like
every other count of people, as a CSV file too, in a constant number of queries."""

import csv
import io

from django.urls import reverse

from campaigns.models import Source
from candidates.models import Application
from reports import statistics
from tests.factories import (
    get_district,
    get_municipality,
    login_staff,
    make_application,
    make_election,
    queries_for,
)

PAGE = reverse("admin:statistics")
HEADERS = ["Kreisverband", "Quelle", "Bewerbungen"]


def csv_url(election):
    return f"{reverse('admin:statistics_csv', kwargs={'table': 'quellen'})}?wahl={election.pk}"


def csv_rows(response):
    """The rows of a CSV file for German Excel: BOM first, cells separated by ';'."""
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def make_source(name, district="harz"):
    return Source.objects.create(name=name, district=get_district(district))


def magdeburg(**overrides):
    return make_application(municipality=get_municipality("magdeburg", "magdeburg"), **overrides)


def source_rows(user, election, districts=None):
    """The table's rows as the page shows them: label and cells (only `districts`' and
    the total's, if given)."""
    stats = statistics.statistics(user, election=election)
    table = statistics.table(stats, "quellen")
    assert table.headers == HEADERS
    return [
        [row.label, *row.cells]
        for row in table.rows
        if districts is None or row.is_total or row.label in districts
    ]


def harz_and_magdeburg_sources(election):
    """Harz: 6 from the info stand, 2 from Instagram, none from the door-to-door source,
    5 without a source; Magdeburg: 7 from its own source, 1 without."""
    stand = make_source("Infostand Marktplatz 12.4.")
    instagram = make_source("Instagram")
    make_source("Haustür Nordviertel")
    hbf = make_source("Magdeburg Hbf", district="magdeburg")
    for _ in range(6):
        make_application(source=stand)
    for _ in range(2):
        make_application(source=instagram)
    for _ in range(5):
        make_application()
    for _ in range(7):
        magdeburg(source=hbf)
    magdeburg()
    return stand


def test_chair_sees_their_districts_sources_suppressed_like_every_count(harz_chair, election):
    harz_and_magdeburg_sources(election)

    assert source_rows(harz_chair, election) == [
        ["Harz", "Haustür Nordviertel", "< 5"],
        ["Harz", "Infostand Marktplatz 12.4.", "6"],
        ["Harz", "Instagram", "< 5"],
        ["Harz", "ohne Quelle", "5"],
        ["Ihre Kreisverbände insgesamt", "mit Quelle", "8"],
        ["Ihre Kreisverbände insgesamt", "ohne Quelle", "5"],
    ]


def test_state_office_sees_every_districts_sources_grouped_by_district(state_office_user, election):
    harz_and_magdeburg_sources(election)

    rows = source_rows(state_office_user, election)

    assert [row for row in rows if row[0] in ("Harz", "Magdeburg") or "insgesamt" in row[0]] == [
        ["Harz", "Haustür Nordviertel", "< 5"],
        ["Harz", "Infostand Marktplatz 12.4.", "6"],
        ["Harz", "Instagram", "< 5"],
        ["Harz", "ohne Quelle", "5"],
        ["Magdeburg", "Magdeburg Hbf", "7"],
        ["Magdeburg", "ohne Quelle", "< 5"],
        ["Sachsen-Anhalt insgesamt", "mit Quelle", "15"],
        ["Sachsen-Anhalt insgesamt", "ohne Quelle", "6"],
    ]
    # Every other district: one row, its applications without a source (none here).
    others = [row for row in rows if row[0] not in ("Harz", "Magdeburg", rows[-1][0])]
    assert len(others) == 12
    assert {tuple(row[1:]) for row in others} == {("ohne Quelle", "< 5")}


def test_unconfirmed_applications_count_only_for_the_state_office(
    harz_chair, state_office_user, election
):
    stand = make_source("Infostand Marktplatz 12.4.")
    for _ in range(5):
        make_application(source=stand)
    make_application(source=stand, status=Application.Status.UNCONFIRMED, confirmed_at=None)

    assert source_rows(harz_chair, election)[0] == ["Harz", "Infostand Marktplatz 12.4.", "5"]
    assert source_rows(state_office_user, election, ["Harz"])[0] == [
        "Harz",
        "Infostand Marktplatz 12.4.",
        "6",
    ]


def test_other_elections_are_not_counted(harz_chair, election):
    stand = make_source("Infostand Marktplatz 12.4.")
    for _ in range(5):
        make_application(source=stand)
    mayoral = make_election(name="Bürgermeisterwahl Wernigerode")
    for _ in range(3):
        make_application(source=stand, election=mayoral)

    assert source_rows(harz_chair, election) == [
        ["Harz", "Infostand Marktplatz 12.4.", "5"],
        ["Harz", "ohne Quelle", "< 5"],
        ["Ihre Kreisverbände insgesamt", "mit Quelle", "5"],
        ["Ihre Kreisverbände insgesamt", "ohne Quelle", "< 5"],
    ]


def test_page_shows_the_table_with_source_names_as_text(client, harz_chair, election):
    harz_and_magdeburg_sources(election)

    response = login_staff(client, harz_chair).get(PAGE)

    html = response.content.decode()
    table = html[html.index('id="tabelle-quellen"') :]
    table = table[: table.index("</table>")]
    assert "<caption>Bewerbungen nach Quelle" in table
    assert (
        '<th scope="row">Harz</th>\n          <td>Infostand Marktplatz 12.4.</td>'
        '<td class="number">6</td>' in table
    )
    assert "Magdeburg Hbf" not in html


def test_csv_of_the_source_table(client, harz_chair, election):
    harz_and_magdeburg_sources(election)

    response = login_staff(client, harz_chair).get(csv_url(election))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="auswertung-quellen-wahl-{election.pk}.csv"'
    )
    assert csv_rows(response) == [
        HEADERS,
        ["Harz", "Haustür Nordviertel", "< 5"],
        ["Harz", "Infostand Marktplatz 12.4.", "6"],
        ["Harz", "Instagram", "< 5"],
        ["Harz", "ohne Quelle", "5"],
        ["Ihre Kreisverbände insgesamt", "mit Quelle", "8"],
        ["Ihre Kreisverbände insgesamt", "ohne Quelle", "5"],
    ]


def test_a_source_name_that_looks_like_a_formula_is_escaped_in_the_csv(
    client, harz_chair, election
):
    make_application(source=make_source("=HYPERLINK(1)"))

    response = login_staff(client, harz_chair).get(csv_url(election))

    assert csv_rows(response)[1] == ["Harz", "'=HYPERLINK(1)", "< 5"]


def test_page_query_count_does_not_grow_with_sources(client, state_office_user, election):
    login_staff(client, state_office_user)
    make_application(source=make_source("Infostand Marktplatz 12.4."))
    one = queries_for(client, PAGE)

    make_application(source=make_source("Instagram"))
    magdeburg(source=make_source("Magdeburg Hbf", district="magdeburg"))
    three = queries_for(client, PAGE)

    assert one == three


def test_csv_query_count_does_not_grow_with_sources(client, harz_chair, election):
    login_staff(client, harz_chair)
    make_application(source=make_source("Infostand Marktplatz 12.4."))
    one = queries_for(client, csv_url(election))

    make_application(source=make_source("Instagram"))
    make_application(source=make_source("Haustür Nordviertel"))

    assert queries_for(client, csv_url(election)) == one
