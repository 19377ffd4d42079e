"""The application's change page names the campaign source that brought it (read-only,
for whoever may see the application); the application list does not show it and costs no
query more for it."""

from django.urls import reverse

from campaigns.models import Source
from tests.factories import (
    get_district,
    get_municipality,
    login_staff,
    make_application,
    queries_for,
)

CHANGELIST_URL = reverse("admin:candidates_application_changelist")


def change_url(application):
    return reverse("admin:candidates_application_change", args=[application.pk])


def make_source(name="Infostand Marktplatz 12.4.", district="harz"):
    return Source.objects.create(name=name, district=get_district(district))


def source_field(response):
    """The source's row of the change page: the read-only field of the admin form."""
    for fieldset in response.context["adminform"]:
        for line in fieldset:
            for field in line:
                if field.is_readonly and field.field["name"] == "source":
                    return fieldset.name, field.is_readonly, str(field.contents())
    return None


def test_change_page_shows_the_source_read_only(client, election, harz_chair):
    source = make_source()
    application = make_application(source=source)
    login_staff(client, harz_chair)

    response = client.get(change_url(application))

    source_url = reverse("admin:campaigns_source_change", args=[source.pk])
    assert source_field(response) == (
        "Erklärungen und Eingang",
        True,
        f'<a href="{source_url}">Infostand Marktplatz 12.4.</a>',
    )


def test_change_page_without_a_source_shows_a_dash(client, election, harz_chair):
    application = make_application()
    login_staff(client, harz_chair)

    response = client.get(change_url(application))

    assert source_field(response) == ("Erklärungen und Eingang", True, "-")


def test_state_office_sees_the_source_of_any_district(client, election, state_office_user):
    source = make_source("Magdeburg Hbf", district="magdeburg")
    application = make_application(source=source, district=get_district("magdeburg"))
    login_staff(client, state_office_user)

    response = client.get(change_url(application))

    assert source_field(response)[2].endswith(">Magdeburg Hbf</a>")


def test_another_districts_application_and_its_source_stay_hidden(client, election, harz_chair):
    application = make_application(
        source=make_source("Magdeburg Hbf", district="magdeburg"),
        district=get_district("magdeburg"),
    )
    login_staff(client, harz_chair)

    response = client.get(change_url(application))

    assert response.status_code == 404
    assert "Magdeburg Hbf" not in response.content.decode()


def test_a_post_cannot_change_the_source(client, election, state_office_user):
    source = make_source()
    other = make_source("Instagram")
    application = make_application(source=source)
    login_staff(client, state_office_user)

    page = client.get(change_url(application))
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key in page.context["adminform"].form.fields
    }
    response = client.post(change_url(application), {**data, "source": other.pk})

    assert response.status_code == 302  # saved
    application.refresh_from_db()
    assert application.source == source


def test_changelist_query_count_does_not_grow_with_sources(
    client, election, harz_chair, django_assert_num_queries
):
    make_application(source=make_source())
    login_staff(client, harz_chair)
    one = queries_for(client, CHANGELIST_URL)
    make_application(source=make_source("Instagram"))
    make_application(
        source=make_source("Haustür Nordviertel"),
        municipality=get_municipality("harz", "blankenburg-harz"),
    )

    with django_assert_num_queries(one):
        response = client.get(CHANGELIST_URL)

    assert len(response.context["cl"].result_list) == 3
