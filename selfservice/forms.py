from crispy_forms.layout import HTML
from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.abuse import HONEYPOT_FIELD
from candidates.fields import SUPPORT_FIELDS
from candidates.forms import ApplicationForm
from candidates.models import BODY_FIELDS
from candidates.validators import canonical_email

# Not corrected here:
# - the e-mail address: a new one would need its own confirmation, and the database's
#   "one application per address" would tell whether another address applied there;
# - the declarations (given once, with the application) and the consent. Only an
#   application from the short first step without the expectations declared yet offers
#   it (Application.missing_details), so the person can complete it here.
NOT_CORRECTED = ("email", "accepts_expectations", "privacy_consent", HONEYPOT_FIELD)


def _without(layout_object, names):
    """Remove the named fields from a crispy layout, however deep they sit."""
    kept = []
    for item in layout_object.fields:
        if isinstance(item, str):
            if item not in names:
                kept.append(item)
        else:
            if hasattr(item, "fields"):
                _without(item, names)
            kept.append(item)
    layout_object.fields[:] = kept
    return layout_object


class CorrectionForm(ApplicationForm):
    """The applicant's own details, with the public form's fields, labels and rules
    (candidates.forms.ApplicationForm) and the model's validators; without the e-mail
    address, the declarations and the consent (NOT_CORRECTED). Bound to a copy of the
    application: the view hands only the changed fields to update_application."""

    def __init__(self, *args, instance, **kwargs):
        self.not_corrected = set(NOT_CORRECTED)
        if not instance.accepts_expectations:
            self.not_corrected.discard("accepts_expectations")
        super().__init__(
            *args,
            instance=instance,
            municipality=instance.municipality,
            election=instance.election,
            **kwargs,
        )
        for name in self.not_corrected:
            self.fields.pop(name, None)
        self.initial["bodies"] = [
            body for body, field in BODY_FIELDS.items() if getattr(instance, field)
        ]
        self.initial["support"] = [
            key for key, field in SUPPORT_FIELDS.items() if getattr(instance, field)
        ]

    def _build_helper(self):
        helper = super()._build_helper()
        _without(helper.layout, self.not_corrected)
        # The public form's note on completing later (a top-level HTML block) is for the
        # first step only; this page is where the person completes.
        helper.layout.fields[:] = [
            item for item in helper.layout.fields if not isinstance(item, HTML)
        ]
        return helper

    def changed_values(self, original):
        """{field: new value} for every model field whose value differs from `original`
        (the application as stored)."""
        names = [*self._meta.fields, *BODY_FIELDS.values(), *SUPPORT_FIELDS.values()]
        return {
            name: getattr(self.instance, name)
            for name in names
            if name not in self.not_corrected
            and getattr(self.instance, name) != getattr(original, name)
        }


class NewLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Deine E-Mail-Adresse"),
        help_text=_("Die Adresse, mit der du dich beworben hast."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte füll dieses Feld aus."),
            "invalid": _("Bitte gib eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."),
        },
    )

    def clean_email(self):
        return canonical_email(self.cleaned_data["email"])
