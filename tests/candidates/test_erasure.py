"""Every way of deleting an application is one erasure: afterwards no table in the
database holds the person's name or e-mail address — the admin's own log included."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from candidates import services
from candidates.models import Application
from notifications.models import OutgoingMail
from tests.factories import login_staff, make_application

NAME = "Zyxwvutsky"
EMAIL = "zyxwvut.erasure@example.org"
CHANGELIST = reverse("admin:candidates_application_changelist")


def tables_mentioning(*needles):
    """Every table (and every decoded session) with a cell that contains a needle."""
    needles = [needle.casefold() for needle in needles]
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                if any(n in str(cell).casefold() for cell in row for n in needles):
                    found.add(table)
    for session in Session.objects.all():
        if any(n in str(session.get_decoded()).casefold() for n in needles):
            found.add("session data")
    return found


@pytest.fixture
def application(election, state_office_user):
    application = make_application(last_name=NAME, email=EMAIL)
    services.add_note(application, text="Angerufen", by=state_office_user)
    services.change_status(application, status="contacted", by=state_office_user)
    OutgoingMail.objects.create(
        to=EMAIL,
        subject="s",
        body=f"Hallo {NAME}",
        kind="applicant_confirmation",
        application_id=application.pk,
    )
    LogEntry.objects.create(
        user=state_office_user,
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(application.pk),
        object_repr=str(application),
        action_flag=CHANGE,
        change_message=f"E-Mail {EMAIL}",
    )
    assert tables_mentioning(NAME, EMAIL) >= {"candidates_application", "django_admin_log"}
    return application


def erased_log(application):
    return list(
        LogEntry.objects.filter(object_id=str(application.pk)).values_list(
            "action_flag", "object_repr", "user__email"
        )
    )


@pytest.mark.django_db
def test_deleting_on_the_admin_delete_page_leaves_no_trace_of_the_person(
    client, state_office_user, application
):
    client = login_staff(client, state_office_user)

    response = client.post(
        reverse("admin:candidates_application_delete", args=[application.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert tables_mentioning(NAME, EMAIL) == set()
    assert erased_log(application) == [
        (DELETION, f"Bewerbung Nr. {application.pk}", state_office_user.email)
    ]
    # Nor in the message the next page shows (kept in a cookie or the session till then).
    assert NAME not in str(client.cookies.get("messages", ""))
    shown = client.get(response.url).content.decode()
    assert f"Bewerbung Nr. {application.pk}" in shown
    assert NAME not in shown


@pytest.mark.django_db
def test_the_bulk_delete_action_leaves_no_trace_of_the_people(
    client, state_office_user, application
):
    other = make_application(last_name="Qwertzuiop", email="qwertz@example.org")
    client = login_staff(client, state_office_user)

    response = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [application.pk, other.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert tables_mentioning(NAME, EMAIL, "Qwertzuiop", "qwertz@") == set()
    assert Application.objects.filter(pk__in=[application.pk, other.pk]).count() == 0
    assert erased_log(application) == [
        (DELETION, f"Bewerbung Nr. {application.pk}", state_office_user.email)
    ]


@pytest.mark.django_db
def test_a_plain_queryset_delete_also_takes_the_admin_log_and_mails(application):
    Application.objects.filter(pk=application.pk).delete()

    assert tables_mentioning(NAME, EMAIL) == set()


@pytest.mark.django_db
def test_the_retention_command_path_leaves_no_trace(application):
    assert services.erase_applications(Application.objects.filter(pk=application.pk)) == 1

    assert tables_mentioning(NAME, EMAIL) == set()
    assert erased_log(application) == []


@pytest.mark.django_db
def test_district_teams_cannot_delete_applications(client, harz_chair, application):
    client = login_staff(client, harz_chair)

    response = client.post(
        reverse("admin:candidates_application_delete", args=[application.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()
