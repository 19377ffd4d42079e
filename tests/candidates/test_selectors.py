"""Reads in candidates.selectors: what they return, for whom, in how many queries. (The
notification recipients are tested with the notification, in
tests/notifications/test_district_notification.py.)"""

import pytest

from candidates import selectors, services
from candidates.models import Application
from tests.factories import get_district, make_application

Status = Application.Status


@pytest.mark.django_db
def test_application_history_is_empty_for_whoever_may_not_see_the_application(
    election, harz_chair, magdeburg_chair, state_office_user, django_assert_num_queries
):
    application = make_application()
    services.change_status(application, status=Status.CONTACTED, by=harz_chair)
    services.assign(application, assignee=harz_chair, by=harz_chair)
    services.add_note(application, text="Angerufen", by=harz_chair)
    services.update_application(application, by=None, changes={"phone": "0391 123456"})

    with django_assert_num_queries(4):
        for_chair = selectors.application_history(application, user=harz_chair)
    for_office = selectors.application_history(application, user=state_office_user)
    for_other_district = selectors.application_history(application, user=magdeburg_chair)

    assert [entry.kind for entry in for_chair] == ["status", "assignment", "note", "details"]
    assert for_chair[-1].title == "Von der Person selbst geändert: Telefon"
    assert for_office == for_chair
    assert for_other_district == []


@pytest.mark.django_db
def test_application_history_of_an_unconfirmed_application_is_the_state_offices(
    election, harz_chair, state_office_user
):
    application = make_application(status=Status.UNCONFIRMED, confirmed_at=None)
    services.add_note(application, text="Noch nicht bestätigt", by=state_office_user)

    assert selectors.application_history(application, user=harz_chair) == []
    assert [
        entry.text for entry in selectors.application_history(application, user=state_office_user)
    ] == ["Noch nicht bestätigt"]


@pytest.mark.django_db
def test_count_by_status_counts_the_given_queryset_in_one_query(
    election, harz_chair, django_assert_num_queries
):
    make_application()
    make_application(status=Status.CONTACTED)
    make_application(status=Status.CONTACTED)
    make_application(status=Status.UNCONFIRMED, confirmed_at=None)
    make_application(district=get_district("magdeburg"))

    visible = Application.objects.visible_to(harz_chair)

    with django_assert_num_queries(1):
        counts = selectors.count_by_status(visible)

    assert counts == {"new": 1, "contacted": 2}
