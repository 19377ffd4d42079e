from django.test import RequestFactory

from portal.views import server_error


def test_server_error_page_is_german_and_needs_no_database():
    # No django_db mark: the page must render even when the database is what failed.
    response = server_error(RequestFactory().get("/harz/wernigerode/"))
    assert response.status_code == 500
    assert "Da ist etwas schiefgegangen" in response.content.decode()


def test_favicon_redirects_to_our_own_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/img/favicon.svg")
