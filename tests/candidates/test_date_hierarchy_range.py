"""The application list's date hierarchy offers every year, month or day from the first to
the last application listed (candidates.templatetags.application_list), without reading
every row's date."""

import datetime

import pytest
from django.utils import timezone

from candidates.models import Application
from candidates.templatetags.application_list import _FirstToLast
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def received(*moments):
    for moment in moments:
        application = make_application()
        Application.objects.filter(pk=application.pk).update(created_at=timezone.make_aware(moment))
    return _FirstToLast(Application.objects.all())


def test_months_from_the_first_to_the_last_across_a_new_year(election):
    dates = received(datetime.datetime(2024, 11, 30, 12), datetime.datetime(2025, 2, 1, 12))

    assert dates.datetimes("created_at", "month") == [
        datetime.date(2024, 11, 1),
        datetime.date(2024, 12, 1),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
    ]
    assert dates.datetimes("created_at", "year") == [
        datetime.date(2024, 1, 1),
        datetime.date(2025, 1, 1),
    ]


def test_days_in_local_time(election):
    # 23:30 UTC on 31 March is already 1 April in Berlin.
    dates = received(
        datetime.datetime(2025, 3, 30, 10),
        timezone.localtime(datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC)).replace(
            tzinfo=None
        ),
    )

    assert dates.datetimes("created_at", "day") == [
        datetime.date(2025, 3, 30),
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 1),
    ]


def test_an_empty_list_offers_no_dates(election):
    assert _FirstToLast(Application.objects.none()).datetimes("created_at", "year") == []
