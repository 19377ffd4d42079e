"""A district team edits its own district's public page (contact person, office hours,
intro, upcoming events) in the admin, and nobody else's; the public page shows that
content escaped, only upcoming events, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from districts.models import District, DistrictEvent
from tests.factories import get_district, login_staff, queries_for

HARZ_PAGE = "/harz/"


def change_url(district):
    return reverse("admin:districts_district_change", args=[district.pk])


def in_days(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def content_post(**overrides):
    """The district change page as a team member submits it: the content fields and one
    new event (no team inline: teams have no permission on memberships)."""
    data = {
        "contact_person": "Clara Zetkin",
        "contact_email": "kontakt@harz.example.org",
        "contact_phone": "03943 123456",
        "office_hours": "Di 14–18 Uhr\nDo 10–12 Uhr",
        "homepage": "",
        "intro": "Willkommen im Harz!",
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "0",
        "events-0-starts_at_0": in_days(3).date().isoformat(),
        "events-0-starts_at_1": "10:00",
        "events-0-place": "Marktplatz Wernigerode",
        "events-0-description": "Infostand mit Kaffee",
    }
    data.update(overrides)
    return data


def make_event(district, days, place="Marktplatz", description=""):
    return DistrictEvent.objects.create(
        district=district, starts_at=in_days(days), place=place, description=description
    )


# --- Editing in the admin ---------------------------------------------------------------


@pytest.mark.django_db
def test_team_edits_its_district_page_and_the_public_page_shows_it(client, harz_chair):
    harz = get_district("harz")
    login_staff(client, harz_chair)

    response = client.post(change_url(harz), content_post())
    client.logout()
    page = client.get(HARZ_PAGE)

    assert response.status_code == 302
    harz.refresh_from_db()
    assert (harz.contact_person, harz.office_hours, harz.intro) == (
        "Clara Zetkin",
        "Di 14–18 Uhr\nDo 10–12 Uhr",
        "Willkommen im Harz!",
    )
    assert [(e.district, e.place) for e in DistrictEvent.objects.all()] == [
        (harz, "Marktplatz Wernigerode")
    ]
    body = page.content.decode()
    assert "Ansprechperson: Clara Zetkin" in body
    assert "<p>Di 14–18 Uhr<br>Do 10–12 Uhr</p>" in body
    assert "Willkommen im Harz!" in body
    assert "Marktplatz Wernigerode" in body
    assert "Infostand mit Kaffee" in body


@pytest.mark.django_db
def test_team_sees_only_its_own_districts_in_the_list(client, harz_chair, state_office_user):
    url = reverse("admin:districts_district_changelist")

    team = login_staff(client, harz_chair).get(url)
    office = login_staff(client, state_office_user).get(url)

    assert list(team.context["cl"].result_list) == [get_district("harz")]
    assert len(office.context["cl"].result_list) == District.objects.count()


@pytest.mark.django_db
def test_team_cannot_open_or_post_to_another_districts_page(client, harz_chair):
    magdeburg = get_district("magdeburg")
    before = District.objects.filter(pk=magdeburg.pk).values().get()
    login_staff(client, harz_chair)

    opened = client.get(change_url(magdeburg))
    posted = client.post(change_url(magdeburg), content_post(intro="Übernommen"))

    assert (opened.status_code, posted.status_code) == (404, 404)
    assert District.objects.filter(pk=magdeburg.pk).values().get() == before
    assert list(DistrictEvent.objects.all()) == []


@pytest.mark.django_db
def test_event_forged_for_another_district_is_refused(client, harz_chair):
    harz, magdeburg = get_district("harz"), get_district("magdeburg")
    login_staff(client, harz_chair)

    forged = client.post(change_url(harz), content_post(**{"events-0-district": magdeburg.pk}))
    honest = client.post(change_url(harz), content_post())

    # The inline's district is the page's own: another value fails validation.
    assert (forged.status_code, honest.status_code) == (200, 302)
    assert [e.district for e in DistrictEvent.objects.all()] == [harz]


@pytest.mark.django_db
def test_team_cannot_change_another_districts_event_through_its_own_page(client, harz_chair):
    harz = get_district("harz")
    theirs = make_event(get_district("magdeburg"), 2, place="Alter Markt Magdeburg")
    login_staff(client, harz_chair)

    response = client.post(
        change_url(harz),
        content_post(
            **{
                "events-INITIAL_FORMS": "1",
                "events-0-id": theirs.pk,
                "events-0-place": "Gekapert",
                "events-0-DELETE": "",
            }
        ),
    )

    assert response.status_code == 200  # the formset refuses the unknown id
    theirs.refresh_from_db()
    assert (theirs.district, theirs.place) == (get_district("magdeburg"), "Alter Markt Magdeburg")


@pytest.mark.django_db
def test_team_cannot_change_name_slug_or_settings(client, harz_chair):
    harz = get_district("harz")
    login_staff(client, harz_chair)

    page = client.get(change_url(harz))
    response = client.post(
        change_url(harz),
        content_post(
            name="Gekapert",
            official_name="Gekapert",
            slug="gekapert",
            kreis_key="99999",
            kind=District.Kind.CITY,
            show_open_places="on",
        ),
    )

    assert page.status_code == 200
    assert sorted(page.context["adminform"].form.fields) == [
        "contact_email",
        "contact_person",
        "contact_phone",
        "embed_origins",
        "homepage",
        "intro",
        "office_hours",
    ]
    assert response.status_code == 302
    after = District.objects.get(pk=harz.pk)
    assert (
        after.name,
        after.official_name,
        after.slug,
        after.kreis_key,
        after.kind,
        after.show_open_places,
    ) == (harz.name, harz.official_name, "harz", harz.kreis_key, harz.kind, False)
    assert after.intro == "Willkommen im Harz!"


@pytest.mark.django_db
def test_state_office_still_edits_the_name_and_settings(client, state_office_user):
    harz = get_district("harz")

    page = login_staff(client, state_office_user).get(change_url(harz))

    assert sorted(page.context["adminform"].form.fields) == [
        "contact_email",
        "contact_person",
        "contact_phone",
        "embed_origins",
        "homepage",
        "intro",
        "kind",
        "name",
        "office_hours",
        "official_name",
        "seat",
        "show_open_places",
    ]


# --- The public page --------------------------------------------------------------------


@pytest.mark.django_db
def test_html_in_intro_and_event_is_shown_escaped(client):
    harz = get_district("harz")
    harz.intro = "<script>alert(1)</script> Mehr: https://harz.example.org/infos"
    harz.office_hours = "<b>immer</b>"
    harz.contact_person = "<i>Clara</i>"
    harz.save()
    make_event(harz, 1, place="<em>Markt</em>", description='<img src=x onerror="alert(2)">')

    body = client.get(HARZ_PAGE).content.decode()

    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in body
    assert [text in body for text in ["<b>immer", "<i>Clara", "<em>Markt"]] == [False] * 3
    assert [
        text in body
        for text in ["&lt;b&gt;immer&lt;/b&gt;", "&lt;i&gt;Clara&lt;/i&gt;", "&lt;em&gt;Markt"]
    ] == [True] * 3
    assert (
        '<a href="https://harz.example.org/infos" rel="nofollow">https://harz.example.org/infos</a>'
        in body
    )


@pytest.mark.django_db
def test_public_page_lists_the_next_ten_upcoming_events_of_its_district_only(client):
    harz = get_district("harz")
    make_event(harz, -1, place="Gestern")
    make_event(get_district("magdeburg"), 1, place="Magdeburg")
    upcoming = [make_event(harz, days, place=f"Tag {days}") for days in range(12, 0, -1)]

    response = client.get(HARZ_PAGE)

    expected = sorted(upcoming, key=lambda event: event.starts_at)[:10]
    assert response.context["events"] == expected
    body = response.content.decode()
    assert [text in body for text in ["Gestern", "Magdeburg</span>", "Tag 11"]] == [False] * 3


@pytest.mark.django_db
def test_event_earlier_today_is_still_shown(client):
    harz = get_district("harz")
    this_morning = make_event(harz, 0, place="Heute früh")
    this_morning.starts_at = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(0, 1))
    )
    this_morning.save()

    response = client.get(HARZ_PAGE)

    assert response.context["events"] == [this_morning]


@pytest.mark.django_db
def test_public_page_without_events_shows_no_events_section(client):
    body = client.get(HARZ_PAGE).content.decode()

    assert "Infostände und Termine" not in body


@pytest.mark.django_db
def test_public_page_query_count_same_for_one_and_three_events(client):
    harz = get_district("harz")
    make_event(harz, 1)
    one = queries_for(client, HARZ_PAGE)
    make_event(harz, 2)
    make_event(harz, 3)
    three = queries_for(client, HARZ_PAGE)

    assert one == three


@pytest.mark.django_db
def test_staff_of_another_district_sees_the_public_events_too(client, magdeburg_chair):
    harz = get_district("harz")
    event = make_event(harz, 1, place="Marktplatz")

    response = login_staff(client, magdeburg_chair).get(HARZ_PAGE)

    assert response.context["events"] == [event]
