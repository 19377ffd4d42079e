import pytest

from tests.factories import get_municipality, make_election, make_staff_user


@pytest.fixture
def election(db):
    """An election that is open for applications today."""
    return make_election()


@pytest.fixture
def wernigerode(db):
    return get_municipality("harz", "wernigerode")


@pytest.fixture
def harz_chair(db):
    return make_staff_user("chair@harz.example.org", districts=["harz"])


@pytest.fixture
def magdeburg_chair(db):
    return make_staff_user("chair@magdeburg.example.org", districts=["magdeburg"])


@pytest.fixture
def state_office_user(db):
    return make_staff_user("lgs@example.org", state_office=True)


@pytest.fixture
def staff_without_district(db):
    return make_staff_user("nobody@example.org")
