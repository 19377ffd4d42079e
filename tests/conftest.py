import pytest
from django_scopes import scopes_disabled

from tests.factories import get_municipality, make_election, make_staff_user


@pytest.fixture(autouse=True)
def _scopes_disabled_in_test_code():
    """Test code reads and writes across districts (django-scopes would raise otherwise).
    Requests made through the test client still run in the scope that
    portal.scoping.DistrictScopeMiddleware opens: an inner `scope()` wins over an outer
    `scopes_disabled()` (tests/candidates/test_scoping.py proves it)."""
    with scopes_disabled():
        yield


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
