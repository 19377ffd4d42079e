"""Small `make_*` functions with keyword overrides. Districts and municipalities are the
real ones loaded by the data migration; look them up rather than inventing them.

Also the helpers that test modules share (they import them from here, never from another
test module): `login_staff`, `queries_for`, and the public form's `APPLY_URL`,
`valid_data` and `errors_of`. Shared fixtures are in tests/conftest.py."""

import datetime
import itertools

from django.utils import timezone

from candidates.models import Application, Election
from districts.models import District, Municipality

_counter = itertools.count(1)


def get_municipality(district_slug="harz", slug="wernigerode"):
    return Municipality.objects.select_related("district").get(
        district__slug=district_slug, slug=slug
    )


def get_district(slug="harz"):
    return District.objects.get(slug=slug)


def make_election(**overrides):
    today = timezone.localdate()
    values = {
        "name": "Kommunalwahl 2029",
        "election_day": datetime.date(2029, 6, 10),
        "applications_open_from": today - datetime.timedelta(days=30),
        "applications_open_until": min(
            today + datetime.timedelta(days=365), datetime.date(2029, 6, 10)
        ),
    }
    values.update(overrides)
    return Election.objects.create(**values)


def letters(n):
    """A number as letters (1 → "a", 27 → "aa"): names accept no digits."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text.capitalize()


def make_application(**overrides):
    """A complete, eligible, confirmed application (Wernigerode, Harz) unless overridden.

    Pass `district=` (a District) to place it in that district's first municipality.
    """
    district = overrides.pop("district", None)
    if "municipality" not in overrides:
        overrides["municipality"] = (
            district.municipalities.order_by("name").first() if district else get_municipality()
        )
    if "election" not in overrides:
        overrides["election"] = Election.objects.first() or make_election()
    n = next(_counter)
    values = {
        "last_name": f"Muster-{letters(n)}",
        "first_names": "Erika",
        "occupation": "Erzieherin",
        "date_of_birth": datetime.date(1990, 5, 17),
        "email": f"erika{n}@example.org",
        "street": "Breite Straße 1",
        "postal_code": "38855",
        "town": overrides["municipality"].name,
        "citizenship": Application.Citizenship.GERMAN,
        "resident_since": datetime.date(2015, 1, 1),
        "membership": Application.Membership.NON_MEMBER,
        "stands_for_council": True,
        "motivation": "Ich möchte mich für bessere Busverbindungen einsetzen.",
        "accepts_expectations": True,
        "consent_version": "test-1",
        "consent_given_at": timezone.now(),
        "status": Application.Status.NEW,
        "confirmed_at": timezone.now(),
    }
    values.update(overrides)
    application = Application(**values)
    application.check_eligibility()
    application.save()
    return application


def make_staff_user(email, *, districts=(), state_office=False, password=None, **extra):
    """A staff account as the state office creates it: in the district team group (with
    memberships for `districts`, given as slugs) or in the state office group."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import DISTRICT_TEAM_GROUP, STATE_OFFICE_GROUP, sync_role_groups
    from districts.models import DistrictMembership

    if Group.objects.filter(name__in=[STATE_OFFICE_GROUP, DISTRICT_TEAM_GROUP]).count() < 2:
        # A flushed database (live_server tests) lost the groups of the data migration.
        sync_role_groups()
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password, is_staff=True, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if state_office:
        user.groups.add(Group.objects.get_or_create(name=STATE_OFFICE_GROUP)[0])
    if districts:
        user.groups.add(Group.objects.get_or_create(name=DISTRICT_TEAM_GROUP)[0])
    for slug in districts:
        DistrictMembership.objects.create(user=user, district=get_district(slug))
    return user


def login_staff(client, user):
    """Sign `user` in as after password and second factor, so that StaffMFAMiddleware
    lets the client into the admin: gives the user a TOTP device if it has none, and
    writes allauth's authentication records ("password", then "mfa") into the session
    as allauth's login flow does. Returns the client."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import RequestFactory

    from portal.demo import reset_second_factor

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = reset_second_factor(user)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    request.session.save()
    return client


def queries_for(client, url):
    """Number of queries one request runs, after a warm-up request (session, caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context)


# The last name of the `magdeburg_application` fixture (tests/conftest.py), which must not
# show up for anyone who may not see Magdeburg.
MAGDEBURG_NAME = "Leckmichnicht"

# --- The public application form -------------------------------------------------------

APPLY_URL = "/harz/wernigerode/"


def valid_data(**overrides):
    """POST data of a complete, eligible application for APPLY_URL; an override of None
    leaves that field out."""
    data = {
        "bodies": ["council", "district_council"],
        "first_names": "Erika Maria",
        "last_name": "Mustermann",
        "date_of_birth": "1990-05-17",
        "occupation": "Erzieherin",
        "citizenship": "de",
        "email": "Erika@Example.org",
        "phone": "03943 123456",
        "street": "Breite Straße 12",
        "postal_code": "38855",
        "town": "Wernigerode",
        "ortsteil": "",
        "resident_since": "2015-03-01",
        "membership": "non_member",
        "motivation": "Ich will, dass der Bus wieder fährt.",
        "topics": "Nahverkehr",
        "support": ["mentoring", "youth_event"],
        "gender": "woman",
        "migration_history": "",
        "accepts_expectations": "on",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response):
    """The form's errors on a re-rendered page, as {field: [messages]}."""
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def change_page_post(application, **overrides):
    """The application's admin change form as the browser of a district team or the state
    office sends it: the fields they may edit, with their current values."""
    from candidates.fields import applicant_fields

    data = {"municipality": application.municipality_id}
    # The details staff with CORRECT_APPLICATIONS may correct, as the form shows them.
    for field in applicant_fields():
        if not field.correctable:
            continue
        value = getattr(application, field.name)
        if isinstance(value, bool):
            if value:
                data[field.name] = "on"
        elif isinstance(value, datetime.date):
            data[field.name] = value.isoformat()
        else:
            data[field.name] = value
    data |= {
        "new_status": "",
        "status_note": "",
        "new_assignee": application.assignee_id or "",
        "new_note": "",
        "_save": "Sichern",
    }
    data.update(overrides)
    return data


def autocomplete_fields():
    """(app_label, model_name, field_name) of every foreign key or many-to-many whose
    target has an admin: each can be asked for at the admin's autocomplete endpoint."""
    from django.apps import apps
    from django.contrib import admin

    return [
        (model._meta.app_label, model._meta.model_name, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if (field.many_to_one or field.many_to_many)
        and field.concrete
        and admin.site.is_registered(field.related_model)
    ]


# --- Councils and lists (lists app) ------------------------------------------------------


def get_council(kind="council", district_slug="harz", area_name="Wernigerode"):
    from districts.models import Council

    return Council.objects.select_related("district", "municipality").get(
        kind=kind, district__slug=district_slug, area_name=area_name
    )


def make_local_council(area_name="Silstedt", municipality=None, **overrides):
    """An Ortschaftsrat as a district team enters it (Wernigerode unless overridden)."""
    from districts.models import Council

    municipality = municipality or get_municipality()
    values = {
        "kind": Council.Kind.LOCAL_COUNCIL,
        "district": municipality.district,
        "municipality": municipality,
        "area_name": area_name,
        "name": f"Ortschaftsrat {area_name}",
        "official_seats": 5,
        "electoral_areas": 1,
    }
    values.update(overrides)
    return Council.objects.create(**values)


def make_list(council, *, election=None, places=(), **overrides):
    """A candidate list for `council` with `places` (applications) in that order, written
    directly (lists.services is tested on its own)."""
    from lists.models import CandidateList, ListPlace

    candidate_list = CandidateList.objects.create(
        election=election or Election.objects.first() or make_election(),
        council=council,
        **overrides,
    )
    for position, application in enumerate(places, start=1):
        ListPlace.objects.create(
            candidate_list=candidate_list, position=position, application=application
        )
    return candidate_list
