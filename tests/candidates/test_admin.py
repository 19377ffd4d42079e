"""The admins of applications, elections and legal texts (candidates.admin). The admins of
districts and municipalities are tested in tests/districts/test_admin.py; scoping role by
role in tests/candidates/test_scoping.py."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from candidates import eligibility
from candidates.admin.reference import LEGAL_DOCUMENT_NOTE
from candidates.fields import applicant_fields
from candidates.models import Application, LegalDocument
from tests.factories import (
    get_district,
    get_municipality,
    make_application,
    make_election,
    queries_for,
)

APPLICATION_CHANGELIST = reverse("admin:candidates_application_changelist")


def application_change_url(application):
    return reverse("admin:candidates_application_change", args=[application.pk])


# --- Application -----------------------------------------------------------------------


@pytest.mark.django_db
def test_application_changelist_query_count_same_for_one_and_three_rows(
    admin_client, election, django_assert_num_queries
):
    make_application(district=get_district("harz"))
    queries_for_one_row = queries_for(admin_client, APPLICATION_CHANGELIST)
    mayoral = make_election(name="Bürgermeisterwahl Magdeburg")
    make_application(district=get_district("magdeburg"), election=mayoral)
    make_application(municipality=get_municipality("mansfeld-suedharz", "ahlsdorf"))

    with django_assert_num_queries(queries_for_one_row):
        response = admin_client.get(APPLICATION_CHANGELIST)

    assert len(response.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_application_changelist_shows_applicant(admin_client, election):
    application = make_application(first_names="Erika Maria", last_name="Mustermann")

    response = admin_client.get(APPLICATION_CHANGELIST)

    assert list(response.context["cl"].result_list) == [application]
    assertContains(response, "Erika Maria Mustermann")
    assertContains(response, "Wernigerode")
    assertContains(response, "Harz")


@pytest.mark.django_db
def test_application_changelist_filters_offer_bodies_and_support(
    admin_client, election, state_office_user
):
    # Two elections and two districts; the municipalities are offered once a district is
    # chosen (the superuser sees every district).
    make_application(assignee=state_office_user)
    make_application(
        district=get_district("magdeburg"), election=make_election(name="Stadtratswahl")
    )

    response = admin_client.get(APPLICATION_CHANGELIST)

    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert titles == [
        "Wahl",
        "Kreisverband",
        "Status",
        "Ansprechperson",
        "Gremium",
        "Mitgliedschaft",
        "wählbar",
        "Angaben",
        "Unterstützungswunsch",
    ]
    assertContains(response, 'data-filter-title="Gremium"')
    assertContains(response, 'data-filter-title="Unterstützungswunsch"')


@pytest.mark.django_db
def test_application_changelist_filter_by_body(admin_client, election):
    district_council = make_application(stands_for_district_council=True)
    make_application()

    response = admin_client.get(APPLICATION_CHANGELIST, {"gremium": "district_council"})

    assert list(response.context["cl"].result_list) == [district_council]


@pytest.mark.django_db
def test_application_changelist_search_by_last_name(admin_client, election):
    schulze = make_application(last_name="Schulze")
    make_application(last_name="Müller")
    schulze_meyer = make_application(last_name="Schulze-Meyer")

    response = admin_client.get(APPLICATION_CHANGELIST, {"q": "schulze"})

    assert list(response.context["cl"].result_list) == [schulze_meyer, schulze]


@pytest.mark.django_db
def test_application_change_page_explains_ineligibility(admin_client, election):
    too_young = make_application(date_of_birth=datetime.date(2012, 1, 1))
    assert too_young.ineligibility_reasons == ["too_young"]

    response = admin_client.get(application_change_url(too_young))

    reason = eligibility.REASONS["too_young"]
    assertContains(response, str(reason.title))
    assertContains(response, str(reason.explanation))
    assertNotContains(response, "keine – nach den Angaben wählbar")


@pytest.mark.django_db
def test_application_change_page_eligible_has_no_reasons(admin_client, election):
    application = make_application()

    response = admin_client.get(application_change_url(application))

    assertContains(response, "keine – nach den Angaben wählbar")
    assertNotContains(response, str(eligibility.REASONS["too_young"].explanation))


@pytest.mark.django_db
def test_application_add_view_is_forbidden(admin_client, election):
    response = admin_client.get(reverse("admin:candidates_application_add"))

    assert response.status_code == 403


def change_form_data(application, **overrides):
    """POST data for the admin change form, as the browser would send it unchanged."""
    data = {"_save": "Sichern"}
    for name in [*(field.name for field in applicant_fields()), "status"]:
        field = Application._meta.get_field(name)
        value = overrides.get(name, field.value_from_object(application))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return data


@pytest.mark.django_db
def test_application_change_recomputes_eligibility(admin_client, election):
    application = make_application()

    response = admin_client.post(
        application_change_url(application),
        change_form_data(application, citizenship=Application.Citizenship.OTHER),
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.is_eligible, application.ineligibility_reasons) == (
        False,
        ["citizenship"],
    )


# --- Election and legal documents ------------------------------------------------------


@pytest.mark.django_db
def test_election_changelist_counts_applications_and_shows_open(admin_client):
    today = datetime.date.today()
    open_election = make_election()
    closed = make_election(
        name="Landratswahl 2025",
        election_day=datetime.date(2025, 9, 7),
        applications_open_from=datetime.date(2025, 1, 1),
        applications_open_until=datetime.date(2025, 6, 1),
    )
    make_application(election=open_election)
    make_application(election=open_election)

    response = admin_client.get(reverse("admin:candidates_election_changelist"))

    rows = [
        (e.name, e.application_count, e.is_open(today)) for e in response.context["cl"].result_list
    ]
    assert rows == [("Kommunalwahl 2029", 2, True), (closed.name, 0, False)]


@pytest.mark.django_db
def test_election_changelist_query_count_same_for_one_and_three_rows(
    admin_client, django_assert_num_queries
):
    url = reverse("admin:candidates_election_changelist")
    make_application(election=make_election())
    queries_for_one_row = queries_for(admin_client, url)
    make_application(election=make_election(name="Bürgermeisterwahl Halle"))
    make_election(name="Landratswahl Harz")

    with django_assert_num_queries(queries_for_one_row):
        response = admin_client.get(url)

    assert len(response.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_legal_document_changelist_query_count_same_for_one_and_three_rows(
    admin_client, django_assert_num_queries
):
    url = reverse("admin:candidates_legaldocument_changelist") + "?kind__exact=imprint"
    queries_for_one_row = queries_for(admin_client, url)
    for version in ["2027-01", "2027-02"]:
        LegalDocument.objects.create(
            kind=LegalDocument.Kind.IMPRINT, version=version, text="Impressum"
        )

    with django_assert_num_queries(queries_for_one_row):
        response = admin_client.get(url)

    assert len(response.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_legal_document_change_page_explains_versions(admin_client):
    document = LegalDocument.current(LegalDocument.Kind.PRIVACY)

    response = admin_client.get(
        reverse("admin:candidates_legaldocument_change", args=[document.pk])
    )

    assertContains(response, str(LEGAL_DOCUMENT_NOTE))
