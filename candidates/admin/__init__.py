"""The admin of the candidates app, one module per concern: `application` (the
application admin), `forms`, `filters` and `actions` (its parts), `reference` (elections
and legal texts). Django's autodiscover imports this package; importing the modules here
registers their admins."""

from candidates.admin import application, reference  # noqa: F401
