"""The language a person applies in is stored with the application, and every later mail
to them is written in it, whichever page set the mail off; mails to the district team stay
German. The team sees the language on the application."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from candidates.models import Application
from notifications.models import OutgoingMail
from tests.factories import login_staff, valid_data

EMAIL = "erika@example.org"


def in_language(language, text, **values):
    with translation.override(language):
        return translation.gettext(text) % values


def mails():
    """The outbox rows, oldest first (sending happens after commit, which tests don't)."""
    return list(OutgoingMail.objects.order_by("pk"))


def link_in(body, part):
    return re.search(rf"https?://\S*{part}\S*", body).group(0)


@pytest.mark.django_db
def test_applying_in_arabic_stores_it_and_the_confirmation_mail_is_arabic(client, election):
    response = client.post("/ar/harz/wernigerode/", valid_data())

    assert response.status_code == 302
    assert response["Location"].startswith("/ar/bewerbung/danke/")
    application = Application.objects.get()
    assert application.language == "ar"
    (message,) = mails()
    assert message.subject == in_language(
        "ar", "Bitte bestätige deine Bewerbung für %(name)s", name="Wernigerode"
    )
    assert in_language("ar", "Hallo %(name)s,", name="Erika Maria") in message.body
    assert "Hallo" not in message.body
    # The links lead to the pages in Arabic too.
    assert "/ar/bewerbung/bestaetigen/" in link_in(message.body, "bestaetigen")
    assert "/ar/meine-bewerbung/" in link_in(message.body, "meine-bewerbung")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/harz/wernigerode/", "de"),
        ("/en/harz/wernigerode/", "en"),
        ("/pl/einbetten/harz/wernigerode/", "pl"),
    ],
)
def test_every_form_stores_the_language_of_its_page(client, election, path, language):
    client.post(path, valid_data(), HTTP_ORIGIN="http://testserver")

    assert Application.objects.get().language == language


@pytest.mark.django_db
def test_later_mails_use_the_stored_language_whichever_page_set_them_off(client, election):
    client.post("/ru/harz/wernigerode/", valid_data())
    OutgoingMail.objects.all().delete()

    # The same address applies again, this time from the German page …
    client.post("/harz/wernigerode/", valid_data())
    # … and asks for a new link on the English page.
    client.post("/en" + reverse("selfservice:new_link"), {"email": EMAIL})

    already, new_link = mails()
    assert already.subject == in_language(
        "ru", "Du hast dich schon für %(name)s beworben", name="Wernigerode"
    )
    assert new_link.subject == in_language(
        "ru", "Dein neuer Link zu deiner Bewerbung für %(name)s", name="Wernigerode"
    )
    assert "/ru/meine-bewerbung/" in link_in(new_link.body, "meine-bewerbung")
    assert Application.objects.get().language == "ru"


@pytest.mark.django_db
def test_the_district_team_is_told_in_german_even_from_an_arabic_page(client, election, harz_chair):
    from districts.models import District

    District.objects.filter(slug="harz").update(contact_email="harz@example.org")
    client.post("/ar/harz/wernigerode/", valid_data())
    confirmation = link_in(mails()[0].body, "bestaetigen")
    OutgoingMail.objects.all().delete()

    client.post(confirmation.replace("http://testserver", ""))

    notices = [m for m in mails() if m.to == "harz@example.org"]
    assert len(notices) == 1
    assert notices[0].subject.startswith("Neue Bewerbung")


@pytest.mark.django_db
def test_the_team_sees_the_language_on_the_application(client, election, harz_chair):
    client.post("/uk/harz/wernigerode/", valid_data())
    application = Application.objects.get()
    application.status = Application.Status.NEW
    application.confirmed_at = application.created_at
    application.save()
    login_staff(client, harz_chair)

    page = client.get(reverse("admin:candidates_application_change", args=[application.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Sprache der Bewerbung" in body
    assert "Українська" in body
