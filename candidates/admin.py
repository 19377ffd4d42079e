from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from candidates import eligibility
from candidates.models import BODY_FIELDS, Application, Body, Election, LegalDocument, bodies_for


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

ELIGIBILITY_ANSWERS = {
    "date_of_birth",
    "citizenship",
    "resident_since",
    "membership",
    "member_of_other_party",
    "election",
}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "municipality",
        "district",
        "body_list",
        "status",
        "age_on_election_day",
        "membership_short",
        "is_eligible",
        "created_at",
    ]
    list_filter = [
        ("election", admin.RelatedOnlyFieldListFilter),
        "status",
        "is_eligible",
        "membership",
        ("municipality__district", admin.RelatedOnlyFieldListFilter),
        *BODY_FIELDS.values(),
        "wants_training",
        "wants_mentoring",
        "wants_compatibility_help",
        "wants_youth_event",
        "gender",
        "migration_history",
    ]
    search_fields = ["last_name", "first_names", "email", "municipality__name"]
    date_hierarchy = "created_at"
    list_select_related = ["election", "municipality__district"]
    # get_absolute_url points back into the admin; there is no public page to show.
    view_on_site = False
    readonly_fields = [
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
    fieldsets = [
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
            _("Erklärungen"),
            {"fields": ["accepts_expectations", "consent_version", "consent_given_at"]},
        ),
        (
            _("Bearbeitung"),
            {"fields": ["status", "confirmed_at", "created_at", "updated_at"]},
        ),
    ]

    def has_add_permission(self, request):
        # Applications come in through the public form, with consent and confirmation.
        return False

    def save_model(self, request, obj, form, change):
        if ELIGIBILITY_ANSWERS.intersection(form.changed_data):
            obj.check_eligibility()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("Kreisverband"), ordering="municipality__district__name")
    def district(self, obj):
        return obj.municipality.district

    @admin.display(description=_("Gremien"))
    def body_list(self, obj):
        return ", ".join(str(Body(body).label) for body in obj.bodies)

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
        return eligibility.INCOMPATIBILITY_NOTE if obj.works_for_local_authority else "–"

    @admin.display(description=_("Mögliche Gremien in dieser Gemeinde"))
    def available_bodies(self, obj):
        return ", ".join(str(name) for _body, name in bodies_for(obj.municipality))
