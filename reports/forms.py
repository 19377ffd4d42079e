"""The choices of an export: the export page (reports.views.ExportView) and the command
export_applications use the same form, so one set of rules decides what may be exported.

Every choice is checked against a list built in Python (the user's districts, the
elections, the statuses the user may see, the export's columns); nothing the user typed
reaches the database. A district outside `districts_for(user)` is not among the choices,
so it is a form error, never exported."""

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.models import Application, Body, Election, sees_unconfirmed
from portal.scoping import districts_for
from reports.exports import (
    ApplicationExport,
    CandidateListExport,
    applications_for_export,
    lists_for_export,
)
from reports.models import ExportRecord

ALL_ELECTIONS = ""


class ExportForm(forms.Form):
    inhalt = forms.ChoiceField(
        label=_("Inhalt"),
        required=False,
        choices=ExportRecord.Kind.choices,
        initial=ExportRecord.Kind.APPLICATIONS,
        widget=forms.RadioSelect,
        help_text=_(
            "Bewerbungen: eine Zeile je Bewerbung. Beschlossene Listen: eine Zeile je "
            "Listenplatz der beschlossenen oder eingereichten Listen, in Listenreihenfolge."
        ),
    )
    wahl = forms.ChoiceField(label=_("Wahl"), required=False)
    kreisverband = forms.MultipleChoiceField(
        label=_("Kreisverbände"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keiner angekreuzt: alle Kreisverbände, für die Sie arbeiten."),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nur für Bewerbungen. Keiner angekreuzt: jeder Status."),
    )
    gremium = forms.MultipleChoiceField(
        label=_("Gremien"),
        required=False,
        choices=Body.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Nur für Bewerbungen: wer sich für eines der angekreuzten Gremien bewirbt. "
            "Keines angekreuzt: alle."
        ),
    )
    spalte = forms.MultipleChoiceField(
        label=_("Spalten (Bewerbungen)"),
        required=False,
        choices=ApplicationExport.column_choices(),
        initial=ApplicationExport.default_keys(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine angekreuzt: die voreingestellten Spalten."),
    )
    listenspalte = forms.MultipleChoiceField(
        label=_("Spalten (beschlossene Listen)"),
        required=False,
        choices=CandidateListExport.column_choices(),
        initial=CandidateListExport.default_keys(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine angekreuzt: die voreingestellten Spalten."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportRecord.Format.choices,
        initial=ExportRecord.Format.XLSX,
        widget=forms.RadioSelect,
    )

    # The names of the fields: what the page's query string and the audit row use.
    FIELDS = ("inhalt", "wahl", "kreisverband", "status", "gremium", "spalte", "listenspalte")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.elections = {str(election.pk): election for election in Election.objects.all()}
        self.fields["wahl"].choices = [
            (ALL_ELECTIONS, _("alle Wahlen")),
            *((pk, election.name) for pk, election in self.elections.items()),
        ]
        self.districts = {district.slug: district for district in districts_for(user)}
        self.fields["kreisverband"].choices = [
            (slug, district.name) for slug, district in self.districts.items()
        ]
        self.fields["status"].choices = [
            (status.value, status.label)
            for status in Application.Status
            if status != Application.Status.UNCONFIRMED or sees_unconfirmed(user)
        ]

    def clean_inhalt(self):
        return self.cleaned_data["inhalt"] or ExportRecord.Kind.APPLICATIONS

    def clean_wahl(self):
        value = self.cleaned_data["wahl"]
        return self.elections[value] if value else None

    def clean_kreisverband(self):
        return [self.districts[slug] for slug in self.cleaned_data["kreisverband"]]

    @property
    def export(self):
        """The export with the chosen columns (the defaults where none were chosen)."""
        data = self.cleaned_data
        if data["inhalt"] == ExportRecord.Kind.LISTS:
            return CandidateListExport(data["listenspalte"] or None)
        return ApplicationExport(data["spalte"] or None)

    def queryset(self):
        """The rows of this choice, within what the user may see."""
        data = self.cleaned_data
        if data["inhalt"] == ExportRecord.Kind.LISTS:
            return lists_for_export(
                self.user, election=data["wahl"], districts=data["kreisverband"]
            )
        return applications_for_export(
            self.user,
            election=data["wahl"],
            districts=data["kreisverband"],
            statuses=data["status"],
            bodies=data["gremium"],
        )

    def filters(self, export):
        """The choices as the audit row keeps them: ids, slugs and codes."""
        data = self.cleaned_data
        filters = {
            "wahl": data["wahl"].pk if data["wahl"] else None,
            "kreisverband": [district.slug for district in data["kreisverband"]],
        }
        if data["inhalt"] == ExportRecord.Kind.APPLICATIONS:
            filters |= {"status": data["status"], "gremium": data["gremium"]}
        filters["spalten"] = export.column_keys
        return filters
