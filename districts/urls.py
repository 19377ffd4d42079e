from django.urls import path

from districts import views

app_name = "districts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("suche/", views.SearchView.as_view(), name="search"),
    path("ueber-die-daten/", views.AboutDataView.as_view(), name="about_data"),
    # Link-preview images (districts.previews). A dot can never be in a slug, so these
    # take no URL a district or municipality could ever need.
    path("vorschau.png", views.PreviewImageView.as_view(), name="preview_image_state"),
    path(
        "<slug:district>/vorschau.png",
        views.PreviewImageView.as_view(),
        name="preview_image",
    ),
    path("<slug:district>/", views.DistrictView.as_view(), name="district"),
]
