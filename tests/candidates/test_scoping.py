"""District scoping in every admin surface, role by role.

Two sentinel applications share the first name "Zenobia": "Harzsentinel" in Wernigerode
(Harz) and "Leckmichnicht" in Magdeburg. Every surface is asked for both; a name may only
appear for a role that may see it.
"""

import datetime
import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import ScopeError, scope, scopes_disabled

from candidates.models import Application, Assignment, Note, StatusChange
from districts.models import DistrictMembership
from tests.factories import (
    change_page_post,
    get_district,
    get_municipality,
    login_staff,
    make_application,
    make_staff_user,
)

HARZ_NAME = "Harzsentinel"
MAGDEBURG_NAME = "Leckmichnicht"
SENTINELS = {HARZ_NAME, MAGDEBURG_NAME}
ROLES = [
    "harz_chair",
    "magdeburg_chair",
    "state_office_user",
    "staff_without_district",
    "anonymous",
]

CHANGELIST = reverse("admin:candidates_application_changelist")
ADMIN_INDEX = reverse("admin:index")
LOGIN_PREFIX = reverse("admin:login")


@pytest.fixture
def sentinels(election):
    """The Harz and the Magdeburg application, received in different years (for the date
    hierarchy), each assigned to someone of its district's team."""
    harz_colleague = make_staff_user(
        "kollegin@harz.example.org",
        districts=["harz"],
        first_name="Hanna",
        last_name="Harzkollegin",
    )
    magdeburg_colleague = make_staff_user(
        "kollege@magdeburg.example.org",
        districts=["magdeburg"],
        first_name="Moritz",
        last_name="Elbkollege",
    )
    harz = make_application(first_names="Zenobia", last_name=HARZ_NAME, assignee=harz_colleague)
    magdeburg = make_application(
        first_names="Zenobia",
        last_name=MAGDEBURG_NAME,
        municipality=get_municipality("magdeburg", "magdeburg"),
        assignee=magdeburg_colleague,
    )
    Application.objects.filter(pk=harz.pk).update(
        created_at=datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)
    )
    Application.objects.filter(pk=magdeburg.pk).update(
        created_at=datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    )
    harz.refresh_from_db()
    magdeburg.refresh_from_db()
    return {HARZ_NAME: harz, MAGDEBURG_NAME: magdeburg}


def client_as(role, request, client):
    if role == "anonymous":
        return client
    return login_staff(client, request.getfixturevalue(role))


def shown_sentinels(response):
    body = response.content.decode()
    return {name for name in SENTINELS if name in body}


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_PREFIX)


# What each role may see of the two sentinels wherever a list of applications appears.
VISIBLE = {
    "harz_chair": {HARZ_NAME},
    "magdeburg_chair": {MAGDEBURG_NAME},
    "state_office_user": {HARZ_NAME, MAGDEBURG_NAME},
}


# --- The safety net itself ------------------------------------------------------------


@pytest.mark.django_db
def test_scoped_manager_outside_any_scope_raises(sentinels):
    with scope(), pytest.raises(ScopeError):
        list(Application.objects.all())


@pytest.mark.django_db
def test_scoped_manager_with_empty_district_list_returns_nothing(sentinels):
    with scope(district=[]):
        assert list(Application.objects.all()) == []


@pytest.mark.django_db
def test_scope_inside_scopes_disabled_wins(sentinels):
    """The conftest runs tests under scopes_disabled(); the middleware's scope() nests
    inside it and must still filter."""
    harz = get_district("harz")
    with scopes_disabled(), scope(district=[harz.pk]):
        assert list(Application.objects.all()) == [sentinels[HARZ_NAME]]
        assert list(StatusChange.objects.all()) == []
        assert list(Note.objects.all()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_middleware_scopes_request_even_under_scopes_disabled(role, request, sentinels):
    """The middleware's scope wins over the scopes_disabled() the tests run in, as it
    does inside test-client requests: what Django reads through _default_manager during
    a request is limited to the user's districts."""
    from django.contrib.auth.models import AnonymousUser

    from portal.scoping import DistrictScopeMiddleware

    seen = []

    def view(request):
        seen.extend(Application.objects.values_list("last_name", flat=True))
        return None

    http_request = RequestFactory().get("/verwaltung/")
    http_request.user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    DistrictScopeMiddleware(view)(http_request)

    assert set(seen) == VISIBLE.get(role, set())


@pytest.mark.django_db
def test_raw_id_widget_label_of_foreign_application_is_empty(sentinels):
    """Django #37213: the raw-id widget reads _default_manager. The admin uses no
    raw_id_fields (a system check forbids them in DistrictScopedAdmin); should one appear,
    the scope keeps the foreign applicant's name out of its label."""
    from django.contrib import admin

    widget = ForeignKeyRawIdWidget(Note._meta.get_field("application").remote_field, admin.site)
    magdeburg = get_district("magdeburg")

    with scope(district=[magdeburg.pk]):
        label = widget.label_and_url_for_value(sentinels[HARZ_NAME].pk)

    assert label == ("", "")


@pytest.mark.django_db
def test_list_filter_across_relation_lists_only_scoped_values(sentinels, magdeburg_chair):
    """Django's AllValuesFieldListFilter across a relation reads the related model's
    _default_manager, not the admin's queryset. With the scope it cannot list the Harz
    applicant's name."""
    from django.contrib import admin
    from django.contrib.admin.filters import AllValuesFieldListFilter

    class LeakyNoteAdmin(admin.ModelAdmin):
        list_filter = ["application__last_name"]

    request = RequestFactory().get("/")
    request.user = magdeburg_chair
    magdeburg = get_district("magdeburg")
    model_admin = LeakyNoteAdmin(Note, admin.site)
    with scope(district=[magdeburg.pk]):
        spec = AllValuesFieldListFilter(
            Application._meta.get_field("last_name"),
            request,
            {},
            Note,
            model_admin,
            field_path="application__last_name",
        )
        choices = list(spec.lookup_choices)

    assert choices == [MAGDEBURG_NAME]


@pytest.mark.django_db
def test_seed_demo_runs_outside_any_scope(settings):
    """Management commands run without the middleware; seed_demo disables scopes itself
    (`scope()` without a district re-enables scoping inside the tests' scopes_disabled():
    the state of a process without any scope)."""
    settings.DEBUG = True

    with scope():
        call_command("seed_demo", applications=3, seed=1, stdout=io.StringIO())

    assert Application.objects.count() == 3


# --- The permission matrix ------------------------------------------------------------

# (role, expected status code) for a URL of the Harz sentinel.
HARZ_OBJECT_PAGES = {
    "change": {
        "harz_chair": 200,
        "magdeburg_chair": 404,
        "state_office_user": 200,
        "staff_without_district": 404,
    },
    "delete": {
        "harz_chair": 403,
        "magdeburg_chair": 404,
        "state_office_user": 200,
        "staff_without_district": 404,
    },
    "history": {
        "harz_chair": 200,
        "magdeburg_chair": 404,
        "state_office_user": 200,
        "staff_without_district": 404,
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(HARZ_OBJECT_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_application_object_page_by_role(page, role, request, client, sentinels):
    url = reverse(f"admin:candidates_application_{page}", args=[sentinels[HARZ_NAME].pk])

    response = client_as(role, request, client).get(url)

    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == HARZ_OBJECT_PAGES[page][role]
    expected = {HARZ_NAME} if response.status_code == 200 else set()
    assert shown_sentinels(response) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_application_object_page_of_missing_pk_is_404_like_foreign(page, client, harz_chair):
    url = reverse(f"admin:candidates_application_{page}", args=[987654])

    response = login_staff(client, harz_chair).get(url)

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_unconfirmed_application_hidden_from_district_teams(role, request, client, election):
    unconfirmed = make_application(
        last_name=HARZ_NAME, status=Application.Status.UNCONFIRMED, confirmed_at=None
    )
    client = client_as(role, request, client)

    listing = client.get(CHANGELIST)
    page = client.get(reverse("admin:candidates_application_change", args=[unconfirmed.pk]))

    if role == "anonymous":
        assert_login_redirect(listing)
        assert_login_redirect(page)
        return
    expected = {
        "harz_chair": (200, 404),
        "magdeburg_chair": (200, 404),
        "state_office_user": (200, 200),
        "staff_without_district": (403, 404),
    }[role]
    assert (listing.status_code, page.status_code) == expected
    assert (HARZ_NAME in listing.content.decode()) == (role == "state_office_user")


CHANGELIST_STATUS = {
    "harz_chair": 200,
    "magdeburg_chair": 200,
    "state_office_user": 200,
    "staff_without_district": 403,
}

CHANGELIST_VARIANTS = {
    "plain": {},
    "popup": {"_popup": "1", "_to_field": "id"},
    "search": {"q": "Zenobia"},
    "date_hierarchy_2024": {"created_at__year": "2024"},
    "date_hierarchy_2025": {"created_at__year": "2025"},
    "municipality_filter_wernigerode": {},  # parameters filled in by the test
}


@pytest.mark.django_db
@pytest.mark.parametrize("variant", ["plain", "popup", "search"])
@pytest.mark.parametrize("role", ROLES)
def test_application_changelist_by_role(variant, role, request, client, sentinels):
    response = client_as(role, request, client).get(CHANGELIST, CHANGELIST_VARIANTS[variant])

    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == CHANGELIST_STATUS[role]
    if response.status_code != 200:
        assert shown_sentinels(response) == set()
        return
    assert {a.last_name for a in response.context["cl"].result_list} == VISIBLE[role]
    assert shown_sentinels(response) == VISIBLE[role]


# Everything on a changelist that names a district's applicant, place or team member.
HARZ_MARKERS = {HARZ_NAME, "Wernigerode", "Harzkollegin"}
MAGDEBURG_MARKERS = {MAGDEBURG_NAME, "Elbkollege"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["harz_chair", "magdeburg_chair", "state_office_user"])
def test_application_changelist_filter_sidebar_lists_only_scoped_choices(
    role, request, client, sentinels
):
    response = client_as(role, request, client).get(CHANGELIST)

    body = response.content.decode()
    markers = {marker for marker in HARZ_MARKERS | MAGDEBURG_MARKERS if marker in body}
    assert (
        markers
        == {
            "harz_chair": HARZ_MARKERS,
            "magdeburg_chair": MAGDEBURG_MARKERS,
            "state_office_user": HARZ_MARKERS | MAGDEBURG_MARKERS,
        }[role]
    )
    specs = {str(spec.title): spec for spec in response.context["cl"].filter_specs}
    # The municipalities of the user's districts (from the reference data, not from the
    # applications); with several districts, once one is chosen.
    municipalities = {
        str(label) for _pk, label in getattr(specs.get("Gemeinde"), "lookup_choices", [])
    }
    assert ("Wernigerode" in municipalities, "Magdeburg" in municipalities) == {
        "harz_chair": (True, False),
        "magdeburg_chair": (False, True),
        "state_office_user": (False, False),
    }[role]
    assert len(municipalities) == {"harz_chair": 20, "magdeburg_chair": 1}.get(role, 0)
    # Who may be Ansprechperson in the user's districts: the colleagues of other
    # districts are not among them.
    colleagues = {
        "harz_chair": {"Hanna Harzkollegin"},
        "magdeburg_chair": {"Moritz Elbkollege"},
        "state_office_user": {"Hanna Harzkollegin", "Moritz Elbkollege"},
    }[role]
    labels = {str(label) for _pk, label in specs["Ansprechperson"].lookup_choices}
    assert labels & {"Hanna Harzkollegin", "Moritz Elbkollege"} == colleagues


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["harz_chair", "magdeburg_chair", "state_office_user"])
def test_application_date_hierarchy_by_role(role, request, client, sentinels):
    client = client_as(role, request, client)

    overview = client.get(CHANGELIST)
    year_2024 = client.get(CHANGELIST, {"created_at__year": "2024"})

    years = {
        "harz_chair": ["2024"],
        "magdeburg_chair": ["2025"],
        "state_office_user": ["2024", "2025"],
    }[role]
    body = overview.content.decode()
    assert [year for year in ["2024", "2025"] if f"created_at__year={year}" in body] == years
    assert {a.last_name for a in year_2024.context["cl"].result_list} == (
        {HARZ_NAME} if role != "magdeburg_chair" else set()
    )
    assert shown_sentinels(year_2024) == ({HARZ_NAME} if role != "magdeburg_chair" else set())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_autocomplete_for_applications_by_role(role, request, client, sentinels):
    """No admin field uses autocomplete, but Django serves the endpoint for any foreign
    key whose target admin has search_fields: notes → applications."""
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "candidates",
        "model_name": "note",
        "field_name": "application",
        "term": "Zenobia",
    }

    response = client_as(role, request, client).get(url, params)

    if role == "anonymous":
        assert_login_redirect(response)
        return
    expected_status = 403 if role == "staff_without_district" else 200
    assert response.status_code == expected_status
    if expected_status == 200:
        names = {
            r["text"].split(" (")[0].split()[-1] for r in json.loads(response.content)["results"]
        }
        assert names == VISIBLE[role]
    assert shown_sentinels(response) == VISIBLE.get(role, set())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_autocomplete_for_staff_accounts_by_role(role, request, client, sentinels):
    url = reverse("admin:autocomplete")
    params = {"app_label": "candidates", "model_name": "application", "field_name": "assignee"}

    response = client_as(role, request, client).get(url, params)

    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == (200 if role == "state_office_user" else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/candidates/note/add/?application={pk}",
        "/verwaltung/candidates/note/?application__id__exact={pk}",
        "/verwaltung/candidates/statuschange/{pk}/change/",
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_history_models_have_no_admin_pages(url, role, request, client, sentinels):
    """Notes and status changes are shown on the application's page only; there is no
    admin (and so no raw-id or popup path) of their own."""
    response = client_as(role, request, client).get(url.format(pk=sentinels[HARZ_NAME].pk))

    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == 404
    assert shown_sentinels(response) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["change_status_action", "assign_action"])
def test_bulk_action_on_foreign_application_changes_nothing(
    action, client, magdeburg_chair, sentinels
):
    harz = sentinels[HARZ_NAME]
    magdeburg_colleague = sentinels[MAGDEBURG_NAME].assignee
    data = {
        "action": action,
        "_selected_action": [harz.pk],
        "apply": "1",
        "new_status": Application.Status.CONTACTED,
        "assignee": magdeburg_colleague.pk,
    }

    response = login_staff(client, magdeburg_chair).post(CHANGELIST, data, follow=True)

    harz.refresh_from_db()
    assert (harz.status, harz.assignee.last_name) == (Application.Status.NEW, "Harzkollegin")
    assert (StatusChange.objects.count(), Assignment.objects.count()) == (0, 0)
    assert shown_sentinels(response) == {MAGDEBURG_NAME}


@pytest.mark.django_db
def test_change_post_to_foreign_application_is_404_and_changes_nothing(
    client, magdeburg_chair, sentinels
):
    harz = sentinels[HARZ_NAME]
    url = reverse("admin:candidates_application_change", args=[harz.pk])

    response = login_staff(client, magdeburg_chair).post(
        url,
        {
            "municipality": harz.municipality_id,
            "new_status": Application.Status.CONTACTED,
            "new_note": "Hallo Harz",
        },
    )

    assert response.status_code == 404
    harz.refresh_from_db()
    assert harz.status == Application.Status.NEW
    assert (StatusChange.objects.count(), Note.objects.count()) == (0, 0)


def recent_action(user, application):
    return LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[application],
        action_flag=CHANGE,
        change_message="[]",
        single_object=True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_index_recent_actions_by_role(role, request, client, sentinels):
    """Every staff user has a log entry for each sentinel (as if they had once been in
    both districts); the box shows only those still in scope."""
    if role not in {"anonymous", "staff_without_district"}:
        user = request.getfixturevalue(role)
        for application in sentinels.values():
            recent_action(user, application)

    response = client_as(role, request, client).get(ADMIN_INDEX)

    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == 200
    assert shown_sentinels(response) == VISIBLE.get(role, set())


@pytest.mark.django_db
def test_admin_index_recent_actions_forget_district_after_leaving_it(client, harz_chair, sentinels):
    recent_action(harz_chair, sentinels[HARZ_NAME])
    login_staff(client, harz_chair)
    before = client.get(ADMIN_INDEX)
    DistrictMembership.objects.filter(user=harz_chair).delete()

    after = client.get(ADMIN_INDEX)

    assert (shown_sentinels(before), shown_sentinels(after)) == ({HARZ_NAME}, set())


@pytest.mark.django_db
def test_admin_index_recent_actions_never_show_other_users_entries(
    client, harz_chair, state_office_user, sentinels
):
    recent_action(state_office_user, sentinels[HARZ_NAME])

    response = login_staff(client, harz_chair).get(ADMIN_INDEX)

    assert shown_sentinels(response) == set()


@pytest.mark.django_db
def test_history_view_shows_only_the_objects_log(client, harz_chair, sentinels):
    recent_action(harz_chair, sentinels[HARZ_NAME])
    url = reverse("admin:candidates_application_history", args=[sentinels[HARZ_NAME].pk])

    response = login_staff(client, harz_chair).get(url)

    assert [entry.object_id for entry in response.context["action_list"]] == [
        str(sentinels[HARZ_NAME].pk)
    ]
    assert shown_sentinels(response) == {HARZ_NAME}


# Reference data and accounts: (changelist, change page, POST to the change page) by role.
# The state office's POST of the district saves (302); its empty POSTs to the others
# re-render the form with errors (200). Chairs may look at municipalities, and edit their
# own district's public content (another district's page is a 404, as for staff without
# a district, whose district list is a 403).
READ_ONLY = (200, 200, 403)
NO_ACCESS = (403, 403, 403)
OTHER_ADMINS = {
    "district": {
        "harz_chair": (200, 200, 302),
        "magdeburg_chair": (200, 404, 404),
        "staff_without_district": (403, 404, 404),
        "state_office_user": (200, 200, 302),
    },
    "municipality": {"chair": READ_ONLY, "state_office_user": (200, 200, 200)},
    "election": {"chair": NO_ACCESS, "state_office_user": (200, 200, 200)},
    "user": {"chair": NO_ACCESS, "state_office_user": (200, 200, 200)},
}


def other_admin_object(name, sentinels):
    from candidates.models import Election

    if name == "district":
        return "districts", get_district("harz")
    if name == "municipality":
        return "districts", get_municipality("harz", "wernigerode")
    if name == "election":
        return "candidates", Election.objects.get()
    return "auth", sentinels[HARZ_NAME].assignee


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OTHER_ADMINS))
@pytest.mark.parametrize("role", ROLES)
def test_reference_and_account_admins_by_role(name, role, request, client, sentinels):
    app_label, obj = other_admin_object(name, sentinels)
    changelist = reverse(f"admin:{app_label}_{name}_changelist")
    change = reverse(f"admin:{app_label}_{name}_change", args=[obj.pk])
    client = client_as(role, request, client)
    post_data = {}
    if name == "district":
        post_data = {
            "name": obj.name,
            "official_name": obj.official_name,
            "kind": obj.kind,
            "seat": obj.seat,
            "contact_email": "neu@harz.example.org",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        }

    responses = [client.get(changelist), client.get(change), client.post(change, post_data)]

    if role == "anonymous":
        for response in responses:
            assert_login_redirect(response)
        return
    expected = (
        OTHER_ADMINS[name].get(role)
        or {
            "harz_chair": OTHER_ADMINS[name].get("chair"),
            "magdeburg_chair": OTHER_ADMINS[name].get("chair"),
            "staff_without_district": NO_ACCESS,
        }[role]
    )
    assert tuple(response.status_code for response in responses) == expected
    assert [shown_sentinels(response) for response in responses] == [set(), set(), set()]
    contact_email = get_district("harz").contact_email
    if name == "district":
        assert (contact_email == "neu@harz.example.org") == (
            role in {"state_office_user", "harz_chair"}
        )
    if expected == READ_ONLY:
        assert 'name="_save"' not in responses[1].content.decode()


# --- Forged foreign keys --------------------------------------------------------------


@pytest.mark.django_db
def test_chair_posting_foreign_municipality_gets_field_error(client, harz_chair, sentinels):
    harz = sentinels[HARZ_NAME]
    url = reverse("admin:candidates_application_change", args=[harz.pk])
    foreign = get_municipality("magdeburg", "magdeburg")

    response = login_staff(client, harz_chair).post(
        url, change_page_post(harz, municipality=foreign.pk, new_note="Umzug")
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["municipality"]
    harz.refresh_from_db()
    assert harz.municipality == get_municipality("harz", "wernigerode")
    assert Note.objects.count() == 0
    assert MAGDEBURG_NAME not in response.content.decode()


@pytest.mark.django_db
def test_chair_posting_foreign_assignee_gets_field_error(client, harz_chair, sentinels):
    harz = sentinels[HARZ_NAME]
    url = reverse("admin:candidates_application_change", args=[harz.pk])
    foreign = sentinels[MAGDEBURG_NAME].assignee

    response = login_staff(client, harz_chair).post(
        url, change_page_post(harz, new_assignee=foreign.pk)
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["new_assignee"]
    harz.refresh_from_db()
    assert harz.assignee.last_name == "Harzkollegin"
    assert Assignment.objects.count() == 0
    assert "Elbkollege" not in response.content.decode()


@pytest.mark.django_db
def test_chair_may_move_application_within_own_district(client, harz_chair, sentinels):
    harz = sentinels[HARZ_NAME]
    url = reverse("admin:candidates_application_change", args=[harz.pk])
    blankenburg = get_municipality("harz", "blankenburg-harz")

    response = login_staff(client, harz_chair).post(
        url, change_page_post(harz, municipality=blankenburg.pk)
    )

    assert response.status_code == 302
    harz.refresh_from_db()
    assert (harz.municipality, harz.assignee.last_name) == (blankenburg, "Harzkollegin")
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_chair_corrects_the_name_but_cannot_change_the_address_or_own_words(
    client, harz_chair, sentinels
):
    harz = sentinels[HARZ_NAME]
    url = reverse("admin:candidates_application_change", args=[harz.pk])

    response = login_staff(client, harz_chair).post(
        url,
        change_page_post(
            harz, last_name="Geändert", email="neu@example.org", motivation="Fremde Worte"
        ),
    )

    assert response.status_code == 302
    before = sentinels[HARZ_NAME]
    harz.refresh_from_db()
    assert (harz.last_name, harz.email, harz.motivation) == (
        "Geändert",
        before.email,
        before.motivation,
    )
    [change] = harz.detail_changes.all()
    assert (change.fields, change.changed_by) == (["last_name"], harz_chair)


@pytest.mark.django_db
def test_bulk_assign_to_person_not_in_every_district_is_refused(
    client, state_office_user, sentinels
):
    harz_colleague = sentinels[HARZ_NAME].assignee
    data = {
        "action": "assign_action",
        "_selected_action": [a.pk for a in sentinels.values()],
        "apply": "1",
        "assignee": harz_colleague.pk,
    }

    response = login_staff(client, state_office_user).post(CHANGELIST, data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["assignee"]
    assert Assignment.objects.count() == 0
    assert [
        application.assignee.last_name
        for application in Application.objects.order_by("pk").select_related("assignee")
    ] == ["Harzkollegin", "Elbkollege"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_outbox_admin_only_for_state_office(role, request, client, sentinels):
    """The outbox (notifications) holds applicants' addresses and names in subjects."""
    response = client_as(role, request, client).get(
        reverse("admin:notifications_outgoingmail_changelist")
    )

    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == (200 if role == "state_office_user" else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "parameter", ["municipality__id__exact", "municipality__district__id__exact"]
)
@pytest.mark.parametrize("spelling", ["+{}", "{} ", "٩", "{}.0", "-{}", "x"])
def test_reference_filters_refuse_odd_spellings(client, harz_chair, sentinels, parameter, spelling):
    # int() would read "+9", "9 " and the Arabic-Indic "٩" as ids; the filters take
    # plain ASCII digits only, and the list says the filter is wrong.
    harz = sentinels[HARZ_NAME]
    pk = (
        harz.municipality_id
        if parameter == "municipality__id__exact"
        else harz.municipality.district_id
    )

    response = login_staff(client, harz_chair).get(CHANGELIST, {parameter: spelling.format(pk)})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.django_db
def test_reference_filter_for_another_districts_municipality_is_refused(
    client, harz_chair, sentinels
):
    magdeburg = sentinels[MAGDEBURG_NAME]

    response = login_staff(client, harz_chair).get(
        CHANGELIST, {"municipality__id__exact": magdeburg.municipality_id}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.django_db
def test_reference_filter_by_own_municipality_lists_its_applications(client, harz_chair, sentinels):
    harz = sentinels[HARZ_NAME]

    response = login_staff(client, harz_chair).get(
        CHANGELIST, {"municipality__id__exact": harz.municipality_id}
    )

    assert list(response.context["cl"].result_list) == [harz]


@pytest.mark.django_db
def test_state_office_chooses_a_municipality_after_its_district(
    client, state_office_user, sentinels
):
    client = login_staff(client, state_office_user)
    harz = sentinels[HARZ_NAME]

    by_district = client.get(
        CHANGELIST, {"municipality__district__id__exact": harz.municipality.district_id}
    )
    by_municipality = client.get(CHANGELIST, {"municipality__id__exact": harz.municipality_id})

    specs = {str(spec.title): spec for spec in by_district.context["cl"].filter_specs}
    assert len(specs["Gemeinde"].lookup_choices) == 20
    assert list(by_municipality.context["cl"].result_list) == [harz]


@pytest.mark.django_db
def test_state_office_visible_condition_excludes_nothing_when_negated(state_office_user, sentinels):
    # The state office's condition has no district part; negated it must still match
    # nothing (an empty Q() would, in exclude(), match everything).
    from candidates.models import visible_filter

    with scopes_disabled():
        assert not Application.objects.exclude(visible_filter(state_office_user)).exists()
        assert Application.objects.filter(visible_filter(state_office_user)).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999", "", "3 "])
def test_state_office_wrong_municipality_without_district_is_refused(
    client, state_office_user, sentinels, value
):
    # No municipality choices are shown before a district is chosen; a value is checked
    # all the same, or the list (and its export) would be unfiltered.
    response = login_staff(client, state_office_user).get(
        CHANGELIST, {"municipality__id__exact": value}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
