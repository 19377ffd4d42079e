"""Requests that no page of ours can answer meaningfully, refused before any view."""

from django.views.defaults import bad_request


class RejectNullCharactersMiddleware:
    """A NUL character (U+0000) in the path or the query string answers 400.

    PostgreSQL cannot hold NUL in a text value: psycopg2 raises ValueError on the
    query, which Django's admin list filters and its autocomplete view pass on as a 500
    (`?status=%00`, `?term=%00`). No legitimate link carries one. Forms need no help:
    Django's form fields refuse NUL with a field message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request, ValueError("NUL character in the URL"))
        return self.get_response(request)
