"""Odd input turned away before any view sees it: NUL bytes in the address, ids no database could hold."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader

from sencohub.kernel.errors import bad_request
from sencohub.kernel.files import MB, size_text

# BigAutoField's range (settings.DEFAULT_AUTO_FIELD): no record has an id beyond it, on any database.
LARGEST_ID = 2**63 - 1
# The largest file any page accepts (a pupil import or an evidence file); the request may be a little larger.
LARGEST_FILE = 10 * MB
MESSAGE_BODY_TOO_LARGE = (
    "The request is larger than {limit}, more than sencohub accepts. Choose a smaller file."
)


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


class RequestBodyLimitMiddleware:
    """A request whose body is larger than MAX_REQUEST_BODY_BYTES answers 413 before any of it is read.

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not a whole upload, which it streams to a
    temporary file whatever its size; each form then checks its own file's size. This refuses, from the
    declared length alone, anything larger than the largest file a page accepts plus its form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, BadRequest("Content-Length is not a number"))
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit = size_text(settings.MAX_REQUEST_BODY_BYTES)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE_BODY_TOO_LARGE.format(limit=limit)}, status=413)
            body = loader.get_template("errors/413.html").render(
                {"limit": limit, "largest": size_text(LARGEST_FILE)}
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
