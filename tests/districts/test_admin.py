"""The admins of districts and municipalities (districts.admin): DistrictAdmin,
MunicipalityAdmin, the district team inline, DistrictScopedAdmin's system checks,
NoLookupsIntoScopedRows, and the colleagues a district-scoped form offers. Who sees which
admin page, role by role, is in tests/candidates/test_scoping.py; their history pages in
tests/districts/test_admin_history.py."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from candidates.admin.application import ApplicationAdmin
from candidates.models import Application
from districts.admin import URL_KEYS_NOTE, team_and_state_office
from districts.models import District, Municipality
from tests.factories import (
    get_district,
    get_municipality,
    login_staff,
    make_staff_user,
    queries_for,
)

# --- DistrictAdmin and MunicipalityAdmin -----------------------------------------------


@pytest.mark.django_db
def test_district_changelist_counts_municipalities(admin_client):
    response = admin_client.get(reverse("admin:districts_district_changelist"))

    counts = {d.name: d.municipality_count for d in response.context["cl"].result_list}
    expected = {d.name: d.municipalities.count() for d in District.objects.all()}
    assert counts == expected
    assert len(counts) == 14


@pytest.mark.django_db
def test_district_changelist_query_count_same_for_one_and_three_rows(
    admin_client, django_assert_num_queries
):
    url = reverse("admin:districts_district_changelist")
    queries_for_one_row = queries_for(admin_client, url + "?kreis_key__in=15085")

    with django_assert_num_queries(queries_for_one_row):
        response = admin_client.get(url + "?kreis_key__in=15085,15003,15090")

    assert len(response.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_district_change_page_keeps_url_keys_readonly(admin_client):
    harz = get_district("harz")

    change = admin_client.get(reverse("admin:districts_district_change", args=[harz.pk]))
    add = admin_client.get(reverse("admin:districts_district_add"))

    assert {"slug", "kreis_key"} & set(change.context["adminform"].form.fields) == set()
    assert {"slug", "kreis_key"} <= set(add.context["adminform"].form.fields)
    assertContains(change, str(URL_KEYS_NOTE))


@pytest.mark.django_db
def test_municipality_changelist_query_count_same_for_one_and_three_rows(
    admin_client, django_assert_num_queries
):
    url = reverse("admin:districts_municipality_changelist")
    queries_for_one_row = queries_for(admin_client, url + "?ags__in=15085370")

    with django_assert_num_queries(queries_for_one_row):
        response = admin_client.get(url + "?ags__in=15085370,15087010,15003000")

    assert len(response.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_municipality_changelist_filters_by_verbandsgemeinde(admin_client):
    harz = get_district("harz")

    response = admin_client.get(
        reverse("admin:districts_municipality_changelist"),
        {"district__id__exact": harz.pk, "has_verbandsgemeinde": "no"},
    )

    expected = list(
        Municipality.objects.filter(district=harz, verbandsgemeinde="").order_by("name")
    )
    assert list(response.context["cl"].result_list) == expected
    assert expected


@pytest.mark.django_db
def test_municipality_change_page_keeps_ags_readonly(admin_client, wernigerode):
    response = admin_client.get(
        reverse("admin:districts_municipality_change", args=[wernigerode.pk])
    )

    assert {"ags", "slug"} & set(response.context["adminform"].form.fields) == set()
    assertContains(response, wernigerode.ags)


# --- The district team inline ----------------------------------------------------------


@pytest.mark.django_db
def test_district_team_sees_memberships_only_as_state_office_manages_them(
    client, harz_chair, state_office_user
):
    url = reverse("admin:districts_district_change", args=[get_district("harz").pk])

    chair_page = login_staff(client, harz_chair).get(url)
    office_page = login_staff(client, state_office_user).get(url)

    assert [f.opts.model.__name__ for f in chair_page.context["inline_admin_formsets"]] == [
        "DistrictEvent"
    ]
    assert [f.opts.model.__name__ for f in office_page.context["inline_admin_formsets"]] == [
        "DistrictMembership",
        "DistrictEvent",
    ]
    assert "chair@harz.example.org" in office_page.content.decode()


# --- DistrictScopedAdmin's system checks -----------------------------------------------


def test_district_scoped_admin_refuses_unscoped_list_filters_and_raw_id_fields():
    class Leaky(ApplicationAdmin):
        list_filter = ["municipality__name", "municipality"]
        raw_id_fields = ["municipality"]

    from django.contrib import admin

    errors = Leaky(Application, admin.site).check()

    assert [error.id for error in errors if error.id.startswith("districts.")] == [
        "districts.E001",
        "districts.E002",
        "districts.E002",
    ]


# --- NoLookupsIntoScopedRows: query-string lookups on the reference-data lists ---------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "applications={pk}",
        "applications__exact={pk}",
        "applications__gte={pk}",
        "applications__isnull=False",
    ],
)
def test_municipality_list_cannot_be_filtered_by_applications(
    query, client, harz_chair, magdeburg_application
):
    """Django accepts a lookup across one relation without a list filter: on the
    municipality list, `?applications__isnull=False` listed every municipality of every
    district that has an applicant, and `?applications=<pk>` told where one lives."""
    url = reverse("admin:districts_municipality_changelist")

    response = login_staff(client, harz_chair).get(
        f"{url}?{query.format(pk=magdeburg_application.pk)}"
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_municipality_list_keeps_its_own_filters(client, harz_chair):
    url = reverse("admin:districts_municipality_changelist")
    magdeburg = get_municipality("magdeburg", "magdeburg")

    response = login_staff(client, harz_chair).get(
        url, {"district__id__exact": magdeburg.district_id, "is_city__exact": "1"}
    )

    assert response.status_code == 200
    assert [m.name for m in response.context["cl"].result_list] == ["Magdeburg"]


# --- Colleagues a district-scoped admin form offers ------------------------------------


@pytest.mark.django_db
def test_colleague_choices_are_the_teams_of_the_users_districts_and_the_state_office(
    harz_chair, magdeburg_chair, state_office_user, staff_without_district
):
    inactive = make_staff_user("inaktiv@harz.example.org", districts=["harz"], is_active=False)
    both = make_staff_user("beide@example.org", districts=["harz", "magdeburg"])

    assert set(team_and_state_office(harz_chair)) == {harz_chair, both, state_office_user}
    assert set(team_and_state_office(staff_without_district)) == {state_office_user}
    assert inactive not in set(team_and_state_office(state_office_user))
    assert magdeburg_chair in set(team_and_state_office(state_office_user))
