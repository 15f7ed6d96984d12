"""Confirm it's you, in a real browser: an export long after signing in asks for the password, then downloads;
both confirmation pages pass axe-core."""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_minutes_ago(page, minutes: int) -> None:
    """Move the session's record of signing in back in time, as if the person had been working a while."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] = time.time() - minutes * 60
    session.save()


def test_an_export_after_a_while_asks_for_the_password_then_downloads(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    signed_in_minutes_ago(page, 16)
    page.get_by_role("link", name="these pupils as CSV").click()
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Use a code from your authenticator app instead").click()
    expect(page.get_by_label("Authenticator code")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Use your password instead").click()
    page.get_by_label("Password").fill("correct-horse-battery")
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    assert download.value.suggested_filename == f"sen-register-{world.school.urn}.csv"
