"""The provision map's downloads carry each pupil's cost by term, as the page does (a users' run found only the
page and the JSON had them): the CSV and Excel add a column for each term at the end, adding up to the pupil's
year to the penny; the PDF shows them beside each pupil's total and the school's terms."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.exports import MAP_COLUMNS
from sencohub.provision.models import Enrolment, Intervention, PayBand, Provision
from sencohub.schools.models import Term
from sencohub.statutory.school_year import school_year
from tests.reauth import sign_in_confirmed


@pytest.fixture
def three_terms(world):
    """This school year's three terms and a group whose pupils join and leave at odd times (costs that do not divide)."""
    start, _ = school_year(timezone.localdate())
    y = start.year
    terms = [(f"Autumn {y}", dt.date(y, 9, 3), dt.date(y, 12, 18)), (f"Spring {y + 1}", dt.date(y + 1, 1, 5), dt.date(y + 1, 3, 26)),
             (f"Summer {y + 1}", dt.date(y + 1, 4, 12), dt.date(y + 1, 7, 21))]  # fmt: skip
    for name, first, last in terms:
        Term.objects.create(school=world.school, name=name, starts_on=first, ends_on=last)
    catalogue_seed(world.school)
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mr Okoye", pay_band=PayBand.objects.create(school=world.school, name="HLTA", hourly_pence=1437),
        starts_on=dt.date(y, 9, 3), ends_on=dt.date(y + 1, 7, 21), sessions_per_week=3, minutes=25, other_costs_pence=4711,
    )  # fmt: skip
    for pupil, joined, left in ((world.pupil_support, dt.date(y, 9, 3), None), (world.pupil_ehc, dt.date(y, 10, 14), dt.date(y + 1, 2, 13)),
                                (world.pupil_none, dt.date(y + 1, 1, 19), None)):  # fmt: skip
        Enrolment.objects.create(provision=group, pupil=pupil, joined_on=joined, left_on=left)
    return world, [name for name, _, _ in terms]


def test_the_csv_and_excel_add_each_term_at_the_end_adding_up_to_the_year(client, three_terms):
    world, terms = three_terms
    sign_in_confirmed(client, world.people["senco"])
    url = f"/schools/{world.school.urn}/provision/map"
    table = list(csv.reader(io.StringIO(client.get(url + ".csv").content.decode())))
    header, rows = table[0], table[1:]
    assert header == MAP_COLUMNS + [f"Pupil's cost in {name} (pence)" for name in terms]
    assert len(rows) == 3
    total = header.index("Pupil's total (pence)")
    for row in rows:
        by_term = [int(v) for v in row[len(MAP_COLUMNS):]]
        assert sum(by_term) == int(row[total]), row
        assert all(v >= 0 for v in by_term)
    ehc = next(r for r in rows if r[0] == world.pupil_ehc.upn)
    assert int(ehc[-1]) == 0 and int(ehc[-3]) > 0  # left in February: nothing in the summer
    by_upn = {r["upn"]: r["by_term_pence"] for r in client.get(url + ".json").json()}
    for row in rows:
        assert dict(zip(terms, (int(v) for v in row[len(MAP_COLUMNS):]), strict=True)) == by_upn[row[0]]
    sheet = load_workbook(io.BytesIO(client.get(url + ".xlsx").content)).active
    excel = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert excel[0] == header and sorted(excel[1:]) == sorted(rows)


def test_the_pdf_shows_each_pupils_terms_and_the_schools(client, three_terms):
    world, terms = three_terms
    sign_in_confirmed(client, world.people["senco"])
    pdf = client.get(f"/schools/{world.school.urn}/provision/map.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "By term" in text
    for name in terms:
        assert f"{name}: £" in text
