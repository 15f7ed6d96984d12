"""Sign-in rules that apply to every page: a second factor for staff, and sessions that end when idle."""

import time
from urllib.parse import urlencode, urlsplit

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

# Paths a signed-in person may reach before enrolling an authenticator: sign-in and sign-out, the enrolment
# pages themselves and static files. The API answers for itself: its session authentication refuses anyone
# without a second factor (api.TwoFactorSession), and tokens can only be made after enrolling.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/", "/calendar/feed/")


def user_needs_two_factor(user) -> bool:
    """Every person who signs in with a password must have a TOTP authenticator.

    Parents and external professionals included: all of them can reach a child's data in time.
    Demo accounts are excused only while DEBUG is on, so a demo can be explored without an app.
    """
    if getattr(user, "is_demo", False) and settings.SENCOHUB_DEMO_SKIP_MFA:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and user_needs_two_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class SessionIdleTimeoutMiddleware:
    """Sign a person out when they have done nothing for SESSION_IDLE_TIMEOUT (shared staff-room PCs).

    Each page is told how long its session has left (`request.session_seconds_left`), so that it can warn a few
    minutes before the end and offer to stay signed in (includes/session_timeout.html, `session_keep_alive`).
    A part of a page that HTMX asks for after the end sends the whole page to the sign-in page, coming back to
    the page afterwards, rather than drawing the sign-in form inside the part."""

    KEY = "sencohub_last_seen"
    # Noted at most once a minute, so that most requests (progress polls among them) write nothing.
    RESOLUTION_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            idle_limit = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - last_seen > idle_limit:
                logout(request)
                messages.info(
                    request, "You were signed out because you had been inactive. Please sign in again."
                )
                return sign_in_again(request)
            if last_seen is None or now - last_seen >= self.RESOLUTION_SECONDS:
                request.session[self.KEY] = last_seen = now
            # Counted from when it was last noted, which may be up to a minute ago: the warning comes early, never late.
            request.session_seconds_left = int(idle_limit - (now - last_seen))
        response = self.get_response(request)
        if getattr(request, "htmx", False) and _to_sign_in(response):
            return sign_in_again(request)
        if hasattr(request, "session_seconds_left"):
            response.headers.setdefault("Session-Seconds-Left", str(request.session_seconds_left))
        return response


def _to_sign_in(response) -> bool:
    return response.status_code in (301, 302) and urlsplit(response.get("Location", "")).path == resolve_url(
        settings.LOGIN_URL
    )


def sign_in_again(request) -> HttpResponse:
    """To the sign-in page, then back to where the person was: for an HTMX request, the page it was made from
    (the whole page goes, by HX-Redirect), not the part of it that was asked for."""
    back_to = request.get_full_path()
    if request.path == reverse("account_login"):  # already on the way to sign in: keep where it was going
        back_to = request.GET.get("next", "/")
    if getattr(request, "htmx", False):
        current = request.htmx.current_url_abs_path or ""
        back_to = current or "/"
    if not url_has_allowed_host_and_scheme(back_to, allowed_hosts=None):
        back_to = "/"
    url = f"{reverse('account_login')}?{urlencode({'next': back_to})}"
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@require_POST
def session_keep_alive(request):
    """The "Stay signed in" button: the person is here, so their idle time starts again. Signed out already (the session
    ended, or they signed out in another tab), it says so rather than starting a new one."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "sign_in": reverse("account_login")}, status=401)
    request.session[SessionIdleTimeoutMiddleware.KEY] = time.time()
    return JsonResponse(
        {"signed_in": True, "seconds_left": int(settings.SESSION_IDLE_TIMEOUT.total_seconds())}
    )
