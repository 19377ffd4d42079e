"""The self-description (gender, migration history) is for aggregate statistics only: no
district team and not the state office sees one person's answers in the application
admin, filters, searches or sorts people by them, or changes them; superusers (the
portal's operators) do. The public form and the privacy draft say so, and databases
still showing an older privacy draft get the new one as a new version."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from candidates.legal_drafts import (
    DRAFT_VERSION,
    PRIVACY,
    PRIVACY_SELF_DESCRIPTION_VERSION,
    publish_changed_draft,
)
from candidates.models import Application, DetailChange, LegalDocument
from reports.models import ExportRecord
from tests.candidates.test_admin import change_form_data
from tests.factories import (
    APPLY_URL,
    change_page_post,
    login_staff,
    make_application,
    make_election,
)

CHANGELIST = reverse("admin:candidates_application_changelist")
EXPORT = reverse("admin:candidates_application_export")
DIVERSE = Application.Gender.DIVERSE
# What would give one person's answers away on a page.
SELF_DESCRIPTION_TEXTS = [
    "Selbstauskunft",
    "Geschlecht",
    "Migrationsgeschichte",
    "divers / nicht-binär",
    'name="gender"',
    'name="migration_history"',
    "field-gender",
    "field-migration_history",
]
ROLES = ["harz_chair", "state_office_user"]


def change_url(application):
    return reverse("admin:candidates_application_change", args=[application.pk])


@pytest.fixture
def staff(request):
    """The district chair of Harz or the state office, by fixture name."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def described(election):
    """An application in Harz with both answers given."""
    return make_application(
        last_name="Selbst", gender=DIVERSE, migration_history=Application.MigrationHistory.YES
    )


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser("op", "op@example.org", "x" * 16)


# --- the change page ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("staff", ROLES, indirect=True)
def test_change_page_shows_staff_no_self_description(client, staff, described):
    response = login_staff(client, staff).get(change_url(described))

    html = response.content.decode()
    assert response.status_code == 200
    assert [text for text in SELF_DESCRIPTION_TEXTS if text in html] == []
    assert not {"gender", "migration_history"} & set(response.context["adminform"].form.fields)


@pytest.mark.django_db
def test_change_page_shows_superuser_the_self_description(client, operator, described):
    response = login_staff(client, operator).get(change_url(described))

    html = response.content.decode()
    assert [text for text in SELF_DESCRIPTION_TEXTS if text not in html] == []
    assert '<option value="diverse" selected>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("staff", ROLES, indirect=True)
def test_crafted_post_does_not_change_the_self_description(client, staff, described):
    data = change_page_post(described, gender="man", migration_history="no", occupation="Koch")

    response = login_staff(client, staff).post(change_url(described), data)

    assert response.status_code == 302
    described.refresh_from_db()
    assert (described.occupation, described.gender, described.migration_history) == (
        "Koch",
        DIVERSE,
        Application.MigrationHistory.YES,
    )
    assert [change.fields for change in DetailChange.objects.filter(application=described)] == [
        ["occupation"]
    ]


@pytest.mark.django_db
def test_superuser_still_corrects_the_self_description(client, operator, described):
    data = change_form_data(described, gender="man", migration_history="no")

    response = login_staff(client, operator).post(change_url(described), data)

    assert response.status_code == 302
    described.refresh_from_db()
    assert (described.gender, described.migration_history) == ("man", "no")


# --- the list: filters, lookups, ordering, search ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("staff", [*ROLES, "operator"], indirect=True)
def test_changelist_offers_no_self_description_filter(client, staff, described):
    response = login_staff(client, staff).get(CHANGELIST)

    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert not {"Geschlecht", "Migrationsgeschichte"} & set(titles)
    html = response.content.decode()
    assert [text for text in SELF_DESCRIPTION_TEXTS if text in html] == []


CRAFTED_LOOKUPS = [
    {"gender": "diverse"},
    {"gender__exact": "diverse"},
    {"gender__in": "diverse"},
    {"gender__iexact": "DIVERSE"},
    {"gender__startswith": "d"},
    {"gender__isnull": "False"},
    {"migration_history": "yes"},
    {"migration_history__exact": "yes"},
    {"migration_history__in": "yes,no"},
    {"_to_field": "gender", "_popup": "1"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("staff", ROLES, indirect=True)
@pytest.mark.parametrize("params", CRAFTED_LOOKUPS)
def test_crafted_lookup_is_refused(client, staff, described, params):
    make_application(last_name="Anders", gender=Application.Gender.MAN)

    response = login_staff(client, staff).get(CHANGELIST, params)

    assert response.status_code == 400
    assert "cl" not in (response.context or {})


@pytest.mark.django_db
@pytest.mark.parametrize("staff", ROLES, indirect=True)
def test_crafted_lookup_on_the_export_is_refused(client, staff, described):
    response = login_staff(client, staff).get(EXPORT, {"gender": "diverse", "format": "csv"})

    assert response.status_code == 400
    assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_superuser_may_still_look_up_the_self_description(client, operator, described):
    make_application(last_name="Anders", gender=Application.Gender.MAN)

    response = login_staff(client, operator).get(CHANGELIST, {"gender": "diverse"})

    assert list(response.context["cl"].result_list) == [described]


@pytest.mark.django_db
@pytest.mark.parametrize("staff", ROLES, indirect=True)
@pytest.mark.parametrize(
    "order", ["gender", "-gender", "migration_history", "-migration_history", "99"]
)
def test_ordering_by_self_description_is_ignored(client, staff, election, order):
    # Neither answer sorts them as the list does by default or by name.
    make_application(last_name="Arnold", gender=Application.Gender.MAN, migration_history="no")
    make_application(last_name="Berger", gender=Application.Gender.WOMAN, migration_history="")
    make_application(last_name="Conrad", gender=DIVERSE, migration_history="yes")
    login_staff(client, staff)
    unordered = client.get(CHANGELIST)

    response = client.get(CHANGELIST, {"o": order})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(unordered.context["cl"].result_list)


@pytest.mark.django_db
@pytest.mark.parametrize("staff", ROLES, indirect=True)
@pytest.mark.parametrize("term", ["diverse", "divers", "nicht-binär", "woman", "yes"])
def test_search_does_not_match_the_self_description(client, staff, described, term):
    response = login_staff(client, staff).get(CHANGELIST, {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/districts/municipality/?applications__gender=diverse",
        "/verwaltung/districts/district/?municipalities__applications__gender=diverse",
        "/verwaltung/lists/candidatelist/?places__application__gender=diverse",
    ],
)
def test_lookups_from_other_lists_into_the_self_description_are_refused(
    client, harz_chair, described, url
):
    response = login_staff(client, harz_chair).get(url)

    assert response.status_code == 400


# --- what the applicant is told ------------------------------------------------------------

FORM_WORDING = [
    "Deine einzelnen Antworten sehen nur die technischen Administrator:innen, die das "
    "Portal betreiben.",
    "Die Kreisverbände und die Landesgeschäftsstelle sehen nur zusammengefasste Zahlen, in "
    "denen Gruppen unter 5 Personen nicht gezeigt werden.",
    "Die Antworten stehen in keinem Export",
]


@pytest.mark.django_db
def test_form_says_who_sees_the_self_description(client):
    make_election()

    html = client.get(APPLY_URL).content.decode()

    assert [text for text in FORM_WORDING if text not in html] == []
    assert "Diese Angaben werten wir nur zusammengefasst aus" not in html


def test_privacy_draft_says_who_sees_the_self_description():
    assert (
        "Ausgenommen sind deine freiwilligen Angaben zu Geschlecht und Migrationsgeschichte: "
        "Deine einzelnen Antworten sehen nur die technischen Administrator:innen, die das "
        "Portal betreiben. Die Kreisverbände und die Landesgeschäftsstelle sehen nur "
        "zusammengefasste Zahlen, in denen Gruppen unter 5 Personen nicht gezeigt werden. "
        "Diese Angaben stehen in keinem Export."
    ) in PRIVACY


@pytest.mark.django_db
def test_new_database_shows_the_current_privacy_draft(client):
    current = LegalDocument.current(LegalDocument.Kind.PRIVACY)

    assert (current.version, current.text) == (DRAFT_VERSION, PRIVACY)
    assert "Gruppen unter 5 Personen" in client.get("/datenschutz/").content.decode()


@pytest.mark.django_db
def test_older_draft_gets_the_new_text_as_a_new_version():
    """A database loaded before the draft changed: the consent's version keeps its text."""
    LegalDocument.objects.filter(kind="privacy").update(text="Älterer Entwurf.")
    make_application(consent_version=DRAFT_VERSION)

    added = publish_changed_draft(
        LegalDocument, "privacy", version=PRIVACY_SELF_DESCRIPTION_VERSION
    )
    again = publish_changed_draft(
        LegalDocument, "privacy", version=PRIVACY_SELF_DESCRIPTION_VERSION
    )

    current = LegalDocument.current(LegalDocument.Kind.PRIVACY)
    assert (current.pk, current.version, current.text) == (
        added.pk,
        PRIVACY_SELF_DESCRIPTION_VERSION,
        PRIVACY,
    )
    assert again is None
    assert list(
        LegalDocument.objects.filter(kind="privacy").order_by("pk").values_list("version", "text")
    ) == [(DRAFT_VERSION, "Älterer Entwurf."), (PRIVACY_SELF_DESCRIPTION_VERSION, PRIVACY)]


@pytest.mark.django_db
def test_operators_own_privacy_text_is_left_alone():
    own = LegalDocument.objects.create(
        kind=LegalDocument.Kind.PRIVACY, version="2026-11-25", text="Geprüfte Fassung."
    )

    assert publish_changed_draft(LegalDocument, "privacy", version="entwurf-x") is None
    assert LegalDocument.current(LegalDocument.Kind.PRIVACY) == own


@pytest.mark.django_db
def test_current_draft_is_not_published_twice():
    before = list(LegalDocument.objects.values_list("pk", flat=True))

    assert publish_changed_draft(LegalDocument, "privacy", version="entwurf-x") is None
    assert list(LegalDocument.objects.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("staff", ROLES, indirect=True)
def test_history_does_not_say_that_the_self_description_changed(client, staff, described):
    # That an answer changed, and when, would help tell what it is (for example beside
    # a figure on the statistics page that moved the same day).
    DetailChange.objects.create(application=described, fields=["gender"])
    DetailChange.objects.create(application=described, fields=["migration_history", "phone"])

    response = login_staff(client, staff).get(change_url(described))

    assert [entry.title for entry in response.context["application_history"]] == [
        "Von der Person selbst geändert: Telefon"
    ]


def test_history_names_the_self_description_to_superusers(client, operator, described):
    DetailChange.objects.create(application=described, fields=["gender"])

    response = login_staff(client, operator).get(change_url(described))

    assert [entry.title for entry in response.context["application_history"]] == [
        "Von der Person selbst geändert: Geschlecht"
    ]
