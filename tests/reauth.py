"""Marking a test client's session as just signed in or confirmed, the way allauth records it.

`force_login` records no authentication, so a page that asks people to confirm it's them (a bulk export,
a new API token, a template upload) would ask; tests that are not about that confirmation call this first.
"""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import record_authentication
from django.test import RequestFactory


def confirmed(client, user, *, minutes_ago: float = 0) -> None:
    """The client's session says `user` confirmed their password `minutes_ago` minutes ago."""
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    record_authentication(request, user, method="password", reauthenticated=True)
    session[AUTHENTICATION_METHODS_SESSION_KEY][-1]["at"] = time.time() - minutes_ago * 60
    session.save()


def sign_in_confirmed(client, user) -> None:
    """force_login, then confirmed just now."""
    client.force_login(user)
    confirmed(client, user)
