"""The MIS import read back in the file's own words: its headers, its pupils by name, new pupils' details."""

import pytest
from playwright.sync_api import expect

from sencohub.pupils.models import Pupil
from sencohub.statutory import upn
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Odd spellings an MIS export may have, a blank line between pupils, and Windows-1252 text (Renée, Zoë).
HEADER = "Unique Pupil Number;Legal Surname;Forename ;D.O.B;NC Year;Reg Group;SEN Status;Primary SEN Type\r\n"
RENEE = upn.make(801, 2001, 22, 701)
ZOE = upn.make(801, 2001, 22, 702)
OMAR = upn.make(801, 2001, 22, 703)


def messy_file(world, renee_dob: str) -> bytes:
    ada = world.pupil_support
    lines = [
        f"{RENEE};Dubois;Renée;{renee_dob};5;5R;K;SEMH",
        "",
        f"{ZOE};Ng;Zoë;2019-09-30;R;RB;N;",
        f"{OMAR};Haddad;Omar;7.1.2016;Year 5;5R;E;ASD",
        f"{ada.upn};Quillfeather;Ada;04/05/2017;3;4B;K;SLCN",  # moves from 3A to 4B
    ]
    return (HEADER + "\r\n".join(lines) + "\r\n").encode("cp1252")


def upload(page, world, content: bytes):
    page.goto(f"/schools/{world.school.urn}/import/")
    page.get_by_label("Upload a file from your MIS").set_input_files(
        {"name": "sims-export.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Check the file").click()


def test_a_messy_file_is_read_back_in_its_own_words(page, world):
    sign_in(page, "senco@alder.test")
    upload(page, world, messy_file(world, "31/02/2016"))
    expect(page.get_by_role("heading", name="The file cannot be imported")).to_be_visible()
    errors = page.locator("#import-errors")
    row = errors.get_by_role("row").filter(has_text="not a date")
    expect(row).to_contain_text(f"Renée Dubois ({RENEE})")
    expect(row).to_contain_text("D.O.B")  # the file's header, not ours
    expect(row.get_by_role("cell").first).to_have_text("2")  # the line as in the file: the header is line 1
    expect(errors).not_to_contain_text("Date of birth")
    assert_accessible(page)
    assert not Pupil.objects.filter(upn=RENEE).exists()

    upload(page, world, messy_file(world, "3/4/2016"))
    expect(page.get_by_role("heading", name="Check what will change")).to_be_visible()
    expect(page.locator("#import-notes")).to_contain_text("1 blank row between pupils")
    new = page.get_by_role("table", name="New pupils")
    expect(new.get_by_role("row").filter(has_text="Renée Dubois")).to_contain_text("Year 5")
    expect(new.get_by_role("row").filter(has_text="Renée Dubois")).to_contain_text("5R")
    expect(new.get_by_role("row").filter(has_text="Renée Dubois")).to_contain_text("SEN support (SEMH)")
    expect(new.get_by_role("row").filter(has_text="Zoë Ng")).to_contain_text("Reception")
    expect(new.get_by_role("row").filter(has_text="Zoë Ng")).to_contain_text("No SEN")
    expect(new.get_by_role("row").filter(has_text="Omar Haddad")).to_contain_text("EHC plan (ASD)")
    changed = page.get_by_role("table", name="Changes to pupils already here")
    expect(changed).to_contain_text(f"Ada Quillfeather ({world.pupil_support.upn})")
    expect(changed).to_contain_text("Reg Group: 3A → 4B")
    assert_accessible(page)

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_text("3 pupils added, 1 updated, 0 unchanged")).to_be_visible()
    expect(page.get_by_role("table", name="Pupils added").get_by_role("link")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("table", name="Pupils updated").get_by_role("link", name="Ada Quillfeather").click()
    expect(page.get_by_role("heading", name="Ada Quillfeather")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Renée Dubois").click()
    expect(page.get_by_role("heading", name="Renée Dubois")).to_be_visible()
    renee = Pupil.objects.get(upn=RENEE)
    assert (renee.forename, renee.year_group, renee.class_group.name, renee.sen_provision) == ("Renée", "5", "5R", "K")
