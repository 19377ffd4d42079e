from django.urls import path

from districts import views

app_name = "districts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("suche/", views.SearchView.as_view(), name="search"),
    path("ueber-die-daten/", views.AboutDataView.as_view(), name="about_data"),
    path("<slug:district>/", views.DistrictView.as_view(), name="district"),
]
