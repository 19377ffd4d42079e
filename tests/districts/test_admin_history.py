"""The admin's history of districts, municipalities, accounts and groups is the state
office's alone. Its change messages name team members by address (the state office adds
someone to a team on the district's page); through the history, a team once read the
rosters of all districts. (Teams now open only their own district's page.)"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import DISTRICT_TEAM_GROUP
from districts.models import District
from tests.factories import get_district, get_municipality, login_staff, make_staff_user

HARZ_NEWCOMER = "neu@harz.example.org"
MAGDEBURG_NEWCOMER = "neu@magdeburg.example.org"


def add_to_team_in_admin(client, district, user):
    """What the state office does: the district's change page with one new row in its
    team inline."""
    response = client.post(
        reverse("admin:districts_district_change", args=[district.pk]),
        {
            "name": district.name,
            "official_name": district.official_name,
            "kind": district.kind,
            "seat": district.seat,
            "contact_email": district.contact_email,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": user.pk,
            "memberships-0-receives_notifications": "on",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302


@pytest.fixture
def rosters_in_history(client, state_office_user):
    """The state office added a member to the Harz and to the Magdeburg team through the
    admin: the district's history names each newcomer by address."""
    office = login_staff(client, state_office_user)
    for slug, address in [("harz", HARZ_NEWCOMER), ("magdeburg", MAGDEBURG_NEWCOMER)]:
        add_to_team_in_admin(office, get_district(slug), make_staff_user(address))
    for address in [HARZ_NEWCOMER, MAGDEBURG_NEWCOMER]:
        assert LogEntry.objects.filter(change_message__contains=address).count() == 1
    client.logout()


def history_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])


def history_objects(harz_chair):
    return {
        "district:magdeburg": get_district("magdeburg"),
        "district:harz": get_district("harz"),
        "municipality:magdeburg": get_municipality("magdeburg", "magdeburg"),
        "municipality:wernigerode": get_municipality("harz", "wernigerode"),
        "user:self": harz_chair,
        "group:team": Group.objects.get(name=DISTRICT_TEAM_GROUP),
    }


@pytest.mark.django_db
def test_district_team_reads_no_admin_history_of_reference_data_or_accounts(
    client, rosters_in_history, harz_chair
):
    client = login_staff(client, harz_chair)

    responses = {
        name: client.get(history_url(obj)) for name, obj in history_objects(harz_chair).items()
    }

    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == dict.fromkeys(responses, 403)
    for response in responses.values():
        body = response.content.decode()
        assert (MAGDEBURG_NEWCOMER in body, HARZ_NEWCOMER in body) == (False, False)


@pytest.mark.django_db
def test_district_team_sees_no_history_link_and_no_roster_on_any_district_page(
    client, rosters_in_history, harz_chair
):
    client = login_staff(client, harz_chair)

    # Its own district's page (another district's is a 404 since teams edit their page).
    for slug, status in [("harz", 200), ("magdeburg", 404)]:
        district = get_district(slug)
        page = client.get(reverse("admin:districts_district_change", args=[district.pk]))

        assert page.status_code == status
        body = page.content.decode()
        assert history_url(district) not in body
        assert (MAGDEBURG_NEWCOMER in body, HARZ_NEWCOMER in body) == (False, False)


@pytest.mark.django_db
def test_state_office_still_reads_the_history(client, rosters_in_history, state_office_user):
    client = login_staff(client, state_office_user)
    magdeburg = get_district("magdeburg")

    page = client.get(reverse("admin:districts_district_change", args=[magdeburg.pk]))
    history = client.get(history_url(magdeburg))
    others = [client.get(history_url(obj)) for obj in history_objects(state_office_user).values()]

    assert history_url(magdeburg) in page.content.decode()
    assert history.status_code == 200
    assert MAGDEBURG_NEWCOMER in history.content.decode()
    assert HARZ_NEWCOMER not in history.content.decode()
    assert [response.status_code for response in others] == [200] * len(others)
    assert District.objects.get(pk=magdeburg.pk).memberships.count() == 1
