"""Reads of the lists app that hold a rule: a list with its people in order, the current
state of each person's paperwork, the list's history."""

from django.utils.translation import gettext as _

from candidates.models import Application, display_name
from lists import rules
from lists.models import ListChange, ListPlace, PaperworkEvent


def places_of(candidate_list):
    """The list's places in order, each with its application, municipality and district
    loaded: one query."""
    return list(
        ListPlace.objects.filter(candidate_list=candidate_list)
        .select_related("application__municipality__district", "application__election")
        .order_by("position")
    )


def applications_of(candidate_list):
    return [place.application for place in places_of(candidate_list)]


def paperwork(places):
    """For each place: its required documents, each with the newest event (or None),
    as {place.pk: [(document, event or None), ...]}. One query for all places."""
    latest = {}
    events = (
        PaperworkEvent.objects.filter(place__in=[place.pk for place in places])
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )
    for event in events:
        latest[(event.place_id, event.document)] = event
    return {
        place.pk: [
            (document, latest.get((place.pk, document)))
            for document in rules.required_documents(place.application)
        ]
        for place in places
    }


def history(candidate_list):
    """The list's history lines and its paperwork ticks, oldest first, as
    (when, who, what) rows."""
    rows = [
        (change.changed_at, display_name(change.changed_by), change.description)
        for change in ListChange.objects.filter(candidate_list=candidate_list).select_related(
            "changed_by"
        )
    ]
    for event in PaperworkEvent.objects.filter(place__candidate_list=candidate_list).select_related(
        "recorded_by", "place__application"
    ):
        state = _("liegt vor") if event.received else _("fehlt wieder")
        what = f"{event.place.application.full_name}: {event.get_document_display()} {state}"
        rows.append((event.recorded_at, display_name(event.recorded_by), what))
    return sorted(rows, key=lambda row: row[0])


def nominated_for(candidate_list):
    """Applications that may be picked for this list: nominated, of its election and
    district; the caller narrows to the user's visible ones. Ordered by name."""
    return (
        Application.objects.filter(
            election_id=candidate_list.election_id,
            municipality__district_id=candidate_list.council.district_id,
            status=Application.Status.NOMINATED,
        )
        .select_related("municipality")
        .order_by("last_name", "first_names")
    )
