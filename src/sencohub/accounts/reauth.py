"""Confirm it's you: before a bulk export of pupil data, a new API token, a template upload, and (when a page
makes them) changes to someone's membership, the person gives their password or an authenticator code again
unless they signed in or did so within ACCOUNT_REAUTHENTICATION_TIMEOUT (15 minutes).

This is allauth's reauthentication (its exception and middleware, its pages, its session records), with one
difference: allauth counts only a confirmation made after signing in, while here the sign-in itself (password,
then code) counts too, so nobody is asked again a minute after signing in.
"""

import time
from urllib.parse import urlencode, urlsplit, urlunsplit

from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def confirmed_recently(request) -> bool:
    """Signed in, or confirmed a password or code, within the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    now = time.time()
    window = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    return any(now - record.get("at", 0) < window for record in get_authentication_records(request, user))


def _needs_confirming(request) -> bool:
    # Someone with neither a password nor an authenticator has nothing to confirm with (allauth lets them by).
    return not confirmed_recently(request) and bool(get_adapter().get_reauthentication_methods(request.user))


def require_recent_confirmation(request) -> None:
    """Ask the person to confirm it's them, unless they did lately. Call it after the permission check, so that
    nobody is asked for a password on the way to a page they may not open.

    allauth's middleware turns the exception into its reauthentication page: a GET (a download) comes back to
    the same address once confirmed; a POST is kept by allauth and carried out once confirmed.
    """
    if _needs_confirming(request):
        raise ReauthenticationRequired()


def confirm_before_upload(request, back_to: str) -> HttpResponse | None:
    """For a POST carrying a file, which allauth cannot keep while the person confirms: a redirect to confirm
    that comes back to `back_to` (the page with the upload form) to choose the file again; None if confirmed."""
    if not _needs_confirming(request):
        return None
    messages.info(request, "Confirm it's you, then upload the file again.")
    url = get_adapter().get_reauthentication_methods(request.user)[0]["url"]
    return redirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: back_to})}")


def _local(request, url: str | None) -> str:
    """`url` if it is a path on this site, else ""."""
    if not url:
        return ""
    safe = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if safe else ""


class ConfirmBeforeDownloadMiddleware:
    """A download asked for confirmation comes back, once confirmed, to a page that starts the download and
    links back, not to the download itself: a browser that saves a file stays on the page it was on, and the
    person would be left looking at the confirm form as if it had failed.

    Listed after allauth's AccountMiddleware, so that it sees the exception first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ReauthenticationRequired) or request.method != "GET":
            return None
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        back = (
            urlunsplit(("", "", referer.path, referer.query, ""))
            if referer.netloc == request.get_host()
            else ""
        )
        query = {"next": request.get_full_path()}
        if _local(request, back):
            query["back"] = back
        ready = f"{reverse('confirmed_download')}?{urlencode(query)}"
        url = get_adapter().get_reauthentication_methods(request.user)[0]["url"]
        return redirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: ready})}")


def confirmed_download(request):
    """The page a confirmed download comes back to: it starts the download and offers a way back."""
    download = _local(request, request.GET.get("next"))
    if not request.user.is_authenticated or not download:
        return redirect("home")
    return render(
        request,
        "account/confirmed_download.html",
        {"download": download, "back": _local(request, request.GET.get("back"))},
    )
