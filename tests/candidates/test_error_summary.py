"""The error summary above the application form: every link points at an element of the
page, for radio and checkbox groups (a fieldset without an element of the field's id) at
the group's first input, so the links move focus even without JavaScript."""

import re

import pytest

from tests.factories import APPLY_URL, valid_data

SUMMARY = re.compile(r'<div[^>]*id="error-summary".*?</div>', re.DOTALL)


def summary_links(html):
    return re.findall(r'<a href="#([^"]*)">', SUMMARY.search(html).group(0))


@pytest.mark.django_db
def test_summary_links_point_at_first_input_of_radio_and_checkbox_groups(client, election):
    data = valid_data(
        citizenship="mars",
        membership="=1+1",
        bodies=["nonsense"],
        support=["nonsense"],
        privacy_consent=None,
    )

    html = client.post(APPLY_URL, data).content.decode()

    assert summary_links(html) == [
        "id_citizenship_0",
        "id_membership_0",
        "id_bodies_0",
        "id_support_0",
        "id_privacy_consent",
    ]
    assert 'id="id_citizenship"' not in html  # the group itself has no such element
    for target in summary_links(html):
        assert len(re.findall(rf'<input [^>]*id="{target}"', html)) == 1, target


@pytest.mark.django_db
def test_summary_links_of_text_fields_point_at_the_input(client, election):
    html = client.post(APPLY_URL, valid_data(first_names="", postal_code="388")).content.decode()

    assert summary_links(html) == ["id_first_names", "id_postal_code"]
    assert '<input type="text" name="first_names"' in html
    assert 'id="id_postal_code"' in html
