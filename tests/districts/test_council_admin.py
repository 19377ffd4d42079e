"""The councils' admin (districts.admin.CouncilAdmin), role by role: a district team sees
its districts' councils, adds, changes and deletes their Ortschaftsräte and reads the
others; the state office enters the official seats and Wahlbereiche of every council but
not what comes from the data. Nothing of another district leaks by list, URL or posted id."""

import pytest
from django.urls import reverse

from districts.models import Council
from lists.models import CandidateList
from tests.factories import (
    get_municipality,
    login_staff,
    make_election,
    make_staff_user,
    queries_for,
)

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:districts_council_changelist")
ADD_URL = reverse("admin:districts_council_add")


def change_url(council):
    return reverse("admin:districts_council_change", args=[council.pk])


def delete_url(council):
    return reverse("admin:districts_council_delete", args=[council.pk])


def council(name):
    return Council.objects.get(name=name)


def make_ortschaftsrat(district="harz", municipality="wernigerode", name="Silstedt", seats=7):
    place = get_municipality(district, municipality)
    return Council.objects.create(
        kind=Council.Kind.LOCAL_COUNCIL,
        district=place.district,
        municipality=place,
        area_name=name,
        name=f"Ortschaftsrat {name}",
        official_seats=seats,
        electoral_areas=1,
    )


def ortschaftsrat_post(municipality, **overrides):
    data = {
        "municipality": municipality.pk,
        "area_name": "Silstedt",
        "official_seats": "7",
        "electoral_areas": "1",
        "_save": "Sichern",
    }
    data.update(overrides)
    return data


def figures_post(**overrides):
    data = {"official_seats": "", "electoral_areas": "1", "_save": "Sichern"}
    data.update(overrides)
    return data


def form_errors(response):
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def row(response, name):
    """One changelist row's cells, as text, by the council's name."""
    changelist = response.context["cl"]
    obj = next(c for c in changelist.result_list if c.name == name)
    model_admin = changelist.model_admin
    return {
        column: str(getattr(model_admin, column)(obj))
        for column in ["seats_label", "electoral_areas_label", "max_list_length_label"]
    }


# --- The list, per role ----------------------------------------------------------------


def test_harz_chair_lists_only_harz_councils(client, harz_chair):
    make_ortschaftsrat("magdeburg", "magdeburg", "Olvenstedt")

    response = login_staff(client, harz_chair).get(CHANGELIST_URL)

    assert set(response.context["cl"].queryset) == set(
        Council.objects.filter(district__slug="harz")
    )
    assert "Magdeburg" not in response.content.decode()


def test_magdeburg_chair_lists_only_magdeburg_councils(client, magdeburg_chair):
    olvenstedt = make_ortschaftsrat("magdeburg", "magdeburg", "Olvenstedt")
    make_ortschaftsrat()  # Harz

    response = login_staff(client, magdeburg_chair).get(CHANGELIST_URL)

    assert set(response.context["cl"].queryset) == {council("Stadtrat Magdeburg"), olvenstedt}


def test_state_office_lists_every_council(client, state_office_user):
    response = login_staff(client, state_office_user).get(CHANGELIST_URL)

    assert response.context["cl"].result_count == 218 + 18 + 11


def test_staff_without_district_has_no_council_list(client, staff_without_district):
    response = login_staff(client, staff_without_district).get(CHANGELIST_URL)

    assert response.status_code == 403


def test_changelist_marks_seats_expected_or_official(client, state_office_user):
    Council.objects.filter(name="Stadtrat Halle (Saale)").update(official_seats=56)
    silstedt = make_ortschaftsrat()
    shown = [
        council(name).pk
        for name in ["Stadtrat Wernigerode", "Stadtrat Halle (Saale)", "Kreistag Harz"]
    ]
    ids = ",".join(str(pk) for pk in [*shown, silstedt.pk])

    response = login_staff(client, state_office_user).get(CHANGELIST_URL + f"?id__in={ids}")

    assert row(response, "Stadtrat Wernigerode") == {
        "seats_label": "40 (voraussichtlich)",
        "electoral_areas_label": "1",
        "max_list_length_label": "45 (voraussichtlich)",
    }
    assert row(response, "Stadtrat Halle (Saale)") == {
        "seats_label": "56 (amtlich)",
        "electoral_areas_label": "5",
        "max_list_length_label": "15",
    }
    assert row(response, "Kreistag Harz") == {
        "seats_label": "60 (voraussichtlich)",
        "electoral_areas_label": "noch offen",
        "max_list_length_label": "–",
    }
    assert row(response, "Ortschaftsrat Silstedt") == {
        "seats_label": "7 (Hauptsatzung)",
        "electoral_areas_label": "1",
        "max_list_length_label": "12",
    }
    assert "40 (voraussichtlich)" in response.content.decode()


def test_changelist_filters_by_kind_and_searches_by_name(client, harz_chair):
    login_staff(client, harz_chair)

    by_kind = client.get(CHANGELIST_URL, {"kind__exact": "vg_council"})
    by_name = client.get(CHANGELIST_URL, {"q": "Wernigerode"})

    assert list(by_kind.context["cl"].queryset.values_list("name", flat=True)) == [
        "Verbandsgemeinderat Vorharz"
    ]
    assert list(by_name.context["cl"].queryset.values_list("name", flat=True)) == [
        "Stadtrat Wernigerode"
    ]


def test_district_filter_offers_only_the_users_districts(client):
    # Shown from two districts on (a single choice filters nothing).
    two_districts = make_staff_user("two@example.org", districts=["harz", "magdeburg"])

    response = login_staff(client, two_districts).get(CHANGELIST_URL)

    district_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.field_path == "district"
    )
    assert [label for _pk, label in district_filter.lookup_choices] == ["Harz", "Magdeburg"]


def test_changelist_query_count_same_for_one_and_three_rows(
    client, state_office_user, django_assert_num_queries
):
    names = ["Stadtrat Wernigerode", "Kreistag Harz", "Verbandsgemeinderat Vorharz"]
    pks = [str(council(name).pk) for name in names]
    login_staff(client, state_office_user)
    queries_for_one_row = queries_for(client, CHANGELIST_URL + f"?id__in={pks[0]}")

    with django_assert_num_queries(queries_for_one_row):
        response = client.get(CHANGELIST_URL + f"?id__in={','.join(pks)}")

    assert response.context["cl"].result_count == 3


# --- Another district's council: as if it did not exist ---------------------------------


@pytest.mark.parametrize("page", [change_url, delete_url])
def test_harz_chair_gets_404_for_a_magdeburg_council_as_for_a_missing_one(client, harz_chair, page):
    login_staff(client, harz_chair)
    olvenstedt = make_ortschaftsrat("magdeburg", "magdeburg", "Olvenstedt")
    missing = Council(pk=999_999)

    responses = [client.get(page(c)).status_code for c in [olvenstedt, missing]]
    posted = client.post(
        page(olvenstedt),
        {
            "post": "yes",
            **ortschaftsrat_post(
                get_municipality("magdeburg", "magdeburg"),
                area_name="Olvenstedt",
                official_seats="1",
            ),
        },
    )

    assert (responses, posted.status_code) == ([404, 404], 404)
    assert council("Ortschaftsrat Olvenstedt").official_seats == 7


def test_harz_chair_cannot_add_an_ortschaftsrat_in_magdeburg_by_a_forged_post(client, harz_chair):
    magdeburg = get_municipality("magdeburg", "magdeburg")

    response = login_staff(client, harz_chair).post(ADD_URL, ortschaftsrat_post(magdeburg))

    assert form_errors(response)["municipality"][0] == (
        "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."
    )
    assert not Council.objects.filter(kind=Council.Kind.LOCAL_COUNCIL).exists()


def test_harz_chair_cannot_delete_a_magdeburg_ortschaftsrat_by_a_posted_id(client, harz_chair):
    olvenstedt = make_ortschaftsrat("magdeburg", "magdeburg", "Olvenstedt")
    silstedt = make_ortschaftsrat()

    login_staff(client, harz_chair).post(
        CHANGELIST_URL,
        {
            "action": "delete_selected",
            "_selected_action": [olvenstedt.pk, silstedt.pk],
            "post": "yes",
        },
    )

    assert list(Council.objects.filter(kind=Council.Kind.LOCAL_COUNCIL)) == [olvenstedt]


# --- District team: Ortschaftsräte of its districts, the rest read-only ------------------


def test_harz_chair_adds_an_ortschaftsrat(client, harz_chair, wernigerode):
    response = login_staff(client, harz_chair).post(ADD_URL, ortschaftsrat_post(wernigerode))

    assert response.status_code == 302
    added = Council.objects.get(kind=Council.Kind.LOCAL_COUNCIL)
    assert (
        added.name,
        added.district.slug,
        added.municipality,
        added.area_name,
        added.official_seats,
        added.electoral_areas,
        added.max_list_length,
    ) == ("Ortschaftsrat Silstedt", "harz", wernigerode, "Silstedt", 7, 1, 12)


def test_ortschaftsrat_add_form_offers_only_own_municipalities_outside_verbandsgemeinden(
    client, harz_chair
):
    response = login_staff(client, harz_chair).get(ADD_URL)

    offered = response.context["adminform"].form.fields["municipality"].queryset
    assert set(offered) == set(
        get_municipality().district.municipalities.filter(verbandsgemeinde="")
    )
    assert list(response.context["adminform"].form.fields) == [
        "municipality",
        "area_name",
        "official_seats",
        "electoral_areas",
    ]


def test_ortschaftsrat_in_a_verbandsgemeinde_member_is_refused(client, harz_chair):
    ditfurt = get_municipality("harz", "ditfurt")

    response = login_staff(client, harz_chair).post(ADD_URL, ortschaftsrat_post(ditfurt))

    assert list(form_errors(response)) == ["municipality"]
    assert not Council.objects.filter(kind=Council.Kind.LOCAL_COUNCIL).exists()


def test_ortschaftsrat_needs_its_seats_from_the_hauptsatzung(client, harz_chair, wernigerode):
    response = login_staff(client, harz_chair).post(
        ADD_URL, ortschaftsrat_post(wernigerode, official_seats="")
    )

    assert form_errors(response) == {
        "official_seats": ["Die Zahl der Sitze steht in der Hauptsatzung der Gemeinde."]
    }


def test_ortschaftsrat_name_once_per_district(client, harz_chair, wernigerode):
    make_ortschaftsrat()

    response = login_staff(client, harz_chair).post(ADD_URL, ortschaftsrat_post(wernigerode))

    assert form_errors(response) == {
        "area_name": [
            "Im Kreisverband gibt es schon einen Ortschaftsrat „Silstedt“. Heißen zwei "
            "Ortschaften gleich, ergänz die Gemeinde, z. B. „Silstedt (Wernigerode)“."
        ]
    }


def test_harz_chair_changes_and_deletes_an_ortschaftsrat(client, harz_chair, wernigerode):
    silstedt = make_ortschaftsrat()
    login_staff(client, harz_chair)

    changed = client.post(change_url(silstedt), ortschaftsrat_post(wernigerode, official_seats="9"))
    deleted = client.post(delete_url(silstedt), {"post": "yes"})

    assert (changed.status_code, deleted.status_code) == (302, 302)
    assert not Council.objects.filter(pk=silstedt.pk).exists()


def test_harz_chair_reads_synced_councils_without_changing_them(client, harz_chair):
    wernigerode = council("Stadtrat Wernigerode")
    login_staff(client, harz_chair)

    page = client.get(change_url(wernigerode))
    posted = client.post(change_url(wernigerode), figures_post(official_seats="36"))
    delete = client.get(delete_url(wernigerode))

    assert (page.status_code, posted.status_code, delete.status_code) == (200, 403, 403)
    assert page.context["has_change_permission"] is False
    assert council("Stadtrat Wernigerode").official_seats is None


# --- State office: the official figures, not what comes from the data -------------------


def test_state_office_enters_official_seats_and_wahlbereiche(client, state_office_user):
    wernigerode = council("Stadtrat Wernigerode")
    login_staff(client, state_office_user)

    page = client.get(change_url(wernigerode))
    posted = client.post(
        change_url(wernigerode),
        figures_post(
            official_seats="36",
            electoral_areas="2",
            # Forged: not on the form, ignored.
            population="1",
            kind="district_council",
            name="Anders",
        ),
    )

    assert list(page.context["adminform"].form.fields) == ["official_seats", "electoral_areas"]
    assert posted.status_code == 302
    wernigerode.refresh_from_db()
    assert (
        wernigerode.name,
        wernigerode.kind,
        wernigerode.population,
        wernigerode.official_seats,
        wernigerode.electoral_areas,
        wernigerode.max_list_length,
    ) == ("Stadtrat Wernigerode", "council", 31_835, 36, 2, 21)


def test_state_office_enters_the_kreistag_wahlbereiche(client, state_office_user):
    kreistag = council("Kreistag Harz")

    login_staff(client, state_office_user).post(
        change_url(kreistag), figures_post(electoral_areas="6")
    )

    assert council("Kreistag Harz").max_list_length == 13


def test_state_office_cannot_delete_a_synced_council(client, state_office_user):
    response = login_staff(client, state_office_user).get(
        delete_url(council("Stadtrat Wernigerode"))
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "areas", "message"),
    [
        (
            "Gemeinderat Harsleben / Harschlewe",
            "2",
            "Eine Gemeinde mit 3000 Einwohner:innen oder weniger kann nicht in Wahlbereiche "
            "eingeteilt werden (§ 7 Abs. 1 KWG LSA).",
        ),
        (
            "Kreistag Harz",
            "1",
            "Für Kreistage und die Stadträte kreisfreier Städte ist das Wahlgebiet in mehrere "
            "Wahlbereiche einzuteilen (§ 7 Abs. 2 KWG LSA).",
        ),
        ("Stadtrat Wernigerode", "0", "Mindestens ein Wahlbereich."),
    ],
)
def test_wahlbereich_rules_answer_next_to_the_field(
    client, state_office_user, name, areas, message
):
    response = login_staff(client, state_office_user).post(
        change_url(council(name)), figures_post(electoral_areas=areas)
    )

    assert form_errors(response) == {"electoral_areas": [message]}


def test_change_page_explains_voraussichtlich(client, state_office_user):
    response = login_staff(client, state_office_user).get(
        change_url(council("Stadtrat Wernigerode"))
    )

    text = response.content.decode()
    assert "„Voraussichtlich“ heißt: berechnet nach § 37 KVG LSA" in text
    assert "spätestens am 90. Tag vor der Wahl" in text


def test_history_is_for_the_state_office_only(client, harz_chair, state_office_user):
    url = reverse("admin:districts_council_history", args=[council("Stadtrat Wernigerode").pk])

    chair = login_staff(client, harz_chair).get(url)
    office = login_staff(client, state_office_user).get(url)

    assert (chair.status_code, office.status_code) == (403, 200)


# --- A council a list points at ---------------------------------------------------------


def test_deleting_an_ortschaftsrat_with_a_list_is_refused_with_a_message(client, harz_chair):
    silstedt = make_ortschaftsrat()
    CandidateList.objects.create(election=make_election(), council=silstedt)

    response = login_staff(client, harz_chair).post(delete_url(silstedt), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert Council.objects.filter(pk=silstedt.pk).exists()
