"""Security headers on every response: the portal may not be framed by anyone (CSP and
X-Frame-Options say the same), and browser features it never uses are switched off."""

import pytest
from django.urls import reverse

# Features the portal never uses; each must be off (an empty allowlist).
FEATURES_OFF = [
    "accelerometer",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
]

PAGES = {
    "public page": (reverse("districts:home"), 200),
    "admin login redirect": (reverse("admin:index"), 302),
    "not found": ("/gibt-es-nicht/hier-auch-nicht/", 404),
    "theme stylesheet": (reverse("theme_css"), 200),
    "favicon redirect": ("/favicon.ico", 301),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_response_forbids_framing_and_unused_browser_features(name, client):
    url, status = PAGES[name]

    response = client.get(url)

    assert response.status_code == status
    features = {item.strip() for item in response["Permissions-Policy"].split(",")}
    assert [f for f in FEATURES_OFF if f"{f}=()" not in features] == []
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    assert "frame-ancestors 'none'" in directives
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_policy_built_once_is_the_one_django_csp_builds(client):
    from dataclasses import asdict

    from csp.middleware import PolicyParts
    from csp.utils import build_policy

    response = client.get("/")

    assert response["Content-Security-Policy"] == build_policy(**asdict(PolicyParts()))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_view_that_changes_the_policy_still_gets_its_own(client):
    from districts.models import District

    District.objects.filter(slug="harz").update(embed_origins="https://harz.example.org")

    framed = client.get("/einbetten/harz/")["Content-Security-Policy"]
    plain = client.get("/harz/")["Content-Security-Policy"]

    assert "frame-ancestors https://harz.example.org" in framed
    assert "frame-ancestors 'none'" in plain
