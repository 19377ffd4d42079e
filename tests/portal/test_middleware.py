"""A NUL character in a URL answers 400 on every page, instead of a 500 from PostgreSQL
(psycopg2 refuses NUL in text values) in the admin's list filters and autocomplete."""

import pytest

from tests.factories import login_staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/candidates/application/?status=%00",
        "/verwaltung/candidates/application/?last_name=%00",
        "/verwaltung/districts/district/?kind__exact=%00",
        "/verwaltung/autocomplete/?app_label=candidates&model_name=application"
        "&field_name=municipality&term=%00",
        "/verwaltung/candidates/application/?%00=1",
        "/harz/%00/",
        "/suche/?q=%00",
    ],
)
def test_nul_in_a_url_is_a_bad_request_for_staff_and_visitors(client, state_office_user, url):
    visitor = client.get(url)
    staff = login_staff(client, state_office_user).get(url)

    assert (visitor.status_code, staff.status_code) == (400, 400)
    assert "frame-ancestors 'none'" in staff["Content-Security-Policy"]


@pytest.mark.django_db
def test_ordinary_query_strings_still_work(client, state_office_user):
    response = login_staff(client, state_office_user).get(
        "/verwaltung/candidates/application/?status=new"
    )

    assert response.status_code == 200
