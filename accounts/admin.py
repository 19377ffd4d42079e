"""The admins for staff accounts and role groups. Only superusers (operators) grant
superuser status or permissions; the state office manages accounts, their groups and
their district teams."""

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from districts.admin import HistoryForStateOfficeOnly
from districts.models import DistrictMembership


class UserDistrictMembershipInline(admin.TabularInline):
    model = DistrictMembership
    fields = ["district", "receives_notifications"]
    extra = 0
    verbose_name = _("Kreisverband")
    verbose_name_plural = _("Kreisverbands-Teams")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(HistoryForStateOfficeOnly, UserAdmin):
    """Django's user admin, plus the user's district teams. Rights come from the groups
    "Landesgeschäftsstelle" and "Kreisverbands-Team"; only superusers (operators) may
    grant superuser status or single permissions, or change a superuser's account."""

    inlines = [*UserAdmin.inlines, UserDistrictMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(Group)

# allauth's admin for authenticators would let an operator delete someone's second factor
# past accounts.mfa.SecondFactorChangeMiddleware (no current code asked, no mail to the
# owner); after that, a new device needs only the password. Operators use the shell.
admin.site.unregister(Authenticator)


@admin.register(Group)
class RoleGroupAdmin(HistoryForStateOfficeOnly, GroupAdmin):
    """Groups are the roles. The state office may see them and create or rename them, but
    only superusers (operators) set their permissions: otherwise the state office could
    grant itself any permission, e.g. on allauth's e-mail address and authenticator
    admins, and from there take over a superuser's account."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("permissions")
        return readonly
