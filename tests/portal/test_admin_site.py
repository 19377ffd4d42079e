"""The portal's admin site (portal.admin_site): one "view on site" route, scoped, and no
spelling of its URL that reaches Django's unscoped shortcut."""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from candidates.models import Application
from portal.admin_site import PortalAdminSite
from tests.factories import get_municipality, login_staff, make_application

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def spellings(number):
    """Ways to write a number in a URL that Django's `int` converter refuses but
    `int()` (and so contenttypes' shortcut and the ORM) would read as the number."""
    text = str(number)
    return [
        f"+{text}",
        quote(f" {text}"),
        quote(f"{text} "),
        quote(text.translate(ARABIC_INDIC)),
        f"0{text}",
        quote(f"{text}\n"),
        quote(f"\u00a0{text}"),
    ]


@pytest.fixture
def applications(election):
    return {
        "foreign": make_application(municipality=get_municipality("magdeburg", "magdeburg")),
        "own_unconfirmed": make_application(
            status=Application.Status.UNCONFIRMED, confirmed_at=None
        ),
        "own": make_application(),
    }


def test_admin_site_is_the_portal_site():
    assert isinstance(admin.site, PortalAdminSite)
    view_on_site_routes = [
        url for url in admin.site.get_urls() if getattr(url, "name", "") == "view_on_site"
    ]
    assert len(view_on_site_routes) == 1


@pytest.mark.django_db
def test_every_spelling_of_view_on_site_answers_404_for_foreign_unconfirmed_and_missing(
    client, harz_chair, applications
):
    client = login_staff(client, harz_chair)
    content_type = ContentType.objects.get_for_model(Application).pk
    missing = max(a.pk for a in applications.values()) + 1000
    targets = [applications["foreign"].pk, applications["own_unconfirmed"].pk, missing]

    answers = {}
    for pk in targets:
        for type_spelling in [str(content_type), *spellings(content_type)]:
            for id_spelling in [str(pk), *spellings(pk)]:
                url = f"/verwaltung/r/{type_spelling}/{id_spelling}/"
                answers[url] = client.get(url).status_code

    assert set(answers.values()) == {404}, {u: s for u, s in answers.items() if s != 404}


@pytest.mark.django_db
def test_view_on_site_of_a_visible_application_redirects_only_when_spelled_plainly(
    client, harz_chair, applications
):
    client = login_staff(client, harz_chair)
    content_type = ContentType.objects.get_for_model(Application).pk
    own = applications["own"]

    plain = client.get(f"/verwaltung/r/{content_type}/{own.pk}/")
    odd = [client.get(f"/verwaltung/r/{content_type}/{s}/").status_code for s in spellings(own.pk)]

    assert plain.status_code == 302
    assert plain.url.endswith(reverse("admin:candidates_application_change", args=[own.pk]))
    assert set(odd) == {404}


@pytest.mark.django_db
def test_object_routes_answer_alike_for_foreign_and_missing_in_any_spelling(
    client, harz_chair, applications
):
    """The change, history and delete pages look objects up through the scoped queryset:
    an odd spelling of a foreign id answers like a missing one."""
    client = login_staff(client, harz_chair)
    base = "/verwaltung/candidates/application"
    foreign = applications["foreign"].pk
    missing = foreign + 100000
    for suffix in ["change/", "history/", "delete/"]:
        for spelling_foreign, spelling_missing in zip(
            [str(foreign), *spellings(foreign)], [str(missing), *spellings(missing)], strict=True
        ):
            foreign_answer = client.get(f"{base}/{spelling_foreign}/{suffix}")
            missing_answer = client.get(f"{base}/{spelling_missing}/{suffix}")
            assert foreign_answer.status_code == missing_answer.status_code == 404, (
                suffix,
                spelling_foreign,
            )


@pytest.mark.django_db
def test_admin_login_form_sends_to_allauth(client):
    response = client.get("/verwaltung/login/?next=/verwaltung/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
