"""The platform's journeys in a real browser, with an axe-core scan of every page visited."""

import datetime as dt

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from sencohub.ehcp.models import EhcPlan
from sencohub.pupils.models import Pupil, PupilImport
from sencohub.register.mis.tasks import import_check
from sencohub.register.models import Concern
from sencohub.statutory import upn
from tests.browser.conftest import assert_accessible, sign_in, totp_code
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_senco_signs_in_and_enrols_an_authenticator(page, world):
    user = UserFactory(email="new.senco@alder.test", with_totp=False)
    MembershipFactory(user=user, role="senco", school=world.school)
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill("new.senco@alder.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.goto(f"/schools/{world.school.urn}/register/")
    expect(page.get_by_role("heading", name="SEN register", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Quillfeather, Ada")).to_be_visible()


def test_signing_in_asks_for_the_code(page, world):
    sign_in(page, "senco@alder.test", check_accessible=True)
    expect(page.get_by_role("heading", name="What needs doing")).to_be_visible()  # the SENCo's overview
    assert_accessible(page)


def test_import_a_file_with_errors_then_fixed(page, world):
    sign_in(page, "senco@alder.test")
    good_upn = upn.make(801, 2001, 22, 500)
    wrong = ("Z" if good_upn[0] != "Z" else "Y") + good_upn[1:]
    header = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg,SEN provision,Primary need\n"
    page.goto(f"/schools/{world.school.urn}/import/")
    assert_accessible(page)
    page.get_by_label("Upload a file from your MIS").set_input_files(
        {"name": "pupils.csv", "mimeType": "text/csv", "buffer": (header + f"{wrong},Fairweather,Iris,03/04/2018,2,2A,K,\n").encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="The file cannot be imported")).to_be_visible()
    expect(page.locator("#import-errors")).to_contain_text("check letter")
    expect(page.locator("#import-errors")).to_contain_text("primary need")
    assert_accessible(page)
    assert not Pupil.objects.filter(surname="Fairweather").exists()

    page.get_by_role("button", name="Upload a corrected file").click()
    page.get_by_label("Upload a file from your MIS").set_input_files(
        {"name": "pupils.csv", "mimeType": "text/csv", "buffer": (header + f"{good_upn},Fairweather,Iris,03/04/2018,2,2A,K,SPLD\n").encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check what will change")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_text("1 pupil added, 0 updated, 0 unchanged")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go to the SEN register").click()
    expect(page.get_by_role("link", name="Fairweather, Iris")).to_be_visible()
    assert Pupil.objects.get(surname="Fairweather").sen_provision == "K"


def test_filter_the_register(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    expect(page.get_by_role("link", name="Quillfeather, Ada")).to_be_visible()
    expect(page.get_by_role("link", name="Marchbanks, Ben")).to_be_visible()
    page.get_by_label("SEN provision").select_option("E")
    expect(page.get_by_role("link", name="Quillfeather, Ada")).to_have_count(0)
    expect(page.get_by_role("link", name="Marchbanks, Ben")).to_be_visible()
    assert "provision=E" in page.url
    page.get_by_label("SEN provision").select_option("SEN")
    page.get_by_label("Class").select_option("3A")
    expect(page.get_by_role("link", name="Marchbanks, Ben")).to_have_count(0)
    expect(page.get_by_role("link", name="Quillfeather, Ada")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("link", name="Marchbanks, Ben")).to_be_visible()


def test_raise_a_concern_and_triage_it(page, browser, live_server, world):
    sign_in(page, "teacher@alder.test")
    page.goto(f"/schools/{world.school.urn}/concerns/")
    assert_accessible(page)
    page.get_by_role("button", name="Raise a concern about a pupil").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send to the SENCo").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pupil", exact=True).select_option(world.pupil_none.upn)
    page.get_by_label("What have you noticed?").fill("Cara struggles to blend sounds and avoids reading aloud.")
    page.get_by_label("What have you tried already?").fill("Daily phonics catch-up for three weeks.")
    page.get_by_role("button", name="Send to the SENCo").click()
    expect(page.get_by_text("Your concern about Cara Trelawney has been sent")).to_be_visible()

    senco_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    senco = senco_context.new_page()
    sign_in(senco, "senco@alder.test")
    senco.goto(f"/schools/{world.school.urn}/concerns/")
    senco.get_by_role("link", name="Triage the concern about Cara Trelawney").click()
    assert_accessible(senco)
    senco.get_by_label("Assess: start SEN support").check()
    senco.get_by_role("button", name="Save decision").click()
    expect(senco.get_by_role("heading", name="There is a problem")).to_be_visible()
    senco.get_by_label("Primary need (needed to start SEN support)").select_option("SPLD")
    senco.get_by_role("button", name="Save decision").click()
    expect(senco.get_by_text("Concern about Cara Trelawney triaged")).to_be_visible()
    assert_accessible(senco)
    senco_context.close()

    pupil = Pupil.objects.get(pk=world.pupil_none.pk)
    assert pupil.sen_provision == "K"
    assert Concern.objects.get(pupil=pupil).status == Concern.Status.ASSESS


def test_open_a_pupil_change_status_and_see_the_history(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    page.get_by_role("link", name="Quillfeather, Ada").click()
    expect(page.get_by_role("heading", name="Ada Quillfeather")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change SEN status").click()
    assert_accessible(page)
    page.get_by_label("EHC plan").check()
    page.get_by_label("Start date").fill(dt.date.today().isoformat())
    page.get_by_label("Reason for the change").fill("EHC plan issued by the local authority.")
    page.get_by_label("Primary need (rank 1)").select_option("SLCN")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("SEN status is now EHC plan")).to_be_visible()
    page.get_by_role("link", name="History: who viewed or changed this record").click()
    expect(page.get_by_role("heading", name="Who viewed or changed Ada Quillfeather's record")).to_be_visible()
    changes = page.get_by_role("table", name="Changes to the record")
    expect(changes).to_contain_text("Changed")
    expect(changes).to_contain_text("provision")
    expect(page.get_by_role("table", name="Views of the record, by person and day")).to_contain_text("Test Person")
    assert_accessible(page)


def test_governor_figures_and_home_pages_are_accessible(page, world):
    sign_in(page, "governor@alder.test")
    expect(page.get_by_role("heading", name="SEN figures")).to_be_visible()
    assert_accessible(page)
    page.goto("/?stay=1")
    assert_accessible(page)
    page.goto("/api-tokens/")
    assert_accessible(page)


def test_record_needs_and_parents_told_and_the_account_pages(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/")
    expect(page.get_by_text("Not yet recorded")).to_be_visible()

    page.get_by_role("link", name="Record the date parents were told").click()
    assert_accessible(page)
    page.get_by_label("Date parents were told").fill("2025-09-01")  # before SEN support began on 8 September
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date parents were told").fill("2025-09-12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The date parents were told is saved.")).to_be_visible()
    expect(page.get_by_text("12 September 2025", exact=True)).to_be_visible()

    page.get_by_role("link", name="Change needs").click()
    assert_accessible(page)
    page.get_by_label("Secondary need (rank 2)").select_option("SLCN")  # the same as the primary need
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("Secondary need (rank 2)").select_option("SEMH")
    page.get_by_label("Notes on the primary need").fill("Word-finding difficulties; uses visual prompts.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("needs are saved")).to_be_visible()
    expect(page.get_by_role("cell", name="SEMH — Social, emotional and mental health")).to_be_visible()
    expect(page.get_by_text("Word-finding difficulties")).to_be_visible()

    page.get_by_role("link", name="Two-factor authentication").click()
    assert_accessible(page)
    page.goto(f"/schools/{world.other_school.urn}/pupils/{world.pupil_elsewhere.upn}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)


def test_forgotten_password_page_is_accessible(page, world):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}})
def test_a_large_import_shows_its_progress_and_then_the_preview(page, world):
    sign_in(page, "senco@alder.test")
    header = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg\n"
    rows = "".join(f"{upn.make(801, 3002, 24, i)},Bellweather{i},Jo,03/04/2016,5,5B\n" for i in range(900))
    page.goto(f"/schools/{world.school.urn}/import/")
    page.get_by_label("Upload a file from your MIS").set_input_files(
        {"name": "big.csv", "mimeType": "text/csv", "buffer": (header + rows).encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Checking the file")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Waiting for the background worker")
    assert_accessible(page)
    record = PupilImport.objects.get(filename="big.csv")
    PupilImport.objects.filter(pk=record.pk).update(progress_stage="checking", progress_done=500, progress_total=900)
    expect(page.get_by_role("status")).to_contain_text("Checked 500 of 900 rows.")
    expect(page).to_have_title(f"Checking the file – 56% – {world.school.name} – sencohub")
    expect(page.get_by_label("Progress")).to_have_attribute("value", "500")
    assert_accessible(page)
    import_check.call(record.pk)  # the worker finishes; the page notices by itself
    expect(page.get_by_role("heading", name="Check what will change")).to_be_visible()
    expect(page).to_have_title(f"Import ready to check – {world.school.name} – sencohub")
    expect(page.get_by_text("900 pupils to add")).to_be_visible()


def test_a_file_taking_pupils_off_the_register_needs_the_box_ticked(page, world):
    # Ben's plan has ceased (a current one would stop the file: tests/register/test_register_follows_ehc_plans.py).
    EhcPlan.objects.filter(pupil=world.pupil_ehc).update(ceased_on=dt.date(2026, 7, 17))
    sign_in(page, "senco@alder.test")
    pupils = (world.pupil_support, world.pupil_ehc)
    content = "UPN,Surname,Forename,DOB,SEN\n" + "".join(
        f"{p.upn},{p.surname},{p.forename},{p.date_of_birth:%d/%m/%Y},N\n" for p in pupils
    )
    page.goto(f"/schools/{world.school.urn}/import/")
    page.get_by_label("Upload a file from your MIS").set_input_files(
        {"name": "mis.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-leaving")).to_contain_text("2 pupils would leave the SEN register")
    expect(page.get_by_text("Ben Marchbanks").first).to_be_visible()
    expect(page.locator("#import-not-in-file")).to_contain_text("Cara Trelawney")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    assert Pupil.objects.get(pk=world.pupil_ehc.pk).sen_provision == "E"
    page.get_by_label("I have checked these pupils in our MIS").check()
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    assert Pupil.objects.get(pk=world.pupil_ehc.pk).sen_provision == "N"


def test_the_senco_opens_a_pupil_who_has_left_from_the_leavers_page(page, world):
    Pupil.objects.filter(pk=world.pupil_none.pk).update(left_on=dt.date(2026, 7, 17))
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/leavers/")
    assert_accessible(page)
    page.get_by_role("link", name="Trelawney, Cara").click()
    expect(page.locator("#pupil-left")).to_contain_text("Left the school on 17 July 2026")
    assert_accessible(page)
