"""Odd input turned away before any view sees it: NUL bytes in the address, ids no database could hold."""

from django.core.exceptions import BadRequest
from django.http import Http404

from sencohub.core.errors import bad_request

# BigAutoField's range (settings.DEFAULT_AUTO_FIELD): no record has an id beyond it, on any database.
LARGEST_ID = 2**63 - 1


class OddInputMiddleware:
    """A NUL byte in the path or the query answers 400; an id in the path beyond any record's answers 404.

    PostgreSQL refuses text with a NUL byte and SQLite refuses integers beyond 64 bits, each with an error (a 500)
    wherever the value reaches a query; turning them away here covers every page and API call at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return bad_request(request, BadRequest("NUL byte in the address"))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -LARGEST_ID - 1 <= value <= LARGEST_ID:
                raise Http404("No such record")
        return None
