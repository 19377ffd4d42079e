"""The legal texts stay authoritative in German: a page in another language says so in
that language and links to the German page; the German page needs no such note."""

import pytest
from django.utils import translation

NOTE = "Dieser Text gilt nur in seiner deutschen Fassung. Er steht hier deshalb auf Deutsch."


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/impressum/", "/datenschutz/", "/erwartungen/"])
@pytest.mark.parametrize("language", ["en", "ar", "ru", "uk", "pl"])
def test_a_translated_legal_page_says_the_german_text_counts(client, path, language):
    body = client.get(f"/{language}{path}").content.decode()

    with translation.override(language):
        note = translation.gettext(NOTE)
    assert note != NOTE
    assert note in body
    assert f'<a href="{path}" lang="de" hreflang="de">' in body
    assert '<div class="legal-text" lang="de" dir="ltr">' in body


@pytest.mark.django_db
def test_the_german_legal_page_has_no_note(client):
    body = client.get("/impressum/").content.decode()

    assert NOTE not in body
    assert '<div class="legal-text" lang="de" dir="ltr">' in body
