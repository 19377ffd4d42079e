from django.urls import path

from districts import views
from portal.pagecache import BY_SOURCE, cache_public_page, search_parameter

app_name = "districts"

urlpatterns = [
    path("", cache_public_page()(views.HomeView.as_view()), name="home"),
    path(
        "suche/",
        cache_public_page({"q": search_parameter})(views.SearchView.as_view()),
        name="search",
    ),
    path("ueber-die-daten/", cache_public_page()(views.AboutDataView.as_view()), name="about_data"),
    # Link-preview images (districts.previews). A dot can never be in a slug, so these
    # take no URL a district or municipality could ever need.
    path("vorschau.png", views.PreviewImageView.as_view(), name="preview_image_state"),
    path(
        "<slug:district>/vorschau.png",
        views.PreviewImageView.as_view(),
        name="preview_image",
    ),
    path(
        "<slug:district>/",
        cache_public_page(BY_SOURCE)(views.DistrictView.as_view()),
        name="district",
    ),
]
