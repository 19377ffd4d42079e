from django.urls import path

from candidates import views
from candidates.models import LegalDocument

app_name = "candidates"

urlpatterns = [
    path(
        "impressum/",
        views.LegalDocumentView.as_view(kind=LegalDocument.Kind.IMPRINT),
        name="imprint",
    ),
    path(
        "datenschutz/",
        views.LegalDocumentView.as_view(kind=LegalDocument.Kind.PRIVACY),
        name="privacy",
    ),
    path(
        "erwartungen/",
        views.LegalDocumentView.as_view(kind=LegalDocument.Kind.EXPECTATIONS),
        name="expectations",
    ),
    path("bewerbung/danke/<str:token>/", views.ThanksView.as_view(), name="thanks"),
    path("bewerbung/bestaetigen/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("<slug:district>/<slug:municipality>/", views.ApplyView.as_view(), name="apply"),
]
