from django.urls import path

from selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("neuer-link/", views.NewLinkView.as_view(), name="new_link"),
    path("neuer-link/gesendet/", views.NewLinkSentView.as_view(), name="new_link_sent"),
    path("geloescht/", views.DeletedView.as_view(), name="deleted"),
    path("<str:token>/", views.OverviewView.as_view(), name="overview"),
    path("<str:token>/korrigieren/", views.CorrectView.as_view(), name="correct"),
    path("<str:token>/zurueckziehen/", views.WithdrawView.as_view(), name="withdraw"),
    path("<str:token>/meine-daten/", views.MyDataView.as_view(), name="my_data"),
    path("<str:token>/meine-daten.json", views.MyDataJSONView.as_view(), name="my_data_json"),
    path("<str:token>/loeschen/", views.DeleteView.as_view(), name="delete"),
]
