"""Lock-out is per account: failures against other addresses never lock out a colleague on the same network,
and one network trying many accounts is stopped at a much higher count."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axes.models import AccessAttempt
from django.core.cache import cache

from sencohub.kernel.clientip import AuditlogMiddleware
from tests.factories import TOTP_SECRET

PASSWORD = "correct-horse-battery"
SCHOOL_NETWORK = "203.0.113.10"
HOME = "198.51.100.7"


def attempt(client, email, password, ip):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def signs_in(client, email, ip) -> bool:
    """The whole sign-in, password then authenticator code, from one address."""
    cache.clear()  # each code is single-use within its 30 seconds; a fresh client may use it again
    client.logout()
    response = attempt(client, email, PASSWORD, ip)
    if response.status_code != 302 or "/accounts/2fa/authenticate/" not in response["Location"]:
        return False
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    response = client.post("/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR=ip)
    return response.status_code == 302 and "/accounts/" not in response["Location"]


@pytest.fixture
def colleagues(world):
    return world.people["senco"].email, world.people["deputy_senco"].email


def test_failures_for_other_addresses_from_the_school_network_do_not_lock_out_the_senco(client, colleagues):
    senco, _ = colleagues
    for n in range(8):
        response = attempt(client, f"someone{n}@alder.test", "wrong-password", SCHOOL_NETWORK)
        assert response.status_code == 200, "a failed sign-in shows the form again, not a lock"
    assert signs_in(client, senco, SCHOOL_NETWORK)


def test_five_failures_for_the_senco_lock_the_senco_out_from_anywhere_but_not_a_colleague(client, colleagues):
    senco, deputy = colleagues
    # The case of the address makes no difference: it is the same account.
    for email in [senco, senco.upper(), f" {senco} ", senco.title(), senco]:
        attempt(client, email, "wrong-password", SCHOOL_NETWORK)
    locked = attempt(client, senco, PASSWORD, HOME)
    assert locked.status_code == 429
    assert "sign-in for this account is paused" in locked.content.decode()
    assert not signs_in(client, senco, HOME)
    assert signs_in(client, deputy, SCHOOL_NETWORK)


def test_one_address_trying_many_accounts_is_stopped_at_the_higher_count(client, colleagues, settings):
    senco, deputy = colleagues
    settings.AXES_IP_FAILURE_LIMIT = 12  # 50 by default; fewer here to keep the test short
    sprayer = "192.0.2.66"
    for n in range(12):
        assert attempt(client, f"staff{n}@alder.test", "Summer2026!", sprayer).status_code in (200, 429)
    blocked = attempt(client, senco, PASSWORD, sprayer)
    assert blocked.status_code == 429
    assert "sign-in from this network is paused" in blocked.content.decode()
    # Everyone elsewhere, the SENCo included, still signs in: the accounts themselves are not locked.
    assert signs_in(client, senco, SCHOOL_NETWORK)
    assert signs_in(client, deputy, HOME)


def test_behind_a_trusted_proxy_a_sprayer_cannot_dodge_the_count_by_writing_its_own_forwarded_for(
    client, colleagues, settings
):
    senco, _ = colleagues
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_IP_FAILURE_LIMIT = 6
    proxy, sprayer = "10.0.0.2", "192.0.2.66"

    def via_proxy(email, password, claimed):
        # The client wrote `claimed`; our one proxy appended the address it really came from.
        return client.post(
            "/accounts/login/", {"login": email, "password": password},
            REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{claimed}, {sprayer}",
        )  # fmt: skip

    for n in range(6):
        via_proxy(f"staff{n}@alder.test", "Summer2026!", f"10.9.9.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {sprayer}
    assert via_proxy(senco, PASSWORD, "10.9.9.99").status_code == 429
    # Someone else behind the same proxy is another client, and signs in.
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"login": senco, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=HOME,
    )
    assert response.status_code == 302


def test_the_audit_log_reads_the_client_address_by_the_same_rule(rf, settings):
    """Without a trusted proxy the header is the client's own words; with one, only the proxy's entry counts."""
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.66")
    settings.TRUSTED_PROXY_COUNT = 0
    assert AuditlogMiddleware._get_remote_addr(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert AuditlogMiddleware._get_remote_addr(request) == "192.0.2.66"
    settings.TRUSTED_PROXY_COUNT = 3  # more proxies than entries: the header cannot be believed
    assert AuditlogMiddleware._get_remote_addr(request) == "10.0.0.2"
