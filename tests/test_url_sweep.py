"""A fresh pass after the view-on-site fix (portal.admin_site): every admin and public
route that takes an id, a slug or a token, asked with odd spellings of them — `+9`,
` 9`, `9 `, `9\\n`, Arabic-Indic and fullwidth digits (which `int()` reads as 9), `09`,
`-9`, `9.0`, `1e1`, a number too large for the database, NUL; slugs in upper case,
percent-encoded, with trailing spaces, with umlauts, `..`, 5000 characters long.

Two things must hold for every answer:
- no server error (an exception is reported with the URL, not raised mid-sweep);
- for district-bound rows (Application, StatusChange, Note, Assignment), a user who may
  not see the row gets the answer for an id that does not exist, in every spelling (same
  status code, same redirect target, same number of list results), and no page shows
  the hidden applicants' names.
"""

import traceback
import unicodedata
from urllib.parse import quote, unquote

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from candidates import tokens
from candidates.models import Application, Assignment, Note, StatusChange
from notifications.models import OutgoingMail
from tests.factories import autocomplete_fields, get_municipality, login_staff, make_application

ADMIN = "/verwaltung"
# Last names of the rows a district team must not see: a confirmed application in
# Magdeburg (with history) and an unconfirmed one in Harz.
FOREIGN_NAME = "Quappendorfer"
UNCONFIRMED_NAME = "Unbestaetigtmann"
SENTINELS = (FOREIGN_NAME, UNCONFIRMED_NAME)

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Spellings that do not depend on the id.
ODD_IDS = ["1e1", "99999999999999999999", "%00"]
OBJECT_PAGES = ["change/", "history/", "delete/", ""]
ROLES_THAT_SEE_ONLY_HARZ_OR_NOTHING = {"harz_chair", "staff_without_district"}


def id_spellings(number):
    """The plain id first, then ways to write it that `int()` may or may not accept."""
    text = str(number)
    return [
        text,
        f"+{text}",
        f"%20{text}",
        f"{text}%20",
        f"{text}%0A",
        quote(text.translate(ARABIC_INDIC)),
        quote(text.translate(FULLWIDTH)),
        f"0{text}",
        f"-{text}",
        f"{text}.0",
    ]


def slug_spellings(slug):
    umlauts = slug.replace("ue", "ü").replace("oe", "ö").replace("ae", "ä")
    spellings = [
        slug,
        slug.upper(),
        f"{slug[0]}%{ord(slug[1]):02x}{slug[2:]}",
        f"{slug}%20%20",
        "..",
        "%2e%2e",
        "a" * 5000,
        "%00",
    ]
    if umlauts != slug:
        spellings += [quote(umlauts), quote(unicodedata.normalize("NFD", umlauts))]
    return spellings


# --- What the sweep looks at ---------------------------------------------------------


@pytest.fixture
def world(election, magdeburg_chair, state_office_user):
    """The hidden rows, with everything that could carry their names into a page: history
    rows, an admin log entry, a mail in the outbox."""
    foreign = make_application(
        last_name=FOREIGN_NAME,
        email=f"{FOREIGN_NAME.lower()}@example.org",
        municipality=get_municipality("magdeburg", "magdeburg"),
    )
    unconfirmed = make_application(
        last_name=UNCONFIRMED_NAME,
        email=f"{UNCONFIRMED_NAME.lower()}@example.org",
        status=Application.Status.UNCONFIRMED,
        confirmed_at=None,
    )
    make_application()  # one the Harz team does see
    status_change = StatusChange.objects.create(
        application=foreign,
        from_status=Application.Status.NEW,
        to_status=Application.Status.NEW,
        changed_by=magdeburg_chair,
        note=f"Telefonat mit {FOREIGN_NAME}",
    )
    note = Note.objects.create(
        application=foreign, author=magdeburg_chair, text=f"{FOREIGN_NAME} ruft zurück"
    )
    assignment = Assignment.objects.create(
        application=foreign, assignee=magdeburg_chair, assigned_by=magdeburg_chair
    )
    LogEntry.objects.create(
        user=magdeburg_chair,
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(foreign.pk),
        object_repr=str(foreign),
        action_flag=CHANGE,
        change_message=f"{FOREIGN_NAME} geändert",
    )
    OutgoingMail.objects.create(
        kind=OutgoingMail.Kind.DISTRICT_NEW_APPLICATION,
        to="magdeburg@example.org",
        subject=f"Neue Bewerbung: {FOREIGN_NAME}",
        body=FOREIGN_NAME,
        application_id=foreign.pk,
    )
    return {
        "hidden": {
            Application: [foreign, unconfirmed],
            StatusChange: [status_change],
            Note: [note],
            Assignment: [assignment],
        },
        "foreign": foreign,
        "magdeburg_chair": magdeburg_chair,
    }


def missing_pk(model, hidden_pk):
    """An id of the same shape that no row has."""
    pk = hidden_pk + 100000
    assert not model._base_manager.filter(pk=pk).exists()
    return pk


def admin_probes(world):
    """(singles, pairs): URLs that must not fail, and (hidden, missing, hidden id,
    missing id) quadruples whose answers must be alike for those who may not see."""
    singles, pairs = [], []

    def pair_up(template, hidden_pk, missing, every=True):
        """Every spelling, or (every=False) plain, `+N`, `%20N` and Arabic-Indic digits."""
        spellings = list(zip(id_spellings(hidden_pk), id_spellings(missing), strict=True))
        for hidden_id, missing_id in spellings if every else [spellings[i] for i in (0, 1, 2, 5)]:
            pairs.append(
                (
                    template.format(id=hidden_id),
                    template.format(id=missing_id),
                    hidden_id,
                    missing_id,
                )
            )

    # Object pages of every other registered model, with its first row spelled every way
    # on the change page. History, delete and the old `<id>/` URL look the object up the
    # same way (ModelAdmin.get_object): a sample of spellings there, to keep this fast.
    for model in admin.site._registry:
        if model in world["hidden"]:
            continue
        base = f"{ADMIN}/{model._meta.app_label}/{model._meta.model_name}"
        first = model._base_manager.order_by("pk").values_list("pk", flat=True).first() or 1
        singles += [f"{base}/{spelled}/change/" for spelled in id_spellings(first) + ODD_IDS]
        sample = [f"+{first}", quote(str(first).translate(ARABIC_INDIC)), *ODD_IDS[1:]]
        for page in OBJECT_PAGES:
            if page != "change/":
                singles += [f"{base}/{spelled}/{page}" for spelled in sample]

    # Hidden district-bound rows against missing ids, every spelling. StatusChange, Note
    # and Assignment have no admin of their own: Django's catch-all answers their object
    # URLs whatever the id, so a few spellings suffice there; their view-on-site URL goes
    # through the scoped default manager and gets them all.
    for model, rows in world["hidden"].items():
        registered = admin.site.is_registered(model)
        base = f"{ADMIN}/{model._meta.app_label}/{model._meta.model_name}"
        content_type = ContentType.objects.get_for_model(model).pk
        for row in rows:
            missing = missing_pk(model, row.pk)
            for page in OBJECT_PAGES:
                pair_up(f"{base}/{{id}}/{page}", row.pk, missing, every=registered)
            pair_up(f"{ADMIN}/r/{content_type}/{{id}}/", row.pk, missing)
        for page in OBJECT_PAGES:
            singles += [f"{base}/{spelled}/{page}" for spelled in ODD_IDS]
        singles += [f"{ADMIN}/r/{content_type}/{spelled}/" for spelled in ODD_IDS]
    # The content type spelled oddly, the id plainly.
    content_type = ContentType.objects.get_for_model(Application).pk
    foreign_pk = world["foreign"].pk
    missing = missing_pk(Application, foreign_pk)
    for spelled_type in id_spellings(content_type)[1:]:
        pairs.append(
            (
                f"{ADMIN}/r/{spelled_type}/{foreign_pk}/",
                f"{ADMIN}/r/{spelled_type}/{missing}/",
                str(foreign_pk),
                str(missing),
            )
        )

    # View on site for the first row of every registered model.
    for model in admin.site._registry:
        first = model._base_manager.order_by("pk").values_list("pk", flat=True).first() or 1
        singles.append(f"{ADMIN}/r/{ContentType.objects.get_for_model(model).pk}/{first}/")

    # Changelists with odd query strings.
    foreign = world["foreign"]
    municipality = foreign.municipality_id
    queries = [
        "p=-1",
        "p=abc",
        "p=99999999999999999999",
        "o=999",
        "o=-.abc",
        "q=%00",
        "e=1",
        f"municipality__id__exact=+{municipality}",
        "status=%3Cscript%3Ealert(1)%3C/script%3E",
        "created_at__year=99999999999999",
        "all=",
        "_to_field=password",
        "_popup=1&_to_field=id",
    ]
    singles.append(f"{ADMIN}/")
    for model in admin.site._registry:
        base = f"{ADMIN}/{model._meta.app_label}/{model._meta.model_name}/"
        singles += [base, *(f"{base}?{query}" for query in queries)]

    # The application list filtered towards the hidden rows, against missing values.
    applications = f"{ADMIN}/candidates/application/"
    pair_up(
        f"{applications}?id__exact={{id}}",
        foreign.pk,
        missing_pk(Application, foreign.pk),
        every=False,
    )
    pair_up(
        f"{applications}?municipality__id__exact={{id}}",
        municipality,
        municipality + 100000,
        every=False,
    )
    chair = world["magdeburg_chair"].pk
    pairs.append(
        (
            f"{applications}?assignee__id__exact={chair}",
            f"{applications}?assignee__id__exact={chair + 100000}",
            str(chair),
            str(chair + 100000),
        )
    )
    for name in SENTINELS:
        # Part of the name only, so that the search box repeating it is no leak.
        pairs.append((f"{applications}?q={name[1:-1]}", f"{applications}?q=xyzzyquux", "", ""))

    # Autocomplete, the one from the brief first.
    autocomplete = f"{ADMIN}/autocomplete/?"
    application_field = "app_label=candidates&model_name=application&field_name="
    singles += [
        f"{autocomplete}{application_field}assignee&term=x",
        f"{autocomplete}{application_field}assignee&term=%00",
        f"{autocomplete}{application_field}assignee&term={'a' * 5000}",
        f"{autocomplete}{application_field}assignee&term=x&page=-1",
        f"{autocomplete}{application_field}assignee&term=x&page=abc",
        f"{autocomplete}{application_field}assignee&term=x&page=99999999999999999999",
        f"{autocomplete}{application_field}municipality&term=magdeburg",
        f"{autocomplete}{application_field}election&term=",
        f"{autocomplete}{application_field}last_name&term=x",
        f"{autocomplete}app_label=auth&model_name=user&field_name=password&term=x",
        f"{autocomplete}app_label=..&model_name=..&field_name=..",
        f"{autocomplete}app_label=candidates",
        autocomplete,
    ]
    singles += nul_probes()
    for model in [StatusChange, Note, Assignment]:
        for name in SENTINELS:
            pairs.append(
                (
                    f"{autocomplete}app_label=candidates&model_name={model._meta.model_name}"
                    f"&field_name=application&term={name[1:-1]}",
                    f"{autocomplete}app_label=candidates&model_name={model._meta.model_name}"
                    "&field_name=application&term=xyzzyquux",
                    "",
                    "",
                )
            )
    return singles, pairs


def nul_probes():
    """NUL in every parameter a changelist's filters read, in one plain text-field lookup
    per list, and in every autocomplete search (SQLite takes it; PostgreSQL refuses it)."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        parameters = []
        for item in model_admin.list_filter:
            if isinstance(item, str | list | tuple):
                path = item if isinstance(item, str) else item[0]
                field = get_fields_from_path(model, path)[-1]
                target = f"__{field.target_field.name}" if field.is_relation else ""
                parameters.append(f"{path}{target}__exact")
            else:
                parameters.append(item.parameter_name)
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.primary_key
        ]
        parameters += text_fields[:1]
        base = f"{ADMIN}/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [f"{base}?{parameter}=%00" for parameter in parameters]
    urls += [
        f"{ADMIN}/autocomplete/?app_label={app_label}&model_name={model_name}"
        f"&field_name={field_name}&term=%00"
        for app_label, model_name, field_name in autocomplete_fields()
    ]
    return urls


def public_probes(world):
    """(method, URL) for anonymous visitors."""
    urls = ["/", "/impressum/", "/datenschutz/", "/ueber-die-daten/", "/theme.css"]
    urls += ["/favicon.ico", "/impressum/?version=%00", "/theme.css?v=%00"]
    for slug in ["harz", "mansfeld-suedharz", "magdeburg"]:
        urls += [f"/{spelled}/" for spelled in slug_spellings(slug)]
    urls += [f"/{spelled}/wernigerode/" for spelled in slug_spellings("harz")]
    urls += [f"/harz/{spelled}/" for spelled in slug_spellings("wernigerode")]
    urls += [f"/mansfeld-suedharz/{spelled}/" for spelled in slug_spellings("klostermansfeld")]
    urls.append("/magdeburg/wernigerode/")  # a municipality of another district
    searches = [*id_spellings(38855), *ODD_IDS, "HARZ", "s%C3%BCdharz", "su%CC%88dharz"]
    searches += ["a" * 5000, "%25", "_", "'", "%3Cscript%3E", "..", "", "%20", "x&q=y"]
    searches.append(quote("38855".translate(ARABIC_INDIC)))
    urls += [f"/suche/?q={query}" for query in searches]
    urls += ["/suche/", "/suche/?q[]=1"]

    confirmation = tokens.confirmation_token(world["foreign"])
    thanks = tokens.store_thanks_page(world["foreign"])
    odd_tokens = [
        "%00",
        "..",
        "%2e%2e",
        "a" * 5000,
        "a:b:c",
        ":",
        "%20",
        "eyJhIjo5OTk5OTk5OTk5OTk5OTk5OTk5OTk5fQ:1abcde:xyz",
        *id_spellings(world["foreign"].pk),
        *ODD_IDS,
    ]
    probes = []
    for token in [*odd_tokens, f"{confirmation}%20", f"{confirmation}%0A", confirmation.upper()]:
        url = f"/bewerbung/bestaetigen/{token}/"
        probes += [("get", url), ("post", url)]
    for token in [*odd_tokens, f"{thanks}%20", f"{thanks}%0A", thanks.upper(), thanks + "=="]:
        probes.append(("get", f"/bewerbung/danke/{token}/"))
    probes += [("get", url) for url in urls]
    return probes


# --- Asking -----------------------------------------------------------------------------


def ask(client, url, method="get"):
    """The response, or a line naming the exception and where it was raised. Each request
    runs in a savepoint, as ATOMIC_REQUESTS would: on PostgreSQL a failed query would
    otherwise abort the test's transaction and fail every request after it."""
    try:
        with transaction.atomic():
            return getattr(client, method)(url)
    except Exception as error:  # every failure is reported with its URL below
        frames = traceback.extract_tb(error.__traceback__)
        # The innermost frame, and the innermost one in Django's apps or the portal's code.
        caller = [
            frame
            for frame in frames
            if ("/contrib/" in frame.filename or "site-packages" not in frame.filename)
            and frame.filename != __file__
        ]
        where = " < ".join(
            f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
            for frame in [frames[-1], *caller[-1:]]
        )
        return f"{type(error).__name__}: {error} at {where}"


def short(url):
    return url if len(url) <= 140 else f"{url[:120]}…({len(url)} chars)"


def server_error(response):
    if isinstance(response, str):
        return response
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return None


def leaked(response):
    text = response.content.decode(errors="replace").lower()
    return [name for name in SENTINELS if name.lower() in text]


def answer(response, spelled_id):
    """What a visitor can tell from a response: status, where it redirects (with the id
    as asked replaced), how many list rows it found."""
    location = unquote(response.get("Location", ""))
    if spelled_id:
        # As asked (in `next=`, quoted once more) and as Django decoded it.
        # Only the last occurrence: the id is the URL's last segment, and an earlier one
        # can be the same number by chance (/verwaltung/r/<content type 10>/<id 10>/).
        for form in dict.fromkeys([spelled_id, unquote(spelled_id)]):
            location = "/<id>/".join(location.rsplit(f"/{form}/", 1))
    context = response.context
    change_list = context.get("cl") if context is not None else None
    return (
        response.status_code,
        location,
        change_list.result_count if change_list is not None else None,
    )


def sweep(client, role, world):
    singles, pairs = admin_probes(world)
    hides = role in ROLES_THAT_SEE_ONLY_HARZ_OR_NOTHING
    failures = []

    def check(url, response):
        if error := server_error(response):
            failures.append(f"{short(url)}: {error}")
            return False
        if hides and (names := leaked(response)):
            failures.append(f"{short(url)}: shows {names} ({response.status_code})")
        return True

    for url in singles:
        check(url, ask(client, url))
    for hidden_url, missing_url, hidden_id, missing_id in pairs:
        hidden, missing = ask(client, hidden_url), ask(client, missing_url)
        if check(hidden_url, hidden) & check(missing_url, missing) and hides:
            hidden_answer, missing_answer = answer(hidden, hidden_id), answer(missing, missing_id)
            if hidden_answer != missing_answer:
                failures.append(
                    f"{short(hidden_url)}: {hidden_answer} but missing {short(missing_url)}: "
                    f"{missing_answer}"
                )
    return len(singles) + 2 * len(pairs), failures


# --- The tests --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["harz_chair", "staff_without_district", "state_office_user"])
def test_admin_answers_odd_ids_without_error_and_hidden_rows_like_missing_ones(
    role, request, client, world
):
    client = login_staff(client, request.getfixturevalue(role))

    count, failures = sweep(client, role, world)

    assert failures == [], "\n".join(failures)
    assert count > 700


@pytest.mark.django_db
def test_public_pages_answer_odd_slugs_and_tokens_without_error(client, world):
    failures = []
    probes = public_probes(world)
    for method, url in probes:
        response = ask(client, url, method)
        if error := server_error(response):
            failures.append(f"{method.upper()} {short(url)}: {error}")
        elif leaked(response):
            # No probe carries a valid link: no page may name an applicant.
            failures.append(f"{method.upper()} {short(url)}: shows an applicant")

    assert len(probes) > 150
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_visitors_get_the_same_answer_for_hidden_and_missing_ids(client, world):
    """Signed out, the admin sends every object URL to the sign-in page; the `next`
    parameter carries the URL as asked, nothing about the row."""
    _singles, pairs = admin_probes(world)
    failures = []
    # Object and view-on-site URLs; a list's query string goes into `next` as it is.
    object_pairs = [pair for pair in pairs if "?" not in pair[0]]
    for hidden_url, missing_url, hidden_id, missing_id in object_pairs:
        hidden, missing = ask(client, hidden_url), ask(client, missing_url)
        for url, response in [(hidden_url, hidden), (missing_url, missing)]:
            if error := server_error(response):
                failures.append(f"{short(url)}: {error}")
        if isinstance(hidden, str) or isinstance(missing, str):
            continue
        if answer(hidden, hidden_id) != answer(missing, missing_id) or leaked(hidden):
            failures.append(f"{short(hidden_url)} differs from {short(missing_url)}")

    assert failures == [], "\n".join(failures)
