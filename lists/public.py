"""Open places on our lists, for the public pages (each district decides:
District.show_open_places, off by default). Only counts, never names, and only of staff
decisions (places on lists, nominations): see lists.coverage.public_council_figures."""

from candidates.models import Election
from districts.models import Council
from lists.coverage import public_council_figures


def open_places_for(municipality, election):
    """The municipality's Gemeinderat/Stadtrat with its open places (CouncilFigures), or
    None: when its district does not show them, there is no election, or the list length
    is not known."""
    district = municipality.district
    if election is None or not district.show_open_places:
        return None
    council = Council.objects.filter(kind=Council.Kind.COUNCIL, municipality=municipality).first()
    if council is None:
        return None
    (figures,) = public_council_figures([council], election=election, district=district)
    return figures if figures.open_places is not None else None


def municipalities_without_anyone(district):
    """The municipalities whose Gemeinderat/Stadtrat has nobody nominated and nobody on a
    list yet for the current election, by name; None when the district does not show open
    places (asked first: then the page runs no query for it) or no election is open."""
    if not district.show_open_places:
        return None
    election = Election.objects.current()
    if election is None:
        return None
    councils = (
        Council.objects.filter(kind=Council.Kind.COUNCIL, district=district)
        .select_related("municipality__district")
        .order_by("municipality__slug")
    )
    figures = public_council_figures(councils, election=election, district=district)
    return [row.council.municipality for row in figures if row.nominated == 0 and row.on_lists == 0]
