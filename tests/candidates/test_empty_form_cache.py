"""The empty application form is rendered once per municipality, language and campaign
code (candidates.forms.rendered_empty_form): the page must read exactly as if crispy had
rendered it for this request."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.utils import translation

from candidates.forms import _EMPTY_FORMS, ApplicationForm, rendered_empty_form
from tests.factories import get_municipality


@pytest.fixture(autouse=True)
def empty_cache():
    _EMPTY_FORMS.clear()
    yield
    _EMPTY_FORMS.clear()


def form_for(slug, election, **initial):
    district = "harz" if slug == "wernigerode" else slug
    return ApplicationForm(
        municipality=get_municipality(district, slug), election=election, initial=initial
    )


@pytest.mark.django_db
def test_the_kept_form_is_what_crispy_renders(election):
    first = rendered_empty_form(form_for("wernigerode", election))
    again = rendered_empty_form(form_for("wernigerode", election))

    fresh = form_for("wernigerode", election)
    assert first == again == render_crispy_form(fresh, helper=fresh.helper)
    assert len(_EMPTY_FORMS) == 1


@pytest.mark.django_db
def test_each_municipality_language_and_code_has_its_own(election):
    wernigerode = rendered_empty_form(form_for("wernigerode", election))
    magdeburg = rendered_empty_form(form_for("magdeburg", election))
    with translation.override("en"):
        english = rendered_empty_form(form_for("wernigerode", election))
    with_code = rendered_empty_form(form_for("wernigerode", election, quelle="abcd1234"))

    assert 'value="Wernigerode"' in wernigerode
    assert 'value="Magdeburg"' in magdeburg
    assert "Kreistag Harz" in wernigerode and "Kreistag" not in magdeburg
    assert english != wernigerode
    assert 'value="abcd1234"' in with_code and 'value="abcd1234"' not in wernigerode
    assert len(_EMPTY_FORMS) == 4


@pytest.mark.django_db
def test_a_form_with_errors_is_never_taken_from_the_cache(client, election):
    client.get("/harz/wernigerode/")

    response = client.post("/harz/wernigerode/", {"first_names": "Erika"})

    assert response.status_code == 200
    assert 'value="Erika"' in response.content.decode()
    assert "form_html" not in response.context or not response.context["form_html"]
