"""Sign-in rules that apply to every page: a second factor for staff, and sessions that end when idle."""

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

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
    """Sign a person out when they have done nothing for SESSION_IDLE_TIMEOUT (shared staff-room PCs)."""

    KEY = "sencohub_last_seen"
    # Noted at most once a minute, so that most requests (progress polls among them) write nothing.
    RESOLUTION_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                logout(request)
                messages.info(
                    request, "You were signed out because you had been inactive. Please sign in again."
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if last_seen is None or now - last_seen >= self.RESOLUTION_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)
