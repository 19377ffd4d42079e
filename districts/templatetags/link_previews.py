from django import template

from districts import previews

register = template.Library()


@register.simple_tag(takes_context=True)
def link_preview(context):
    """The page's link preview (districts.previews.tags_for), from what its context has."""
    request = context.get("request")
    if request is None:
        return None
    return previews.tags_for(
        request,
        district=context.get("district"),
        municipality=context.get("municipality"),
        election=context.get("election"),
    )
