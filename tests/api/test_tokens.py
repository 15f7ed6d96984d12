"""API tokens are scoped: staff only, an expiry, read or read-and-write, revoked with the password, each use noted."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from sencohub.accounts.models import ApiToken
from sencohub.accounts.services import api_token_create
from sencohub.api.tokens import READ_ONLY
from sencohub.register.models import Concern
from tests.reauth import sign_in_confirmed

STAFF = {
    "senco",
    "deputy_senco",
    "send_admin",
    "head",
    "teacher",
    "teaching_assistant",
    "trust_send_lead",
    "la_officer",
}
NOT_STAFF = {"governor", "parent", "external_professional", "system_admin"}
NEW_PASSWORD = "a-brand-new-passphrase-42"


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_only_staff_may_make_a_token_and_a_token_of_someone_who_is_not_staff_opens_nothing(client, world):
    assert STAFF | NOT_STAFF == set(world.people) - {"outsider"}
    for persona in sorted(STAFF | NOT_STAFF):
        user = world.people[persona]
        sign_in_confirmed(client, user)
        page = client.get("/api-tokens/")
        assert page.status_code == 200, persona
        response = client.post("/api-tokens/", {"name": "Sync", "days": "90", "scope": "read"})
        made = ApiToken.objects.filter(user=user)
        if persona in STAFF:
            assert response.status_code == 200 and made.count() == 1, persona
            assert 'id="new-token"' in response.content.decode(), persona
        else:
            assert "API tokens are for staff" in page.content.decode(), persona
            assert response.status_code == 403 and not made.exists(), persona
            # A token made some other way (or before this rule) opens nothing for them.
            _, token = api_token_create(user=user, name="old")
            client.logout()
            assert client.get("/api/v1/schools", **bearer(token)).status_code == 401, persona


def test_a_token_lasts_90_days_by_default_at_most_a_year_and_an_expired_one_gets_401(client, world):
    senco = world.people["senco"]
    sign_in_confirmed(client, senco)
    for days in ("3650", "0", "-1", "366"):  # hand-made form values
        response = client.post("/api-tokens/", {"name": "Forever", "days": days, "scope": "read"})
        assert response.status_code == 200 and not ApiToken.objects.exists(), days
    client.post("/api-tokens/", {"name": "Sync", "days": "90", "scope": "read"})
    made = ApiToken.objects.get()
    assert abs(made.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    assert 'value="90" checked' in client.get("/api-tokens/").content.decode().replace("\n", "")

    record, token = api_token_create(user=senco, name="old")
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/api/v1/schools", **bearer(token))
    assert response.status_code == 401
    assert "This token expired on" in response.json()["detail"]


def test_a_read_token_cannot_raise_a_concern_but_a_read_and_write_token_can(client, world):
    teacher = world.people["teacher"]
    url = f"/api/v1/schools/{world.school.urn}/concerns"
    body = {"upn": world.pupil_none.upn, "what_seen": "Struggles with phonics"}
    _, read = api_token_create(user=teacher, name="read")
    assert client.get(url, **bearer(read)).status_code == 200
    refused = client.post(url, body, content_type="application/json", **bearer(read))
    assert refused.status_code == 403 and refused.json() == {"detail": READ_ONLY}
    assert not Concern.objects.filter(pupil=world.pupil_none).exists()
    _, write = api_token_create(user=teacher, name="write", scope=ApiToken.Scope.READ_WRITE)
    assert client.post(url, body, content_type="application/json", **bearer(write)).status_code == 201


def test_changing_or_resetting_the_password_revokes_every_token(client, world):
    senco = world.people["senco"]
    _, first = api_token_create(user=senco, name="first")
    _, second = api_token_create(user=senco, name="second", scope=ApiToken.Scope.READ_WRITE)
    assert client.get("/api/v1/schools", **bearer(first)).status_code == 200

    sign_in_confirmed(client, senco)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "correct-horse-battery", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.logout()
    for token in (first, second):
        assert client.get("/api/v1/schools", **bearer(token)).status_code == 401

    _, third = api_token_create(user=senco, name="third")
    client.post("/accounts/password/reset/", {"email": senco.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"password1": "yet-another-passphrase-7", "password2": "yet-another-passphrase-7"}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/schools", **bearer(third)).status_code == 401


def test_every_use_is_noted_on_the_token(client, world):
    record, token = api_token_create(user=world.people["senco"], name="Sync")
    for _ in range(3):
        client.get("/api/v1/schools", REMOTE_ADDR="203.0.113.5", **bearer(token))
    record.refresh_from_db()
    assert record.use_count == 3 and record.last_used_ip == "203.0.113.5"
    assert timezone.now() - record.last_used_at < dt.timedelta(minutes=1)
    sign_in_confirmed(client, world.people["senco"])
    assert "3 uses" in client.get("/api-tokens/").content.decode()
