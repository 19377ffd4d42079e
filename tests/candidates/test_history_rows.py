"""History rows have one shape, built in candidates.services: the services save them one
at a time, seed_demo bulk-creates them (tests/candidates/test_seed_demo.py checks the
demo history against the same rules)."""

import datetime

import pytest

from candidates import services
from candidates.models import Application, Assignment, Note, StatusChange
from tests.factories import make_application, make_staff_user

Status = Application.Status
AT = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=datetime.UTC)


def fields(row, *names):
    return tuple(getattr(row, name) for name in names)


@pytest.mark.django_db
def test_status_change_row_is_unsaved_with_who_when_and_the_note_trimmed(election, harz_chair):
    application = make_application()

    row = services.status_change_row(
        application,
        from_status=Status.NEW,
        to_status=Status.CONTACTED,
        by=harz_chair,
        at=AT,
        note="  Angerufen \n",
    )

    assert isinstance(row, StatusChange)
    assert (row.pk, row._state.adding) == (None, True)
    assert fields(
        row, "application", "from_status", "to_status", "changed_by", "changed_at", "note"
    ) == (application, Status.NEW, Status.CONTACTED, harz_chair, AT, "Angerufen")


@pytest.mark.django_db
def test_confirmation_row_is_unconfirmed_to_new_by_nobody(election):
    application = make_application()

    row = services.confirmation_row(application, at=AT)

    assert fields(row, "from_status", "to_status", "changed_by", "changed_at", "note") == (
        Status.UNCONFIRMED,
        Status.NEW,
        None,
        AT,
        "",
    )


@pytest.mark.django_db
def test_assignment_row_names_previous_and_new_ansprechperson(election, harz_chair):
    colleague = make_staff_user("kollegin@harz.example.org", districts=["harz"])
    application = make_application()

    row = services.assignment_row(
        application, previous=colleague, assignee=None, by=harz_chair, at=AT
    )

    assert isinstance(row, Assignment)
    assert row.pk is None
    assert fields(
        row, "application", "previous_assignee", "assignee", "assigned_by", "assigned_at"
    ) == (application, colleague, None, harz_chair, AT)


@pytest.mark.django_db
def test_note_row_is_unsaved_and_trimmed(election, harz_chair):
    application = make_application()

    row = services.note_row(application, text=" Rückruf Montag ", by=harz_chair, at=AT)

    assert isinstance(row, Note)
    assert row.pk is None
    assert fields(row, "application", "author", "created_at", "text") == (
        application,
        harz_chair,
        AT,
        "Rückruf Montag",
    )


@pytest.mark.django_db
def test_the_services_store_the_rows_in_that_shape(election, harz_chair):
    application = make_application(status=Status.UNCONFIRMED, confirmed_at=None)

    services.confirm_application(application)
    services.change_status(application, status=Status.CONTACTED, by=harz_chair, note=" Tel. ")
    services.assign(application, assignee=harz_chair, by=harz_chair)
    services.add_note(application, text=" Termin ", by=harz_chair)

    status_rows = StatusChange.objects.filter(application=application).order_by("pk")
    assert [
        fields(row, "from_status", "to_status", "changed_by", "note") for row in status_rows
    ] == [
        (Status.UNCONFIRMED, Status.NEW, None, ""),
        (Status.NEW, Status.CONTACTED, harz_chair, "Tel."),
    ]
    assert [
        fields(row, "previous_assignee", "assignee", "assigned_by")
        for row in Assignment.objects.filter(application=application)
    ] == [(None, harz_chair, harz_chair)]
    assert [
        fields(row, "author", "text") for row in Note.objects.filter(application=application)
    ] == [(harz_chair, "Termin")]
