"""What an application asks, declared once: the applicant's fields in their sections, the
bodies and the support wishes. The public form (ApplicationForm.Meta.fields, the support
choices), the admin (its fieldsets, the fields only superusers may edit, the support
filter) and the tests derive from here; tests/candidates/test_fields.py fails for a model
field that is declared neither here nor in SET_BY_THE_SYSTEM.

Adding a field the applicant fills in: the model field and its migration, one line in its
section here, and, if the public form shows it, its place in the form's layout
(ApplicationForm._build_helper; a test says if it is missing). Adding a support wish: the
model field and its migration, and one SupportWish below.

This module imports nothing of the app, so candidates.models can import it.
"""

import enum
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Source(enum.Enum):
    """How a field's value reaches a new application."""

    # The applicant answers it in a field of the public form (ApplicationForm.Meta.fields).
    TYPED = "typed"
    # One of the form's multiple choices sets it: "bodies" (BODY_FIELD_NAMES) or "support"
    # (SUPPORT_WISHES).
    TICKED = "ticked"
    # The page the form is on: its election and municipality.
    PAGE = "page"


@dataclass(frozen=True)
class Field:
    name: str  # the Application field
    source: Source = Source.TYPED
    # District teams may change it in the admin; everything else the applicant gave is
    # read-only there except for superusers (admin.application.PERSONAL_FIELDS).
    teams_may_edit: bool = False
    # Staff with the named permission CORRECT_APPLICATIONS (accounts.roles) may correct
    # it in the admin: the particulars a list needs, contact and eligibility answers —
    # never the person's own words, self-description or declarations.
    correctable: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # the admin's fieldset title
    fields: tuple[Field, ...]

    @property
    def names(self):
        return [field.name for field in self.fields]


@dataclass(frozen=True)
class SupportWish:
    key: str  # the value of the form's "support" choice and of the admin filter's parameter
    field: str  # the Application field that records it
    label: str  # the choice on the public form (addresses the applicant)
    short_label: str  # the admin's list filter


# The Application field that records each body, by the value of candidates.models.Body.
BODY_FIELD_NAMES = {
    "council": "stands_for_council",
    "vg_council": "stands_for_verbandsgemeinde_council",
    "district_council": "stands_for_district_council",
    "local_council": "stands_for_local_council",
}

SUPPORT_WISHES = (
    SupportWish(
        "training",
        "wants_training",
        _("Schulungen und Workshops (z. B. Kommunalrecht, Haushalt, Reden halten)"),
        _("Schulungen und Workshops"),
    ),
    SupportWish(
        "mentoring",
        "wants_mentoring",
        _("Mentoring durch erfahrene Kommunalpolitiker:innen"),
        _("Mentoring"),
    ),
    SupportWish(
        "compatibility",
        "wants_compatibility_help",
        _("Hilfe, Familie, Beruf und Mandat unter einen Hut zu bringen"),
        _("Vereinbarkeit von Familie, Beruf, Mandat"),
    ),
    SupportWish(
        "youth_event",
        "wants_youth_event",
        _("Einladung zum Treffen junger Kandidat:innen"),
        _("Treffen junger Kandidat:innen"),
    ),
)
# Support-wish key → Application field.
SUPPORT_FIELDS = {wish.key: wish.field for wish in SUPPORT_WISHES}


def typed(*names):
    return tuple(Field(name) for name in names)


def correctable(*names):
    return tuple(Field(name, correctable=True) for name in names)


def ticked(*names):
    return tuple(Field(name, Source.TICKED) for name in names)


# What the applicant gives, in the order the admin's change page shows it. (The public
# form has its own order and wording: ApplicationForm._build_helper.)
APPLICANT_SECTIONS = (
    Section(
        "person",
        _("Person"),
        (
            Field("election", Source.PAGE),
            # District teams move an application to another municipality of their own.
            Field("municipality", Source.PAGE, teams_may_edit=True),
            *correctable("first_names", "last_name", "date_of_birth", "occupation"),
            *typed("email"),
            *correctable("phone"),
        ),
    ),
    Section(
        "residence", _("Hauptwohnung"), correctable("street", "postal_code", "town", "ortsteil")
    ),
    Section(
        "eligibility",
        _("Wählbarkeit"),
        correctable(
            "citizenship",
            "resident_since",
            "membership",
            "member_of_other_party",
            "works_for_local_authority",
        ),
    ),
    Section(
        "bodies",
        _("Gremien"),
        (*ticked(*BODY_FIELD_NAMES.values()), *typed("local_council_name")),
    ),
    Section("motivation", _("Motivation"), typed("motivation", "topics")),
    Section("support", _("Unterstützung"), ticked(*SUPPORT_FIELDS.values())),
    Section("self_description", _("Selbstauskunft"), typed("gender", "migration_history")),
    Section("declarations", _("Erklärungen"), typed("accepts_expectations")),
)

# The voluntary self-description: seen, filtered and edited per person only by superusers
# (candidates.models.sees_self_description); everyone else gets aggregates only.
SELF_DESCRIPTION_FIELDS = frozenset(
    next(section for section in APPLICANT_SECTIONS if section.key == "self_description").names
)

# The Application fields nobody types: who sets each. The admin shows some of them
# read-only (admin.application.COMPUTED_FIELDS).
SET_BY_THE_SYSTEM = {
    "id": "the database",
    "ineligibility_reasons": "Application.check_eligibility",
    "is_eligible": "Application.check_eligibility",
    "consent_version": "services.submit_application",
    "language": "views.ApplyView.form_valid (the page's language)",
    "consent_given_at": "services.submit_application",
    "status": "services (submit_application, confirm_application, change_status)",
    "assignee": "services.assign (and update_application)",
    "entered_by": "lists.services.add_person_directly",
    "source": "views.ApplyView (the link's ?quelle=, campaigns.models.source_for)",
    "confirmed_at": "services.confirm_application",
    "created_at": "the database (auto_now_add)",
    "updated_at": "the database (auto_now)",
}


def applicant_fields():
    """Every declared field of the applicant's, in section order."""
    return [field for section in APPLICANT_SECTIONS for field in section.fields]


def form_fields():
    """The fields of the public form that are model fields (ApplicationForm.Meta.fields)."""
    return [field.name for field in applicant_fields() if field.source is Source.TYPED]
