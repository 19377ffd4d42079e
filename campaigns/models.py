"""Where applications come from: a district's campaign sources ("Infostand Marktplatz
12.4.", "Haustür Nordviertel", "Instagram"). Each has a short random code that travels
only in the link (`?quelle=<code>`, QUERY_PARAMETER) — no cookie, no third party — and an
application remembers the source that brought it (candidates.models.Application.source).

Sources belong to their district and are scoped like applications (portal.scoping).
"""

import re
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from districts.models import District
from portal.scoping import districts_for, scoped_manager

# The query parameter that carries a source's code on the public pages.
QUERY_PARAMETER = "quelle"
# What a code can look like (secrets.token_urlsafe's alphabet); anything else is never
# looked up, so odd input (NUL bytes, markup, 5000 characters) does not reach the database.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{4,16}")


def new_code():
    """Eight URL-safe random characters (48 bits): not guessable from another source's."""
    return secrets.token_urlsafe(6)


class SourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(district__in=districts_for(user))


class Source(models.Model):
    """A place or channel a district campaigns through, with the code its links carry."""

    district = models.ForeignKey(
        District, verbose_name=_("Kreisverband"), on_delete=models.PROTECT, related_name="sources"
    )
    name = models.CharField(
        _("Bezeichnung"),
        max_length=100,
        help_text=_("Z. B. „Infostand Marktplatz 12.4.“, „Haustür Nordviertel“, „Instagram“."),
    )
    code = models.CharField(
        _("Kürzel im Link"), max_length=16, unique=True, default=new_code, editable=False
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = scoped_manager(SourceQuerySet, "district")

    class Meta:
        verbose_name = _("Quelle")
        verbose_name_plural = _("Quellen")
        ordering = ["district__name", "name"]

    def __str__(self):
        return self.name

    def link(self, municipality=None):
        """The absolute link to the district's page, or to one of its municipalities' apply
        page, carrying this source's code."""
        target = municipality or self.district
        return (
            f"{settings.PORTAL_BASE_URL.rstrip('/')}{target.get_absolute_url()}"
            f"?{QUERY_PARAMETER}={self.code}"
        )


def source_for(code, *, district):
    """The source with this code if it belongs to `district`, else None — for any input,
    never an error. Public pages call it outside any district scope."""
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        return None
    with scopes_disabled():
        return Source.objects.filter(code=code, district=district).first()
