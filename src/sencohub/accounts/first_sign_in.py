"""A one-time password (from `sencohub add-user`) is changed at first sign-in, before anything else.

Whoever handed the password over, or read it on the way, must not be able to use it once the person has
signed in: until they choose their own, every page sends them to allauth's password change page, and the
authenticator set-up comes after (RequireTwoFactorMiddleware, next in the chain).
"""

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

MESSAGE_CHOOSE_PASSWORD = (
    "Choose your own password before you go on: the one you were given works only until you do. "
    "You will then set up an authenticator app."
)
_OPEN_PREFIXES = ("/static/", "/healthz")


class RequirePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            change, logout = reverse("account_change_password"), reverse("account_logout")
            if request.path not in (change, logout) and not request.path.startswith(_OPEN_PREFIXES):
                if request.method == "GET" and not getattr(request, "htmx", False):
                    messages.info(request, MESSAGE_CHOOSE_PASSWORD)
                return redirect(f"{change}?next={reverse('mfa_activate_totp')}")
        return self.get_response(request)


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def _password_chosen(sender, request, user, **kwargs):
    if getattr(user, "must_change_password", False):
        get_user_model().objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
