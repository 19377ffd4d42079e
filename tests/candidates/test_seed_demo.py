import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.roles import DISTRICT_TEAM_GROUP, STATE_OFFICE_GROUP
from candidates import workflow
from candidates.fields import SUPPORT_WISHES
from candidates.models import (
    Application,
    Assignment,
    Election,
    LegalDocument,
    Note,
    StatusChange,
    bodies_for,
)
from tests.portal.totp import wait_for_fresh_totp_period


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


TOTP_AND_CODES = [Authenticator.Type.RECOVERY_CODES, Authenticator.Type.TOTP]


def demo_code(email):
    """The code demo_totp would print, from a fresh 30-second window."""
    out = io.StringIO()
    wait_for_fresh_totp_period()
    call_command("demo_totp", email, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.mark.django_db
def test_seed_demo_without_debug_refuses_and_creates_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="fake personal data"):
        seed(applications=5)

    assert (
        Election.objects.count(),
        Application.objects.count(),
        get_user_model().objects.count(),
    ) == (0, 0, 0)


@pytest.mark.django_db
def test_seed_demo_with_force_runs_without_debug(settings):
    settings.DEBUG = False

    seed(applications=5, seed=1, force=True)

    assert Application.objects.count() == 5


@pytest.mark.django_db
def test_seed_demo_creates_applications_for_open_election(settings):
    settings.DEBUG = True

    output = seed(applications=40, seed=7)

    election = Election.objects.get()
    assert Election.objects.current() == election
    assert (election.name, election.election_day.isoformat()) == ("Kommunalwahl 2029", "2029-06-10")
    applications = list(Application.objects.for_list())
    assert len(applications) == 40
    assert {application.election for application in applications} == {election}
    assert "40 neu angelegt, 40 insgesamt" in output


@pytest.mark.django_db
def test_seed_demo_bodies_fit_municipality(settings):
    settings.DEBUG = True

    seed(applications=40, seed=7)

    mismatches = [
        (application.pk, application.bodies)
        for application in Application.objects.for_list()
        if not application.bodies
        or not set(application.bodies)
        <= {body for body, _name in bodies_for(application.municipality)}
    ]
    assert mismatches == []


@pytest.mark.django_db
def test_every_demo_application_passes_the_models_rules(settings):
    """Demo data is bulk-created past the services: it must still be data the portal
    itself would accept (names without digits, occupations like "Ingenieur:in")."""
    from django.core.exceptions import ValidationError

    settings.DEBUG = True
    seed(applications=300, seed=3)

    refused = {}
    for application in Application.objects.all():
        try:
            application.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            refused[application.pk] = error.message_dict
    assert refused == {}


@pytest.mark.django_db
def test_seed_demo_spreads_applications(settings):
    settings.DEBUG = True

    seed(applications=40, seed=7)

    applications = Application.objects.all()
    assert applications.values("municipality__district").distinct().count() >= 3
    assert applications.values("created_at__date").distinct().count() > 1
    assert {a.email.rsplit("@", 1)[1] for a in applications} <= {
        "example.org",
        "example.net",
        "example.com",
    }
    privacy = LegalDocument.current(LegalDocument.Kind.PRIVACY)
    assert {a.consent_version for a in applications} == {privacy.version}
    # Every support wish of candidates.fields, a new one too (DEFAULT_SUPPORT_CHANCE).
    for wish in SUPPORT_WISHES:
        assert applications.filter(**{wish.field: True}).exists(), wish.key


@pytest.mark.django_db
def test_seed_demo_history_is_what_the_services_would_have_written(settings):
    settings.DEBUG = True

    seed(applications=60, seed=7)

    Status = Application.Status
    applications = list(Application.objects.select_related("assignee"))
    assert {a.status for a in applications} > {Status.UNCONFIRMED, Status.NEW, Status.CONTACTED}
    for application in applications:
        steps = list(
            StatusChange.objects.filter(application=application).order_by("changed_at", "pk")
        )
        assignments = list(Assignment.objects.filter(application=application))
        notes = list(Note.objects.filter(application=application))
        if application.status == Status.UNCONFIRMED:
            assert (steps, assignments, notes) == ([], [], [])
            continue
        # Confirmed by the applicant, then step by step along the workflow.
        first, *rest = steps
        assert (first.from_status, first.to_status, first.changed_by, first.changed_at) == (
            Status.UNCONFIRMED,
            Status.NEW,
            None,
            application.confirmed_at,
        )
        previous = Status.NEW
        for step in rest:
            assert step.from_status == previous
            assert step.to_status in workflow.TRANSITIONS[previous]
            assert step.changed_by is not None
            previous = step.to_status
        assert previous == application.status
        # An Ansprechperson from the first contact on, who also wrote any note.
        if application.assignee is None:
            assert (assignments, notes) == ([], [])
        else:
            assert [(a.previous_assignee, a.assignee, a.assigned_by) for a in assignments] == [
                (None, application.assignee, application.assignee)
            ]
            assert {note.author for note in notes} <= {application.assignee}


@pytest.mark.django_db
def test_seed_demo_twice_keeps_the_number_of_applications(settings):
    settings.DEBUG = True

    seed(applications=40, seed=7)
    output = seed(applications=40, seed=7)

    assert (Election.objects.count(), Application.objects.count()) == (1, 40)
    assert "0 neu angelegt, 40 insgesamt" in output


@pytest.mark.django_db
def test_seed_demo_tops_up_to_the_requested_number(settings):
    settings.DEBUG = True

    seed(applications=10, seed=7)
    seed(applications=25, seed=7)

    assert Application.objects.count() == 25


def printed_accounts(output):
    """{email: password} as seed_demo prints them."""
    return dict(re.findall(r"^E-Mail:\s+(\S+)\nPasswort:\s+(\S+)$", output, re.MULTILINE))


@pytest.mark.django_db
def test_seed_demo_creates_one_staff_account_per_role(settings):
    settings.DEBUG = True

    first = printed_accounts(seed(applications=0))
    output = seed(applications=0)
    accounts = printed_accounts(output)

    assert "http://testserver/verwaltung/" in output
    assert sorted(accounts) == ["harz@example.org", "lgs@example.org", "magdeburg@example.org"]
    assert (
        "Code:        PORTAL_DEBUG=1 .venv/bin/python manage.py demo_totp harz@example.org"
        in output
    )
    users = {user.email: user for user in get_user_model().objects.all()}
    assert sorted(users) == sorted(accounts)
    roles = {
        email: (
            user.is_staff,
            user.is_superuser,
            sorted(user.groups.values_list("name", flat=True)),
            sorted(user.district_memberships.values_list("district__slug", flat=True)),
            sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        )
        for email, user in users.items()
    }
    assert roles == {
        "harz@example.org": (True, False, [DISTRICT_TEAM_GROUP], ["harz"], TOTP_AND_CODES),
        "magdeburg@example.org": (
            True,
            False,
            [DISTRICT_TEAM_GROUP],
            ["magdeburg"],
            TOTP_AND_CODES,
        ),
        "lgs@example.org": (True, False, [STATE_OFFICE_GROUP], [], TOTP_AND_CODES),
    }
    assert sorted(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("harz@example.org", True, True),
        ("lgs@example.org", True, True),
        ("magdeburg@example.org", True, True),
    ]
    for email, password in accounts.items():
        assert authenticate(username=email, password=first[email]) is None
        assert authenticate(username=email, password=password) == users[email]


@pytest.mark.django_db
def test_seed_demo_login_through_allauth_asks_for_code_then_reaches_admin(settings, client):
    settings.DEBUG = True
    password = printed_accounts(seed(applications=0))["harz@example.org"]

    response = client.post(
        reverse("account_login"), {"login": "harz@example.org", "password": password}
    )
    assert (response.status_code, response.url) == (302, reverse("mfa_authenticate"))

    response = client.post(reverse("mfa_authenticate"), {"code": demo_code("harz@example.org")})

    # A district team member lands on the overview (accounts.adapters).
    assert (response.status_code, response.url) == (302, reverse("admin:overview"))
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_some_demo_applications_are_short_first_steps_and_none_of_them_is_on_a_list(settings):
    settings.DEBUG = True

    seed(applications=300, seed=3)

    incomplete = Application.objects.incomplete()
    assert 10 <= incomplete.count() <= 60
    assert set(incomplete.values_list("status", flat=True)) <= {
        Application.Status.UNCONFIRMED,
        Application.Status.NEW,
        Application.Status.CONTACTED,
    }
    assert not incomplete.filter(list_places__isnull=False).exists()
