"""What the admins' export actions share (candidates.admin.export for applications,
lists.admin for adopted lists): the permission "export" that Django's
`@admin.action(permissions=["export"])` asks for, and a 403 for an export action posted by
someone without it (Django would leave it out of the menu and answer a forged one with
"no action selected"); and the audit row's description of the list's filters.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied

from accounts.roles import EXPORT_DATA
from reports.services import describe_admin_filters, export_response, filter_parameters


class ExportActionsMixin:
    # The names of the admin's export actions.
    export_actions = ()

    def has_export_permission(self, request):
        return request.user.has_perm(EXPORT_DATA)

    def response_action(self, request, queryset):
        if request.POST.get("action") in self.export_actions and not self.has_export_permission(
            request
        ):
            raise PermissionDenied
        return super().response_action(request, queryset)

    def audit_filters(self, request, changelist=None):
        """The changelist's parameters as the audit row keeps them (an action is posted
        to the list's address, filters included): the list filters' values, any other
        lookup and the search only as having been used."""
        if changelist is None:
            try:
                changelist = self.get_changelist_instance(request)
            except IncorrectLookupParameters:
                return describe_admin_filters(request.GET)
        return describe_admin_filters(request.GET, known=filter_parameters(changelist))

    def export_selection(self, request, *, export, queryset, path, file_format, selection):
        """The download of an export action: the audit row keeps the list's filters and
        `selection` (counts only, never ids)."""
        return export_response(
            user=request.user,
            export=export,
            queryset=queryset,
            path=path,
            file_format=file_format,
            filters=self.audit_filters(request) | selection,
        )
