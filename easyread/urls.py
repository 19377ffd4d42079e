from django.urls import path

from easyread import views
from portal.pagecache import cache_public_page

app_name = "easyread"

# German slugs: these pages are German in every case (easyread.views).
urlpatterns = [
    path("", cache_public_page()(views.OverviewView.as_view()), name="overview"),
    path("gemeinde-rat/", cache_public_page()(views.CouncilView.as_view()), name="council"),
    path("kandidieren/", cache_public_page()(views.CandidacyView.as_view()), name="candidacy"),
    path(
        "nach-der-bewerbung/",
        cache_public_page()(views.AfterApplyingView.as_view()),
        name="after_applying",
    ),
    path("bewerben/", cache_public_page()(views.ApplyView.as_view()), name="apply"),
]
