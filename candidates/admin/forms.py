"""The forms of the application admin: the change form with the workflow fields, and
the intermediate pages of the bulk actions. A form validates; candidates.services saves."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from candidates import services, workflow
from candidates.models import BODY_FIELDS, Application, display_name


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class ApplicationAdminForm(forms.ModelForm):
    """The change form: model fields as the admin builds them, plus the workflow, which
    is saved through candidates.services (ApplicationAdmin.save_model)."""

    new_status = forms.ChoiceField(label=_("Status ändern"), required=False)
    status_note = forms.CharField(
        label=_("Bemerkung zur Statusänderung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Freiwillig; erscheint im Verlauf neben der Statusänderung."),
    )
    new_assignee = StaffChoiceField(
        label=_("Ansprechperson"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("– niemand –"),
        help_text=_("Aus dem Team des Kreisverbands oder der Landesgeschäftsstelle."),
    )
    new_note = forms.CharField(
        label=_("Notiz hinzufügen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Z. B. „Angerufen, meldet sich nach dem Urlaub“. Notizen bleiben im Verlauf "
            "und lassen sich nicht ändern oder löschen."
        ),
    )

    # Shown next to the municipality when the bodies, read-only for this user, are not
    # elected there.
    bodies_read_only_note = _(
        "Bitte eine andere Gemeinde wählen oder die Gremien zuerst korrigieren lassen: "
        "Gremien ändern können nur Superuser (Betrieb des Portals), nicht Kreisverbände "
        "und nicht die Landesgeschäftsstelle."
    )

    # Set by ApplicationAdmin.get_form.
    request = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        application, user = self.instance, self.request.user
        if "new_status" in self.fields:
            allowed = workflow.allowed_transitions(application.status, user)
            self.fields["new_status"].choices = [("", _("– unverändert –"))] + [
                (status.value, status.label) for status in allowed
            ]
            if not allowed:
                self.fields["new_status"].help_text = _(
                    "Von diesem Status aus ist keine Änderung vorgesehen."
                )
        if "new_assignee" in self.fields:
            choices = workflow.assignable_users([application.municipality.district_id])
            if application.assignee_id:
                # Keeping the current Ansprechperson is always possible.
                choices = choices | get_user_model().objects.filter(pk=application.assignee_id)
            self.fields["new_assignee"].queryset = choices
            self.fields["new_assignee"].initial = application.assignee_id

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status_note", "").strip() and not cleaned.get("new_status"):
            self.add_error(
                "status_note",
                _("Bitte einen neuen Status wählen – oder den Text als Notiz eintragen."),
            )
        assignee = cleaned.get("new_assignee")
        municipality = cleaned.get("municipality") or self.instance.municipality
        if (
            assignee is not None
            and "new_assignee" in self.changed_data
            and not workflow.is_assignable(assignee, municipality.district_id)
        ):
            self.add_error(
                "new_assignee",
                _("Diese Person gehört nicht zum Team des Kreisverbands %(district)s.")
                % {"district": municipality.district.name},
            )
        return cleaned

    def _post_clean(self):
        # ModelForm: the edited fields onto the instance, then Application.full_clean() on
        # the fields this form shows, Application.clean()'s rules included. A body the new
        # municipality does not elect is an error next to the body when the body fields
        # are on the form (superusers), else next to the municipality.
        super()._post_clean()
        municipality_errors = self._errors.get("municipality")
        if (
            municipality_errors
            and any(error.code == "body_not_elected" for error in municipality_errors.as_data())
            and not set(BODY_FIELDS.values()) & set(self.fields)
        ):
            self.add_error("municipality", self.bodies_read_only_note)
        model_fields = {field.name for field in Application._meta.concrete_fields}
        if not self._errors and model_fields.intersection(self.changed_data):
            # ApplicationAdmin.save_model will hand the changes to
            # services.update_application; check now what it will check, so that the
            # save cannot fail after the form said yes (a rule broken in a field this
            # form does not show, the same address applied there already).
            try:
                services.validate_application_update(self.instance)
            except ValidationError as error:
                self._add_update_errors(error)

    def _add_update_errors(self, error):
        for name, errors in error.error_dict.items():
            for item in errors:
                if name in self.fields:
                    self.add_error(name, item)
                elif name != NON_FIELD_ERRORS:
                    label = Application._meta.get_field(name).verbose_name
                    for message in item.messages:
                        self.add_error(
                            None,
                            _(
                                "%(field)s: %(message)s Das lässt sich hier nicht ändern; "
                                "bitte an den Betrieb des Portals wenden."
                            )
                            % {"field": label, "message": message},
                        )
                elif item.code == "unique_together" and "municipality" in self.fields:
                    self.add_error(
                        "municipality",
                        _(
                            "Für diese Wahl gibt es in %(municipality)s schon eine Bewerbung "
                            "mit derselben E-Mail-Adresse."
                        )
                        % {"municipality": self.instance.municipality.name},
                    )
                else:
                    self.add_error(None, item)


class BulkStatusForm(forms.Form):
    new_status = forms.ChoiceField(label=_("Neuer Status"))
    note = forms.CharField(
        label=_("Bemerkung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Freiwillig; steht bei jeder geänderten Bewerbung im Verlauf."),
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_status"].choices = [(s.value, s.label) for s in statuses]


class BulkAssignForm(forms.Form):
    assignee = StaffChoiceField(
        label=_("Ansprechperson"),
        queryset=get_user_model().objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "Diese Person kann nicht für alle ausgewählten Bewerbungen Ansprechperson sein."
            )
        },
    )

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
