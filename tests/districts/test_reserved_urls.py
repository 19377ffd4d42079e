"""District homepages link to /<district>/<municipality>/: our own pages must never be
able to take such a URL, whatever slugs future data brings."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver

from districts.models import District
from districts.slugs import RESERVED_SLUGS


def first_segments(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        segment = route.split("/")[0]
        if isinstance(pattern, URLResolver) and not segment:
            yield from first_segments(pattern.url_patterns, route)
        elif segment and "<" not in segment and "." not in segment:
            # (A segment with a dot, like favicon.ico, can never be a slug.)
            yield segment.lstrip("^")
        elif isinstance(pattern, URLPattern) and not segment:
            continue


def test_every_fixed_first_url_segment_is_reserved():
    segments = set(first_segments(get_resolver().url_patterns))
    assert "verwaltung" in segments
    assert segments - RESERVED_SLUGS == set()


@pytest.mark.django_db
def test_district_cannot_take_a_reserved_slug():
    district = District.objects.get(slug="harz")
    district.slug = "impressum"
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert error.value.message_dict["slug"] == [
        "„impressum“ ist für Seiten des Portals reserviert."
    ]
