"""Leak paths found in a security review of the district scoping, each closed by a fix:
Django's "view on site" redirect and django-scopes' fail-closed net letting `.exists()`
through. (Query-string lookups on the reference-data lists:
tests/districts/test_admin.py. Group permissions as a way around "only operators grant
permissions": tests/accounts/test_admin.py.)"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_scopes import ScopeError, scope

from candidates.models import Application, Note
from districts.models import DistrictMembership
from tests.factories import (
    MAGDEBURG_NAME,
    autocomplete_fields,
    get_municipality,
    login_staff,
    make_application,
    make_staff_user,
)


@pytest.fixture
def removed_chair(db):
    """Was in Magdeburg's team, still in the district team group."""
    user = make_staff_user("ehemals@magdeburg.example.org", districts=["magdeburg"])
    DistrictMembership.objects.filter(user=user).delete()
    return user


def view_on_site_url(application_or_pk):
    pk = getattr(application_or_pk, "pk", application_or_pk)
    content_type = ContentType.objects.get_for_model(Application)
    return reverse("admin:view_on_site", args=[content_type.pk, pk])


# --- Django's "view on site" shortcut -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["harz_chair", "staff_without_district", "removed_chair"])
def test_view_on_site_of_foreign_application_is_404_like_missing_pk(
    role, request, client, magdeburg_application
):
    """`<admin>/r/<content type>/<pk>/` (contenttypes' shortcut) reads `_base_manager`,
    past the admin's queryset and django-scopes: it redirected for another district's
    application and answered 404 for a missing pk, telling which applications exist."""
    client = login_staff(client, request.getfixturevalue(role))

    foreign = client.get(view_on_site_url(magdeburg_application))
    missing = client.get(view_on_site_url(987654))

    assert (foreign.status_code, missing.status_code) == (404, 404)


@pytest.mark.django_db
def test_view_on_site_of_own_application_still_redirects(client, magdeburg_chair, election):
    application = make_application(municipality=get_municipality("magdeburg", "magdeburg"))

    response = login_staff(client, magdeburg_chair).get(view_on_site_url(application))

    assert response.status_code == 302
    assert response.url.endswith(
        reverse("admin:candidates_application_change", args=[application.pk])
    )


@pytest.mark.django_db
def test_view_on_site_of_unconfirmed_application_is_404_for_its_district_team(
    client, magdeburg_chair, election
):
    application = make_application(
        municipality=get_municipality("magdeburg", "magdeburg"),
        status=Application.Status.UNCONFIRMED,
        confirmed_at=None,
    )

    response = login_staff(client, magdeburg_chair).get(view_on_site_url(application))

    assert response.status_code == 404


@pytest.mark.django_db
def test_view_on_site_of_public_pages_still_works(client, harz_chair):
    municipality = get_municipality("magdeburg", "magdeburg")
    content_type = ContentType.objects.get_for_model(municipality)

    response = login_staff(client, harz_chair).get(
        reverse("admin:view_on_site", args=[content_type.pk, municipality.pk])
    )

    assert response.status_code == 302
    assert response.url.endswith(municipality.get_absolute_url())


# --- The fail-closed net ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        lambda: Application.objects.count(),
        lambda: Application.objects.aggregate(),
        lambda: list(Application.objects.all()),
        lambda: Application.objects.exists(),
        lambda: Application.objects.exclude(last_name="x").exists(),
        lambda: Application.objects.select_related("municipality").exists(),
        lambda: Application.objects.explain(),
        lambda: Application.objects.contains(Application(pk=1)),
        lambda: Note.objects.exists(),
    ],
    ids=[
        "count",
        "aggregate",
        "list",
        "exists",
        "exclude-exists",
        "select_related-exists",
        "explain",
        "contains",
        "note-exists",
    ],
)
def test_scoped_manager_outside_any_scope_runs_no_query(query, magdeburg_application):
    """django-scopes' DisabledQuerySet blocks count(), filter() and iteration, but let
    exists(), exclude() and explain() run the unfiltered query."""
    with scope(), pytest.raises(ScopeError):
        query()


@pytest.mark.django_db
def test_scoped_manager_in_empty_scope_answers_nothing(magdeburg_application):
    with scope(district=[]):
        assert (Application.objects.exists(), Application.objects.count()) == (False, 0)


# --- A sweep over every admin page --------------------------------------------------


def admin_urls(magdeburg_application):
    """Every registered admin's list, add page and object pages (for the Magdeburg
    application, or the model's first row), the autocomplete endpoint for every foreign
    key into a registered admin, and the view-on-site redirect."""
    from django.contrib import admin

    urls = [reverse("admin:index"), view_on_site_url(magdeburg_application)]
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        obj = (
            magdeburg_application
            if model is Application
            else model._default_manager.order_by("pk").first()
        )
        if obj is not None:
            urls += [
                reverse(f"{info}_{page}", args=[obj.pk]) for page in ["change", "delete", "history"]
            ]
    urls += [
        f"{reverse('admin:autocomplete')}?app_label={app_label}&model_name={model_name}"
        f"&field_name={field_name}&term=e"
        for app_label, model_name, field_name in autocomplete_fields()
    ]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["harz_chair", "staff_without_district", "removed_chair", "state_office_user"]
)
def test_no_admin_page_fails_or_shows_another_districts_applicant(
    role, request, client, magdeburg_application
):
    client = login_staff(client, request.getfixturevalue(role))
    client.raise_request_exception = False

    failures = []
    for url in admin_urls(magdeburg_application):
        response = client.get(url)
        leaked = MAGDEBURG_NAME in response.content.decode(errors="replace")
        if response.status_code >= 500 or (leaked and role != "state_office_user"):
            failures.append((url, response.status_code, leaked))

    assert failures == []


# --- Applicants' links --------------------------------------------------------------


@pytest.mark.django_db
def test_confirmation_token_carries_only_the_id_and_works_only_for_its_purpose(
    client, magdeburg_application
):
    """The payload is readable and carries only the id; the salt keeps the confirmation
    link apart from other signed values, and a token signed for one id cannot be edited
    into another's."""
    import base64
    import json

    from django.core import signing

    from candidates import tokens

    confirm = tokens.confirmation_token(magdeburg_application)
    payload = json.loads(base64.urlsafe_b64decode(confirm.split(":")[0] + "=="))
    forged = signing.dumps({"a": magdeburg_application.pk}, salt="other", compress=False)
    other_id = confirm.replace(
        confirm.split(":")[0],
        base64.urlsafe_b64encode(b'{"a":%d}' % (magdeburg_application.pk + 1)).decode().rstrip("="),
    )

    assert payload == {"a": magdeburg_application.pk}
    for token in [forged, other_id]:
        response = client.post(reverse("candidates:confirm", args=[token]))
        assert response.status_code == 400
        assert client.get(reverse("candidates:thanks", args=[token])).status_code == 404
    magdeburg_application.refresh_from_db()
    assert magdeburg_application.status == Application.Status.NEW
