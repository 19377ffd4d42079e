from django.urls import path

from embed import views

app_name = "embed"

urlpatterns = [
    path("<slug:district>/", views.EmbedDistrictView.as_view(), name="district"),
    path("<slug:district>/danke/<str:token>/", views.EmbedThanksView.as_view(), name="thanks"),
    path("<slug:district>/<slug:municipality>/", views.EmbedApplyView.as_view(), name="apply"),
]
