import hashlib
import secrets

from django.utils import timezone

from sencohub.accounts.models import ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    token = "sh_" + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name.strip()[:100] or "API token", prefix=token[:8], digest=_digest(token))
    return record, token


def api_token_user(token: str):
    """The active user a token belongs to, or None."""
    record = (
        ApiToken.objects.filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if record is None:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user


def api_token_revoke(*, user, token_id: int) -> bool:
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])  # a save, not an update, so the revocation is audited
    return True
