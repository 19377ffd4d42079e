"""The search box is in the first screen of a small phone (issue 11)."""

import pytest

PHONE = {"width": 360, "height": 640}


@pytest.mark.django_db(transaction=True)
def test_home_search_box_and_button_visible_without_scrolling_on_360px_phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")

    field = page.get_by_label("Wo wohnst du?").bounding_box()
    button = page.get_by_role("button", name="Suchen").bounding_box()
    assert field["y"] >= 0
    assert field["y"] + field["height"] <= PHONE["height"]
    assert button["y"] + button["height"] <= PHONE["height"]
