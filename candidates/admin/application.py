"""The application admin: the list for district teams and the state office, and the
change page with the workflow and the history. Its parts are in this package's `forms`,
`filters` and `actions`; every write goes through candidates.services."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import CORRECT_APPLICATIONS
from candidates import selectors, services
from candidates.admin.actions import ApplicationActionsMixin
from candidates.admin.export import ApplicationExportMixin
from candidates.admin.filters import (
    MEMBERSHIP_SHORT,
    AssigneeFilter,
    BodyFilter,
    CompletenessFilter,
    DistrictFilter,
    ElectionFilter,
    MembershipFilter,
    MunicipalityFilter,
    StatusFilter,
    SupportFilter,
)
from candidates.admin.forms import ApplicationAdminForm
from candidates.fields import APPLICANT_SECTIONS, SELF_DESCRIPTION_FIELDS, applicant_fields
from candidates.models import (
    BODY_LABELS,
    Application,
    bodies_for,
    display_name,
    sees_self_description,
)
from districts.admin import DistrictScopedAdmin

# The self-description (gender, migration history) is asked for aggregate statistics
# only, and the public form and the privacy notice promise so: one person's answers are
# for superusers (the portal's operators) alone. Everyone else gets no fieldset, no form
# field, no filter and no lookup on them (lookup_allowed); district teams and the state
# office see them summarised on the statistics page, with small groups suppressed.
REFERENCE_FILTER_PARAMETERS = frozenset(
    spec.parameter_name
    for spec in (ElectionFilter, DistrictFilter, MunicipalityFilter, AssigneeFilter)
)

# What only superusers (operators) may edit: everything the applicant gave (the sections
# of candidates.fields) but what district teams may change too. Everyone else edits the
# application through the workflow (status, Ansprechperson, notes) and may move it to
# another municipality of their own districts; the applicant corrects their own data.
PERSONAL_FIELDS = [field.name for field in applicant_fields() if not field.teams_may_edit]
# Read-only even for staff who may correct details (CORRECT_APPLICATIONS).
UNCORRECTABLE_FIELDS = [
    field.name for field in applicant_fields() if not field.teams_may_edit and not field.correctable
]
COMPUTED_FIELDS = [
    "status",
    "assignee_name",
    "completeness",
    "age_on_election_day",
    "eligibility",
    "ineligibility_explanations",
    "incompatibility_note",
    "available_bodies",
    "consent_version",
    "consent_given_at",
    "confirmed_at",
    "created_at",
    "updated_at",
    "source",
    "language",
]
WORKFLOW_FIELDS = ["new_status", "status_note", "new_assignee", "new_note"]

# What the change page adds to the applicant's sections (candidates.fields): read-only
# values it computes or the system set (all in COMPUTED_FIELDS), notes and longer titles.
SECTION_EXTRAS = {
    "eligibility": {
        "after": [
            "age_on_election_day",
            "eligibility",
            "ineligibility_explanations",
            "incompatibility_note",
        ],
        "description": _("Die Wählbarkeit wird beim Speichern aus den Angaben neu berechnet."),
    },
    "bodies": {"before": ["available_bodies"]},
    "self_description": {
        "description": _(
            "Freiwillige Angaben, nur für zusammengefasste Statistiken. Einzeln sehen sie "
            "nur Superuser (Betrieb des Portals), Kreisverbände und Landesgeschäftsstelle "
            "nicht."
        ),
    },
    "declarations": {
        "title": _("Erklärungen und Eingang"),
        "after": [
            "consent_version",
            "consent_given_at",
            "confirmed_at",
            "created_at",
            "updated_at",
            # The campaign source whose link brought the applicant (campaigns.models).
            "source",
            # The language the person applied in: how to reply.
            "language",
        ],
    },
}
# Fields the change page shows side by side, when they follow each other.
SAME_ROW = [("first_names", "last_name"), ("postal_code", "town")]


def applicant_fieldsets(*, self_description):
    """The change page's fieldsets for what the applicant gave: one per section of
    candidates.fields, in its order, with the SECTION_EXTRAS; the self-description's only
    when `self_description` (sees_self_description)."""
    fieldsets = []
    for section in APPLICANT_SECTIONS:
        if section.key == "self_description" and not self_description:
            continue
        extras = SECTION_EXTRAS.get(section.key, {})
        rows = []
        for name in [*extras.get("before", []), *section.names, *extras.get("after", [])]:
            if rows and (rows[-1], name) in SAME_ROW:
                rows[-1] = (rows[-1], name)
            else:
                rows.append(name)
        options = {"fields": rows}
        if "description" in extras:
            options["description"] = extras["description"]
        fieldsets.append((extras.get("title", section.title), options))
    return fieldsets


@admin.register(Application)
class ApplicationAdmin(ApplicationExportMixin, ApplicationActionsMixin, DistrictScopedAdmin):
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
        "eligibility",
        "completeness",
        "created_at",
    ]
    list_filter = [
        ElectionFilter,
        DistrictFilter,
        MunicipalityFilter,
        StatusFilter,
        AssigneeFilter,
        BodyFilter,
        MembershipFilter,
        "is_eligible",
        CompletenessFilter,
        SupportFilter,
    ]
    search_fields = ["last_name", "first_names", "email", "municipality__name"]
    date_hierarchy = "created_at"
    list_select_related = ["election", "municipality__district", "assignee"]
    actions = [
        "change_status_action",
        "assign_action",
        "export_xlsx_action",
        "export_csv_action",
    ]
    # get_absolute_url points back into the admin; there is no public page to show.
    view_on_site = False
    # "12 von 100.000": the second count over every visible application is not worth a
    # query on each page view at 100,000 applications (bench/scale.py).
    show_full_result_count = False
    # 50 rows a page (Django's default is 100): a page a phone can scroll, and half the
    # rendering, which dominated the list's time (bench/scale.py).
    list_per_page = 50

    def has_add_permission(self, request):
        # Applications come in through the public form, with consent and confirmation.
        return False

    # --- deletion: the one erasure path (services.erase_applications) ----------------

    def response_delete(self, request, obj_display, obj_id):
        # Django's message would name the person just erased ("… wurde gelöscht") and
        # keep it in the messages cookie or the session.
        return super().response_delete(request, services.erased_repr(obj_id), obj_id)

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
        workflow_fields = [["status", "assignee_name"], "completeness"]
        if obj is not None and self.has_change_permission(request, obj):
            workflow_fields += ["new_status", "status_note", "new_assignee"]
        if obj is not None and request.user.has_perm("candidates.add_note"):
            workflow_fields.append("new_note")
        return [
            (_("Bearbeitung"), {"fields": workflow_fields}),
            *applicant_fieldsets(self_description=sees_self_description(request.user)),
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return COMPUTED_FIELDS
        if request.user.has_perm(CORRECT_APPLICATIONS):
            return [*COMPUTED_FIELDS, *UNCORRECTABLE_FIELDS]
        return [*COMPUTED_FIELDS, *PERSONAL_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"request": request}
        if not sees_self_description(request.user):
            # Not on the page (get_fieldsets) and read-only (get_readonly_fields) already;
            # left out here too, so that no POST can change them whatever the other lists
            # say.
            attrs["base_fields"] = {
                name: field
                for name, field in form.base_fields.items()
                if name not in SELF_DESCRIPTION_FIELDS
            }
        return type(form.__name__, (form,), attrs)

    def lookup_allowed(self, lookup, value, request=None):
        # Django accepts a lookup on any of the model's own fields from the query string
        # (`?gender=woman`, `?gender__in=…`), list filter or not: refused (400) unless the
        # user may see the self-description.
        if SELF_DESCRIPTION_FIELDS & set(lookup.split(LOOKUP_SEP)) and not (
            request is not None and sees_self_description(request.user)
        ):
            return False
        if lookup in REFERENCE_FILTER_PARAMETERS:
            # Our filters keep Django's parameter names (municipality__id__exact, …),
            # which Django allows only for its own related-field filters.
            return True
        return super().lookup_allowed(lookup, value, request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["application_history"] = selectors.application_history(obj, user=request.user)
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
        """(label, count, link, active) per status, for the box above the list: the
        counts (selectors.count_by_status, one query) over the list as filtered, except
        for the status filter itself."""
        status_filter = next(
            (spec for spec in cl.filter_specs if isinstance(spec, StatusFilter)), None
        )
        queryset = cl.queryset
        if status_filter is not None and status_filter.value():
            queryset = cl.get_queryset(
                request, exclude_parameters=status_filter.expected_parameters()
            )
        counts = selectors.count_by_status(queryset)
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

    def action_checkbox(self, obj):
        """Django's checkbox column, written directly: Django renders a CheckboxInput
        through the form renderer for every row, which took 180 of 460 ms for a page of
        100 applications (bench/scale.py). The same markup: admin/js/actions.js finds the
        boxes by their class."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description=_("Name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("Kreisverband"), ordering="municipality__district__name")
    def district(self, obj):
        return obj.municipality.district

    @admin.display(description=_("Gremien"))
    def body_list(self, obj):
        return ", ".join(str(BODY_LABELS[body]) for body in obj.bodies)

    @admin.display(description=_("Ansprechperson"), ordering="assignee__last_name")
    def assignee_name(self, obj):
        return display_name(obj.assignee) or "–"

    @admin.display(description=_("Alter am Wahltag"), ordering="-date_of_birth")
    def age_on_election_day(self, obj):
        return obj.age_on_election_day

    @admin.display(description=_("Mitgliedschaft"), ordering="membership")
    def membership_short(self, obj):
        return MEMBERSHIP_SHORT.get(obj.membership, obj.get_membership_display())

    @admin.display(description=_("Angaben"))
    def completeness(self, obj):
        missing = obj.missing_details
        if not missing:
            return _("vollständig")
        return format_html(
            '<strong class="incomplete">{}</strong> {}',
            _("Angaben unvollständig:"),
            ", ".join(str(label) for label in missing),
        )

    @admin.display(description=_("wählbar"), ordering="is_eligible")
    def eligibility(self, obj):
        if not obj.is_eligible:
            return _("nein")
        return _("noch offen") if obj.eligibility_open else _("ja")

    @admin.display(description=_("Gründe gegen die Wählbarkeit"))
    def ineligibility_explanations(self, obj):
        reasons = obj.ineligibility_explanations
        if not reasons and obj.eligibility_open:
            return _("noch keine – geprüft wird, sobald die Angaben dazu vollständig sind")
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
