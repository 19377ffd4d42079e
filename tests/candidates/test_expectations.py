"""Before the form: what standing means, what the party expects and offers (a text the
state office maintains), linked from the expectations checkbox; and the texts the live
eligibility hint shows, carried by the page from candidates.eligibility."""

import datetime
import html

import pytest

from candidates.eligibility import REASONS
from candidates.legal_drafts import DRAFT_VERSION, EXPECTATIONS, create_drafts
from candidates.models import LegalDocument
from tests.factories import valid_data

APPLY = "/harz/wernigerode/"


@pytest.mark.django_db
def test_migrations_create_the_expectations_draft():
    document = LegalDocument.current(LegalDocument.Kind.EXPECTATIONS)

    assert (document.version, document.text) == (DRAFT_VERSION, EXPECTATIONS)


@pytest.mark.django_db
def test_create_drafts_adds_only_missing_kinds():
    LegalDocument.objects.filter(kind=LegalDocument.Kind.EXPECTATIONS).delete()
    before = set(LegalDocument.objects.values_list("pk", flat=True))

    create_drafts(LegalDocument)

    added = LegalDocument.objects.exclude(pk__in=before)
    assert list(added.values_list("kind", flat=True)) == ["expectations"]


def test_default_text_names_what_the_issue_asks_for():
    for words in [
        "etwa einmal im Monat",
        "Entschädigungssatzung",
        "Höhe und Regeln legt die Landespartei fest; die Landesgeschäftsstelle trägt sie hier ein",
        "Mentoring",
        "Kinderbetreuung",
        "„Frauen machen Politik“ des Landesfrauenrats Sachsen-Anhalt",
    ]:
        assert words in EXPECTATIONS
    assert "€" not in EXPECTATIONS and "Euro" not in EXPECTATIONS


@pytest.mark.django_db
def test_expectations_are_shown_before_the_form(client, election):
    LegalDocument.objects.create(
        kind=LegalDocument.Kind.EXPECTATIONS, version="2", text="Der Rat tagt dienstags."
    )

    page = client.get(APPLY).content.decode()

    assert page.index("Der Rat tagt dienstags.") < page.index("<form")
    assert page.index('id="expectations-heading"') < page.index("<form")


@pytest.mark.django_db
def test_expectations_checkbox_links_to_the_text(client, election):
    page = client.get(APPLY).content.decode()

    label_start = page.index('for="id_accepts_expectations"')
    label = page[label_start : page.index("</label>", label_start)]
    assert '<a href="/erwartungen/">Was wir erwarten und was wir bieten</a>' in label


@pytest.mark.django_db
def test_expectations_page_shows_the_newest_version(client):
    LegalDocument.objects.create(
        kind=LegalDocument.Kind.EXPECTATIONS, version="2", text="Neue Fassung."
    )

    response = client.get("/erwartungen/")

    assert response.status_code == 200
    assert "Neue Fassung." in response.content.decode()
    assert "Erwartungen und Angebote" in response.content.decode()


@pytest.mark.django_db
def test_apply_page_carries_the_hint_texts_and_dates(client, election):
    election.election_day = datetime.date(2029, 6, 10)
    election.save()

    page = html.unescape(client.get(APPLY).content.decode())

    assert 'data-election-day="2029-06-10"' in page
    assert 'data-born-by="2011-06-10"' in page
    assert 'data-resident-by="2029-03-10"' in page
    for code, reason in REASONS.items():
        assert f'<div data-reason="{code}"><p class="fw-semibold mb-1">{reason.title}</p>' in page
        assert str(reason.explanation) in page
    assert '<script src="/static/js/eligibility-hint.js" defer></script>' in page


@pytest.mark.django_db
def test_under_18_without_javascript_the_thanks_page_says_it(client, election):
    data = valid_data(date_of_birth="2011-06-11")
    election.election_day = datetime.date(2029, 6, 10)
    election.save()

    response = client.post(APPLY, data, follow=True)

    assert str(REASONS["too_young"].title) in response.content.decode()
