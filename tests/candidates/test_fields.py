"""The declaration of an application's fields (candidates.fields), and what derives from it:
every model field is declared once, and the public form and the admin show each declared
field where the declaration puts it."""

import collections
import re

import pytest
from crispy_forms.utils import render_crispy_form
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from candidates.admin.application import COMPUTED_FIELDS, SECTION_EXTRAS, WORKFLOW_FIELDS
from candidates.fields import (
    APPLICANT_SECTIONS,
    BODY_FIELD_NAMES,
    SET_BY_THE_SYSTEM,
    SUPPORT_FIELDS,
    SUPPORT_WISHES,
    Source,
    applicant_fields,
    form_fields,
)
from candidates.forms import ApplicationForm
from candidates.models import Application, Body
from districts.models import Municipality
from tests.factories import get_municipality, login_staff, make_application

CONCRETE_FIELDS = {field.name for field in Application._meta.concrete_fields}


def test_every_application_field_is_declared_in_a_section_or_as_set_by_the_system():
    declared = [field.name for field in applicant_fields()]

    undeclared = sorted(CONCRETE_FIELDS - set(declared) - set(SET_BY_THE_SYSTEM))
    assert not undeclared, (
        f"Application fields declared nowhere: {undeclared}. Add each to its section in "
        "candidates.fields.APPLICANT_SECTIONS if the applicant gives it (the public form and "
        "the admin take their fields from there), or to candidates.fields.SET_BY_THE_SYSTEM "
        "if services or the database set it."
    )
    twice = sorted(name for name, count in collections.Counter(declared).items() if count > 1)
    assert not twice, f"declared in more than one section of candidates.fields: {twice}"
    both = sorted(set(declared) & set(SET_BY_THE_SYSTEM))
    assert not both, f"declared in a section and as set by the system: {both}"
    unknown = sorted((set(declared) | set(SET_BY_THE_SYSTEM)) - CONCRETE_FIELDS)
    assert not unknown, f"candidates.fields declares fields Application lacks: {unknown}"


def test_section_keys_are_unique_and_no_section_is_empty():
    keys = [section.key for section in APPLICANT_SECTIONS]

    assert len(keys) == len(set(keys))
    assert all(section.fields for section in APPLICANT_SECTIONS)


def test_ticked_fields_are_exactly_the_bodies_and_support_wishes_and_are_flags():
    ticked = {field.name for field in applicant_fields() if field.source is Source.TICKED}

    assert ticked == {*BODY_FIELD_NAMES.values(), *SUPPORT_FIELDS.values()}
    assert set(BODY_FIELD_NAMES) == set(Body.values)
    for name in ticked:
        field = Application._meta.get_field(name)
        assert isinstance(field, models.BooleanField), name
        assert field.default is False, name


def test_support_wishes_have_one_key_and_one_field_each():
    keys = [wish.key for wish in SUPPORT_WISHES]
    fields = [wish.field for wish in SUPPORT_WISHES]

    assert len(keys) == len(set(keys))
    assert len(fields) == len(set(fields))


# --- the public form -------------------------------------------------------------------


def municipality_without_local_council():
    return Municipality.objects.exclude(verbandsgemeinde="").order_by("ags").first()


def test_public_form_fields_are_the_typed_fields():
    assert ApplicationForm._meta.fields == form_fields()
    assert set(form_fields()) <= CONCRETE_FIELDS


def test_public_form_labels_help_texts_and_widgets_name_only_its_fields():
    # Django ignores a key that names no field of the form: a renamed field would silently
    # lose its wording.
    meta = ApplicationForm._meta
    for option in ("labels", "help_texts", "widgets"):
        stale = sorted(set(getattr(meta, option)) - set(meta.fields))
        assert not stale, f"ApplicationForm.Meta.{option} names fields it does not have: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("place", ["wernigerode", "verbandsgemeinde member"])
def test_layout_renders_every_field_of_the_form_exactly_once(election, place):
    municipality = (
        get_municipality() if place == "wernigerode" else municipality_without_local_council()
    )
    form = ApplicationForm(municipality=municipality, election=election)

    in_layout = [pointer.name for pointer in form.helper.layout.get_field_names()]
    twice = sorted(name for name, count in collections.Counter(in_layout).items() if count > 1)
    assert not twice, f"ApplicationForm._build_helper places these fields twice: {twice}"
    missing = [name for name in form.fields if name not in in_layout]
    assert not missing, (
        f"ApplicationForm._build_helper does not place {missing}: crispy-forms would leave "
        "them off the page. Give each its place in the layout."
    )
    assert sorted(in_layout) == sorted(form.fields)
    page = render_crispy_form(form)
    for name in form.fields:
        assert re.search(rf'name="{name}"', page), name
    # Wernigerode has Ortschaften; a member of a Verbandsgemeinde does not (bodies_for).
    assert ("local_council_name" in form.fields) == (place == "wernigerode")


@pytest.mark.django_db
def test_form_lists_errors_in_the_order_of_the_page(election, wernigerode):
    form = ApplicationForm(data={}, municipality=wernigerode, election=election)
    form.is_valid()

    in_layout = [pointer.name for pointer in form.helper.layout.get_field_names()]
    answers = [name for name in form.fields if name in form_fields()]
    assert answers == [name for name in in_layout if name in form_fields()]


# --- the admin -------------------------------------------------------------------------


def fieldset_names(fieldsets):
    names = []
    for _title, options in fieldsets:
        for row in options["fields"]:
            names.extend(row if isinstance(row, list | tuple) else [row])
    return names


@pytest.mark.django_db
def test_admin_change_page_shows_every_declared_field_once_in_its_section(admin_user, election):
    application = make_application()
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site._registry[Application]

    fieldsets = model_admin.get_fieldsets(request, application)

    names = fieldset_names(fieldsets)
    assert len(names) == len(set(names))
    declared = [field.name for field in applicant_fields()]
    assert [name for name in names if name in declared] == declared
    assert set(names) - set(declared) <= {*COMPUTED_FIELDS, *WORKFLOW_FIELDS}
    titles = [str(title) for title, _options in fieldsets[1:]]
    assert titles == [
        str(SECTION_EXTRAS.get(section.key, {}).get("title", section.title))
        for section in APPLICANT_SECTIONS
    ]
    for section, (_title, options) in zip(APPLICANT_SECTIONS, fieldsets[1:], strict=True):
        assert set(section.names) <= set(fieldset_names([(None, options)])), section.key


def test_admin_section_extras_name_sections_and_read_only_values():
    keys = {section.key for section in APPLICANT_SECTIONS}

    assert set(SECTION_EXTRAS) <= keys
    for extras in SECTION_EXTRAS.values():
        assert {*extras.get("before", []), *extras.get("after", [])} <= set(COMPUTED_FIELDS)


@pytest.mark.django_db
def test_district_team_edits_only_what_the_declaration_lets_teams_edit(
    client, harz_chair, election
):
    application = make_application()
    login_staff(client, harz_chair)

    response = client.get(reverse("admin:candidates_application_change", args=[application.pk]))

    editable = set(response.context["adminform"].form.fields)
    # District teams have CORRECT_APPLICATIONS: they correct particulars, contact and
    # eligibility answers too, never the person's own words or self-description.
    assert editable & CONCRETE_FIELDS == {
        field.name for field in applicant_fields() if field.teams_may_edit or field.correctable
    }
    assert not editable & {"motivation", "gender", "migration_history", "email"}


@pytest.mark.django_db
def test_superuser_edits_every_declared_field(client, admin_user, election):
    application = make_application()
    login_staff(client, admin_user)

    response = client.get(reverse("admin:candidates_application_change", args=[application.pk]))

    editable = set(response.context["adminform"].form.fields)
    assert editable & CONCRETE_FIELDS == {field.name for field in applicant_fields()}


@pytest.mark.django_db
@pytest.mark.parametrize("wish", SUPPORT_WISHES, ids=lambda wish: wish.key)
def test_support_filter_finds_who_asked_for_each_wish(client, admin_user, election, wish):
    asked = make_application(**{wish.field: True})
    make_application()
    login_staff(client, admin_user)

    response = client.get(
        reverse("admin:candidates_application_changelist"), {"unterstuetzung": wish.key}
    )

    assert [row.pk for row in response.context["cl"].result_list] == [asked.pk]
    assert str(wish.short_label) in response.content.decode()


# --- test data -------------------------------------------------------------------------


@pytest.mark.django_db
def test_make_application_gives_every_field_a_valid_value(election):
    application = make_application()

    # A new required field without a value in tests/factories.make_application fails here.
    application.full_clean()
