"""Review of issue 12 (b9c4b26..HEAD): reproductions of what was found.

The thank-you link is now a Fernet token carrying the municipality and the eligibility
findings. Fernet encrypts but does not hide the length: the plaintext is padded to 16-byte
AES blocks only, so the token's length in the URL (access logs of the proxy and the app,
browser history on a shared computer, anything that records URLs) tells how many and
which eligibility reasons the applicant typed themselves into, e.g. "member of another
party" (Art. 9: political opinion) or "not an EU citizen". The link that the module
calls "readable by nobody who sees the URL in a log" must have one length for every
answer (as the random cache key before it had).
"""

import re
from types import SimpleNamespace

import pytest
from django.test import Client

from candidates import tokens

APPLY_URL = "/harz/wernigerode/"
THANKS = re.compile(r"^/bewerbung/danke/([A-Za-z0-9_-]+)/$")


def thanks_token(data):
    response = Client().post(APPLY_URL, data)
    assert response.status_code == 302, response.status_code
    return THANKS.match(response["Location"]).group(1)


@pytest.mark.django_db
def test_thanks_link_length_does_not_reveal_the_eligibility_answers(election):
    from tests.factories import valid_data

    eligible = thanks_token(valid_data(email="eins@example.org"))
    other_party_non_eu = thanks_token(
        valid_data(
            email="zwei@example.org",
            citizenship="other",
            member_of_other_party="on",
            works_for_local_authority="on",
        )
    )

    assert tokens.load_thanks_page(other_party_non_eu)["reasons"] == [
        "citizenship",
        "other_party",
    ]
    assert len(eligible) == len(other_party_non_eu), (len(eligible), len(other_party_non_eu))


def test_every_thanks_payload_gives_a_token_of_one_length():
    reasons = ["too_young", "citizenship", "residence", "other_party"]
    lengths = {
        len(
            tokens.store_thanks_page(
                SimpleNamespace(
                    municipality_id=municipality_id,
                    ineligibility_reasons=reasons[:count],
                    works_for_local_authority=works,
                )
            )
        )
        for municipality_id in (1, 218, 99999)
        for count in range(len(reasons) + 1)
        for works in (False, True)
    }

    assert len(lengths) == 1, sorted(lengths)


def test_the_longest_possible_payload_fits_the_fixed_length():
    """Every reason the eligibility rules know, and a municipality id far beyond 218: a new
    reason that no longer fits fails here, not as a 500 after a submission."""
    from candidates.eligibility import REASONS

    longest = SimpleNamespace(
        municipality_id=10**12 - 1,
        ineligibility_reasons=list(REASONS),
        works_for_local_authority=True,
    )
    shortest = SimpleNamespace(
        municipality_id=1, ineligibility_reasons=[], works_for_local_authority=False
    )

    assert len(tokens.store_thanks_page(longest)) == len(tokens.store_thanks_page(shortest))
