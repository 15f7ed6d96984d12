"""Sign-in lock-out: per account at AXES_FAILURE_LIMIT, per client address only at AXES_IP_FAILURE_LIMIT.

A school's staff usually share one public address, so failures against other accounts must never lock a
colleague out: axes counts by the address tried (AXES_LOCKOUT_PARAMETERS = ["username"]). One address trying
many accounts (password spraying) is stopped by a second, much higher count over the same cool-off window,
which axes cannot express itself (it compares every parameter set with one limit), so this handler adds it.
Attempts are rows in axes' own table, so every web process sees the same counts.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def sign_in_name(request, credentials=None) -> str:
    """The address tried, as the account is found by it: case and surrounding spaces make no difference.

    allauth authenticates with `email=`; a form post (before authentication) carries `login`.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("email") or source.get("login") or source.get("username") or ""
    return str(value).strip().lower()


class LockoutHandler(AxesDatabaseHandler):
    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            # The same window as the per-account count (axes' own helper, so both move together).
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def address_locked(self, request) -> bool:
        return self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if settings.AXES_LOCK_OUT_AT_FAILURE and self.address_locked(request):
            request.sencohub_locked_by_address = True
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if (
            request is None
            or getattr(request, "axes_locked_out", False)
            or not settings.AXES_LOCK_OUT_AT_FAILURE
        ):
            return
        if self.is_whitelisted(request, credentials) or not self.address_locked(request):
            return
        request.sencohub_locked_by_address = True
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=sign_in_name(request, credentials),
            ip_address=request.axes_ip_address,
        )
