"""The admin index's "Recent actions", limited to what the user may still see."""

from django import template
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from districts.admin import DistrictScopedAdmin

register = template.Library()


def scoped_log_entries(request, site=admin.site):
    """The user's own log entries (as Django shows them), without entries for objects of
    a district-scoped admin that the user cannot see now — another district's, ones the
    user lost access to, and deleted ones (their repr would be all that is left)."""
    entries = LogEntry.objects.filter(user_id=request.user.pk).select_related("content_type")
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        model_admin = site.get_model_admin(model)
        if not isinstance(model_admin, DistrictScopedAdmin):
            continue
        visible = (
            model_admin.get_queryset(request)
            .order_by()
            .annotate(pk_text=Cast("pk", output_field=CharField()))
            .values("pk_text")
        )
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        entries = entries.exclude(Q(content_type=content_type) & ~Q(object_id__in=visible))
    return entries


@register.simple_tag(takes_context=True)
def scoped_admin_log(context, limit):
    """{% scoped_admin_log 10 as admin_log %}"""
    return scoped_log_entries(context["request"])[: int(limit)]
