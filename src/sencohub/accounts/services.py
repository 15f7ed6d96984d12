import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from sencohub.accounts.models import ApiToken
from sencohub.kernel.secrets import digest, new_secret, secret_revoke, shown_prefix

TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365


def api_token_create(
    *, user, name: str, days: int = TOKEN_DAYS_DEFAULT, scope: str = ApiToken.Scope.READ
) -> tuple[ApiToken, str]:
    """A new token and the only copy of its secret. Who may hold one is the caller's check (api.tokens)."""
    if not 1 <= days <= TOKEN_DAYS_MAX:
        raise ValidationError(f"A token lasts from 1 to {TOKEN_DAYS_MAX} days.")
    if scope not in ApiToken.Scope.values:
        raise ValidationError("Choose whether the token may only read, or read and write.")
    token = new_secret("sh_")
    record = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "API token",
        prefix=shown_prefix(token),
        digest=digest(token),
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return record, token


@dataclass(frozen=True)
class TokenCheck:
    """What a presented token turned out to be: a live token (with its holder), an expired one, or nothing."""

    record: ApiToken | None = None
    expired_on: dt.date | None = None


def api_token_check(token: str, *, ip: str | None = None) -> TokenCheck:
    """Look a presented token up; a live one has this use noted (one UPDATE: when, how often, from where)."""
    record = (
        ApiToken.objects.filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if record is None:
        return TokenCheck()
    now = timezone.now()
    if record.expires_at <= now:
        return TokenCheck(expired_on=timezone.localdate(record.expires_at))
    ApiToken.objects.filter(pk=record.pk).update(
        last_used_at=now, last_used_ip=ip, use_count=F("use_count") + 1
    )
    return TokenCheck(record=record)


def api_token_revoke(*, user, token_id: int) -> bool:
    return secret_revoke(ApiToken, user=user, pk=token_id)


def api_tokens_revoke_all(*, user) -> int:
    """Every live token of a person, revoked: their password changed, so a token made before may be in the
    hands of whoever knew the old one."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:  # saves, not an update, so each revocation is audited
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return len(tokens)
