"""The address a request came from, read the same way by sign-in lock-out, allauth and the audit log.

X-Forwarded-For is written by whoever sent the request, so it counts only as far as the proxies we run:
with TRUSTED_PROXY_COUNT proxies in front of sencohub, each appends the address it received the request
from, and the client is the entry that many places from the right. Anything further left was written by the
client and could name anyone (a sprayer would give each attempt a fresh address). With no trusted proxy
(the default) the header is ignored and the socket's address is the client's.
"""

import ipaddress

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = forwarded.split(",")
        if len(hops) >= proxies:
            address = _clean(hops[-proxies])
            if address is not None:
                return address
    return _clean(request.META.get("REMOTE_ADDR", "") or "")


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware, noting the client address by the rule above rather than trusting the
    leftmost X-Forwarded-For entry, which anyone can write."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request)
