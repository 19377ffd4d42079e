import pytest
from django_scopes import scopes_disabled

from tests.factories import (
    MAGDEBURG_NAME,
    get_municipality,
    login_staff,
    make_application,
    make_election,
    make_staff_user,
)


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


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in with the second factor as staff must be."""
    return login_staff(client, admin_user)


@pytest.fixture
def magdeburg_application(election):
    """A confirmed application in Magdeburg whose last name, MAGDEBURG_NAME, no one outside
    Magdeburg's team and the state office may ever be shown."""
    return make_application(
        last_name=MAGDEBURG_NAME, municipality=get_municipality("magdeburg", "magdeburg")
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, plus: before PostgreSQL is asked to drop them, end
    any connection the browser tests left behind. Otherwise the drop sometimes fails with
    "database … is being accessed by other users" (a warning, and a test database left
    over). Which code path leaves the connection idle was not found; its last statement
    is one the e2e tests run."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connection.close()
