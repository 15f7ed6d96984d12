"""Confirm it's you: a bulk export of pupil data, a new API token or a template upload asks for the password or a
code again when the person has not signed in or confirmed in the last 15 minutes."""

import time
from urllib.parse import urlencode

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sencohub.accounts.models import ApiToken
from sencohub.documents.models import DocumentTemplate
from sencohub.documents.rendering import KINDS
from sencohub.support.models import PrintJob
from tests.factories import TOTP_SECRET, MembershipFactory, UserFactory
from tests.reauth import confirmed

PASSWORD = "correct-horse-battery"
REAUTH = "/accounts/reauthenticate/"


def bulk_exports(world) -> list[str]:
    """Every download that carries many pupils' data. Not asked for: a single pupil's documents, the SENCo
    workforce exports (staff, not pupils) and the anonymised figures."""
    school = f"/schools/{world.school.urn}"
    job = PrintJob.objects.create(school=world.school, requested_by=world.people["senco"], what=PrintJob.What.PLANS,
                                  fmt="pdf", status=PrintJob.Status.DONE, done=1, total=1, result=b"%PDF-1.4\n",
                                  filename="plans.pdf")  # fmt: skip
    return [
        f"{school}/register/export.csv", f"{school}/register/export.xlsx", f"{school}/census.csv",
        f"{school}/census.json", f"{school}/compliance.csv", f"{school}/compliance.xlsx", "/compliance.csv",
        f"{school}/provision/map.csv", f"{school}/provision/map.xlsx", f"{school}/provision/map.json",
        f"{school}/print/{job.pk}/download/",
    ]  # fmt: skip


def test_a_bulk_export_after_16_minutes_asks_for_the_password_first_then_downloads(client, world):
    senco = world.people["senco"]
    client.force_login(senco)
    confirmed(client, senco, minutes_ago=16)
    for url in bulk_exports(world):
        asked = client.get(url)
        assert asked.status_code == 302 and asked["Location"].startswith(f"{REAUTH}?next="), url
    url = f"/schools/{world.school.urn}/register/export.csv"
    page = client.get(client.get(url)["Location"])
    assert "Confirm it" in page.content.decode() and 'type="password"' in page.content.decode()
    wrong = client.post(f"{REAUTH}?next={url}", {"password": "not-my-password"})
    assert wrong.status_code == 200 and client.get(url).status_code == 302
    back = client.post(f"{REAUTH}?next={url}", {"password": PASSWORD})
    assert back.status_code == 302 and back["Location"] == url
    download = client.get(url)
    assert download.status_code == 200 and download.content.decode().startswith("UPN,Surname")


def test_a_confirmed_download_comes_back_to_a_page_that_starts_it_and_leads_back(client, world):
    senco = world.people["senco"]
    client.force_login(senco)
    confirmed(client, senco, minutes_ago=16)
    page = f"/schools/{world.school.urn}/register/"
    url = f"{page}export.csv"
    asked = client.get(url, HTTP_REFERER=f"http://testserver{page}")
    confirm_at = asked["Location"]
    assert confirm_at.startswith(f"{REAUTH}?next=")
    back = client.post(confirm_at, {"password": PASSWORD})
    ready = client.get(back["Location"])
    body = ready.content.decode()
    assert ready.status_code == 200 and f'content="1;url={url}"' in body and f'href="{page}"' in body
    assert client.get("/accounts/confirmed/?next=https://elsewhere.example/x").status_code == 302  # never offsite
    download = client.get(url)
    assert download.status_code == 200 and download.content.decode().startswith("UPN,Surname")
    for url in bulk_exports(world)[::3]:  # confirmed once, the exports open for the next 15 minutes
        assert client.get(url).status_code == 200, url


def test_an_authenticator_code_confirms_too(client, world):
    senco = world.people["senco"]
    client.force_login(senco)
    url = f"/schools/{world.school.urn}/census.csv"
    assert client.get(url).status_code == 302
    cache.clear()
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    back = client.post(f"/accounts/2fa/reauthenticate/?next={url}", {"code": code})
    assert back.status_code == 302 and back["Location"] == url
    assert client.get(url).status_code == 200


def test_a_sign_in_counts_as_confirming(client, world):
    cache.clear()
    client.post("/accounts/login/", {"login": world.people["senco"].email, "password": PASSWORD})
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.get(f"/schools/{world.school.urn}/census.csv").status_code == 200


def test_someone_who_may_not_export_is_not_asked_for_a_password_on_the_way_to_a_404(client, world):
    client.force_login(world.people["outsider"])
    assert client.get(f"/schools/{world.school.urn}/register/export.csv").status_code == 404


def test_a_token_after_16_minutes_asks_for_the_password_first_then_is_made(client, world):
    senco = world.people["senco"]
    client.force_login(senco)
    confirmed(client, senco, minutes_ago=16)
    asked = client.post("/api-tokens/", {"name": "Sync", "days": "90", "scope": "read"})
    assert asked.status_code == 302 and asked["Location"].startswith(REAUTH)
    assert not ApiToken.objects.exists()
    made = client.post(f"{REAUTH}?next=/api-tokens/", {"password": PASSWORD})
    assert made.status_code == 200 and 'id="new-token"' in made.content.decode()
    assert ApiToken.objects.get(user=senco).name == "Sync"


def test_a_template_upload_after_16_minutes_asks_first_and_the_file_is_chosen_again(client, world):
    senco = world.people["senco"]
    client.force_login(senco)
    confirmed(client, senco, minutes_ago=16)
    kind = KINDS["annual_review_report"]
    templates = f"/schools/{world.school.urn}/documents/"
    upload = {f"{kind.key}-file": SimpleUploadedFile("ours.docx", kind.build_default())}
    asked = client.post(f"{templates}{kind.key}/upload/", upload)
    assert asked.status_code == 302 and asked["Location"].startswith(REAUTH)
    assert not DocumentTemplate.objects.exists()
    back = client.post(asked["Location"], {"password": PASSWORD})
    assert back["Location"] == templates
    upload = {f"{kind.key}-file": SimpleUploadedFile("ours.docx", kind.build_default())}
    assert client.post(f"{templates}{kind.key}/upload/", upload).status_code == 302
    assert DocumentTemplate.objects.filter(school=world.school).count() == 1


@override_settings(SENCOHUB_DEMO_SKIP_MFA=True)
def test_a_demo_account_without_an_authenticator_confirms_with_its_password(client, world):
    demo = UserFactory(email="demo.senco@alder.test", with_totp=False, is_demo=True)
    MembershipFactory(user=demo, role="senco", school=world.school)
    client.force_login(demo)
    url = f"/schools/{world.school.urn}/register/export.xlsx"
    asked = client.get(url)
    assert asked["Location"].startswith(f"{REAUTH}?next=")
    assert client.post(asked["Location"], {"password": PASSWORD})["Location"] == f"/accounts/confirmed/?{urlencode({'next': url})}"
    assert client.get(url).content[:2] == b"PK"
