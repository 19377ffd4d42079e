"""The citizen's application: what the form offers, refuses and stores."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from candidates import eligibility
from candidates.forms import ApplicationForm
from candidates.models import Application, LegalDocument
from districts.models import Council
from notifications.models import OutgoingMail
from tests.factories import (
    APPLY_URL,
    errors_of,
    get_municipality,
    make_election,
    queries_for,
    valid_data,
)


@pytest.mark.django_db
def test_apply_flow_stores_exactly_one_application_with_consent_version(client):
    make_election()
    privacy = LegalDocument.current(LegalDocument.Kind.PRIVACY)

    page = client.get(APPLY_URL)
    assert page.status_code == 200
    response = client.post(APPLY_URL, valid_data())

    assert response.status_code == 302
    assert Application.objects.count() == 1
    application = Application.objects.get()
    assert application.municipality == get_municipality("harz", "wernigerode")
    assert application.email == "erika@example.org"
    assert application.consent_version == privacy.version
    assert application.consent_given_at is not None
    assert application.status == Application.Status.UNCONFIRMED
    assert application.bodies == ["council", "district_council"]
    assert (application.wants_mentoring, application.wants_youth_event) == (True, True)
    assert (application.wants_training, application.wants_compatibility_help) == (False, False)
    assert application.is_eligible is True
    assert application.ineligibility_reasons == []

    thanks = client.get(response["Location"]).content.decode()
    assert "Danke für deine Bewerbung!" in thanks
    assert "Deine Bewerbung für Wernigerode ist bei uns angekommen." in thanks
    assert "Jetzt noch: E-Mail bestätigen" in thanks
    assert "Erika" not in thanks
    assert "example.org" not in thanks


@pytest.mark.django_db
def test_consent_is_stamped_by_the_service_with_the_current_privacy_notice(client):
    make_election()
    newest = LegalDocument.objects.create(
        kind=LegalDocument.Kind.PRIVACY, version="zweite Fassung", text="Neu gefasst."
    )
    stored_at = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=datetime.UTC)

    # Only the service module's clock is stopped: the time can come from nowhere else.
    with mock.patch("candidates.services.timezone") as service_clock:
        service_clock.now.return_value = stored_at
        client.post(APPLY_URL, valid_data())

    application = Application.objects.get()
    assert (application.consent_given_at, application.consent_version) == (
        stored_at,
        newest.version,
    )


@pytest.mark.django_db
def test_form_validates_consent_but_leaves_stamping_it_to_the_service(election, wernigerode):
    form = ApplicationForm(data=valid_data(), municipality=wernigerode, election=election)

    assert form.is_valid(), form.errors
    assert (form.instance.consent_given_at, form.instance.consent_version) == (None, "")


@pytest.mark.django_db
def test_confirmation_mail_link_confirms_once(client, django_capture_on_commit_callbacks):
    make_election()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY_URL, valid_data())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erika@example.org"]
    assert message.subject == "Bitte bestätige deine Bewerbung für Wernigerode"
    link = re.search(r"http://testserver(/bewerbung/bestaetigen/\S+/)", message.body).group(1)
    # Opening the link (as mail scanners do) changes nothing.
    assert "Ja, ich habe mich beworben" in client.get(link).content.decode()
    assert Application.objects.get().confirmed_at is None

    client.post(link)
    application = Application.objects.get()
    assert application.status == Application.Status.NEW
    confirmed_at = application.confirmed_at
    assert confirmed_at is not None

    again = client.post(link, follow=True)
    assert "Deine Bewerbung ist bestätigt" in again.content.decode()
    assert Application.objects.get().confirmed_at == confirmed_at


@pytest.mark.django_db
def test_confirm_link_tampered_gives_german_message(client, election):
    response = client.get("/bewerbung/bestaetigen/kaputt:abc/")
    assert response.status_code == 400
    assert "Dieser Link funktioniert nicht" in response.content.decode()


@pytest.mark.django_db
def test_confirm_link_invalid_page_names_the_configured_validity(client, election, settings):
    settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS = 14
    response = client.get("/bewerbung/bestaetigen/kaputt:abc/")
    assert "Wenn er älter als 14 Tage ist" in response.content.decode()


@pytest.mark.django_db
def test_mail_server_failure_keeps_application(
    client, election, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.candidates.failing_mail.FailingBackend"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(APPLY_URL, valid_data())

    assert response.status_code == 302
    assert len(callbacks) == 1
    assert Application.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_confirmation_mail_is_sent_only_after_commit(
    client, election, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(APPLY_URL, valid_data())
    assert mail.outbox == []
    # Stored with the application, so a crash before sending cannot lose it.
    assert list(OutgoingMail.objects.values_list("to", "sent_at")) == [("erika@example.org", None)]
    callbacks[0]()
    assert len(mail.outbox) == 1
    # The mail greets by first name and carries no other personal or political data.
    assert "Hallo Erika Maria," in mail.outbox[0].body
    assert "Mustermann" not in mail.outbox[0].body
    assert "Bus" not in mail.outbox[0].body


# --- what the form offers -----------------------------------------------------------


def offered_bodies(client, district, municipality):
    response = client.get(f"/{district}/{municipality}/")
    return [str(label) for _value, label in response.context["form"].fields["bodies"].choices]


@pytest.mark.django_db
def test_bodies_in_city_of_a_landkreis(client, election):
    assert offered_bodies(client, "harz", "wernigerode") == [
        "Stadtrat",
        "Kreistag Harz",
        "Ortschaftsrat",
    ]


@pytest.mark.django_db
def test_bodies_in_member_municipality_of_a_verbandsgemeinde(client, election):
    # Ilsenburg? No: a real member municipality of the VG Vorharz.
    assert offered_bodies(client, "harz", "ditfurt") == [
        "Gemeinderat",
        "Verbandsgemeinderat Vorharz",
        "Kreistag Harz",
    ]


@pytest.mark.django_db
def test_bodies_in_kreisfreie_stadt(client, election):
    assert offered_bodies(client, "magdeburg", "magdeburg") == ["Stadtrat", "Ortschaftsrat"]


@pytest.mark.django_db
def test_body_not_offered_there_is_refused(client, election):
    response = client.post(APPLY_URL, valid_data(bodies=["vg_council"]))
    assert response.status_code == 200
    assert errors_of(response)["bodies"] == ["Bitte wähl eine der Möglichkeiten aus."]
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_local_council_needs_the_ortschaft(client, election):
    response = client.post(APPLY_URL, valid_data(bodies=["local_council"]))
    assert errors_of(response) == {
        "local_council_name": ["Bitte nenn die Ortschaft, für deren Ortschaftsrat du kandidierst."]
    }


def council_facts(client, url):
    """The facts box of a municipality's page, as one line of text."""
    html = client.get(url).content.decode()
    box = re.search(r'<div class="facts[^"]*">(.*?)</div>', html, re.DOTALL).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", box).split())


@pytest.mark.django_db
def test_municipality_page_shows_expected_seats_and_list_length(client, election):
    # Wernigerode: 31,835 residents → 40 seats (§ 37 KVG LSA) → 45 on one list.
    assert council_facts(client, APPLY_URL) == (
        "Auf unserer Liste für den Stadtrat Wernigerode können voraussichtlich bis zu 45 "
        "Kandidat:innen antreten. Der Stadtrat Wernigerode hat voraussichtlich 40 Sitze "
        "(berechnet nach § 37 KVG LSA aus der Einwohnerzahl vom 31.12.2025: 31.835; die "
        "amtliche Zahl gibt die Wahlleitung bekannt)."
    )


@pytest.mark.django_db
def test_municipality_page_shows_official_seats_without_voraussichtlich(client, election):
    Council.objects.filter(name="Stadtrat Wernigerode").update(official_seats=36)

    assert council_facts(client, APPLY_URL) == (
        "Auf unserer Liste für den Stadtrat Wernigerode können bis zu 41 Kandidat:innen "
        "antreten. Der Stadtrat Wernigerode hat 36 Sitze (amtliche Zahl, bekannt gegeben "
        "von der Wahlleitung)."
    )


@pytest.mark.django_db
def test_municipality_page_of_kreisfreie_stadt_counts_per_wahlbereich(client, election):
    # 56 seats in 10 Wahlbereiche: ⌈56 / 10⌉ + 3 = 9 per list (§ 21 Abs. 4 KWG LSA).
    assert council_facts(client, "/magdeburg/magdeburg/").startswith(
        "Auf unseren Listen für den Stadtrat Magdeburg können voraussichtlich bis zu 9 "
        "Kandidat:innen je Wahlbereich antreten (10 Wahlbereiche). Der Stadtrat Magdeburg "
        "hat voraussichtlich 56 Sitze"
    )


@pytest.mark.django_db
def test_municipality_page_names_no_figure_while_wahlbereiche_are_unknown(client, election):
    Council.objects.filter(name="Stadtrat Wernigerode").update(electoral_areas=None)

    facts = council_facts(client, APPLY_URL)

    assert facts.startswith(
        "Wie viele Kandidat:innen auf unserer Liste antreten können, steht noch nicht fest. "
        "Der Stadtrat Wernigerode hat voraussichtlich 40 Sitze"
    )
    assert "bis zu" not in facts


@pytest.mark.django_db
def test_municipality_page_names_no_figure_without_a_council_record(client, election):
    Council.objects.filter(name="Stadtrat Wernigerode").delete()

    assert council_facts(client, APPLY_URL) == (
        "Wie viele Kandidat:innen auf unserer Liste antreten können, steht noch nicht fest."
    )


@pytest.mark.django_db
def test_municipality_page_queries_do_not_depend_on_its_councils(client, election):
    # Wernigerode (Stadtrat, Kreistag), Ditfurt (also a Verbandsgemeinderat), Magdeburg
    # (Stadtrat in Wahlbereiche, no Kreistag).
    counts = {
        url: queries_for(client, url)
        for url in [APPLY_URL, "/harz/ditfurt/", "/magdeburg/magdeburg/"]
    }

    assert len(set(counts.values())) == 1, counts


# --- bad input: a message next to the field, nothing lost, never a 500 ----------------

LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "", "Bitte füll dieses Feld aus."),
        (
            "last_name",
            LONG,
            "Das ist zu lang: höchstens 100 Zeichen (jetzt 10000).",
        ),
        (
            "last_name",
            "<script>alert(1)</script>",
            "Bitte nur Buchstaben, Leerzeichen, Bindestriche, Punkte und Apostrophe verwenden.",
        ),
        (
            "first_names",
            "Erika 😀",
            "Bitte nur Buchstaben, Leerzeichen, Bindestriche, Punkte und Apostrophe verwenden.",
        ),
        (
            "last_name",
            '=HYPERLINK("http://evil.example","klick")',
            "Bitte nur Buchstaben, Leerzeichen, Bindestriche, Punkte und Apostrophe verwenden.",
        ),
        ("date_of_birth", "2099-01-01", "Das Geburtsdatum liegt in der Zukunft."),
        ("date_of_birth", "1850-01-01", "Bitte das Geburtsjahr prüfen."),
        (
            "date_of_birth",
            "31.02.1990",
            "Bitte gib ein gültiges Datum ein, z. B. 17.05.1990.",
        ),
        (
            "email",
            "erika@",
            "Bitte gib eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
        ),
        ("postal_code", "3885", "Eine Postleitzahl hat fünf Ziffern, z. B. 38855."),
        ("postal_code", "٣٨٨٥٥", "Eine Postleitzahl hat fünf Ziffern, z. B. 38855."),
        (
            "phone",
            "ruf mich an",
            "Bitte gib eine Telefonnummer mit Ziffern ein, z. B. 0391 1234567.",
        ),
        ("citizenship", "mars", "Bitte wähl eine der Möglichkeiten aus."),
        ("resident_since", "2035-01-01", "Dieses Datum liegt nach dem Wahltag (10.06.2029)."),
        ("resident_since", "1985-01-01", "Dieses Datum liegt vor deinem Geburtsdatum."),
        (
            "motivation",
            "x" * 4001,
            "Das ist zu lang: höchstens 4000 Zeichen (jetzt 4001).",
        ),
        (
            "motivation",
            "Hallo\x00Welt",
            "Nullzeichen sind nicht erlaubt.",
        ),
        # The short first step: only the names, the e-mail address and the consent are
        # required (bodies and expectations may come later: test_short_step.py).
        ("first_names", "", "Bitte füll dieses Feld aus."),
        ("email", "", "Bitte füll dieses Feld aus."),
        (
            "privacy_consent",
            None,
            "Ohne deine Einwilligung dürfen wir deine Bewerbung nicht speichern.",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_input_gets_message_next_to_field_and_keeps_the_rest(
    client, election, field, value, message
):
    data = valid_data(**{field: value})
    response = client.post(APPLY_URL, data)

    assert response.status_code == 200
    assert errors_of(response) == {field: [message]}
    assert Application.objects.count() == 0
    html = response.content.decode()
    # What was typed is still there, the wrong value included.
    assert 'value="Breite Straße 12"' in html
    assert 'value="Mustermann"' in html or field == "last_name"
    if field == "motivation":
        assert "xxxx" in html or "Hallo" in html
    else:
        assert "Ich will, dass der Bus wieder fährt." in html
    assert 'id="error-summary"' in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
def test_arabic_name_and_markup_in_motivation_are_accepted_and_escaped(client, election):
    data = valid_data(
        first_names="ليلى",
        last_name="الحسن",
        motivation='<script>alert("x")</script> =HYPERLINK("http://evil.example") 🚌',
    )
    response = client.post(APPLY_URL, data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.full_name == "ليلى الحسن"
    assert application.motivation.startswith("<script>")
    thanks = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in thanks


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"bodies": "x" * 100_000},
        {"date_of_birth": "\x00", "email": "🙂@🙂"},
        {"support": ["nonsense"], "gender": "<b>", "membership": "=1+1"},
        {"email": '"\u202e"@example.org', "motivation": "\u0301" * 10_000},
    ],
)
@pytest.mark.django_db
def test_garbage_posts_never_crash(client, election, payload):
    response = client.post(APPLY_URL, payload)
    assert response.status_code == 200
    assert Application.objects.count() == 0


# --- eligibility is explained, not turned away ----------------------------------------


@pytest.mark.django_db
def test_ineligible_applicant_is_stored_flagged_and_told_why(client, election):
    response = client.post(
        APPLY_URL,
        valid_data(citizenship="other", member_of_other_party="on", date_of_birth="2012-01-01"),
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.is_eligible is False
    assert application.ineligibility_reasons == ["too_young", "citizenship", "other_party"]
    text = client.get(response["Location"]).content.decode()
    assert "Du bist am Wahltag noch nicht 18 Jahre alt." in text
    assert "Kandidieren können nur Deutsche und Bürger:innen anderer EU-Staaten." in text
    assert "Auf unserer Liste können nur Mitglieder oder Parteilose stehen." in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("membership", "reasons"),
    [("member", []), ("non_member", ["other_party"]), ("wants_to_join", ["other_party"])],
)
def test_other_party_tick_counts_except_for_members(membership, reasons, client, election):
    response = client.post(APPLY_URL, valid_data(membership=membership, member_of_other_party="on"))

    application = Application.objects.get()
    # Stored as answered; only eligibility decides what it means.
    assert application.member_of_other_party is True
    assert (application.ineligibility_reasons, application.is_eligible) == (reasons, not reasons)
    thanks = client.get(response["Location"]).content.decode()
    told = "Auf unserer Liste können nur Mitglieder oder Parteilose stehen." in thanks
    assert told is bool(reasons)


@pytest.mark.django_db
def test_local_authority_employee_gets_section_41_note(client, election):
    response = client.post(
        APPLY_URL,
        valid_data(works_for_local_authority="on", bodies=["council", "district_council"]),
    )

    thanks = client.get(response["Location"]).content.decode()
    # A note, never a block: stored as eligible, told what § 41 means for each body.
    assert Application.objects.get().is_eligible is True
    assert str(eligibility.INCOMPATIBILITY_NOTE) in thanks
    assert "Für den Kreistag gilt es für alle hauptamtlich Beschäftigten des Landkreises" in (
        thanks
    )
    assert "Beschäftigte ohne leitende Aufgaben in Einrichtungen wie Kitas" in thanks


# --- closed elections, unknown places -------------------------------------------------


@pytest.mark.django_db
def test_no_open_election_shows_polite_notice_and_district_contact(client):
    make_election(
        applications_open_from=datetime.date(2020, 1, 1),
        applications_open_until=datetime.date(2020, 12, 31),
        election_day=datetime.date(2021, 6, 6),
    )
    harz = get_municipality("harz", "wernigerode").district
    harz.contact_email = "wahl@harz.example.org"
    harz.save()

    get = client.get(APPLY_URL)
    post = client.post(APPLY_URL, valid_data())

    for response in (get, post):
        text = response.content.decode()
        assert response.status_code == 200
        assert "nehmen wir über das Portal keine Bewerbungen an" in text
        assert "wahl@harz.example.org" in text
        assert "<form" not in text.split("<main")[1]
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["/harz/nirgendwo/", "/nirgendwo/", "/nirgendwo/wernigerode/", "/magdeburg/wernigerode/"]
)
@pytest.mark.django_db
def test_unknown_place_is_a_german_404(client, election, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.content.decode()


@pytest.mark.django_db
def test_thanks_page_with_forged_token_is_404(client):
    assert client.get(reverse("candidates:thanks", kwargs={"token": "1:abc"})).status_code == 404


@pytest.mark.django_db
def test_valid_data_answers_every_required_field_of_the_form(election, wernigerode):
    # valid_data() holds values only; the form's fields come from candidates.fields, and a
    # new required one without a value there fails here by name.
    form = ApplicationForm(municipality=wernigerode, election=election)
    data = valid_data()

    missing = [name for name, field in form.fields.items() if field.required and name not in data]
    assert not missing, f"valid_data() has no value for the required form fields {missing}"
    assert set(data) <= set(form.fields), sorted(set(data) - set(form.fields))
