"""The date hierarchy above a changelist reads year, month and day from the query string.
Values no calendar has (year 99999999999999, month 13, the year after 9999) made Django
fail with a server error; now every admin with a date hierarchy treats them like other
wrong list parameters: a redirect to the unfiltered list with `?e=1`."""

import pytest
from django.contrib import admin
from django.urls import reverse

from districts.admin import ValidDateHierarchy
from tests.factories import login_staff, make_application

CHANGELISTS = ["candidates_application", "notifications_outgoingmail"]

BAD_QUERIES = {
    "huge year": {"year": "99999999999999"},
    "year beyond C int": {"year": "9" * 30},
    "year not a number": {"year": "abc"},
    "negative year": {"year": "-1"},
    "year 0": {"year": "0"},
    "year 1 (before UTC's year 1)": {"year": "1"},
    "year 9999 (no year after it)": {"year": "9999"},
    "december 9999": {"year": "9999", "month": "12"},
    "last day of 9999": {"year": "9999", "month": "12", "day": "31"},
    "month 13": {"year": "2024", "month": "13"},
    "month 0": {"year": "2024", "month": "0"},
    "day 99": {"year": "2024", "month": "3", "day": "99"},
    "february 30": {"year": "2024", "month": "2", "day": "30"},
    "empty year": {"year": ""},
    "empty month": {"year": "2024", "month": ""},
    "huge month without year": {"month": "99999999999999999999"},
    "day without year": {"day": "99"},
}


def query(parts):
    return {f"created_at__{key}": value for key, value in parts.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("changelist", CHANGELISTS)
@pytest.mark.parametrize("bad", sorted(BAD_QUERIES))
def test_impossible_dates_redirect_to_the_unfiltered_list(
    changelist, bad, client, state_office_user, election
):
    make_application()
    url = reverse(f"admin:{changelist}_changelist")
    client = login_staff(client, state_office_user)
    client.raise_request_exception = False

    response = client.get(url, query(BAD_QUERIES[bad]))

    assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("changelist", CHANGELISTS)
@pytest.mark.parametrize(
    "good",
    [
        {"year": "2024"},
        {"year": "2024", "month": "12"},
        {"year": "2024", "month": "2", "day": "29"},
        {"year": "9998", "month": "12", "day": "30"},
    ],
)
def test_real_dates_still_filter(changelist, good, client, state_office_user, election):
    url = reverse(f"admin:{changelist}_changelist")

    response = login_staff(client, state_office_user).get(url, query(good))

    assert response.status_code == 200
    assert response.context["cl"].date_hierarchy == "created_at"


def test_every_admin_with_a_date_hierarchy_checks_its_dates():
    admins = [a for a in admin.site._registry.values() if a.date_hierarchy]

    assert {type(a).__name__ for a in admins} >= {"ApplicationAdmin", "OutgoingMailAdmin"}
    assert [type(a).__name__ for a in admins if not isinstance(a, ValidDateHierarchy)] == []
