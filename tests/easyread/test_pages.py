"""Leichte Sprache (easyread): German pages, reachable from every page, whose facts come
from where the portal keeps them, written in short sentences."""

import re
from html.parser import HTMLParser

import pytest

from candidates import eligibility
from tests.factories import get_district

OVERVIEW = "/leichte-sprache/"
PAGES = [
    OVERVIEW,
    "/leichte-sprache/gemeinde-rat/",
    "/leichte-sprache/kandidieren/",
    "/leichte-sprache/bewerben/",
    "/leichte-sprache/nach-der-bewerbung/",
]
CANDIDACY = "/leichte-sprache/kandidieren/"
AFTER_APPLYING = "/leichte-sprache/nach-der-bewerbung/"
PUBLIC_PAGES = [
    "/",
    "/suche/?q=Lutherstadt",
    "/harz/",
    "/harz/wernigerode/",
    "/impressum/",
    "/datenschutz/",
    "/erwartungen/",
    "/ueber-die-daten/",
]
# The longest sentence on the pages, in words; Leichte Sprache wants short sentences.
MAX_WORDS_PER_SENTENCE = 11


class _Text(HTMLParser):
    """The text of <main>, with a break at every block, label and button, so that a
    heading or a list item counts as its own sentence."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "label", "button", "ul", "ol", "div", "nav"}

    def __init__(self):
        super().__init__()
        self.inside_main = False
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.inside_main = True
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "main":
            self.inside_main = False
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.inside_main:
            self.parts.append(data)


def main_text(response):
    parser = _Text()
    parser.feed(response.content.decode())
    return "".join(parser.parts)


def sentences(text):
    for block in text.split("\n"):
        for sentence in re.split(r"(?<=[.!?:])\s+", " ".join(block.split())):
            if sentence:
                yield sentence


def words(sentence):
    return re.findall(r"[\w@.-]*\w", sentence)


def rule(response, rule_id):
    html = response.content.decode()
    match = re.search(rf'<li id="{rule_id}">(.*?)</li>', html, re.S)
    return " ".join(match.group(1).split())


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_easyread_page_is_german(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_easyread_page_stays_german_for_a_browser_asking_for_arabic(client, path):
    client.cookies["django_language"] = "ar"

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")

    assert '<html lang="de" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
def test_easyread_pages_have_no_translated_twins(client):
    assert client.get("/en" + OVERVIEW).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["", "/en", "/ar"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_links_to_easyread(client, election, language, path):
    response = client.get(language + path)

    assert response.status_code == 200
    assert f'<a href="{OVERVIEW}" hreflang="de">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_easyread_pages_link_to_every_easyread_page(client, path):
    html = client.get(path).content.decode()

    assert [p for p in PAGES if f'href="{p}"' in html] == PAGES


@pytest.mark.django_db
def test_embedded_page_links_to_easyread_in_a_new_tab(client, election):
    harz = get_district("harz")
    harz.embed_origins = "https://www.dielinke-harz.de"
    harz.save()

    for path in ("/einbetten/harz/", "/einbetten/harz/wernigerode/"):
        html = client.get(path).content.decode()
        assert f'<a href="{OVERVIEW}" target="_blank" rel="noopener" hreflang="de">' in html


@pytest.mark.django_db
def test_who_may_stand_comes_from_the_eligibility_rules(client):
    response = client.get(CANDIDACY)

    assert rule(response, "rule-age") == (
        f"Du bist am Wahl-Tag mindestens {eligibility.MINIMUM_AGE} Jahre alt."
    )
    assert rule(response, "rule-residence") == (
        f"Du wohnst am Wahl-Tag seit mindestens {eligibility.RESIDENCE_MONTHS} Monaten"
        " in der Gemeinde."
    )
    assert rule(response, "rule-citizenship") == (
        "Du bist Deutsche oder Deutscher."
        " Oder du kommst aus einem anderen Land in der Europäischen Union."
    )


@pytest.mark.django_db
def test_who_may_stand_follows_a_change_of_the_rules(client, monkeypatch):
    monkeypatch.setattr(eligibility, "MINIMUM_AGE", 21)
    monkeypatch.setattr(eligibility, "RESIDENCE_MONTHS", 6)

    response = client.get(CANDIDACY)

    assert rule(response, "rule-age") == "Du bist am Wahl-Tag mindestens 21 Jahre alt."
    assert rule(response, "rule-residence").startswith("Du wohnst am Wahl-Tag seit mindestens 6 ")
    assert "Kandidieren darfst du erst mit 21 Jahren." in main_text(response)


@pytest.mark.django_db
def test_after_applying_names_the_confirmation_period_and_the_election_day(
    client, election, settings
):
    settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS = 5

    text = " ".join(main_text(client.get(AFTER_APPLYING)).split())

    assert "Du hast dafür 5 Tage Zeit." in text
    assert "Die Wahl ist am 10. Juni 2029." in text


@pytest.mark.django_db
def test_after_applying_without_an_open_election_names_no_day(client):
    text = main_text(client.get(AFTER_APPLYING))

    assert "Die Wahl ist am" not in text


@pytest.mark.django_db
def test_search_on_the_apply_page_leads_to_the_form(client, election):
    html = client.get("/leichte-sprache/bewerben/").content.decode()
    assert '<form class="easyread-search" action="/suche/" method="get"' in html
    assert 'name="q" id="easyread-q"' in html

    response = client.get("/suche/", {"q": "38879"})

    assert response.status_code == 302
    assert response["Location"] == "/harz/wernigerode/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_easyread_sentences_are_short(client, election, path):
    long_ones = [
        sentence
        for sentence in sentences(main_text(client.get(path)))
        if len(words(sentence)) > MAX_WORDS_PER_SENTENCE
    ]

    assert long_ones == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_easyread_has_no_abbreviations_gender_colon_or_formal_you(client, election, path):
    text = main_text(client.get(path))

    assert re.findall(r"\b(?:z\. ?B\.|d\. ?h\.|usw\.|bzw\.|ca\.|EU|LSA|KVG|Kita)\b|§", text) == []
    assert re.findall(r"\w:innen|\w:in\b", text) == []
    # "du", like the rest of the site; "Sie" only as "they" at a sentence's start.
    assert re.findall(r"\bIhnen\b|\bIhre[mnrs]?\b|(?<=\w )Sie\b", text) == []
