from django.urls import path

from candidates import views
from candidates.models import LegalDocument
from portal.pagecache import BY_SOURCE, cache_public_page

app_name = "candidates"

urlpatterns = [
    path(
        "impressum/",
        cache_public_page()(views.LegalDocumentView.as_view(kind=LegalDocument.Kind.IMPRINT)),
        name="imprint",
    ),
    path(
        "datenschutz/",
        cache_public_page()(views.LegalDocumentView.as_view(kind=LegalDocument.Kind.PRIVACY)),
        name="privacy",
    ),
    path(
        "erwartungen/",
        cache_public_page()(views.LegalDocumentView.as_view(kind=LegalDocument.Kind.EXPECTATIONS)),
        name="expectations",
    ),
    path("bewerbung/danke/<str:token>/", views.ThanksView.as_view(), name="thanks"),
    path("bewerbung/bestaetigen/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "<slug:district>/<slug:municipality>/",
        cache_public_page(BY_SOURCE)(views.ApplyView.as_view()),
        name="apply",
    ),
]
