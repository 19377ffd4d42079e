"""One fact, "unconfirmed": an application has status "unconfirmed" exactly when its
confirmed_at is empty. Queries ask the status, confirmed_at dates the confirmation, and the
database refuses a row where the two disagree (Application.Meta constraint)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates import services, workflow
from candidates.models import Application
from tests.factories import make_application

Status = Application.Status
CONFIRMED_STATUSES = [status for status in Status if status != Status.UNCONFIRMED]
# (status, whether confirmed_at is set): the combinations that contradict each other.
INCONSISTENT = [(Status.UNCONFIRMED, True)] + [(status, False) for status in CONFIRMED_STATUSES]


def confirmed_at(confirmed):
    return timezone.now() if confirmed else None


@pytest.mark.django_db
@pytest.mark.parametrize("status, confirmed", INCONSISTENT)
def test_database_refuses_to_store_status_and_confirmed_at_that_disagree(
    status, confirmed, election
):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_application(status=status, confirmed_at=confirmed_at(confirmed))

    assert not Application.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status, confirmed", INCONSISTENT)
def test_database_refuses_to_change_one_without_the_other(status, confirmed, election):
    application = make_application(status=status, confirmed_at=confirmed_at(not confirmed))

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(confirmed_at=confirmed_at(confirmed))

    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.confirmed_at) == (status, application.confirmed_at)


@pytest.mark.django_db
@pytest.mark.parametrize("status", CONFIRMED_STATUSES)
def test_database_accepts_every_confirmed_status_with_its_confirmation_time(status, election):
    application = make_application(status=status, confirmed_at=timezone.now())

    assert Application.objects.get(pk=application.pk).status == status


@pytest.mark.django_db
def test_model_validation_names_the_rule_when_they_disagree(election):
    application = make_application(status=Status.UNCONFIRMED, confirmed_at=None)
    application.confirmed_at = timezone.now()

    with pytest.raises(ValidationError) as error:
        application.full_clean()

    assert "unconfirmed_exactly_when_confirmed_at_is_null" in str(error.value)


@pytest.mark.django_db
def test_a_new_application_is_stored_unconfirmed_without_a_confirmation_time(election):
    # A copy of a confirmed application, with another address: whatever the instance
    # carries in, the service stores a new application as not confirmed yet.
    application = make_application(status=Status.NEW)
    application.pk, application._state.adding = None, True
    application.email = "neu@example.org"

    stored = services.submit_application(application)

    stored.refresh_from_db()
    assert (stored.status, stored.confirmed_at) == (Status.UNCONFIRMED, None)


@pytest.mark.django_db
def test_confirmation_sets_status_and_confirmation_time_together_once(election):
    application = make_application(status=Status.UNCONFIRMED, confirmed_at=None)

    assert services.confirm_application(application) is True
    application.refresh_from_db()
    first = application.confirmed_at
    assert application.status == Status.NEW
    assert first is not None

    assert services.confirm_application(application) is False
    application.refresh_from_db()
    assert (application.status, application.confirmed_at) == (Status.NEW, first)


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_no_workflow_step_leads_back_to_unconfirmed(status, state_office_user):
    assert Status.UNCONFIRMED not in workflow.allowed_transitions(status, state_office_user)
    assert Status.UNCONFIRMED not in workflow.allowed_transitions(status, None)
