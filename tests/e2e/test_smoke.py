"""Smoke tests: the browser setup works and the reference data survives `live_server`."""

from districts.models import District


def test_theme_css_served_to_browser(page, live_server, no_third_party_requests):
    response = page.goto(live_server.url + "/theme.css")

    assert response.status == 200
    assert "--portal-primary" in page.content()
    assert no_third_party_requests == [live_server.url + "/theme.css"]


def test_districts_present_after_previous_live_server_test(live_server):
    # The previous test's transactional flush emptied the tables; conftest restored them.
    assert District.objects.count() == 14
