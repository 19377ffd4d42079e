"""The public application form. Longer than 400 lines on purpose: one form with its German
labels, help texts, layout and cross-field checks, which read best side by side."""

import functools
import threading
from collections import OrderedDict

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from campaigns.models import CODE_PATTERN
from candidates.abuse import HONEYPOT_FIELD
from candidates.fields import SUPPORT_FIELDS, SUPPORT_WISHES, form_fields
from candidates.models import BODY_FIELDS, Application, Body, bodies_for
from candidates.validators import (
    canonical_email,
    check_date_of_birth,
    check_resident_since,
    strip_invisible_controls,
)

MOTIVATION_MAX_LENGTH = 4000
TOPICS_MAX_LENGTH = 2000

SUPPORT_CHOICES = [(wish.key, wish.label) for wish in SUPPORT_WISHES]

# One informal voice for every message, instead of Django's formal defaults.
REQUIRED_MESSAGE = _("Bitte füll dieses Feld aus.")
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SourceCodeField(forms.CharField):
    """The hidden `quelle` field: the campaign source's code from the link
    (campaigns.models). It never fails: anything that is not a code's shape is dropped
    silently, since the applicant can neither see nor correct it."""

    def clean(self, value):
        return value if isinstance(value, str) and CODE_PATTERN.fullmatch(value) else ""


def layout_text(text):
    """A (translated) text for crispy's HTML layout objects, which render their content
    as a Django template: escaped, and braces written as entities, so that no catalogue
    entry can add markup or template code to the form."""
    return escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


class ApplicationForm(forms.ModelForm):
    """The public application for one municipality in one election."""

    # Only the names, the e-mail address and the consent are required (the short first
    # step); the model's fields that may come later are blank=True, so the form makes
    # them optional too, and Application.missing_details says what is still missing.
    bodies = forms.MultipleChoiceField(
        label=_("Für welche Gremien möchtest du kandidieren?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support = forms.MultipleChoiceField(
        label=_("Welche Unterstützung wünschst du dir?"),
        choices=SUPPORT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    quelle = SourceCodeField(required=False, widget=forms.HiddenInput)
    privacy_consent = forms.BooleanField(
        error_messages={
            "required": _("Ohne deine Einwilligung dürfen wir deine Bewerbung nicht speichern.")
        },
    )

    class Meta:
        model = Application
        # What the applicant types (candidates.fields); the page's order is the layout's.
        fields = form_fields()
        labels = {
            "local_council_name": _("Für welche Ortschaft?"),
            "first_names": _("Vornamen"),
            "last_name": _("Familienname"),
            "citizenship": _("Deine Staatsangehörigkeit"),
            "resident_since": _("Seit wann hast du deine Hauptwohnung in dieser Gemeinde?"),
            "membership": _("Bist du Mitglied der Partei?"),
            "member_of_other_party": _("Ich bin Mitglied einer anderen Partei."),
            "works_for_local_authority": _(
                "Ich arbeite bei der Gemeinde, der Verbandsgemeinde oder dem Landkreis."
            ),
            "motivation": _("Warum möchtest du kandidieren?"),
            "topics": _("Welche Themen liegen dir am Herzen?"),
            "gender": _("Geschlecht"),
            "migration_history": _(
                "Hast du oder hat mindestens ein Elternteil eine Migrationsgeschichte?"
            ),
            "accepts_expectations": _(
                "Ich unterstütze das Programm der Partei, möchte mit der Partei vor Ort "
                "zusammenarbeiten und weiß, dass Mandatsträger:innen einen Teil ihrer "
                "Aufwandsentschädigung als Mandatsträger:innenbeitrag an die Partei abgeben."
            ),
        }
        help_texts = {
            "local_council_name": _("Nur nötig, wenn du für einen Ortschaftsrat kandidierst."),
            "first_names": _("Alle Vornamen, wie im Ausweis – so stehen sie später auf der Liste."),
            "occupation": _(
                "z. B. Pflegefachfrau, Student, Rentnerin – so steht es auf der Liste."
            ),
            "email": _("Wir schicken dir einen Link, mit dem du deine Bewerbung bestätigst."),
            "phone": _("Freiwillig. Dann können wir dich auch anrufen."),
            "street": _("Deine Hauptwohnung (Meldeadresse)."),
            "ortsteil": _("Falls deine Gemeinde Ortsteile hat, z. B. „Silstedt“."),
            "resident_since": _(
                "Ein ungefähres Datum reicht. Wer kandidiert, muss am Wahltag seit mindestens "
                "drei Monaten dort wohnen."
            ),
            "member_of_other_party": _(
                "Auf einer Parteiliste können nur Mitglieder oder Parteilose stehen."
            ),
            "works_for_local_authority": _(
                "Das hindert dich nicht an einer Kandidatur. Wir erklären dir danach, was "
                "§ 41 KVG LSA dazu sagt."
            ),
            "motivation": _("Ein paar Sätze reichen. Es gibt keine falschen Antworten."),
            "topics": _("z. B. Kita-Plätze, Busverbindungen, Jugendclub, Mieten."),
            "gender": _("Freiwillig."),
            "migration_history": _("Freiwillig."),
        }
        widgets = {
            "date_of_birth": DateInput(),
            "resident_since": DateInput(),
            "citizenship": forms.RadioSelect,
            "membership": forms.RadioSelect,
            "motivation": forms.Textarea(attrs={"rows": 5}),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "first_names": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "street": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": 5}
            ),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def __init__(self, *args, municipality, election, **kwargs):
        super().__init__(*args, **kwargs)
        # The honeypot, named in candidates.abuse: invisible to people (CSS, aria-hidden,
        # out of the tab order); scripts fill it in.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Bitte dieses Feld leer lassen"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.municipality = municipality
        self.election = election
        self.bodies_offered = bodies_for(municipality)
        self.fields["bodies"].choices = self.bodies_offered
        if len(self.bodies_offered) == 1:
            self.fields["bodies"].initial = [Body.COUNCIL]
        if not any(body == Body.LOCAL_COUNCIL for body, _label in self.bodies_offered):
            del self.fields["local_council_name"]
        if not self.is_bound:
            self.fields["town"].initial = municipality.name
        # Radio buttons without Django's "---------" blank choice.
        self.fields["citizenship"].choices = Application.Citizenship.choices
        self.fields["membership"].choices = Application.Membership.choices
        self.fields["gender"].choices = [("", _("keine Angabe"))] + list(Application.Gender.choices)
        self.fields["migration_history"].choices = [("", _("keine Angabe"))] + list(
            Application.MigrationHistory.choices
        )
        self.fields["motivation"].max_length = MOTIVATION_MAX_LENGTH
        self.fields["motivation"].validators.append(MaxLengthValidator(MOTIVATION_MAX_LENGTH))
        self.fields["topics"].max_length = TOPICS_MAX_LENGTH
        self.fields["topics"].validators.append(MaxLengthValidator(TOPICS_MAX_LENGTH))
        self.fields["date_of_birth"].input_formats = DATE_INPUT_FORMATS
        self.fields["resident_since"].input_formats = DATE_INPUT_FORMATS
        # The text it refers to (LegalDocument EXPECTATIONS), also shown above the form.
        self.fields["accepts_expectations"].label = format_html(
            '{} <a href="{}">{}</a>',
            self.fields["accepts_expectations"].label,
            reverse("candidates:expectations"),
            _("Was wir erwarten und was wir bieten"),
        )
        # Consent under Art. 9 must be understood by whoever gives it: translated like
        # every label (the privacy notice itself stays authoritative in German).
        self.fields["privacy_consent"].label = format_html(
            _(
                "Ich willige ausdrücklich ein, dass {association} meine Angaben – auch meine "
                "politische Meinung, die aus der Bewerbung hervorgeht – zur Vorbereitung der "
                "Kandidatur verarbeitet (Art. 9 Abs. 2 lit. a DSGVO). Ich kann die "
                "Einwilligung jederzeit widerrufen. Mehr in der "
                '<a href="{url}" target="_blank" rel="noopener">Datenschutzerklärung</a>.'
            ),
            association=settings.PORTAL_ASSOCIATION_NAME,
            url=reverse("candidates:privacy"),
        )
        self._localise_messages()
        # The error summary (apply.html) goes through the fields in the form's order: the
        # answers in the order the layout shows them, then the fields declared above.
        self.order_fields(self._layout_order())

    # The layout is built when the form is shown, not for a POST that is stored and
    # redirected; its field order, which every form needs, is worked out once per shape.
    _layout_orders = {}

    def _layout_order(self):
        shape = (type(self), tuple(sorted(self.fields)))
        order = self._layout_orders.get(shape)
        if order is None:
            order = self._layout_orders[shape] = [
                pointer.name
                for pointer in self.helper.layout.get_field_names()
                if pointer.name in self._meta.fields
            ]
        return order

    @functools.cached_property
    def helper(self):
        return self._build_helper()

    def _localise_messages(self):
        own_required_message = {"privacy_consent"}
        for name, field in self.fields.items():
            if name not in own_required_message:
                field.error_messages["required"] = REQUIRED_MESSAGE
            field.error_messages["invalid_choice"] = _("Bitte wähl eine der Möglichkeiten aus.")
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _(
                    "Bitte gib ein gültiges Datum ein, z. B. 17.05.1990."
                )
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = _(
                    "Bitte gib eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."
                )
            for index, validator in enumerate(field.validators):
                if isinstance(validator, MaxLengthValidator):
                    field.validators[index] = MaxLengthValidator(
                        validator.limit_value,
                        message=_(
                            "Das ist zu lang: höchstens %(limit_value)d Zeichen "
                            "(jetzt %(show_value)d)."
                        ),
                    )

    def _build_helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        bodies = ["bodies"]
        if "local_council_name" in self.fields:
            bodies.append("local_council_name")
        helper.layout = Layout(
            # The short first step: who, how to reach them, where.
            Fieldset(
                _("Über dich"),
                Div(
                    Div("first_names", css_class="col-md-6"),
                    Div("last_name", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("email", css_class="col-md-6"),
                    Div("phone", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Wo möchtest du kandidieren?"), *bodies),
            HTML(
                '<h2 class="h4 mt-4">'
                + layout_text(_("Mehr angeben – jetzt oder später"))
                + '</h2><p class="form-text">'
                + layout_text(
                    _(
                        "Das alles brauchen wir, bevor du auf einem Wahlvorschlag stehen "
                        "kannst. Du kannst es jetzt angeben oder später über den Link in "
                        "deiner Bestätigungs-E-Mail ergänzen."
                    )
                )
                + "</p>"
            ),
            Fieldset(
                _("Für den Wahlvorschlag"),
                Div(
                    Div("date_of_birth", css_class="col-md-6"),
                    Div("occupation", css_class="col-md-6"),
                    css_class="row",
                ),
                "citizenship",
            ),
            Fieldset(
                _("Hauptwohnung"),
                "street",
                Div(
                    Div("postal_code", css_class="col-4 col-md-3"),
                    Div("town", css_class="col-8 col-md-5"),
                    Div("ortsteil", css_class="col-md-4"),
                    css_class="row",
                ),
                "resident_since",
            ),
            Fieldset(
                _("Partei"),
                "membership",
                "member_of_other_party",
                "works_for_local_authority",
            ),
            Fieldset(_("Deine Motivation"), "motivation", "topics"),
            Fieldset(_("Unterstützung"), "support"),
            Fieldset(
                _("Freiwillig: für unsere Statistik"),
                HTML(
                    '<p class="form-text">'
                    + layout_text(
                        _(
                            "Wir möchten mehr Frauen, junge Menschen und Menschen mit "
                            "Migrationsgeschichte in die Kommunalparlamente bringen. Deine "
                            "einzelnen Antworten sehen nur die technischen "
                            "Administrator:innen, die das Portal betreiben. Die "
                            "Kreisverbände und die Landesgeschäftsstelle sehen nur "
                            "zusammengefasste Zahlen, in denen Gruppen unter 5 Personen "
                            "nicht gezeigt werden. Die Antworten stehen in keinem Export und "
                            "haben keinen Einfluss auf deine Bewerbung."
                        )
                    )
                    + "</p>"
                ),
                Div(
                    Div("gender", css_class="col-md-6"),
                    Div("migration_history", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Erklärungen"), "accepts_expectations", "privacy_consent"),
            Div(HONEYPOT_FIELD, css_class="hp-field", aria_hidden="true"),
            "quelle",
        )
        return helper

    # --- field rules -------------------------------------------------------------------

    # Names, addresses, postal code and phone are checked by the model's field validators
    # (candidates.validators), which run in ModelForm validation and in every other write
    # path; Django's CharField has stripped the white space already.

    def clean_email(self):
        return canonical_email(self.cleaned_data["email"])

    def clean_motivation(self):
        # Invisible direction controls are removed, not refused: the person cannot see
        # them. The model's validate_text checks the rest.
        return strip_invisible_controls(self.cleaned_data["motivation"]).strip()

    def clean_topics(self):
        return strip_invisible_controls(self.cleaned_data["topics"]).strip()

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value is None:
            return None
        return check_date_of_birth(value, today=timezone.localdate())

    def clean_resident_since(self):
        value = self.cleaned_data["resident_since"]
        if value is None:
            return None
        return check_resident_since(value, election_day=self.election.election_day)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            # Show the form again with the trap emptied: a person (say, a browser's
            # autofill) can simply send it once more; a script learns nothing.
            self.data = self.data.copy()
            self.data[HONEYPOT_FIELD] = ""
            raise forms.ValidationError(
                _(
                    "Dein Formular sah für uns wie eine automatische Eingabe aus. "
                    "Bitte schick es noch einmal ab."
                ),
                code="honeypot",
            )
        birth, since = cleaned.get("date_of_birth"), cleaned.get("resident_since")
        if birth and since and since < birth:
            self.add_error("resident_since", _("Dieses Datum liegt vor deinem Geburtsdatum."))
        if Body.LOCAL_COUNCIL in cleaned.get("bodies", []) and not cleaned.get(
            "local_council_name"
        ):
            self.add_error(
                "local_council_name",
                _("Bitte nenn die Ortschaft, für deren Ortschaftsrat du kandidierst."),
            )
        # No word here about whether this address has applied before: that answer would
        # tell anyone where a person applied (services.submit_application mails it).
        return cleaned

    def _post_clean(self):
        # Fill in what the form knows but the citizen does not type, so the model's own
        # validation (run by super()) sees a complete application.
        self.instance.election = self.election
        self.instance.municipality = self.municipality
        chosen_bodies = set(self.cleaned_data.get("bodies", []))
        for body, field in BODY_FIELDS.items():
            setattr(self.instance, field, body in chosen_bodies)
        if Body.LOCAL_COUNCIL not in chosen_bodies:
            self.cleaned_data["local_council_name"] = ""
        wishes = set(self.cleaned_data.get("support", []))
        for choice, field in SUPPORT_FIELDS.items():
            setattr(self.instance, field, choice in wishes)
        super()._post_clean()
        # What the model's field rules accepted here, value by value: submit_application
        # does not run them again on a field whose value is still the same.
        excluded = self._get_validation_exclusions()
        self.instance._validated_values = {
            field.name: field.value_from_object(self.instance)
            for field in self.instance._meta.concrete_fields
            if field.name not in excluded and field.name not in self._errors
        }

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # Stamped by services.submit_application when it stores the application (the
        # time, and the version of the current privacy notice), never by the form.
        exclusions.update({"consent_version", "consent_given_at"})
        return exclusions

    def validate_unique(self):
        # Never: a "this already exists" message would reveal who applied where. A second
        # application of one address is answered by mail (services.submit_application).
        pass


# The empty form of a municipality, as crispy-forms renders it (most of the form page's
# time): kept per process, keyed by everything the markup depends on (the bodies offered
# with their names, the town, the campaign code, the language), so a change to any of
# them makes a new entry rather than a stale one. At most one entry per municipality,
# language and code in use; the oldest go first.
_EMPTY_FORMS = OrderedDict()
_EMPTY_FORMS_MAX = 2000
_EMPTY_FORMS_LOCK = threading.Lock()


def rendered_empty_form(form):
    """The HTML of `{% crispy form %}` for an unbound ApplicationForm."""
    key = (
        type(form),
        form.municipality.pk,
        tuple((str(value), str(label)) for value, label in form.bodies_offered),
        str(form.fields["town"].initial),
        str(form.initial.get("quelle", "")),
        get_language(),
        tuple(form.fields),
    )
    with _EMPTY_FORMS_LOCK:
        html = _EMPTY_FORMS.get(key)
        if html is not None:
            _EMPTY_FORMS.move_to_end(key)
            return html
    html = render_crispy_form(form, helper=form.helper)
    with _EMPTY_FORMS_LOCK:
        _EMPTY_FORMS[key] = html
        while len(_EMPTY_FORMS) > _EMPTY_FORMS_MAX:
            _EMPTY_FORMS.popitem(last=False)
    return html
