"""The application workflow: transitions, services and the history they write, the
admin change page and bulk actions, the list for volunteers."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates import selectors, services, workflow
from candidates.fields import applicant_fields
from candidates.models import Application, Assignment, Note, StatusChange
from tests.factories import (
    change_page_post,
    get_district,
    get_municipality,
    login_staff,
    make_application,
    make_staff_user,
)

Status = Application.Status
CHANGELIST = reverse("admin:candidates_application_changelist")


def change_url(application):
    return reverse("admin:candidates_application_change", args=[application.pk])


@pytest.fixture
def harz_colleague(db):
    return make_staff_user(
        "kollegin@harz.example.org", districts=["harz"], first_name="Hanna", last_name="Harz"
    )


def status_rows(application=None):
    rows = StatusChange.objects.order_by("changed_at", "pk")
    if application is not None:
        rows = rows.filter(application=application)
    return [
        (row.application_id, row.from_status, row.to_status, row.changed_by, row.note)
        for row in rows
    ]


def assignment_rows():
    return [
        (row.application_id, row.previous_assignee, row.assignee, row.assigned_by)
        for row in Assignment.objects.order_by("assigned_at", "pk")
    ]


def note_rows():
    return [(row.application_id, row.author, row.text) for row in Note.objects.order_by("pk")]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The transition table --------------------------------------------------------------


def test_transitions_are_defined_in_one_table():
    expected = {
        Status.UNCONFIRMED: set(),
        Status.NEW: {Status.CONTACTED, Status.INTERVIEW, Status.NOT_CONSIDERED, Status.WITHDRAWN},
        Status.CONTACTED: {
            Status.INTERVIEW,
            Status.NOMINATED,
            Status.NOT_CONSIDERED,
            Status.WITHDRAWN,
        },
        Status.INTERVIEW: {
            Status.CONTACTED,
            Status.NOMINATED,
            Status.NOT_CONSIDERED,
            Status.WITHDRAWN,
        },
        Status.NOMINATED: {Status.WITHDRAWN},
        Status.NOT_CONSIDERED: set(),
        Status.WITHDRAWN: set(),
    }
    reopening = {
        Status.NOMINATED: {Status.CONTACTED},
        Status.NOT_CONSIDERED: {Status.CONTACTED},
        Status.WITHDRAWN: {Status.CONTACTED},
    }
    assert dict(workflow.TRANSITIONS) == expected
    assert dict(workflow.STATE_OFFICE_TRANSITIONS) == reopening
    assert set(workflow.TRANSITIONS) == set(Status)


def test_statuses_are_german():
    assert [status.label for status in Status] == [
        "unbestätigt",
        "Neu",
        "In Kontakt",
        "Gespräch vereinbart",
        "Nominiert",
        "Nicht berücksichtigt",
        "Zurückgezogen",
    ]


@pytest.mark.django_db
def test_allowed_transitions_reopening_only_for_state_office(harz_chair, state_office_user):
    ended = [Status.NOMINATED, Status.NOT_CONSIDERED, Status.WITHDRAWN]

    by_chair = [workflow.allowed_transitions(status, harz_chair) for status in ended]
    by_office = [workflow.allowed_transitions(status, state_office_user) for status in ended]

    assert by_chair == [[Status.WITHDRAWN], [], []]
    assert by_office == [
        [Status.CONTACTED, Status.WITHDRAWN],
        [Status.CONTACTED],
        [Status.CONTACTED],
    ]


# --- Services ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "from_status, to_status",
    [
        (Status.NEW, Status.CONTACTED),
        (Status.NEW, Status.INTERVIEW),
        (Status.CONTACTED, Status.NOMINATED),
        (Status.INTERVIEW, Status.CONTACTED),
        (Status.INTERVIEW, Status.NOT_CONSIDERED),
        (Status.NOMINATED, Status.WITHDRAWN),
    ],
)
def test_change_status_allowed_writes_history(from_status, to_status, election, harz_chair):
    application = make_application(status=from_status)

    services.change_status(application, status=to_status, by=harz_chair, note=" Angerufen ")

    application.refresh_from_db()
    assert application.status == to_status
    assert status_rows() == [(application.pk, from_status, to_status, harz_chair, "Angerufen")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "from_status, to_status, message",
    [
        (
            Status.NEW,
            Status.NOMINATED,
            "Eine Bewerbung mit Status „Neu“ kann nicht auf „Nominiert“ gesetzt werden.",
        ),
        (
            Status.UNCONFIRMED,
            Status.NEW,
            "Eine Bewerbung mit Status „unbestätigt“ kann nicht auf „Neu“ gesetzt werden.",
        ),
        (
            Status.NOT_CONSIDERED,
            Status.CONTACTED,
            "Eine Bewerbung mit Status „Nicht berücksichtigt“ kann nicht auf „In Kontakt“ "
            "gesetzt werden.",
        ),
        (
            Status.CONTACTED,
            Status.NEW,
            "Eine Bewerbung mit Status „In Kontakt“ kann nicht auf „Neu“ gesetzt werden.",
        ),
    ],
)
def test_change_status_refused_changes_nothing(
    from_status, to_status, message, election, state_office_user, harz_chair
):
    unconfirmed = from_status == Status.UNCONFIRMED
    application = make_application(
        status=from_status, confirmed_at=None if unconfirmed else timezone.now()
    )
    # The chair cannot see unconfirmed applications at all; the state office acts there.
    by = state_office_user if unconfirmed else harz_chair

    with pytest.raises(ValidationError) as error:
        services.change_status(application, status=to_status, by=by)

    assert error.value.messages == [message]
    application.refresh_from_db()
    assert (application.status, status_rows()) == (from_status, [])


@pytest.mark.django_db
def test_change_status_reopen_by_state_office(election, state_office_user):
    application = make_application(status=Status.NOT_CONSIDERED)

    services.change_status(
        application, status=Status.CONTACTED, by=state_office_user, note="Doch noch"
    )

    assert status_rows() == [
        (application.pk, Status.NOT_CONSIDERED, Status.CONTACTED, state_office_user, "Doch noch")
    ]


@pytest.mark.django_db
def test_change_status_by_other_district_is_denied(election, magdeburg_chair):
    application = make_application()

    with pytest.raises(PermissionDenied):
        services.change_status(application, status=Status.CONTACTED, by=magdeburg_chair)

    application.refresh_from_db()
    assert (application.status, status_rows()) == (Status.NEW, [])


@pytest.mark.django_db
def test_change_status_stale_object_uses_current_status(election, harz_chair):
    application = make_application()
    stale = Application.objects.get(pk=application.pk)
    services.change_status(application, status=Status.NOT_CONSIDERED, by=harz_chair)

    with pytest.raises(ValidationError):
        services.change_status(stale, status=Status.CONTACTED, by=harz_chair)

    assert [row[2] for row in status_rows()] == [Status.NOT_CONSIDERED]


@pytest.mark.django_db
def test_confirm_application_records_status_change_by_nobody_once(election):
    application = make_application(status=Status.UNCONFIRMED, confirmed_at=None)

    first = services.confirm_application(application)
    second = services.confirm_application(application)

    assert (first, second) == (True, False)
    assert status_rows() == [(application.pk, Status.UNCONFIRMED, Status.NEW, None, "")]


@pytest.mark.django_db
def test_assign_writes_history_and_keeps_previous(
    election, harz_chair, harz_colleague, state_office_user
):
    application = make_application()

    changed = [
        services.assign(application, assignee=harz_colleague, by=harz_chair),
        services.assign(application, assignee=harz_colleague, by=harz_chair),  # no change
        services.assign(application, assignee=state_office_user, by=harz_chair),
        services.assign(application, assignee=None, by=harz_chair),
    ]

    application.refresh_from_db()
    assert changed == [True, False, True, True]
    assert application.assignee is None
    assert assignment_rows() == [
        (application.pk, None, harz_colleague, harz_chair),
        (application.pk, harz_colleague, state_office_user, harz_chair),
        (application.pk, state_office_user, None, harz_chair),
    ]


@pytest.mark.django_db
def test_assign_other_districts_member_is_refused(election, harz_chair, magdeburg_chair):
    application = make_application()

    with pytest.raises(ValidationError) as error:
        services.assign(application, assignee=magdeburg_chair, by=harz_chair)

    assert error.value.messages == [
        "chair@magdeburg.example.org gehört nicht zum Team des Kreisverbands Harz und nicht "
        "zur Landesgeschäftsstelle."
    ]
    application.refresh_from_db()
    assert (application.assignee, assignment_rows()) == (None, [])


@pytest.mark.django_db
def test_assignable_users_are_team_of_every_district_and_state_office(
    election, harz_chair, magdeburg_chair, state_office_user, staff_without_district
):
    both = make_staff_user("beide@example.org", districts=["harz", "magdeburg"])
    make_staff_user("weg@harz.example.org", districts=["harz"], is_active=False)
    harz, magdeburg = get_district("harz"), get_district("magdeburg")

    for_harz = set(workflow.assignable_users([harz]))
    for_both = set(workflow.assignable_users([harz, magdeburg]))

    assert for_harz == {harz_chair, both, state_office_user}
    assert for_both == {both, state_office_user}


@pytest.mark.django_db
def test_add_note_appends_and_refuses_empty(election, harz_chair):
    application = make_application()

    services.add_note(application, text="  Angerufen, meldet sich.  ", by=harz_chair)
    with pytest.raises(ValidationError) as error:
        services.add_note(application, text="   ", by=harz_chair)

    assert error.value.messages == ["Die Notiz ist leer."]
    assert note_rows() == [(application.pk, harz_chair, "Angerufen, meldet sich.")]


# --- History is append-only ---------------------------------------------------------------


@pytest.mark.django_db
def test_history_rows_cannot_be_changed_or_deleted(election, harz_chair):
    application = make_application()
    note = services.add_note(application, text="Erste Notiz", by=harz_chair)
    services.change_status(application, status=Status.CONTACTED, by=harz_chair)
    change = StatusChange.objects.get()

    note.text = "Überschrieben"
    with pytest.raises(ValueError, match="append-only"):
        note.save()
    with pytest.raises(ValueError, match="append-only"):
        change.delete()

    assert note_rows() == [(application.pk, harz_chair, "Erste Notiz")]
    assert StatusChange.objects.count() == 1


@pytest.mark.django_db
def test_history_models_have_no_change_or_delete_permission(state_office_user, harz_chair):
    codenames = set(
        Permission.objects.filter(
            content_type__app_label="candidates",
            content_type__model__in=["statuschange", "note", "assignment"],
        ).values_list("codename", flat=True)
    )

    assert codenames == {
        "add_statuschange",
        "view_statuschange",
        "add_note",
        "view_note",
        "add_assignment",
        "view_assignment",
    }
    assert [
        state_office_user.has_perm(f"candidates.{action}_note") for action in ["change", "delete"]
    ] == [False, False]
    assert [admin.site.is_registered(model) for model in [StatusChange, Note, Assignment]] == [
        False,
        False,
        False,
    ]


@pytest.mark.django_db
def test_erasing_application_removes_its_history(election, harz_chair):
    application = make_application()
    services.add_note(application, text="Notiz", by=harz_chair)
    services.change_status(application, status=Status.CONTACTED, by=harz_chair)
    services.assign(application, assignee=harz_chair, by=harz_chair)

    application.delete()

    assert (StatusChange.objects.count(), Note.objects.count(), Assignment.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_history_lists_status_notes_and_assignments_in_time_order(
    election, harz_chair, harz_colleague
):
    application = make_application(status=Status.UNCONFIRMED, confirmed_at=None)
    services.confirm_application(application)
    services.change_status(application, status=Status.CONTACTED, by=harz_chair, note="Telefon")
    services.assign(application, assignee=harz_colleague, by=harz_chair)
    services.add_note(application, text="Termin am Montag", by=harz_colleague)

    entries = selectors.application_history(application, user=harz_chair)

    assert [(e.kind, e.by, str(e.title), e.text) for e in entries] == [
        ("status", "", "Status: unbestätigt → Neu", ""),
        ("status", "chair@harz.example.org", "Status: Neu → In Kontakt", "Telefon"),
        ("assignment", "chair@harz.example.org", "Ansprechperson: keine → Hanna Harz", ""),
        ("note", "Hanna Harz", "Notiz", "Termin am Montag"),
    ]


# --- Admin change page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_change_page_offers_allowed_transitions_and_shows_history(
    client, election, harz_chair, harz_colleague, state_office_user
):
    application = make_application()
    services.add_note(application, text="Ruft zurück", by=harz_colleague)

    response = login_staff(client, harz_chair).get(change_url(application))

    form = response.context["adminform"].form
    assert list(form.fields["new_status"].choices) == [
        ("", "– unverändert –"),
        ("contacted", "In Kontakt"),
        ("interview", "Gespräch vereinbart"),
        ("not_considered", "Nicht berücksichtigt"),
        ("withdrawn", "Zurückgezogen"),
    ]
    assert set(form.fields["new_assignee"].queryset) == {
        harz_chair,
        harz_colleague,
        state_office_user,
    }
    assert [entry.text for entry in response.context["application_history"]] == ["Ruft zurück"]
    body = response.content.decode()
    assert "Ruft zurück" in body
    assert "Verlauf" in body


@pytest.mark.django_db
def test_admin_change_page_teams_and_state_office_correct_details_but_not_own_words(
    client, election, harz_chair, state_office_user, admin_user
):
    application = make_application()

    fields = {}
    for name, user in [
        ("chair", harz_chair),
        ("office", state_office_user),
        ("superuser", admin_user),
    ]:
        response = login_staff(client, user).get(change_url(application))
        fields[name] = set(response.context["adminform"].form.fields)

    workflow_fields = {"municipality", "new_status", "status_note", "new_assignee", "new_note"}
    correctable = {f.name for f in applicant_fields() if f.correctable}
    assert fields["chair"] == workflow_fields | correctable
    assert fields["office"] == workflow_fields | correctable
    assert {"last_name", "citizenship"} <= correctable
    assert not {"email", "motivation", "gender", "migration_history"} & correctable
    assert {"last_name", "email", "citizenship", "motivation"} <= fields["superuser"]


@pytest.mark.django_db
def test_admin_edit_writes_status_assignment_and_note_history(
    client, election, harz_chair, harz_colleague
):
    application = make_application()

    response = login_staff(client, harz_chair).post(
        change_url(application),
        change_page_post(
            application,
            new_status="contacted",
            status_note="Telefoniert",
            new_assignee=harz_colleague.pk,
            new_note="Möchte in den Kreistag.",
        ),
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.CONTACTED, harz_colleague)
    assert status_rows() == [
        (application.pk, Status.NEW, Status.CONTACTED, harz_chair, "Telefoniert")
    ]
    assert assignment_rows() == [(application.pk, None, harz_colleague, harz_chair)]
    assert note_rows() == [(application.pk, harz_chair, "Möchte in den Kreistag.")]
    assert LogEntry.objects.get().user == harz_chair


@pytest.mark.django_db
def test_admin_edit_refused_transition_is_field_error(client, election, harz_chair):
    application = make_application()

    response = login_staff(client, harz_chair).post(
        change_url(application), change_page_post(application, new_status="nominated")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "new_status": ["Bitte eine gültige Auswahl treffen. nominated ist keine gültige Auswahl."]
    }
    application.refresh_from_db()
    assert (application.status, status_rows()) == (Status.NEW, [])


@pytest.mark.django_db
def test_admin_edit_status_note_without_status_is_field_error(client, election, harz_chair):
    application = make_application()

    response = login_staff(client, harz_chair).post(
        change_url(application), change_page_post(application, status_note="Angerufen")
    )

    assert response.context["adminform"].form.errors == {
        "status_note": ["Bitte einen neuen Status wählen – oder den Text als Notiz eintragen."]
    }
    assert note_rows() == []


@pytest.mark.django_db
def test_admin_edit_unchanged_form_writes_no_history(client, election, harz_chair, harz_colleague):
    application = make_application(assignee=harz_colleague)

    response = login_staff(client, harz_chair).post(
        change_url(application), change_page_post(application)
    )

    assert response.status_code == 302
    assert (status_rows(), assignment_rows(), note_rows()) == ([], [], [])


# --- Bulk actions -------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_status_action_shows_intermediate_page(client, election, harz_chair):
    new = make_application()
    nominated = make_application(status=Status.NOMINATED)

    response = login_staff(client, harz_chair).post(
        CHANGELIST, {"action": "change_status_action", "_selected_action": [new.pk, nominated.pk]}
    )

    assert response.status_code == 200
    assert list(response.context["form"].fields["new_status"].choices) == [
        ("contacted", "In Kontakt"),
        ("interview", "Gespräch vereinbart"),
        ("not_considered", "Nicht berücksichtigt"),
        ("withdrawn", "Zurückgezogen"),
    ]
    assert {a.pk for a in response.context["applications"]} == {new.pk, nominated.pk}
    assert status_rows() == []


@pytest.mark.django_db
def test_bulk_status_action_changes_allowed_and_lists_skipped(client, election, harz_chair):
    first = make_application(last_name="Anders")
    second = make_application(last_name="Berg", status=Status.INTERVIEW)
    ended = make_application(last_name="Christ", status=Status.NOT_CONSIDERED)

    response = login_staff(client, harz_chair).post(
        CHANGELIST,
        {
            "action": "change_status_action",
            "_selected_action": [first.pk, second.pk, ended.pk],
            "apply": "1",
            "new_status": "contacted",
            "note": "Rundruf",
        },
        follow=True,
    )

    assert messages_of(response) == [
        "2 Bewerbungen auf „In Kontakt“ gesetzt.",
        "Nicht geändert, weil „In Kontakt“ von ihrem Status aus nicht vorgesehen ist: "
        "Erika Christ (Nicht berücksichtigt)",
    ]
    assert status_rows() == [
        (first.pk, Status.NEW, Status.CONTACTED, harz_chair, "Rundruf"),
        (second.pk, Status.INTERVIEW, Status.CONTACTED, harz_chair, "Rundruf"),
    ]
    ended.refresh_from_db()
    assert ended.status == Status.NOT_CONSIDERED


@pytest.mark.django_db
def test_bulk_assign_action_writes_history(client, election, harz_chair, harz_colleague):
    first = make_application()
    already = make_application(assignee=harz_colleague)

    response = login_staff(client, harz_chair).post(
        CHANGELIST,
        {
            "action": "assign_action",
            "_selected_action": [first.pk, already.pk],
            "apply": "1",
            "assignee": harz_colleague.pk,
        },
        follow=True,
    )

    assert messages_of(response) == ["Hanna Harz ist jetzt Ansprechperson für 1 Bewerbung."]
    assert assignment_rows() == [(first.pk, None, harz_colleague, harz_chair)]


@pytest.mark.django_db
def test_bulk_assign_offers_only_people_valid_for_every_row(
    client, election, state_office_user, harz_chair
):
    both = make_staff_user("beide@example.org", districts=["harz", "magdeburg"])
    harz = make_application()
    magdeburg = make_application(municipality=get_municipality("magdeburg", "magdeburg"))

    response = login_staff(client, state_office_user).post(
        CHANGELIST, {"action": "assign_action", "_selected_action": [harz.pk, magdeburg.pk]}
    )

    assert set(response.context["form"].fields["assignee"].queryset) == {
        both,
        state_office_user,
    }


@pytest.mark.django_db
def test_district_team_has_no_delete_action(client, election, harz_chair, state_office_user):
    make_application()

    chair = login_staff(client, harz_chair).get(CHANGELIST)
    office = login_staff(client, state_office_user).get(CHANGELIST)

    assert [name for name, _label in chair.context["action_form"].fields["action"].choices] == [
        "",
        "change_status_action",
        "assign_action",
        "export_xlsx_action",
        "export_csv_action",
    ]
    assert "delete_selected" in [
        name for name, _label in office.context["action_form"].fields["action"].choices
    ]


# --- The list for volunteers ---------------------------------------------------------------


@pytest.mark.django_db
def test_changelist_counts_per_status_follow_filters_but_not_status(client, election, harz_chair):
    wernigerode = get_municipality("harz", "wernigerode")
    blankenburg = get_municipality("harz", "blankenburg-harz")
    make_application(municipality=wernigerode)
    contacted_here = make_application(municipality=wernigerode, status=Status.CONTACTED)
    make_application(municipality=blankenburg, status=Status.CONTACTED)
    make_application(status=Status.UNCONFIRMED, confirmed_at=None)
    make_application(district=get_district("magdeburg"))

    response = login_staff(client, harz_chair).get(
        CHANGELIST, {"municipality__id__exact": wernigerode.pk, "status": "contacted"}
    )

    assert [(c["label"], c["count"], c["active"]) for c in response.context["status_counts"]] == [
        ("Neu", 1, False),
        ("In Kontakt", 1, True),
        ("Gespräch vereinbart", 0, False),
        ("Nominiert", 0, False),
        ("Nicht berücksichtigt", 0, False),
        ("Zurückgezogen", 0, False),
    ]
    assert list(response.context["cl"].result_list) == [contacted_here]


@pytest.mark.django_db
def test_changelist_columns_for_volunteers(client, election, harz_chair, harz_colleague):
    make_application(
        first_names="Erika",
        last_name="Mustermann",
        assignee=harz_colleague,
        stands_for_district_council=True,
        membership=Application.Membership.WANTS_TO_JOIN,
    )

    response = login_staff(client, harz_chair).get(CHANGELIST)

    cl = response.context["cl"]
    assert list(cl.list_display) == [
        "action_checkbox",
        "full_name",
        "municipality",
        "district",
        "body_list",
        "status",
        "assignee_name",
        "age_on_election_day",
        "membership_short",
        "eligibility",
        "completeness",
        "created_at",
    ]
    body = response.content.decode()
    for text in [
        "Erika Mustermann",
        "Gemeinderat / Stadtrat, Kreistag",
        "Hanna Harz",
        "möchte eintreten",
    ]:
        assert text in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"gremium": "district_council"}, ["Kreistag"]),
        ({"unterstuetzung": "mentoring"}, ["Mentoring"]),
        ({"mitgliedschaft": "member"}, ["Mitglied"]),
        ({"status": "contacted"}, ["In Kontakt"]),
        ({"is_eligible__exact": "0"}, ["nicht wählbar"]),
    ],
)
def test_changelist_filters(params, expected, client, election, harz_chair):
    from datetime import date

    make_application(last_name="Kreistag", stands_for_district_council=True)
    make_application(last_name="Mentoring", wants_mentoring=True)
    make_application(last_name="Mitglied", membership=Application.Membership.MEMBER)
    make_application(last_name="In Kontakt", status=Status.CONTACTED)
    make_application(last_name="nicht wählbar", date_of_birth=date(2015, 1, 1))

    response = login_staff(client, harz_chair).get(CHANGELIST, params)

    assert [a.last_name for a in response.context["cl"].result_list] == expected


@pytest.mark.django_db
def test_changelist_query_count_same_for_one_and_three_rows(
    client, election, harz_chair, harz_colleague, django_assert_num_queries
):
    """With assignee, municipality, district, bodies and age shown, and history rows
    present: the list's query count does not grow with its rows."""

    def make_worked_on(**overrides):
        application = make_application(**overrides)
        services.change_status(application, status=Status.CONTACTED, by=harz_chair)
        services.assign(application, assignee=harz_colleague, by=harz_chair)
        services.add_note(application, text="Notiz", by=harz_chair)
        return application

    make_worked_on()
    login_staff(client, harz_chair)
    client.get(CHANGELIST)  # warm-up: session, content types, caches
    with CaptureQueriesContext(connection) as one_row:
        client.get(CHANGELIST)
    make_worked_on(municipality=get_municipality("harz", "blankenburg-harz"))
    make_worked_on(municipality=get_municipality("harz", "quedlinburg"), assignee=harz_chair)

    with django_assert_num_queries(len(one_row)):
        response = client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_who_sees_every_district_can_be_ansprechperson_also_an_operator_outside_the_group(
    state_office_user, harz_chair, magdeburg_chair
):
    """One rule with scoping: "sees every district" is the named permission, not the group
    name (a superuser outside the group was never offered before)."""
    operator = get_user_model().objects.create_superuser("op", "op@example.org", "x" * 16)
    inactive = make_staff_user("alt@lgs.example.org", state_office=True, is_active=False)
    harz = get_district("harz").pk

    assignable = set(workflow.assignable_users([harz]))

    assert assignable == {operator, state_office_user, harz_chair}
    assert not workflow.is_assignable(inactive, harz)
    assert not workflow.is_assignable(magdeburg_chair, harz)
