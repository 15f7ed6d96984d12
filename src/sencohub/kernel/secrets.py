"""Secrets that people hold and the database only recognises: API tokens and calendar feed addresses.

A new secret is shown once; only its SHA-256 digest and its first characters (so a person can tell their
secrets apart) are stored. Anyone reading the database or a backup cannot use what they find there.
"""

import hashlib
import secrets

from django.utils import timezone

PREFIX_LENGTH = 8


def new_secret(kind: str) -> str:
    """A fresh secret of about 256 random bits, starting with `kind` (such as "sh_") so it can be recognised."""
    return kind + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored for a secret, and what a presented secret is looked up by."""
    return hashlib.sha256(secret.encode()).hexdigest()


def shown_prefix(secret: str) -> str:
    """The start of a secret, kept to tell secrets apart on the page; too short to guess the rest from."""
    return secret[:PREFIX_LENGTH]


def secret_revoke(model, *, user, pk: int) -> bool:
    """Revoke one of the person's own live secrets of `model`; False if they have no such secret."""
    held = model.objects.filter(user=user, pk=pk, revoked_at__isnull=True).first()
    if held is None:
        return False
    held.revoked_at = timezone.now()
    held.save(update_fields=["revoked_at"])  # a save, not an update, so the revocation is audited
    return True
