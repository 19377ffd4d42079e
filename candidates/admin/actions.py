"""The application list's bulk actions, on the scoped queryset Django passes in. Each
hands every selected application to its service and reports what the service did: the
rules (which status may follow which, whether an assignment changes anything) live in
candidates.workflow and candidates.services only."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidates import services, workflow
from candidates.admin.forms import BulkAssignForm, BulkStatusForm
from candidates.models import Application, display_name


class ApplicationActionsMixin:
    """For ApplicationAdmin: the actions "Status ändern …" and "Ansprechperson
    zuweisen …", each with an intermediate page."""

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
        # Only what to offer on the page; services.change_status decides for each row.
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
            try:
                services.change_status(
                    application,
                    status=new_status,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                # A transition the workflow does not allow from this row's status is
                # listed; anything else (a concurrent change) is not a skip.
                if error.code != "transition":
                    raise
                skipped.append(application)
            else:
                changed.append(application)
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
        # services.assign returns whether it changed anything: a row that has this
        # Ansprechperson already is not counted.
        changed = sum(
            services.assign(application, assignee=assignee, by=request.user)
            for application in applications
        )
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
