from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidates import services, workflow
from candidates.models import (
    BODY_FIELDS,
    SUPPORT_FIELDS,
    Application,
    Body,
    Election,
    LegalDocument,
    bodies_for,
    display_name,
)
from districts.admin import DistrictScopedAdmin
from districts.permissions import is_state_office


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "election_day",
        "applications_open_from",
        "applications_open_until",
        "is_open",
        "application_count",
    ]
    search_fields = ["name"]

    # Explicit: Meta.ordering does not apply to the aggregated (GROUP BY) queryset.
    ordering = ["-election_day"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_count=Count("applications"))

    @admin.display(description=_("offen"), boolean=True)
    def is_open(self, obj):
        return obj.is_open()

    @admin.display(description=_("Bewerbungen"), ordering="application_count")
    def application_count(self, obj):
        return obj.application_count


LEGAL_DOCUMENT_NOTE = _(
    "Die öffentlichen Seiten zeigen je Art die neueste Version, deren Veröffentlichungsdatum "
    "erreicht ist. Um einen Text zu ändern, eine neue Version anlegen statt die alte zu "
    "bearbeiten: Bewerber:innen haben der Datenschutzerklärung in der Version zugestimmt, "
    "die sie gesehen haben."
)


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "published_at"]
    list_filter = ["kind"]
    search_fields = ["version"]
    fieldsets = [
        (
            None,
            {
                "fields": ["kind", "version", "published_at", "text"],
                "description": LEGAL_DOCUMENT_NOTE,
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        subtitle = _("Angezeigt wird je Art die neueste veröffentlichte Version.")
        extra_context = {"subtitle": subtitle, **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)


# Short labels for the list column; the model's labels are the applicant's own answers.
MEMBERSHIP_SHORT = {
    Application.Membership.MEMBER: _("Mitglied"),
    Application.Membership.NON_MEMBER: _("parteilos (offene Liste)"),
    Application.Membership.WANTS_TO_JOIN: _("möchte eintreten"),
}

# Short labels for the list filter, by the keys of SUPPORT_FIELDS.
SUPPORT_LABELS = {
    "training": _("Schulungen und Workshops"),
    "mentoring": _("Mentoring"),
    "compatibility": _("Vereinbarkeit von Familie, Beruf, Mandat"),
    "youth_event": _("Treffen junger Kandidat:innen"),
}

# What only superusers (operators) may edit. Everyone else edits the application through
# the workflow (status, Ansprechperson, notes) and may move it to another municipality of
# their own districts; the applicant corrects their own data.
PERSONAL_FIELDS = [
    "election",
    "first_names",
    "last_name",
    "date_of_birth",
    "occupation",
    "email",
    "phone",
    "street",
    "postal_code",
    "town",
    "ortsteil",
    "citizenship",
    "resident_since",
    "membership",
    "member_of_other_party",
    "works_for_local_authority",
    *BODY_FIELDS.values(),
    "local_council_name",
    "motivation",
    "topics",
    "wants_training",
    "wants_mentoring",
    "wants_compatibility_help",
    "wants_youth_event",
    "gender",
    "migration_history",
    "accepts_expectations",
]
COMPUTED_FIELDS = [
    "status",
    "assignee_name",
    "age_on_election_day",
    "is_eligible",
    "ineligibility_explanations",
    "incompatibility_note",
    "available_bodies",
    "consent_version",
    "consent_given_at",
    "confirmed_at",
    "created_at",
    "updated_at",
]
WORKFLOW_FIELDS = ["new_status", "status_note", "new_assignee", "new_note"]


# --- List filters: choices come from the scoped queryset or are fixed -----------------


class StatusFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (status.value, status.label)
            for status in Application.Status
            if status != Application.Status.UNCONFIRMED or is_state_office(request.user)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class BodyFilter(admin.SimpleListFilter):
    title = _("Gremium")
    parameter_name = "gremium"

    def lookups(self, request, model_admin):
        return Body.choices

    def queryset(self, request, queryset):
        field = BODY_FIELDS.get(self.value())
        return queryset.filter(**{field: True}) if field else queryset


class MembershipFilter(admin.SimpleListFilter):
    title = _("Mitgliedschaft")
    parameter_name = "mitgliedschaft"

    def lookups(self, request, model_admin):
        return list(MEMBERSHIP_SHORT.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(membership=self.value())
        return queryset


class SupportFilter(admin.SimpleListFilter):
    title = _("Unterstützungswunsch")
    parameter_name = "unterstuetzung"

    def lookups(self, request, model_admin):
        return [(key, SUPPORT_LABELS[key]) for key in SUPPORT_FIELDS]

    def queryset(self, request, queryset):
        if self.value() in SUPPORT_FIELDS:
            return queryset.filter(**{SUPPORT_FIELDS[self.value()]: True})
        return queryset


# --- Forms ----------------------------------------------------------------------------


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


# --- Application ----------------------------------------------------------------------


@admin.register(Application)
class ApplicationAdmin(DistrictScopedAdmin):
    form = ApplicationAdminForm
    change_form_template = "admin/candidates/application/change_form.html"
    change_list_template = "admin/candidates/application/change_list.html"
    list_display = [
        "full_name",
        "municipality",
        "district",
        "body_list",
        "status",
        "assignee_name",
        "age_on_election_day",
        "membership_short",
        "is_eligible",
        "created_at",
    ]
    list_filter = [
        ("election", admin.RelatedOnlyFieldListFilter),
        ("municipality__district", admin.RelatedOnlyFieldListFilter),
        ("municipality", admin.RelatedOnlyFieldListFilter),
        StatusFilter,
        ("assignee", admin.RelatedOnlyFieldListFilter),
        BodyFilter,
        MembershipFilter,
        "is_eligible",
        SupportFilter,
        "gender",
        "migration_history",
    ]
    search_fields = ["last_name", "first_names", "email", "municipality__name"]
    date_hierarchy = "created_at"
    list_select_related = ["election", "municipality__district", "assignee"]
    actions = ["change_status_action", "assign_action"]
    # get_absolute_url points back into the admin; there is no public page to show.
    view_on_site = False

    def has_add_permission(self, request):
        # Applications come in through the public form, with consent and confirmation.
        return False

    # --- deletion: the one erasure path (services.erase_applications) ----------------

    def log_deletions(self, request, queryset):
        # Django would log "Erika Muster (Wernigerode)" before deleting; erase_applications
        # logs who erased which number instead, after the erasure.
        return []

    def delete_model(self, request, obj):
        services.erase_applications(Application.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        services.erase_applications(queryset, by=request.user)

    # --- change page --------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        workflow_fields = [["status", "assignee_name"]]
        if obj is not None and self.has_change_permission(request, obj):
            workflow_fields += ["new_status", "status_note", "new_assignee"]
        if obj is not None and request.user.has_perm("candidates.add_note"):
            workflow_fields.append("new_note")
        return [
            (_("Bearbeitung"), {"fields": workflow_fields}),
            (
                _("Person"),
                {
                    "fields": [
                        "election",
                        "municipality",
                        ("first_names", "last_name"),
                        "date_of_birth",
                        "occupation",
                        "email",
                        "phone",
                    ]
                },
            ),
            (_("Hauptwohnung"), {"fields": ["street", ("postal_code", "town"), "ortsteil"]}),
            (
                _("Wählbarkeit"),
                {
                    "fields": [
                        "citizenship",
                        "resident_since",
                        "membership",
                        "member_of_other_party",
                        "works_for_local_authority",
                        "age_on_election_day",
                        "is_eligible",
                        "ineligibility_explanations",
                        "incompatibility_note",
                    ],
                    "description": _(
                        "Die Wählbarkeit wird beim Speichern aus den Angaben neu berechnet."
                    ),
                },
            ),
            (
                _("Gremien"),
                {"fields": ["available_bodies", *BODY_FIELDS.values(), "local_council_name"]},
            ),
            (_("Motivation"), {"fields": ["motivation", "topics"]}),
            (
                _("Unterstützung"),
                {
                    "fields": [
                        "wants_training",
                        "wants_mentoring",
                        "wants_compatibility_help",
                        "wants_youth_event",
                    ]
                },
            ),
            (
                _("Selbstauskunft"),
                {
                    "fields": ["gender", "migration_history"],
                    "description": _("Freiwillige Angaben, nur für zusammengefasste Statistiken."),
                },
            ),
            (
                _("Erklärungen und Eingang"),
                {
                    "fields": [
                        "accepts_expectations",
                        "consent_version",
                        "consent_given_at",
                        "confirmed_at",
                        "created_at",
                        "updated_at",
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return COMPUTED_FIELDS
        return [*COMPUTED_FIELDS, *PERSONAL_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["application_history"] = workflow.history(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """Every write through the services, which validate and write the history rows:
        model fields through services.update_application, status, Ansprechperson and
        notes through theirs."""
        data = form.cleaned_data
        model_fields = {field.name for field in Application._meta.concrete_fields}
        changes = {name: data[name] for name in form.changed_data if name in model_fields}
        try:
            # The Ansprechperson before the model fields: one chosen together with a move
            # to another district (the form checked them against the new one) is then
            # kept, and the history shows one change instead of a removal and a choice.
            if "new_assignee" in form.changed_data:
                services.assign(obj, assignee=data["new_assignee"], by=request.user)
        except ValidationError as error:
            # Only a concurrent change gets here; the form has checked the rest.
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        if changes:
            previous_assignee = obj.assignee
            # The form ran the same checks (ApplicationAdminForm._post_clean); a
            # ValidationError here is a race and rolls the whole request back.
            services.update_application(obj, by=request.user, changes=changes)
            if previous_assignee is not None and obj.assignee is None:
                self.message_user(
                    request,
                    _(
                        "%(name)s ist nicht mehr Ansprechperson, denn die Person gehört nicht "
                        "zum Team des Kreisverbands %(district)s. Bitte eine neue "
                        "Ansprechperson wählen; die Änderung steht im Verlauf."
                    )
                    % {
                        "name": display_name(previous_assignee),
                        "district": obj.municipality.district.name,
                    },
                    messages.WARNING,
                )
        try:
            if data.get("new_status"):
                services.change_status(
                    obj, status=data["new_status"], by=request.user, note=data["status_note"]
                )
            if data.get("new_note", "").strip():
                services.add_note(obj, text=data["new_note"], by=request.user)
        except ValidationError as error:
            # Only a concurrent change gets here; the form has checked the rest.
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)

    # --- list ---------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if "cl" in context:
            context["status_counts"] = self.status_counts(request, context["cl"])
        return response

    def status_counts(self, request, cl):
        """(label, count, link, active) per status, for the box above the list: one
        aggregate query over the list as filtered, except for the status filter itself."""
        status_filter = next(
            (spec for spec in cl.filter_specs if isinstance(spec, StatusFilter)), None
        )
        queryset = cl.queryset
        if status_filter is not None and status_filter.value():
            queryset = cl.get_queryset(
                request, exclude_parameters=status_filter.expected_parameters()
            )
        counts = dict(queryset.order_by().values_list("status").annotate(count=Count("pk")))
        active = status_filter.value() if status_filter else None
        return [
            {
                "label": label,
                "count": counts.get(value, 0),
                "url": cl.get_query_string({StatusFilter.parameter_name: value}, ["p"]),
                "active": value == active,
            }
            for value, label in StatusFilter(request, {}, Application, self).lookup_choices
        ]

    @admin.display(description=_("Name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("Kreisverband"), ordering="municipality__district__name")
    def district(self, obj):
        return obj.municipality.district

    @admin.display(description=_("Gremien"))
    def body_list(self, obj):
        return ", ".join(str(Body(body).label) for body in obj.bodies)

    @admin.display(description=_("Ansprechperson"), ordering="assignee__last_name")
    def assignee_name(self, obj):
        return display_name(obj.assignee) or "–"

    @admin.display(description=_("Alter am Wahltag"), ordering="-date_of_birth")
    def age_on_election_day(self, obj):
        return obj.age_on_election_day

    @admin.display(description=_("Mitgliedschaft"), ordering="membership")
    def membership_short(self, obj):
        return MEMBERSHIP_SHORT.get(obj.membership, obj.get_membership_display())

    @admin.display(description=_("Gründe gegen die Wählbarkeit"))
    def ineligibility_explanations(self, obj):
        reasons = obj.ineligibility_explanations
        if not reasons:
            return _("keine – nach den Angaben wählbar")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> {}</li>",
                ((reason.title, reason.explanation) for reason in reasons),
            ),
        )

    @admin.display(description=_("Hinweis zu § 41 KVG LSA"))
    def incompatibility_note(self, obj):
        return obj.incompatibility_note or "–"

    @admin.display(description=_("Mögliche Gremien in dieser Gemeinde"))
    def available_bodies(self, obj):
        return ", ".join(str(name) for _body, name in bodies_for(obj.municipality))

    # --- bulk actions (on the scoped queryset Django passes in) -------------------

    def _action_page(self, request, queryset, *, template, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "applications": queryset,
            "action": request.POST.get("action"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, template, context)

    @admin.action(description=_("Status ändern …"), permissions=["change"])
    def change_status_action(self, request, queryset):
        applications = list(queryset.select_related("municipality").order_by("last_name", "pk"))
        if not applications:
            self.message_user(request, _("Keine Bewerbung ausgewählt."), messages.WARNING)
            return None
        reachable = set()
        for application in applications:
            reachable.update(workflow.allowed_transitions(application.status, request.user))
        statuses = [status for status in Application.Status if status in reachable]
        if not statuses:
            self.message_user(
                request,
                _("Für die ausgewählten Bewerbungen ist keine Statusänderung vorgesehen."),
                messages.WARNING,
            )
            return None
        form = BulkStatusForm(request.POST if "apply" in request.POST else None, statuses=statuses)
        if not form.is_valid():
            return self._action_page(
                request,
                applications,
                template="admin/candidates/application/action_change_status.html",
                form=form,
                title=_("Status ändern"),
            )
        new_status = form.cleaned_data["new_status"]
        changed, skipped = [], []
        for application in applications:
            if new_status in workflow.allowed_transitions(application.status, request.user):
                services.change_status(
                    application,
                    status=new_status,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
                changed.append(application)
            else:
                skipped.append(application)
        label = Application.Status(new_status).label
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Bewerbung auf „%(status)s“ gesetzt.",
                    "%(count)d Bewerbungen auf „%(status)s“ gesetzt.",
                    len(changed),
                )
                % {"count": len(changed), "status": label},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _(
                    "Nicht geändert, weil „%(status)s“ von ihrem Status aus nicht "
                    "vorgesehen ist: %(list)s"
                )
                % {
                    "status": label,
                    "list": "; ".join(f"{a.full_name} ({a.get_status_display()})" for a in skipped),
                },
                messages.WARNING,
            )
        return None

    @admin.action(description=_("Ansprechperson zuweisen …"), permissions=["change"])
    def assign_action(self, request, queryset):
        applications = list(queryset.select_related("municipality").order_by("last_name", "pk"))
        if not applications:
            self.message_user(request, _("Keine Bewerbung ausgewählt."), messages.WARNING)
            return None
        districts = {application.municipality.district_id for application in applications}
        form = BulkAssignForm(
            request.POST if "apply" in request.POST else None,
            assignees=workflow.assignable_users(districts),
        )
        if not form.is_valid():
            return self._action_page(
                request,
                applications,
                template="admin/candidates/application/action_assign.html",
                form=form,
                title=_("Ansprechperson zuweisen"),
            )
        assignee = form.cleaned_data["assignee"]
        changed = 0
        for application in applications:
            if application.assignee_id != assignee.pk:
                services.assign(application, assignee=assignee, by=request.user)
                changed += 1
        self.message_user(
            request,
            ngettext(
                "%(name)s ist jetzt Ansprechperson für %(count)d Bewerbung.",
                "%(name)s ist jetzt Ansprechperson für %(count)d Bewerbungen.",
                changed,
            )
            % {"name": display_name(assignee), "count": changed},
            messages.SUCCESS,
        )
        return None
