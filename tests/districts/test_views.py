"""Public pages: home, "Wo wohnst du?" search, district pages."""

import re

import pytest

from districts.models import District, Municipality


@pytest.mark.django_db
def test_home_lists_all_fourteen_districts_with_links(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [d.name for d in response.context["districts"]] == list(
        District.objects.order_by("slug").values_list("name", flat=True)
    )
    for district in District.objects.all():
        assert f'href="/{district.slug}/"' in html
    assert "Wo wohnst du?" in html


@pytest.mark.django_db
def test_districts_sort_umlauts_as_german_readers_expect(client):
    names = [d.name for d in client.get("/").context["districts"]]
    assert names.index("Anhalt-Bitterfeld") < names.index("Börde") < names.index("Burgenlandkreis")


@pytest.mark.django_db
def test_search_unique_postal_code_redirects_to_municipality(client):
    response = client.get("/suche/", {"q": "38879"})
    assert response.status_code == 302
    assert response["Location"] == "/harz/wernigerode/"


@pytest.mark.django_db
def test_search_shared_postal_code_offers_each_municipality(client):
    response = client.get("/suche/", {"q": "38855"})
    assert response.status_code == 200
    assert [m.name for m in response.context["results"]] == ["Nordharz", "Wernigerode"]


@pytest.mark.django_db
def test_search_town_name_ignores_case_and_umlaut_spelling(client):
    assert client.get("/suche/", {"q": "stassfurt"})["Location"] == "/salzlandkreis/stassfurt/"
    assert client.get("/suche/", {"q": "STAßFURT"})["Location"] == "/salzlandkreis/stassfurt/"


@pytest.mark.django_db
def test_search_with_several_hits_lists_them(client):
    response = client.get("/suche/", {"q": "Lutherstadt"})
    assert response.status_code == 200
    assert [m.name for m in response.context["results"]] == [
        "Lutherstadt Eisleben",
        "Lutherstadt Wittenberg",
    ]


@pytest.mark.django_db
def test_search_by_verbandsgemeinde_lists_its_members(client):
    response = client.get("/suche/", {"q": "Vorharz"})
    members = Municipality.objects.filter(verbandsgemeinde="Vorharz").order_by("slug")
    assert [m.name for m in response.context["results"]] == [m.name for m in members]
    assert len(members) > 1  # otherwise the search would redirect, or match nothing


@pytest.mark.parametrize("query", ["06254", "Atlantis", "<script>", "=1+1", "😀", "x" * 5000])
@pytest.mark.django_db
def test_search_without_hit_explains_and_offers_districts(client, query):
    response = client.get("/suche/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"] == []
    assert "haben wir keine Gemeinde gefunden" in html
    assert len(response.context["districts"]) == 14
    assert "<script>" not in html.split("<main")[1]


@pytest.mark.django_db
def test_district_page_groups_municipalities_by_verbandsgemeinde(client):
    response = client.get("/harz/")
    groups = dict(response.context["groups"])
    harz = Municipality.objects.filter(district__slug="harz")
    assert set(groups) == {""} | set(
        harz.exclude(verbandsgemeinde="").values_list("verbandsgemeinde", flat=True)
    )
    assert sum(len(members) for members in groups.values()) == harz.count() == 20
    html = response.content.decode()
    assert "Verbandsgemeinde Vorharz" in html
    assert "Einheitsgemeinden und Städte" in html
    for municipality in harz:
        assert f'href="/harz/{municipality.slug}/"' in html


@pytest.mark.django_db
def test_district_page_queries_do_not_grow_with_municipalities(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get("/boerde/")  # 34 municipalities
    with django_assert_num_queries(3):
        client.get("/magdeburg/")  # 1 municipality


@pytest.mark.django_db
def test_every_municipality_has_a_working_apply_page(client, election):
    for municipality in Municipality.objects.with_district():
        response = client.get(municipality.get_absolute_url())
        assert response.status_code == 200, municipality.name
        assert municipality.name in response.content.decode()


@pytest.mark.django_db
def test_pages_load_nothing_from_other_origins(client, election):
    resource = re.compile(r"<(?:link|script|img|iframe|source)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"")
    for url in ["/", "/harz/", "/harz/wernigerode/", "/suche/?q=Atlantis", "/datenschutz/"]:
        html = client.get(url).content.decode()
        loaded = resource.findall(html)
        assert loaded, url
        assert [src for src in loaded if not src.startswith("/") or src.startswith("//")] == []


@pytest.mark.django_db
def test_every_response_has_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_legal_pages_show_current_versions(client):
    assert "Angaben gemäß § 5 DDG" in client.get("/impressum/").content.decode()
    assert "Art. 9 Abs. 2 lit. a DSGVO" in client.get("/datenschutz/").content.decode()
    assert "ODbL" in client.get("/ueber-die-daten/").content.decode()
