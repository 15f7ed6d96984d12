"""An idle session is warned about before it ends and can be kept (WCAG 2.2.1); a part of a page asked for after
it ended sends the whole page to sign in, and back."""

import time
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse


def _idle_for(client, seconds):
    session = client.session
    session["sencohub_last_seen"] = time.time() - seconds
    session.save()


def test_each_page_says_how_long_its_session_has_left(client, world, settings):
    client.force_login(world.people["senco"])
    register = client.get(f"/schools/{world.school.urn}/register/")
    limit = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
    assert limit - 61 <= int(register["Session-Seconds-Left"]) <= limit
    assert 'id="session-timeout"' in register.content.decode()


def test_signed_out_pages_have_no_warning(client, db):
    page = client.get(reverse("account_login"))
    assert 'id="session-timeout"' not in page.content.decode()
    assert "Session-Seconds-Left" not in page


def test_stay_signed_in_starts_the_idle_time_again(client, world, settings):
    client.force_login(world.people["senco"])
    limit = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    _idle_for(client, limit - 120)
    kept = client.post(reverse("session_keep_alive"))
    assert kept.status_code == 200 and kept.json() == {"signed_in": True, "seconds_left": int(limit)}
    assert time.time() - client.session["sencohub_last_seen"] < 5
    assert client.get(f"/schools/{world.school.urn}/register/").status_code == 200


def test_stay_signed_in_after_the_session_ended_starts_no_new_one(client, world, settings):
    client.force_login(world.people["senco"])
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    late = client.post(reverse("session_keep_alive"), headers={"Accept": "application/json"})
    assert late.status_code == 302 and late["Location"].startswith("/accounts/login/")
    assert client.post(reverse("session_keep_alive")).status_code == 401
    assert client.get(reverse("session_keep_alive")).status_code == 405


def test_an_htmx_request_after_the_session_ended_sends_the_whole_page_to_sign_in(client, world, settings):
    client.force_login(world.people["senco"])
    register = f"/schools/{world.school.urn}/register/"
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    response = client.get(
        register,
        {"provision": "K"},
        headers={"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": f"http://testserver{register}?year=3"},
    )
    assert response.status_code == 204 and not response.content
    redirect = urlsplit(response["HX-Redirect"])
    assert redirect.path == "/accounts/login/"
    assert parse_qs(redirect.query)["next"] == [f"{register}?year=3"]  # the page, not the part of it


def test_an_htmx_request_from_someone_never_signed_in_goes_to_sign_in_as_a_whole_page(client, world):
    register = f"/schools/{world.school.urn}/register/"
    response = client.get(register, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{register}"})
    assert response.status_code == 204
    assert parse_qs(urlsplit(response["HX-Redirect"]).query)["next"] == [register]


def test_the_page_to_come_back_to_is_never_another_site(client, world, settings):
    client.force_login(world.people["senco"])
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    response = client.get(
        f"/schools/{world.school.urn}/register/",
        headers={"HX-Request": "true", "HX-Current-URL": "https://elsewhere.example/x"},
    )
    assert parse_qs(urlsplit(response["HX-Redirect"]).query)["next"] == ["/"]


def test_a_plain_request_after_the_session_ended_still_redirects(client, world, settings):
    client.force_login(world.people["senco"])
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    response = client.get(f"/schools/{world.school.urn}/register/", {"year": "3"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [f"/schools/{world.school.urn}/register/?year=3"]
