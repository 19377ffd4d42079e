"""QR codes as SVG, made with the `qrcode` library (which allauth's MFA already needs)."""

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe


def qr_svg(data):
    """An SVG document (without XML declaration) whose QR code encodes `data`. The library
    writes only path data, derived from `data` but never containing it as text, so the
    markup is safe to put into a page."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (path data only)
