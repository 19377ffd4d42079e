import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from candidates.models import Application, Election, LegalDocument, bodies_for


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def printed_password(output):
    return re.search(r"^Passwort:\s+(\S+)$", output, re.MULTILINE).group(1)


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


@pytest.mark.django_db
def test_seed_demo_printed_password_logs_in(settings, client):
    settings.DEBUG = True

    first = printed_password(seed(applications=0))
    output = seed(applications=0)
    password = printed_password(output)

    assert "http://testserver/verwaltung/" in output
    assert "demo@example.org" in output
    assert authenticate(username="demo", password=first) is None
    user = authenticate(username="demo", password=password)
    assert (user.username, user.is_staff, user.is_superuser) == ("demo", True, True)
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("demo@example.org", True, True)
    ]
    assert client.login(username="demo", password=password)


@pytest.mark.django_db
def test_seed_demo_login_through_allauth_reaches_admin(settings, client):
    settings.DEBUG = True
    password = printed_password(seed(applications=0))

    response = client.post(
        reverse("account_login"), {"login": "demo@example.org", "password": password}
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
