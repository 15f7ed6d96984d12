import time

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def senco_without_totp(world):
    user = UserFactory(email="new.senco@alder.test", with_totp=False)
    MembershipFactory(user=user, role="senco", school=world.school)
    return user


def test_staff_without_an_authenticator_are_sent_to_enrol_before_any_pupil_data(client, world, senco_without_totp):
    client.force_login(senco_without_totp)
    response = client.get(f"/schools/{world.school.urn}/register/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_session_api_calls_need_two_factor_too(client, world, senco_without_totp):
    client.force_login(senco_without_totp)
    assert client.get(f"/api/v1/schools/{world.school.urn}/pupils").status_code == 401


@pytest.mark.parametrize("debug_skip, expected", [(False, 302), (True, 200)])
def test_demo_accounts_may_skip_two_factor_only_in_debug(client, world, senco_without_totp, debug_skip, expected):
    senco_without_totp.is_demo = True
    senco_without_totp.save()
    client.force_login(senco_without_totp)
    with override_settings(SENCOHUB_DEMO_SKIP_MFA=debug_skip):
        assert client.get(f"/schools/{world.school.urn}/register/").status_code == expected


def test_repeated_failures_lock_the_account(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"login": "senco@alder.test", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "senco@alder.test", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_password_signs_in_only_as_far_as_the_code(client, world):
    response = client.post("/accounts/login/", {"login": "senco@alder.test", "password": "correct-horse-battery"})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get(f"/schools/{world.school.urn}/register/").status_code == 302


def test_idle_sessions_end(client, world, settings):
    client.force_login(world.people["senco"])
    assert client.get(f"/schools/{world.school.urn}/register/").status_code == 200
    session = client.session
    session["sencohub_last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT.total_seconds() - 5
    session.save()
    response = client.get(f"/schools/{world.school.urn}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nobody_can_sign_themselves_up(client, db):
    response = client.get("/accounts/signup/")
    assert "Sign Up Closed" in response.content.decode() or response.status_code in (403, 404)
    assert Authenticator.objects.count() == 0
