"""When an applicant confirms, the district hears of it: after commit, one mail per
recipient, with a link and the name but no other personal data."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from candidates.models import Application
from candidates.selectors import district_notification_recipients
from candidates.services import confirm_application
from districts.models import DistrictMembership
from notifications import services as outbox
from notifications.models import OutgoingMail
from tests.factories import get_district, make_application, make_staff_user

HARZ_CONTACT = "kreisverband@harz.example.org"
SUBJECT = "Neue Bewerbung für Wernigerode"
FAILING_BACKEND = "tests.candidates.failing_mail.FailingBackend"


@pytest.fixture
def harz_team(harz_chair, magdeburg_chair, state_office_user):
    """Harz: a contact address, two members who want notifications (the chair and the
    election team), one who opted out, one whose account is deactivated, one without an
    address, and one whose address is the contact address in other letters. Magdeburg has
    a contact address and a chair of its own; the state office is in no team."""
    harz = get_district("harz")
    harz.contact_email = HARZ_CONTACT
    harz.save()
    magdeburg = get_district("magdeburg")
    magdeburg.contact_email = "kreisverband@magdeburg.example.org"
    magdeburg.save()
    make_staff_user("wahlteam@harz.example.org", districts=["harz"])
    opted_out = make_staff_user("urlaub@harz.example.org", districts=["harz"])
    DistrictMembership.objects.filter(user=opted_out).update(receives_notifications=False)
    make_staff_user("ehemalig@harz.example.org", districts=["harz"], is_active=False)
    no_address = make_staff_user("ohne-adresse@harz.example.org", districts=["harz"])
    no_address.email = ""
    no_address.save()
    make_staff_user("Kreisverband@Harz.example.org", districts=["harz"])
    return harz


def make_unconfirmed_application(**overrides):
    values = {
        "first_names": "Erika Maria",
        "last_name": "Mustermann",
        "email": "erika.mustermann@example.org",
        "phone": "03943 123456",
        "street": "Breite Straße 12",
        "date_of_birth": datetime.date(1990, 5, 17),
        "occupation": "Erzieherin",
        "motivation": "Ich will, dass der Bus wieder fährt.",
        "topics": "Nahverkehr",
        "membership": Application.Membership.MEMBER,
        "gender": Application.Gender.WOMAN,
        "migration_history": Application.MigrationHistory.YES,
        "status": Application.Status.UNCONFIRMED,
        "confirmed_at": None,
    }
    values.update(overrides)
    return make_application(**values)


def admin_link(application):
    return "http://testserver" + reverse(
        "admin:candidates_application_change", args=[application.pk]
    )


@pytest.mark.django_db
def test_recipients_are_contact_and_opted_in_active_team_members_once_each(harz_team):
    assert district_notification_recipients(harz_team) == [
        HARZ_CONTACT,
        "chair@harz.example.org",
        "wahlteam@harz.example.org",
    ]


@pytest.mark.django_db
def test_recipients_without_contact_address_are_the_team(harz_team):
    harz_team.contact_email = ""
    harz_team.save()

    assert district_notification_recipients(harz_team) == [
        "chair@harz.example.org",
        "Kreisverband@harz.example.org",
        "wahlteam@harz.example.org",
    ]


@pytest.mark.django_db
def test_confirmation_sends_one_mail_per_recipient_of_the_district_only(
    harz_team, election, django_capture_on_commit_callbacks
):
    application = make_unconfirmed_application()

    with django_capture_on_commit_callbacks(execute=True):
        assert confirm_application(application) is True

    assert [message.to for message in mail.outbox] == [
        [HARZ_CONTACT],
        ["chair@harz.example.org"],
        ["wahlteam@harz.example.org"],
    ]
    assert [(message.cc, message.bcc) for message in mail.outbox] == [([], [])] * 3
    assert [message.subject for message in mail.outbox] == [SUBJECT] * 3
    assert list(
        OutgoingMail.objects.order_by("pk").values_list("to", "kind", "application_id")
    ) == [
        (HARZ_CONTACT, "district_new_application", application.pk),
        ("chair@harz.example.org", "district_new_application", application.pk),
        ("wahlteam@harz.example.org", "district_new_application", application.pk),
    ]
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_notification_is_sent_only_after_commit(
    harz_team, election, django_capture_on_commit_callbacks
):
    application = make_unconfirmed_application()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm_application(application)

    # Queued with the confirmation, in its transaction; nothing has left the house.
    assert mail.outbox == []
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 3
    assert len(callbacks) == 3

    for callback in callbacks:
        callback()

    assert [message.to[0] for message in mail.outbox] == [
        HARZ_CONTACT,
        "chair@harz.example.org",
        "wahlteam@harz.example.org",
    ]
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_notification_names_the_applicant_and_links_the_admin_page_nothing_else(
    harz_team, election, django_capture_on_commit_callbacks
):
    application = make_unconfirmed_application()

    with django_capture_on_commit_callbacks(execute=True):
        confirm_application(application)

    message = mail.outbox[0]
    assert message.subject == SUBJECT
    assert message.body == (
        "Hallo,\n\n"
        "für Wernigerode ist eine neue Bewerbung eingegangen; die E-Mail-Adresse ist "
        "bestätigt:\n\n"
        "Erika Maria Mustermann\n\n"
        "Alles Weitere steht in der Verwaltung des Portals (Anmeldung nötig):\n\n"
        f"{admin_link(application)}\n\n"
        "Diese Nachricht geht an die Kontaktadresse und an die Mitglieder des Teams im "
        "Kreisverband Harz, die Benachrichtigungen erhalten. Wer keine mehr bekommen "
        "möchte, sagt bitte der Landesgeschäftsstelle Bescheid.\n"
    )
    personal = [
        "erika.mustermann@example.org",
        "03943 123456",
        "Breite Straße",
        "1990",
        "17.05.",
        "Erzieherin",
        "Ich will, dass der Bus wieder fährt.",
        "Nahverkehr",
        "Ich bin Mitglied der Partei.",
        "Frau",
        "Migration",
    ]
    for text in (message.subject, message.body):
        assert [value for value in personal if value in text] == []


@pytest.mark.django_db
def test_second_confirmation_sends_nothing(harz_team, election, django_capture_on_commit_callbacks):
    application = make_unconfirmed_application()
    with django_capture_on_commit_callbacks(execute=True):
        confirm_application(application)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert confirm_application(application) is False

    assert callbacks == []
    assert mail.outbox == []
    assert OutgoingMail.objects.count() == 3


@pytest.mark.django_db
def test_district_without_contact_or_team_gets_nothing_and_confirmation_stands(
    election, django_capture_on_commit_callbacks
):
    application = make_unconfirmed_application(district=get_district("altmarkkreis-salzwedel"))

    with django_capture_on_commit_callbacks(execute=True):
        assert confirm_application(application) is True

    assert mail.outbox == []
    assert OutgoingMail.objects.count() == 0
    with scopes_disabled():
        assert Application.objects.get().status == Application.Status.NEW


@pytest.mark.django_db
def test_mail_server_failure_keeps_confirmation_and_mail_is_retried_later(
    harz_team, election, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    application = make_unconfirmed_application()

    with django_capture_on_commit_callbacks(execute=True):
        assert confirm_application(application) is True

    application.refresh_from_db()
    assert application.status == Application.Status.NEW
    assert application.confirmed_at is not None
    assert mail.outbox == []
    assert (
        list(OutgoingMail.objects.values_list("sent_at", "attempts", "last_error"))
        == [(None, 1, "SMTPServerDisconnected: Connection unexpectedly closed")] * 3
    )
    assert [record.getMessage() for record in caplog.records] == [
        f"Sending mail {pk} (district_new_application) failed, attempt 1"
        for pk in OutgoingMail.objects.order_by("pk").values_list("pk", flat=True)
    ]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.update(
        created_at=application.confirmed_at - datetime.timedelta(minutes=10),
        last_attempt_at=application.confirmed_at - datetime.timedelta(minutes=10),
    )
    out = io.StringIO()
    call_command("send_pending_mail", stdout=out)

    assert [message.to[0] for message in mail.outbox] == [
        HARZ_CONTACT,
        "chair@harz.example.org",
        "wahlteam@harz.example.org",
    ]
    assert out.getvalue().splitlines()[-1] == "3 sent, 0 failed (0 given up), 0 purged"
    assert list(OutgoingMail.objects.values_list("attempts", "last_error")) == [(2, "")] * 3
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_notification_that_cannot_be_queued_is_logged_and_confirmation_stands(
    harz_team, election, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    application = make_unconfirmed_application()
    queue_mail = outbox.queue_mail
    calls = []

    def fail_on_second_recipient(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 2:
            raise RuntimeError("broken")
        return queue_mail(**kwargs)

    monkeypatch.setattr(outbox, "queue_mail", fail_on_second_recipient)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert confirm_application(application) is True

    # The first recipient's row went back with the savepoint: all or nothing.
    assert callbacks == []
    assert OutgoingMail.objects.count() == 0
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.status == Application.Status.NEW
    assert [record.getMessage() for record in caplog.records] == [
        f"Notification of application {application.pk} could not be queued"
    ]


@pytest.mark.django_db
def test_team_member_whose_staff_status_was_removed_is_no_recipient(
    harz_team, election, django_capture_on_commit_callbacks
):
    """Taking away staff status ends someone's work for the district: they receive no
    more applicants' names, even while their account and membership still exist."""
    former = make_staff_user("ausgeschieden@harz.example.org", districts=["harz"])
    former.is_staff = False
    former.save()
    application = make_unconfirmed_application()

    with django_capture_on_commit_callbacks(execute=True):
        confirm_application(application)

    assert "ausgeschieden@harz.example.org" not in district_notification_recipients(harz_team)
    assert [message.to[0] for message in mail.outbox] == [
        HARZ_CONTACT,
        "chair@harz.example.org",
        "wahlteam@harz.example.org",
    ]


@pytest.mark.django_db
def test_team_member_taken_out_of_the_team_group_is_no_recipient(
    harz_team, election, django_capture_on_commit_callbacks
):
    """Whoever may no longer read applications hears no more names, even while staff and
    with the district membership still in place."""
    from django.contrib.auth.models import Group

    former = make_staff_user("ohne-rolle@harz.example.org", districts=["harz"])
    former.groups.set(Group.objects.none())

    assert "ohne-rolle@harz.example.org" not in district_notification_recipients(harz_team)
