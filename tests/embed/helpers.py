"""What the embed tests share: the district's website, the embedded pages, and how a
test lets a website frame them."""

from tests.factories import get_district

HOMEPAGE = "https://www.dielinke-harz.de"
EMBED_HARZ = "/einbetten/harz/"
EMBED_FORM = "/einbetten/harz/wernigerode/"


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split("; ") if part.startswith("frame-ancestors"))


def allow(district_slug, text):
    """Let `text` (the field as a team types it) frame the district's pages, through the
    model's validation like the admin."""
    district = get_district(district_slug)
    district.embed_origins = text
    district.full_clean()
    district.save()
    return district
