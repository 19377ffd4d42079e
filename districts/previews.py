"""Link previews: what WhatsApp, Telegram or Signal show when someone shares a public page.

`tags_for` gives the Open Graph / Twitter card values of one page (rendered by
templates/includes/_preview_tags.html); `render_card` draws the 1200x630 image they point
at, per district or for the whole state, in the party's colours from settings.
"""

import io
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, ImageColor, ImageDraw, ImageFont

from portal.views import safe_color

WIDTH, HEIGHT = 1200, 630

# Pillow's built-in font (ImageFont.load_default) has no umlauts or ß: "Börde" would come
# out with a box. DejaVu Sans (Bitstream Vera licence, fonts/LICENSE-DejaVu.txt) has them.
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold.ttf"

# Only these pages get preview tags: public pages without anything personal. Private pages
# (Meine Bewerbung, thanks, confirm, sign-in, admin) are left out by not being listed.
PUBLIC_PAGES = frozenset(
    {
        "districts:home",
        "districts:search",
        "districts:about_data",
        "districts:district",
        "candidates:apply",
        "candidates:imprint",
        "candidates:privacy",
        "candidates:expectations",
    }
)

# Open Graph's locale per language of settings.LANGUAGES.
OG_LOCALES = {
    "de": "de_DE",
    "en": "en_GB",
    "ar": "ar_AR",
    "ru": "ru_RU",
    "uk": "uk_UA",
    "pl": "pl_PL",
}

MARGIN = 80
HEADLINE_SIZES = range(88, 39, -4)
HEADLINE_MAX_LINES = 3


def tags_for(request, *, district=None, municipality=None, election=None):
    """The preview of the page `request` shows, or None for a page that gets none.

    District and municipality pages without their object in the context (a 404 page
    rendered for their URL) get none either."""
    match = request.resolver_match
    view_name = match.view_name if match else None
    if view_name not in PUBLIC_PAGES:
        return None
    party = settings.PORTAL_PARTY_NAME
    if view_name == "candidates:apply":
        if municipality is None:
            return None
        district = municipality.district
        title = _("Kandidier in %(name)s") % {"name": municipality.name}
        if election is not None:
            description = _(
                "%(election)s: Bewirb dich in %(municipality)s und kandidier mit %(party)s."
            ) % {"election": election.name, "municipality": municipality.name, "party": party}
        else:
            description = _(
                "Kandidieren in %(municipality)s: Sobald die nächste Bewerbungsphase "
                "beginnt, kannst du dich hier bei %(party)s bewerben."
            ) % {"municipality": municipality.name, "party": party}
    elif view_name == "districts:district":
        if district is None:
            return None
        title = district_headline(district)
        description = _(
            "Kreisverband %(district)s: Wähl deine Gemeinde und bewirb dich dort für "
            "eine Kandidatur mit %(party)s."
        ) % {"district": district.name, "party": party}
    else:
        district = None
        title = settings.PORTAL_SITE_TITLE
        description = settings.PORTAL_TAGLINE
    if district is not None:
        image_path = reverse("districts:preview_image", kwargs={"district": district.slug})
        image_alt = _("%(headline)s – %(association)s") % {
            "headline": district_headline(district),
            "association": settings.PORTAL_ASSOCIATION_NAME,
        }
    else:
        image_path = reverse("districts:preview_image_state")
        image_alt = _("%(headline)s – %(association)s") % {
            "headline": state_headline(),
            "association": settings.PORTAL_ASSOCIATION_NAME,
        }
    return {
        "title": title,
        "description": description,
        # The page's own address without its query (a campaign source or a search term
        # is not part of what is shared as the page).
        "url": request.build_absolute_uri(request.path),
        "image": request.build_absolute_uri(image_path),
        "image_alt": image_alt,
        "image_width": WIDTH,
        "image_height": HEIGHT,
        "site_name": settings.PORTAL_ASSOCIATION_NAME,
        "locale": OG_LOCALES.get(get_language(), "de_DE"),
    }


def district_headline(district):
    return _("Kandidier im Kreisverband %(name)s") % {"name": district.name}


def state_headline():
    return _("Kandidier mit uns bei der Kommunalwahl!")


def card_png(*, headline, election=None):
    """The preview image as PNG bytes, drawn once per distinct text and colours."""
    return render_card(
        headline=headline,
        kicker=settings.PORTAL_ASSOCIATION_NAME,
        footer=election.name if election is not None else settings.PORTAL_SITE_TITLE,
        background=safe_color(settings.PORTAL_PRIMARY_COLOR, "#e3000f"),
        foreground=safe_color(settings.PORTAL_PRIMARY_TEXT_COLOR, "#ffffff"),
    )


@lru_cache(maxsize=64)
def render_card(*, headline, kicker, footer, background, foreground):
    """Kicker (the association) on top, the headline as large as fits in three lines,
    the footer (the election, or the site title) at the bottom. Keyed by every value
    drawn, so a new colour or name draws a new image; 14 districts and the state fit."""
    image = Image.new("RGB", (WIDTH, HEIGHT), ImageColor.getrgb(background))
    draw = ImageDraw.Draw(image)
    ink = ImageColor.getrgb(foreground)
    width = WIDTH - 2 * MARGIN

    small = fitting_font(kicker, width, 44)
    draw.text((MARGIN, MARGIN), kicker, font=small, fill=ink)
    draw.rectangle((MARGIN, MARGIN + 70, MARGIN + 120, MARGIN + 78), fill=ink)

    font, lines = fit_headline(headline, width)
    line_height = round(font.size * 1.2)
    # Centred between the kicker's bar (y 158) and the footer (from y 510).
    top = 180 + (330 - line_height * len(lines)) // 2
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=font, fill=ink)

    footer_font = fitting_font(footer, width, 40)
    draw.text((MARGIN, HEIGHT - MARGIN), footer, font=footer_font, fill=ink, anchor="ls")

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def font_of(size):
    return ImageFont.truetype(FONT_PATH, size)


def fitting_font(text, width, size):
    """The font at `size`, or smaller until `text` fits on one line."""
    font = font_of(size)
    while size > 12 and font.getlength(text) > width:
        size -= 2
        font = font_of(size)
    return font


def fit_headline(text, width):
    """The largest size at which the text wraps into at most three lines that fit;
    long compound names may break after their hyphen (Anhalt-/Bitterfeld)."""
    for size in HEADLINE_SIZES:
        font = font_of(size)
        lines = wrap(text, font, width)
        if lines is not None and len(lines) <= HEADLINE_MAX_LINES:
            return font, lines
    # Longer than any district's name: smaller still, on as many lines as it takes.
    size = HEADLINE_SIZES[-1]
    while size > 12:
        size -= 4
        lines = wrap(text, font_of(size), width)
        if lines is not None:
            break
    return font_of(size), lines or [text]


def wrap(text, font, width):
    """Greedy word wrap; None if a single piece is wider than `width`."""
    lines = []
    line = ""
    previous_end = None
    # Pieces are words; a hyphen inside a word ends a piece, so the word may break there.
    for match in re.finditer(r"\S+?-(?=\S)|\S+", text):
        piece = match.group()
        joiner = "" if match.start() == previous_end or not line else " "
        previous_end = match.end()
        candidate = f"{line}{joiner}{piece}"
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if font.getlength(piece) > width:
            return None
        lines.append(line)
        line = piece
    if line:
        lines.append(line)
    return lines
