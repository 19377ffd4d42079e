"""Which websites may show a district's pages in a frame: one rule, used by the model
field's validator (every write path: admin, shell, data migration), by the embed views'
headers and by the snippet in the admin.

An origin is a scheme, a host and a port, nothing else. What a team types is checked
strictly because it ends up in a response header (`Content-Security-Policy:
frame-ancestors …`): anything that is not a plain origin, such as a path, a wildcard,
a quote, a semicolon or a space inside an entry, is refused with a message next to the
field, never passed on.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_ORIGINS = 10

# Plain web addresses only; the districts' homepages are public sites.
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Plain http is allowed only for a homepage tried out on the team's own computer.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


def _host(value):
    """The lower-case ASCII host name, or None if it is not a plain DNS name."""
    try:
        # Umlaut domains (müller-stendal.de) are written as the browser sends them.
        ascii_host = value.encode("idna").decode("ascii").lower()
        # Python's codec follows IDNA 2003, browsers UTS 46: where the two differ (ß, ς,
        # joiners) the name would stand for another domain. Only names that read back
        # unchanged are taken; the others are asked for in their xn-- form.
        dotted = re.sub("[\u3002\uff0e\uff61]", ".", value.lower())
        if not value.isascii() and ascii_host.encode("ascii").decode("idna") != dotted:
            return None
    except UnicodeError:
        return None
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or len(labels) < 2 and ascii_host != "localhost":
        return None
    if not all(_LABEL.match(label) for label in labels):
        return None
    return ascii_host


def parse_origin(entry):
    """`https://www.Example.de/` → `https://www.example.de`; raises ValidationError with a
    message a district team understands."""
    text = entry.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\";,*\\\[\]]+", text) and not re.fullmatch(
        r"https?://\[::1\](:[0-9]+)?/?", text, re.IGNORECASE
    ):
        raise ValidationError(
            _("„%(entry)s“ ist keine Webadresse wie https://www.beispiel.de."),
            params={"entry": entry.strip()[:100]},
            code="not_an_origin",
        )
    try:
        parts = urlsplit(text)
        port = parts.port
        raw_host = parts.hostname or ""
    except ValueError:  # e.g. characters that normalise to "/" or "#"
        raise ValidationError(
            _("„%(entry)s“ ist keine gültige Webadresse."),
            params={"entry": text[:100]},
            code="host",
        ) from None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValidationError(
            _(
                "„%(entry)s“: bitte nur die Adresse der Website angeben, ohne Pfad, z. B. "
                "https://www.beispiel.de."
            ),
            params={"entry": text[:100]},
            code="path",
        )
    if parts.netloc.startswith("[") or raw_host == "::1":
        host = "[::1]" if raw_host == "::1" else None
    elif raw_host == "127.0.0.1":
        host = raw_host
    else:
        host = _host(raw_host)
    scheme = parts.scheme.lower()
    if host is None and not raw_host.isascii():
        raise ValidationError(
            _(
                "„%(entry)s“: bitte die Adresse so eingeben, wie sie in der Adresszeile des "
                "Browsers steht (bei Domains mit Sonderzeichen beginnt sie mit xn--)."
            ),
            params={"entry": text[:100]},
            code="idna",
        )
    if host is None or port == 0:
        raise ValidationError(
            _("„%(entry)s“ ist keine gültige Webadresse."),
            params={"entry": text[:100]},
            code="host",
        )
    if scheme != "https" and not (scheme == "http" and host in LOOPBACK_HOSTS):
        raise ValidationError(
            _("„%(entry)s“: eingebettet wird nur auf Websites mit https:// (verschlüsselt)."),
            params={"entry": text[:100]},
            code="scheme",
        )
    default_port = 443 if scheme == "https" else 80
    suffix = f":{port}" if port is not None and port != default_port else ""
    return f"{scheme}://{host}{suffix}"


def parse_origins(text):
    """The origins of a district's field, one per line (or separated by spaces), in the
    order given, without duplicates."""
    origins = []
    errors = []
    for entry in (text or "").split():
        try:
            origin = parse_origin(entry)
        except ValidationError as error:
            errors.extend(error.error_list)
            continue
        if origin not in origins:
            origins.append(origin)
    if errors:
        raise ValidationError(errors)
    if len(origins) > MAX_ORIGINS:
        raise ValidationError(
            _("Höchstens %(max)s Websites."), params={"max": MAX_ORIGINS}, code="too_many"
        )
    return origins


def validate_embed_origins(text):
    parse_origins(text)


def allowed_origins(district):
    """The origins a district's embeddable pages may be framed by; [] if none (or if the
    stored text is somehow invalid: then nobody frames them)."""
    try:
        return parse_origins(district.embed_origins)
    except (ValidationError, ValueError):
        return []
