"""The outbox in the admin: read-only, for the state office only, without message texts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from notifications import services
from notifications.models import OutgoingMail
from tests.factories import login_staff

CHANGELIST = reverse("admin:notifications_outgoingmail_changelist")
BODY = "Geheimer Text: Erika Mustermann, Breite Straße 12"


def make_mail(**overrides):
    values = {
        "to": "team@harz.example.org",
        "subject": "Neue Bewerbung für Wernigerode",
        "body": BODY,
        "kind": OutgoingMail.Kind.DISTRICT_NEW_APPLICATION,
        "application_id": 1,
    }
    values.update(overrides)
    return services.store_mail(**values)


def change_url(outgoing):
    return reverse("admin:notifications_outgoingmail_change", args=[outgoing.pk])


@pytest.mark.django_db
def test_state_office_sees_outbox_without_message_texts(client, state_office_user):
    outgoing = make_mail()
    client = login_staff(client, state_office_user)

    changelist = client.get(CHANGELIST)
    change = client.get(change_url(outgoing))

    assert list(changelist.context["cl"].result_list) == [outgoing]
    assertContains(changelist, "team@harz.example.org")
    assertContains(changelist, "Neue Bewerbung für Wernigerode")
    assertContains(change, "team@harz.example.org")
    for response in (changelist, change):
        assertNotContains(response, "Geheimer Text")
        assertNotContains(response, "Breite Straße")


@pytest.mark.django_db
def test_state_office_cannot_add_change_or_delete(client, state_office_user):
    outgoing = make_mail()
    client = login_staff(client, state_office_user)

    add = client.get(reverse("admin:notifications_outgoingmail_add"))
    post = client.post(change_url(outgoing), {"to": "evil@example.org"})
    delete = client.post(
        reverse("admin:notifications_outgoingmail_delete", args=[outgoing.pk]), {"post": "yes"}
    )

    assert (add.status_code, post.status_code, delete.status_code) == (403, 403, 403)
    assert OutgoingMail.objects.get().to == "team@harz.example.org"


@pytest.mark.parametrize("role", ["harz_chair", "magdeburg_chair", "staff_without_district"])
@pytest.mark.django_db
def test_district_teams_and_other_staff_do_not_see_the_outbox(client, request, role):
    outgoing = make_mail()
    client = login_staff(client, request.getfixturevalue(role))

    changelist = client.get(CHANGELIST)
    change = client.get(change_url(outgoing))
    index = client.get(reverse("admin:index"))

    assert (changelist.status_code, change.status_code) == (403, 403)
    assertNotContains(index, "ausgehende E-Mails", status_code=index.status_code)
    assertNotContains(changelist, "team@harz.example.org", status_code=403)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    make_mail()

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "team@harz.example.org" not in response.content.decode()


@pytest.mark.django_db
def test_changelist_filters_by_delivery_state(client, state_office_user):
    sent = make_mail(subject="gesendet")
    services.send_outgoing_mail(sent)
    make_mail(subject="wartet")
    given_up = make_mail(subject="aufgegeben")
    OutgoingMail.objects.filter(pk=given_up.pk).update(attempts=services.MAX_ATTEMPTS)
    client = login_staff(client, state_office_user)

    def listed(state):
        response = client.get(CHANGELIST, {"delivery": state})
        return [outgoing.subject for outgoing in response.context["cl"].result_list]

    assert (listed("sent"), listed("pending"), listed("given_up")) == (
        ["gesendet"],
        ["wartet"],
        ["aufgegeben"],
    )


@pytest.mark.django_db
def test_changelist_query_count_same_for_one_and_three_rows(
    client, state_office_user, django_assert_num_queries
):
    make_mail()
    client = login_staff(client, state_office_user)
    client.get(CHANGELIST)  # warm-up: session, caches
    with CaptureQueriesContext(connection) as one_row:
        client.get(CHANGELIST)
    make_mail(kind=OutgoingMail.Kind.APPLICANT_CONFIRMATION, application_id=2)
    make_mail(application_id=3)

    with django_assert_num_queries(len(one_row)):
        response = client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 3
