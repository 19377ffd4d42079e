"""/theme.css: the party's colours from settings, and the colour of checked radios and
checkboxes derived from them with enough contrast (WCAG 1.4.11)."""

import pytest
from django.urls import reverse

from portal.views import CONTROL_CONTRAST, contrast_ratio, control_color


def custom_properties(response):
    lines = response.content.decode().splitlines()
    return dict(
        line.strip().rstrip(";").split(": ") for line in lines if line.strip().startswith("--")
    )


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert round(contrast_ratio("#dee2e6", "#fff"), 2) == 1.3  # Bootstrap's border


@pytest.mark.parametrize(
    "primary, expected",
    [
        ("#e3000f", "#e3000f"),  # the party red is dark enough as it is
        ("#000000", "#000000"),
        ("#ffcc00", "#8f7200"),  # a light yellow is darkened
        ("#fff", "#757575"),
    ],
)
def test_control_color_is_primary_darkened_only_as_far_as_needed(primary, expected):
    assert control_color(primary) == expected
    assert contrast_ratio(control_color(primary), "#ffffff") >= CONTROL_CONTRAST


def test_theme_css_names_checked_control_colour(client, settings):
    settings.PORTAL_PRIMARY_COLOR = "#e3000f"

    response = client.get(reverse("theme_css"))

    assert custom_properties(response) == {
        "--portal-primary": "#e3000f",
        "--portal-on-primary": settings.PORTAL_PRIMARY_TEXT_COLOR,
        "--portal-control-checked": "#e3000f",
    }


def test_theme_css_darkens_a_light_configured_colour_for_checked_controls(client, settings):
    settings.PORTAL_PRIMARY_COLOR = "#ffcc00"

    properties = custom_properties(client.get(reverse("theme_css")))

    assert properties["--portal-primary"] == "#ffcc00"
    assert properties["--portal-control-checked"] == "#8f7200"


def test_theme_css_ignores_a_colour_that_is_not_hex(client, settings):
    settings.PORTAL_PRIMARY_COLOR = "red; } body { display: none"

    properties = custom_properties(client.get(reverse("theme_css")))

    assert properties["--portal-primary"] == "#e3000f"
    assert properties["--portal-control-checked"] == "#e3000f"
