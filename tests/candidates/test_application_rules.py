"""The rules of a consistent application (Application.clean) and the one write path for
model fields (services.update_application), through the admin's change page too.

Regressions from a code review: moving an application to another municipality in the
admin kept bodies the new place does not elect (a Kreistag candidate moved to Magdeburg,
a kreisfreie Stadt) and an Ansprechperson from the old district who cannot see it any more.
"""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from candidates import services
from candidates.models import Application, Assignment
from tests.factories import (
    change_page_post,
    get_municipality,
    login_staff,
    make_application,
    make_staff_user,
)


def change_url(application):
    return reverse("admin:candidates_application_change", args=[application.pk])


def superuser_post(application, **overrides):
    """The full change form as a superuser's browser sends it (see
    test_admin.change_form_data): every model field with its current value."""
    data = change_page_post(application)
    for field in Application._meta.concrete_fields:
        if not field.editable or field.name in {"id", "status", "assignee"}:
            continue
        value = field.value_from_object(application)
        if isinstance(value, bool):
            if value:
                data[field.name] = "on"
        elif hasattr(value, "isoformat"):
            data[field.name] = value.isoformat()
        elif value is not None:
            data[field.name] = value
    for name, value in overrides.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def form_errors(response):
    form = response.context["adminform"].form
    return {name: list(errors) for name, errors in form.errors.items()}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def assignment_rows():
    return [
        (row.application_id, row.previous_assignee, row.assignee, row.assigned_by)
        for row in Assignment.objects.order_by("assigned_at", "pk")
    ]


@pytest.fixture
def harz_colleague(db):
    return make_staff_user(
        "kollegin@harz.example.org", districts=["harz"], first_name="Hanna", last_name="Harz"
    )


@pytest.fixture
def magdeburg():
    return get_municipality("magdeburg", "magdeburg")


@pytest.fixture
def ditfurt():
    """A member municipality of the Verbandsgemeinde Vorharz (Landkreis Harz): no
    Ortschaftsrat, but a Verbandsgemeinderat."""
    return get_municipality("harz", "ditfurt")


# --- Regression 1: bodies the new municipality does not elect ------------------------------


@pytest.mark.django_db
def test_state_office_moving_kreistag_candidate_to_magdeburg_gets_field_error(
    client, election, state_office_user, magdeburg
):
    application = make_application(stands_for_district_council=True)

    response = login_staff(client, state_office_user).post(
        change_url(application), change_page_post(application, municipality=magdeburg.pk)
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == ["municipality"]
    assert errors["municipality"][0] == (
        "Die Bewerbung gilt für den Kreistag, in Magdeburg wird aber kein Kreistag gewählt."
    )
    # The state office cannot edit the bodies: the page says who can.
    assert "Superuser" in errors["municipality"][1]
    application.refresh_from_db()
    assert application.municipality == get_municipality()


@pytest.mark.django_db
def test_harz_chair_moving_ortschaftsrat_candidate_into_verbandsgemeinde_gets_field_error(
    client, election, harz_chair, ditfurt
):
    application = make_application(stands_for_local_council=True, local_council_name="Silstedt")

    response = login_staff(client, harz_chair).post(
        change_url(application), change_page_post(application, municipality=ditfurt.pk)
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == ["municipality"]
    assert "in Ditfurt wird aber kein Ortschaftsrat gewählt" in errors["municipality"][0]
    application.refresh_from_db()
    assert application.municipality == get_municipality()


@pytest.mark.django_db
def test_superuser_moving_kreistag_candidate_gets_error_next_to_the_body(
    client, election, admin_user, magdeburg
):
    application = make_application(stands_for_district_council=True)
    login_staff(client, admin_user)

    refused = client.post(
        change_url(application), superuser_post(application, municipality=magdeburg.pk)
    )
    unticked = client.post(
        change_url(application),
        superuser_post(application, municipality=magdeburg.pk, stands_for_district_council=False),
    )

    assert form_errors(refused) == {
        "stands_for_district_council": [
            "Die Bewerbung gilt für den Kreistag, in Magdeburg wird aber kein Kreistag gewählt."
        ]
    }
    assert unticked.status_code == 302
    application.refresh_from_db()
    assert (application.municipality, application.bodies) == (magdeburg, ["council"])


@pytest.mark.django_db
def test_harz_chair_may_still_move_within_the_district_keeping_elected_bodies(
    client, election, harz_chair
):
    application = make_application(stands_for_district_council=True)
    quedlinburg = get_municipality("harz", "quedlinburg")

    response = login_staff(client, harz_chair).post(
        change_url(application), change_page_post(application, municipality=quedlinburg.pk)
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.municipality, application.bodies) == (
        quedlinburg,
        ["council", "district_council"],
    )


# --- Regression 2: the Ansprechperson of the old district ----------------------------------


@pytest.mark.django_db
def test_moving_to_another_district_removes_the_old_districts_assignee_with_history(
    client, election, state_office_user, harz_colleague, magdeburg
):
    application = make_application(assignee=harz_colleague)

    response = login_staff(client, state_office_user).post(
        change_url(application), change_page_post(application, municipality=magdeburg.pk)
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.municipality, application.assignee) == (magdeburg, None)
    assert assignment_rows() == [(application.pk, harz_colleague, None, state_office_user)]
    assert any("Hanna Harz ist nicht mehr Ansprechperson" in m for m in messages_of(response))


@pytest.mark.django_db
def test_moving_to_another_district_keeps_an_assignee_who_may_work_there(
    client, election, state_office_user, magdeburg
):
    application = make_application(assignee=state_office_user)

    response = login_staff(client, state_office_user).post(
        change_url(application), change_page_post(application, municipality=magdeburg.pk)
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.municipality, application.assignee) == (magdeburg, state_office_user)
    assert assignment_rows() == []


@pytest.mark.django_db
def test_moving_and_choosing_a_new_assignee_writes_one_history_row(
    client, election, state_office_user, harz_colleague, magdeburg
):
    application = make_application(assignee=harz_colleague)

    response = login_staff(client, state_office_user).post(
        change_url(application),
        change_page_post(application, municipality=magdeburg.pk, new_assignee=state_office_user.pk),
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.municipality, application.assignee) == (magdeburg, state_office_user)
    assert assignment_rows() == [
        (application.pk, harz_colleague, state_office_user, state_office_user)
    ]


@pytest.mark.django_db
def test_moving_and_choosing_an_assignee_of_the_old_district_is_a_field_error(
    client, election, state_office_user, harz_colleague, magdeburg
):
    application = make_application()

    response = login_staff(client, state_office_user).post(
        change_url(application),
        change_page_post(application, municipality=magdeburg.pk, new_assignee=harz_colleague.pk),
    )

    assert list(form_errors(response)) == ["new_assignee"]
    application.refresh_from_db()
    assert (application.municipality, application.assignee) == (get_municipality(), None)


# --- The same person applying there already ---------------------------------------------


@pytest.mark.django_db
def test_moving_where_the_same_address_applied_already_is_a_field_error(
    client, election, state_office_user, magdeburg
):
    application = make_application(email="erika@example.org")
    make_application(municipality=magdeburg, email="erika@example.org")

    response = login_staff(client, state_office_user).post(
        change_url(application), change_page_post(application, municipality=magdeburg.pk)
    )

    assert response.status_code == 200
    assert form_errors(response) == {
        "municipality": [
            "Für diese Wahl gibt es in Magdeburg schon eine Bewerbung mit derselben E-Mail-Adresse."
        ]
    }
    application.refresh_from_db()
    assert application.municipality == get_municipality()


@pytest.mark.django_db
def test_moving_an_application_with_a_rule_broken_in_a_read_only_field_says_so(
    client, election, harz_chair
):
    # Stored before the rule existed: an Ortschaftsrat candidacy without the Ortschaft.
    application = make_application(stands_for_local_council=True, local_council_name="")
    quedlinburg = get_municipality("harz", "quedlinburg")

    response = login_staff(client, harz_chair).post(
        change_url(application), change_page_post(application, municipality=quedlinburg.pk)
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == [NON_FIELD_ERRORS]
    assert errors[NON_FIELD_ERRORS][0].startswith("Ortschaft: ")
    application.refresh_from_db()
    assert application.municipality == get_municipality()


@pytest.mark.django_db
def test_status_change_and_note_do_not_revalidate_stored_fields(client, election, harz_chair):
    # Only a change of model fields goes through update_application and its checks.
    application = make_application(stands_for_local_council=True, local_council_name="")

    response = login_staff(client, harz_chair).post(
        change_url(application),
        change_page_post(application, new_status="contacted", new_note="Angerufen"),
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.CONTACTED


# --- Application.clean, rule by rule -----------------------------------------------------


def clean_errors(application, **full_clean_kwargs):
    with pytest.raises(ValidationError) as raised:
        if full_clean_kwargs:
            application.full_clean(**full_clean_kwargs)
        else:
            application.clean()
    return {name: [str(m) for m in errors] for name, errors in raised.value.message_dict.items()}


@pytest.mark.django_db
def test_clean_refuses_a_body_not_elected_in_the_municipality(election, magdeburg):
    application = make_application(stands_for_district_council=True)
    application.municipality = magdeburg

    assert clean_errors(application) == {
        "stands_for_district_council": [
            "Die Bewerbung gilt für den Kreistag, in Magdeburg wird aber kein Kreistag gewählt."
        ]
    }


@pytest.mark.django_db
def test_clean_refuses_a_verbandsgemeinderat_outside_a_verbandsgemeinde(election):
    application = make_application()
    application.stands_for_verbandsgemeinde_council = True

    assert list(clean_errors(application)) == ["stands_for_verbandsgemeinde_council"]


@pytest.mark.django_db
def test_clean_accepts_every_body_elected_there(election, ditfurt):
    wernigerode = make_application(
        stands_for_district_council=True,
        stands_for_local_council=True,
        local_council_name="Silstedt",
    )
    member = make_application(
        municipality=ditfurt,
        stands_for_verbandsgemeinde_council=True,
        stands_for_district_council=True,
    )

    wernigerode.full_clean()
    member.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   "])
def test_clean_ortschaftsrat_needs_the_ortschaft(name, election):
    application = make_application()
    application.stands_for_local_council = True
    application.local_council_name = name

    assert clean_errors(application) == {
        "local_council_name": [
            "Für eine Kandidatur für den Ortschaftsrat fehlt der Name der Ortschaft."
        ]
    }


@pytest.mark.django_db
def test_clean_assignee_must_be_assignable_in_the_district(
    election, magdeburg_chair, harz_colleague, state_office_user
):
    application = make_application()

    application.assignee = magdeburg_chair
    errors = clean_errors(application)
    application.assignee = harz_colleague
    application.clean()
    application.assignee = state_office_user
    application.clean()

    assert list(errors) == ["assignee"]
    assert "Kreisverbands Harz" in errors["assignee"][0]


@pytest.mark.django_db
def test_clean_names_the_municipality_when_the_caller_leaves_the_bodies_out(election, magdeburg):
    """A form that shows the municipality but not the bodies (the admin for district
    teams) gets the error next to the municipality; one that shows neither (the public
    form, whose choices are the elected bodies) checks the rule itself."""
    application = make_application(stands_for_district_council=True)
    application.municipality = magdeburg
    bodies = {"stands_for_district_council", "stands_for_council"}

    errors = clean_errors(application, exclude=bodies)

    assert list(errors) == ["municipality"]
    application.full_clean(exclude=bodies | {"municipality"})


@pytest.mark.django_db
def test_clean_leaves_an_ortschaft_the_caller_checks_itself_alone(election):
    # The public form reports a missing Ortschaft in its own words, once.
    application = make_application()
    application.stands_for_local_council = True

    application.full_clean(exclude={"local_council_name", "stands_for_local_council"})
    assert list(clean_errors(application, exclude={"stands_for_local_council"})) == [
        "local_council_name"
    ]


# --- services.update_application -------------------------------------------------------


@pytest.mark.django_db
def test_update_application_validates_and_saves_nothing_when_refused(election, magdeburg):
    application = make_application(stands_for_district_council=True)

    with pytest.raises(ValidationError) as raised:
        services.update_application(application, by=None, changes={"municipality": magdeburg})

    assert "stands_for_district_council" in raised.value.message_dict
    assert Application.objects.get(pk=application.pk).municipality == get_municipality()


@pytest.mark.django_db
def test_update_application_rechecks_eligibility(election, harz_chair):
    application = make_application()

    services.update_application(
        application,
        by=harz_chair,
        changes={"citizenship": Application.Citizenship.OTHER},
    )

    stored = Application.objects.get(pk=application.pk)
    assert (stored.is_eligible, stored.ineligibility_reasons) == (False, ["citizenship"])


@pytest.mark.django_db
def test_update_application_writes_only_the_changed_fields(election, harz_chair):
    application = make_application()
    stale = Application.objects.get(pk=application.pk)
    services.change_status(application, status=Application.Status.CONTACTED, by=harz_chair)

    services.update_application(
        stale, by=harz_chair, changes={"municipality": get_municipality("harz", "quedlinburg")}
    )

    stored = Application.objects.get(pk=application.pk)
    assert (stored.municipality.slug, stored.status) == ("quedlinburg", "contacted")


@pytest.mark.django_db
def test_update_application_removes_an_assignee_who_cannot_work_there(
    election, harz_colleague, state_office_user, magdeburg
):
    application = make_application(assignee=harz_colleague)

    services.update_application(
        application, by=state_office_user, changes={"municipality": magdeburg}
    )

    assert Application.objects.get(pk=application.pk).assignee is None
    assert application.assignee is None
    assert assignment_rows() == [(application.pk, harz_colleague, None, state_office_user)]


@pytest.mark.django_db
def test_update_application_refuses_other_districts_and_workflow_fields(
    election, magdeburg_chair, harz_chair
):
    application = make_application()

    with pytest.raises(ValueError):
        services.update_application(application, by=harz_chair, changes={"status": "nominated"})
    with pytest.raises(ValueError):
        services.update_application(application, by=harz_chair, changes={"assignee": harz_chair})
    with pytest.raises(services.PermissionDenied):
        services.update_application(application, by=magdeburg_chair, changes={"phone": "1"})


# --- Every write of model fields in the admin goes through full_clean ----------------------


@pytest.fixture
def write_log():
    """What happens to applications, in order: ("full_clean", exclude) and ("save",
    update_fields). Both wrap the real methods."""
    log = []
    real_full_clean, real_save = Application.full_clean, Application.save

    def full_clean(self, exclude=None, *args, **kwargs):
        log.append(("full_clean", exclude))
        return real_full_clean(self, exclude, *args, **kwargs)

    def save(self, *args, **kwargs):
        log.append(("save", kwargs.get("update_fields")))
        return real_save(self, *args, **kwargs)

    with (
        mock.patch.object(Application, "full_clean", full_clean),
        mock.patch.object(Application, "save", save),
    ):
        yield log


def assert_every_save_follows_a_complete_full_clean(log):
    saves = [index for index, (kind, _arg) in enumerate(log) if kind == "save"]
    assert saves
    for index in saves:
        previous = [entry for entry in log[:index] if entry[0] == "full_clean"]
        # The last full_clean before the save checked every field (no exclusions).
        assert previous and previous[-1] == ("full_clean", None), log


@pytest.mark.django_db
def test_district_teams_move_goes_through_full_clean(client, election, harz_chair, write_log):
    application = make_application()
    write_log.clear()
    quedlinburg = get_municipality("harz", "quedlinburg")

    response = login_staff(client, harz_chair).post(
        change_url(application), change_page_post(application, municipality=quedlinburg.pk)
    )

    assert response.status_code == 302
    assert_every_save_follows_a_complete_full_clean(write_log)


@pytest.mark.django_db
def test_superusers_edit_goes_through_full_clean(client, election, admin_user, write_log):
    application = make_application()
    write_log.clear()

    response = login_staff(client, admin_user).post(
        change_url(application), superuser_post(application, phone="03943 1234")
    )

    assert response.status_code == 302
    assert_every_save_follows_a_complete_full_clean(write_log)
    assert Application.objects.get(pk=application.pk).phone == "03943 1234"


@pytest.mark.django_db
def test_save_model_writes_model_fields_only_through_update_application(
    client, election, harz_chair
):
    application = make_application()
    quedlinburg = get_municipality("harz", "quedlinburg")

    with mock.patch.object(
        services, "update_application", wraps=services.update_application
    ) as update:
        login_staff(client, harz_chair).post(
            change_url(application), change_page_post(application, municipality=quedlinburg.pk)
        )

    assert update.call_count == 1
    assert update.call_args.kwargs == {"by": harz_chair, "changes": {"municipality": quedlinburg}}


@pytest.mark.django_db
def test_update_application_refuses_a_move_into_a_district_the_user_cannot_see(
    election, harz_chair, magdeburg
):
    # The admin offers only the user's own districts; the service is the last line.
    application = make_application()

    with pytest.raises(services.PermissionDenied):
        services.update_application(application, by=harz_chair, changes={"municipality": magdeburg})

    assert Application.objects.get(pk=application.pk).municipality == get_municipality()
