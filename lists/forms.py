"""The forms of the list admin: a new list, a list's fields and its people in order, and a
person entered directly. A form validates; lists.services saves."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Application, Election
from candidates.validators import canonical_email, check_date_of_birth, check_resident_since
from districts.models import Council, Municipality
from lists.models import CandidateList
from portal.scoping import districts_for

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_TIME_WIDGET = forms.SplitDateTimeWidget(
    date_attrs={"type": "date"},
    time_attrs={"type": "time"},
    date_format="%Y-%m-%d",
    time_format="%H:%M",
)


# Assembly dates and deadlines a list can plausibly have; outside them a typo (year 1
# broke the conversion to UTC and answered 500).
PLAUSIBLE_YEARS = range(2000, 2101)


class ListDatesMixin:
    def clean_assembly_at(self):
        return self._plausible(self.cleaned_data.get("assembly_at"))

    def clean_submission_deadline(self):
        return self._plausible(self.cleaned_data.get("submission_deadline"))

    def _plausible(self, value):
        if value is not None and value.year not in PLAUSIBLE_YEARS:
            raise forms.ValidationError(_("Bitte das Jahr prüfen."), code="implausible_year")
        return value


class ListAddForm(ListDatesMixin, forms.ModelForm):
    """A new list. `request` is set by the admin (CandidateListAdmin.get_form): the council
    is one of the user's visible councils, so a forged id fails here."""

    request = None

    election = forms.ModelChoiceField(Election.objects.all(), label=_("Wahl"))
    council = forms.ModelChoiceField(Council.objects.none(), label=_("Vertretung"))
    electoral_area = forms.IntegerField(
        label=_("Wahlbereich"),
        min_value=1,
        initial=1,
        help_text=_("1, wenn das Wahlgebiet nicht in Wahlbereiche geteilt ist."),
    )

    class Meta:
        model = CandidateList
        fields = [
            "election",
            "council",
            "electoral_area",
            "assembly_at",
            "assembly_place",
            "submission_deadline",
        ]
        field_classes = {"assembly_at": forms.SplitDateTimeField}
        widgets = {"assembly_at": DATE_TIME_WIDGET, "submission_deadline": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = (
            Council.objects.visible_to(self.request.user)
            .select_related("district")
            .order_by("district__name", "kind", "area_name")
        )

    def clean(self):
        cleaned = super().clean()
        council, area = cleaned.get("council"), cleaned.get("electoral_area")
        if council and area and council.electoral_areas and area > council.electoral_areas:
            self.add_error(
                "electoral_area",
                _("%(council)s hat nur %(areas)s Wahlbereich(e).")
                % {"council": council.name, "areas": council.electoral_areas},
            )
        return cleaned


class ListForm(ListDatesMixin, forms.ModelForm):
    """A list's own fields, with the version the editor loaded (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = CandidateList
        fields = ["status", "assembly_at", "assembly_place", "submission_deadline"]
        field_classes = {"assembly_at": forms.SplitDateTimeField}
        widgets = {"assembly_at": DATE_TIME_WIDGET, "submission_deadline": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assembly_at"].required = False
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class PlaceForm(forms.Form):
    """One row of the list: a place number and a person. The choices are given once for
    all rows (see place_formset), so rendering 40 rows runs no query per row."""

    position = forms.IntegerField(label=_("Platz"), min_value=1, max_value=999, required=False)
    application = forms.TypedChoiceField(
        label=_("Person"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("– niemand –")), *choices]
        self.fields["position"].widget.attrs.update({"class": "vSmallField", "size": 3})


class BasePlaceFormSet(forms.BaseFormSet):
    def ordered_ids(self):
        """The chosen application ids in list order: by the place numbers typed, rows
        without a number after the numbered ones in the order shown; removed and empty
        rows left out. Positions are renumbered 1..n by this order."""
        rows = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("application") is None:
                continue
            position = data.get("position")
            rows.append((position is None, position or 0, index, data["application"]))
        return [row[3] for row in sorted(rows)]

    def clean(self):
        if any(self.errors):
            return
        ids = self.ordered_ids()
        if len(ids) != len(set(ids)):
            raise forms.ValidationError(
                _("Eine Person steht mehrmals auf der Liste. Bitte jede Person nur einmal wählen."),
                code="twice",
            )


PlaceFormSet = forms.formset_factory(
    PlaceForm, formset=BasePlaceFormSet, extra=3, can_delete=True, max_num=300
)


def person_choices(applications):
    """(id, label) for the person selects: name, municipality and year of birth, so that
    two people of the same name can be told apart."""
    return [
        (
            application.pk,
            f"{application.last_name}, {application.first_names} "
            f"({application.municipality.name}, "
            f"{application.date_of_birth.year if application.date_of_birth else '?'})",
        )
        for application in applications
    ]


def municipalities_in_area(council, user):
    """The municipalities whose residents live in the council's Wahlgebiet
    (Council.lives_in_area), of the user's districts."""
    candidates = Municipality.objects.filter(
        district_id=council.district_id, district__in=districts_for(user)
    )
    ids = [m.pk for m in candidates if council.lives_in_area(m)]
    return Municipality.objects.filter(pk__in=ids).order_by("slug")


class DirectEntryForm(forms.ModelForm):
    """A person the team puts on a list without an application through the portal (a
    sitting councillor, say): the particulars of § 21 Abs. 6 KWG LSA, contact and the
    answers that decide eligibility. The model's field validators apply (ModelForm runs
    them); lists.services.add_person_directly stores it as entered by staff."""

    consent = forms.BooleanField(
        label=_(
            "Die Person ist einverstanden, auf dieser Liste zu kandidieren, und damit, dass "
            "ihre Angaben dafür im Portal gespeichert werden."
        ),
        error_messages={
            "required": _("Ohne das Einverständnis der Person dürfen wir sie nicht eintragen.")
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = [
            "last_name",
            "first_names",
            "occupation",
            "date_of_birth",
            "street",
            "postal_code",
            "town",
            "ortsteil",
            "municipality",
            "email",
            "phone",
            "citizenship",
            "resident_since",
            "membership",
            "member_of_other_party",
            "works_for_local_authority",
            "gender",
        ]
        labels = {
            "municipality": _("Gemeinde der Hauptwohnung"),
            "gender": _("Geschlecht (freiwillig, für den Frauenanteil der Liste)"),
        }
        help_texts = {
            "gender": _(
                "Zählt nur zusammengefasst im Frauenanteil der Liste. Die Angabe der "
                "einzelnen Person zeigt das Portal danach niemandem im Kreisverband oder in "
                "der Landesgeschäftsstelle."
            ),
            "ortsteil": _("Beim Gemeinderat: der Ortsteil, wie ihn die Hauptsatzung nennt."),
            "occupation": _("So, wie es auf dem Wahlvorschlag stehen soll."),
        }
        widgets = {"date_of_birth": DATE_WIDGET, "resident_since": DATE_WIDGET}

    def __init__(self, *args, candidate_list, user, **kwargs):
        # What the portal's form would ask but a direct entry does not: set here, so that
        # the model's rules see a complete record.
        kwargs.setdefault("instance", Application(accepts_expectations=False, motivation=""))
        super().__init__(*args, **kwargs)
        self.candidate_list = candidate_list
        # A list needs them all (Application.LIST_DETAILS), though the portal's short
        # first step may leave them for later.
        for name in Application.LIST_DETAILS:
            self.fields[name].required = True
        self.fields["municipality"].queryset = municipalities_in_area(candidate_list.council, user)
        self.fields["email"].help_text = _(
            "Für Rückfragen; die Person bekommt keine Bestätigungs-E-Mail."
        )
        if not self.is_bound:
            self.initial["version"] = candidate_list.version

    def clean_email(self):
        return canonical_email(self.cleaned_data["email"])

    def clean_date_of_birth(self):
        return check_date_of_birth(self.cleaned_data["date_of_birth"], today=timezone.localdate())

    def clean_resident_since(self):
        return check_resident_since(
            self.cleaned_data["resident_since"],
            election_day=self.candidate_list.election.election_day,
        )
