from django.urls import path

from embed import views
from portal.pagecache import BY_SOURCE, cache_public_page

app_name = "embed"

urlpatterns = [
    path(
        "<slug:district>/",
        cache_public_page(BY_SOURCE)(views.EmbedDistrictView.as_view()),
        name="district",
    ),
    path("<slug:district>/danke/<str:token>/", views.EmbedThanksView.as_view(), name="thanks"),
    path(
        "<slug:district>/<slug:municipality>/",
        cache_public_page(BY_SOURCE)(views.EmbedApplyView.as_view()),
        name="apply",
    ),
]
