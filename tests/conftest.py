import pytest

from tests.factories import get_municipality, make_election


@pytest.fixture
def election(db):
    """An election that is open for applications today."""
    return make_election()


@pytest.fixture
def wernigerode(db):
    return get_municipality("harz", "wernigerode")
