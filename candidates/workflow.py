"""The application workflow: which status may follow which, and who may be
Ansprechperson. Writes are in candidates.services; the history as one timeline is
candidates.selectors.application_history.

Decisions (see also DESIGN.md "Roles and scoping"):
- "unbestätigt" → "Neu" happens only when the applicant confirms their e-mail address
  (services.confirm_application), never by hand.
- "Nominiert", "Nicht berücksichtigt" and "Zurückgezogen" end the workflow for district
  teams; a nominated person may still withdraw. Only the state office may reopen an
  ended application, and only to "In Kontakt": a mistaken decision can be undone, but a
  district's nomination list does not change under the state office's feet unnoticed,
  and every reopening is in the history with who and when.
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import REOPEN_APPLICATIONS
from candidates.models import Application
from districts.selectors import staff_working_for

Status = Application.Status

# The one definition of the workflow: status → statuses that may follow it.
TRANSITIONS = {
    Status.UNCONFIRMED: set(),
    Status.NEW: {Status.CONTACTED, Status.INTERVIEW, Status.NOT_CONSIDERED, Status.WITHDRAWN},
    Status.CONTACTED: {
        Status.INTERVIEW,
        Status.NOMINATED,
        Status.NOT_CONSIDERED,
        Status.WITHDRAWN,
    },
    Status.INTERVIEW: {
        Status.CONTACTED,
        Status.NOMINATED,
        Status.NOT_CONSIDERED,
        Status.WITHDRAWN,
    },
    Status.NOMINATED: {Status.WITHDRAWN},
    Status.NOT_CONSIDERED: set(),
    Status.WITHDRAWN: set(),
}
# Additionally allowed to the state office (and superusers): reopening.
STATE_OFFICE_TRANSITIONS = {
    Status.NOMINATED: {Status.CONTACTED},
    Status.NOT_CONSIDERED: {Status.CONTACTED},
    Status.WITHDRAWN: {Status.CONTACTED},
}


def allowed_transitions(status, user=None):
    """The statuses `user` may move an application in `status` to, in workflow order.
    `user=None` is the system or the applicant."""
    allowed = set(TRANSITIONS[status])
    if user is not None and user.has_perm(REOPEN_APPLICATIONS):
        allowed |= STATE_OFFICE_TRANSITIONS.get(status, set())
    return [choice for choice in Status if choice in allowed]


def transition_error(from_status, to_status):
    return _("Eine Bewerbung mit Status „%(from)s“ kann nicht auf „%(to)s“ gesetzt werden.") % {
        "from": Status(from_status).label,
        "to": Status(to_status).label,
    }


# --- Ansprechperson --------------------------------------------------------------------


def assignable_users(districts):
    """Who may be Ansprechperson for applications in all of `districts` (District
    instances or pks): active staff who are in the team of every one of them, and those
    who see every district (the state office). The rule per district is
    districts.selectors.staff_working_for."""
    return staff_working_for(districts, in_every=True).order_by("first_name", "last_name", "email")


def is_assignable(user, district_id):
    """Whether `user` may be Ansprechperson for an application in this district."""
    return assignable_users([district_id]).filter(pk=user.pk).exists()
