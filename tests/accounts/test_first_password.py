"""A one-time password from `sencohub add-user` is changed at first sign-in, before an authenticator is set up."""

import io
import json

from django.core.management import call_command

from sencohub.accounts.models import User

NEW_PASSWORD = "lantern-orchard-quietly-42"


def test_a_one_time_password_must_be_changed_before_anything_else(client, world):
    out = io.StringIO()
    call_command(
        "add-user", "sam@alder.test", "--school", world.school.urn, "--role", "senco", "--json", stdout=out
    )
    one_time = json.loads(out.getvalue())["password"]
    signed_in = client.post("/accounts/login/", {"login": "sam@alder.test", "password": one_time})
    assert signed_in.status_code == 302

    # Whoever holds the handed-over password cannot set up their own authenticator, nor reach any page.
    change = "/accounts/password/change/?next=/accounts/2fa/totp/activate/"
    for path in (
        "/accounts/2fa/totp/activate/",
        "/",
        f"/schools/{world.school.urn}/register/",
        "/accounts/email/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == change, path
    page = client.get(change).content.decode()
    assert (
        "Choose your own password before you go on" in page and 'value="/accounts/2fa/totp/activate/"' in page
    )

    changed = client.post(change, {"oldpassword": one_time, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                   "next": "/accounts/2fa/totp/activate/"})  # fmt: skip
    assert changed.status_code == 302 and changed["Location"] == "/accounts/2fa/totp/activate/"
    user = User.objects.get(email="sam@alder.test")
    assert (
        not user.must_change_password
        and not user.check_password(one_time)
        and user.check_password(NEW_PASSWORD)
    )
    # Then the authenticator, before any pupil data.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.get(f"/schools/{world.school.urn}/register/")["Location"] == "/accounts/2fa/totp/activate/"


def test_only_a_new_person_gets_a_one_time_password(world):
    out = io.StringIO()
    call_command(
        "add-user", "senco@alder.test", "--school", world.school.urn, "--role", "head", "--json", stdout=out
    )
    assert json.loads(out.getvalue())["password"] is None
    assert not User.objects.get(email="senco@alder.test").must_change_password
