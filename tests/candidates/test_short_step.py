"""The short first step (issue 9): names, e-mail address and consent are enough to apply;
Application.missing_details says what a complete application still needs, the admin, Meine
Bewerbung and the list rules read it, and eligibility is checked once its answers are
there."""

import datetime
import re

import pytest
from django.urls import reverse

from candidates.models import Application
from lists import rules
from notifications.models import OutgoingMail
from selfservice.tokens import issue_token
from tests.factories import (
    APPLY_URL,
    get_council,
    login_staff,
    make_application,
    make_list,
)

CHANGELIST = reverse("admin:candidates_application_changelist")
EVERYTHING_MISSING = [
    "Beruf oder Stand",
    "Geburtsdatum",
    "Straße und Hausnummer",
    "Postleitzahl",
    "Ort",
    "Staatsangehörigkeit",
    "Hauptwohnung in der Gemeinde seit",
    "Mitgliedschaft",
    "Gremium",
    "Motivation",
    "Erwartungen an Kandidat:innen akzeptiert",
]
SHORT_POST = {
    "first_names": "Kim",
    "last_name": "Kurzschritt",
    "email": "Kim.Kurz@Example.org",
    "privacy_consent": "on",
}


def short_application(**overrides):
    """An application as the short first step stores it, the town left empty too."""
    values = {
        "occupation": "",
        "town": "",
        "date_of_birth": None,
        "street": "",
        "postal_code": "",
        "citizenship": "",
        "resident_since": None,
        "membership": "",
        "motivation": "",
        "accepts_expectations": False,
        "stands_for_council": False,
    }
    values.update(overrides)
    return make_application(**values)


def missing(application):
    return [str(label) for label in application.missing_details]


@pytest.mark.django_db
def test_names_email_and_consent_are_enough_to_apply(client, election):
    response = client.post(APPLY_URL, {**SHORT_POST, "town": ""})

    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.full_name, application.email, application.status) == (
        "Kim Kurzschritt",
        "kim.kurz@example.org",
        Application.Status.UNCONFIRMED,
    )
    assert missing(application) == EVERYTHING_MISSING
    assert application.is_complete is False
    assert (application.is_eligible, application.ineligibility_reasons) == (True, [])
    assert application.eligibility_open is True
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["kim.kurz@example.org"]


@pytest.mark.django_db
def test_the_apply_page_says_that_only_name_and_email_are_required(client, election):
    html = client.get(APPLY_URL).content.decode()

    assert (
        "Nur Name und E-Mail sind Pflicht – alles andere kannst du später über den Link in "
        "deiner Bestätigungs-E-Mail ergänzen."
    ) in html
    assert "Mehr angeben – jetzt oder später" in html


@pytest.mark.django_db
def test_without_consent_nothing_is_stored(client, election):
    response = client.post(APPLY_URL, {**SHORT_POST, "privacy_consent": ""})

    assert response.status_code == 200
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_a_complete_application_misses_nothing(election):
    application = make_application()

    assert (application.missing_details, application.is_complete) == ([], True)
    assert application.eligibility_open is False


@pytest.mark.django_db
def test_a_person_the_team_entered_directly_is_not_asked_the_portals_questions(
    election, harz_chair
):
    application = short_application(
        entered_by=harz_chair,
        occupation="Tischler",
        date_of_birth=datetime.date(1980, 1, 1),
        street="Markt 1",
        postal_code="38855",
        town="Wernigerode",
        citizenship="de",
        resident_since=datetime.date(2000, 1, 1),
        membership="member",
    )

    assert application.missing_details == []


@pytest.mark.django_db
def test_the_queryset_filter_agrees_with_missing_details(election, harz_chair):
    complete = make_application()
    short = short_application()
    no_body = make_application(stands_for_council=False)
    entered = make_application(entered_by=harz_chair, motivation="", accepts_expectations=False)

    assert set(Application.objects.complete()) == {complete, entered}
    assert set(Application.objects.incomplete()) == {short, no_body}
    for application in [complete, short, no_body, entered]:
        assert (
            application.is_complete
            == Application.objects.complete().filter(pk=application.pk).exists()
        )


@pytest.mark.django_db
def test_no_membership_answer_gives_no_reason_yet(election):
    application = short_application(member_of_other_party=True)

    assert (application.ineligibility_reasons, application.eligibility_open) == ([], True)


@pytest.mark.django_db
def test_the_admin_shows_what_is_missing_and_eligibility_as_open(client, election, harz_chair):
    application = short_application()
    login_staff(client, harz_chair)

    html = client.get(reverse("admin:candidates_application_change", args=[application.pk]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.content.decode()))

    assert "Angaben unvollständig: " + ", ".join(EVERYTHING_MISSING) in text
    assert "noch offen" in text
    assert "geprüft wird, sobald die Angaben dazu vollständig sind" in text
    assert "keine – nach den Angaben wählbar" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "expected"), [("unvollstaendig", ["Kurz"]), ("vollstaendig", ["Lang"])]
)
def test_the_admin_filters_by_completeness(client, election, harz_chair, value, expected):
    short_application(last_name="Kurz")
    make_application(last_name="Lang")
    login_staff(client, harz_chair)

    response = client.get(CHANGELIST, {"angaben": value})

    assert [a.last_name for a in response.context["cl"].result_list] == expected


@pytest.mark.django_db
def test_completing_on_meine_bewerbung_makes_it_complete_and_checks_eligibility(client, election):
    application = short_application(status=Application.Status.NEW)
    token = issue_token(application)
    url = reverse("selfservice:overview", kwargs={"token": token})
    correct_url = reverse("selfservice:correct", kwargs={"token": token})

    overview = client.get(url).content.decode()
    assert "fehlen noch diese Angaben" in overview
    assert "<li>Geburtsdatum</li>" in overview
    assert correct_url in overview
    form = client.get(correct_url).context["form"]
    assert "accepts_expectations" in form.fields

    response = client.post(
        correct_url,
        {
            "bodies": ["council"],
            "first_names": application.first_names,
            "last_name": application.last_name,
            # 17 on election day (10 June 2029).
            "date_of_birth": "2011-07-01",
            "occupation": "Schülerin",
            "street": "Breite Straße 3",
            "postal_code": "38855",
            "town": "Wernigerode",
            "citizenship": "de",
            "resident_since": "2011-07-01",
            "membership": "wants_to_join",
            "motivation": "Ich will mitreden.",
            "accepts_expectations": "on",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.missing_details == []
    assert (application.is_eligible, application.ineligibility_reasons) == (False, ["too_young"])
    assert "fehlen noch diese Angaben" not in client.get(url).content.decode()
    assert "accepts_expectations" not in client.get(correct_url).context["form"].fields


@pytest.mark.django_db
def test_an_incomplete_application_blocks_the_list(election):
    application = short_application(
        status=Application.Status.NOMINATED, stands_for_council=True, occupation="Tischler"
    )
    candidate_list = make_list(get_council(), election=election)

    problems = rules.list_problems(candidate_list, [application])

    incomplete = [problem for problem in problems if problem.code == "incomplete"]
    assert [(p.message, p.position, p.blocks_adoption) for p in incomplete] == [
        (
            f"Platz 1, {application.full_name}: Angaben unvollständig: Geburtsdatum, "
            "Straße und Hausnummer, Postleitzahl, Ort, Staatsangehörigkeit, Hauptwohnung in der "
            "Gemeinde seit, Mitgliedschaft, Motivation, Erwartungen an Kandidat:innen "
            "akzeptiert.",
            1,
            True,
        )
    ]


@pytest.mark.django_db
def test_print_pages_leave_missing_particulars_blank(client, election, harz_chair):
    application = short_application(status=Application.Status.NOMINATED, stands_for_council=True)
    candidate_list = make_list(get_council(), election=election, places=[application])
    login_staff(client, harz_chair)

    base = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/"
    response = client.get(base)

    assert response.status_code == 200
    html = response.content.decode()
    assert application.last_name in html
    assert "None" not in html
