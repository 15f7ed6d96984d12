"""What a users' run of the SENCo pages found (issue 13 follow-up): job shares, a completion date with the status
left as it was, and the labels of the forms."""

import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

from sencohub.workforce.models import Appointment

APPOINTMENT = {"post": "senco", "previous_senco_months": 0, "fte": "1", "qts": "on"}


def test_two_current_sencos_at_one_school_are_both_listed_and_the_second_is_pointed_out(client, world):
    Appointment.objects.create(school=world.school, name="Billy Banks", starts_on=dt.date(2015, 9, 1), qts=True)
    client.force_login(world.people["head"])
    url = f"/schools/{world.school.urn}/senco/"
    response = client.post(url + "new/", {**APPOINTMENT, "name": "Ms Priya Okafor-Test", "starts_on": "2019-09-02"}, follow=True)
    page = response.content.decode()
    assert "The appointment was saved." in page
    assert "Billy Banks is also recorded as SENCo here since 1 September 2015" in page
    assert "record the end of that appointment if they have left" in page

    client.force_login(world.people["trust_send_lead"])
    across = client.get("/sencos/").content.decode()
    assert "Billy Banks" in across and "Ms Priya Okafor-Test" in across
    assert "1 school: 1 with a SENCo in post (2 SENCos), 0 vacancies." in across
    csv_lines = client.get("/sencos/export.csv").content.decode().splitlines()
    assert sum("Billy Banks" in line for line in csv_lines) == 1 and sum("Okafor-Test" in line for line in csv_lines) == 1
    book = load_workbook(BytesIO(client.get("/sencos/export.xlsx").content))
    names = [row[3] for row in book["SENCos"].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Billy Banks", "Ms Priya Okafor-Test"]


def test_a_single_senco_brings_no_note_and_an_ended_one_none_either(client, world):
    Appointment.objects.create(school=world.school, name="Billy Banks", starts_on=dt.date(2015, 9, 1), ends_on=dt.date(2019, 8, 31),
                               leaving_reason="retired")  # fmt: skip
    client.force_login(world.people["head"])
    url = f"/schools/{world.school.urn}/senco/"
    page = client.post(url + "new/", {**APPOINTMENT, "name": "Priya Okafor", "starts_on": "2019-09-02"}, follow=True).content.decode()
    assert "The appointment was saved." in page and "also recorded as SENCo" not in page


def test_a_completion_date_with_the_status_left_in_progress_is_refused_on_the_status(client, world):
    from sencohub.workforce.models import Qualification

    senco = Appointment.objects.create(school=world.school, name="Billy Banks", starts_on=dt.date(2019, 9, 2), qts=True)
    client.force_login(world.people["head"])
    url = f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/new/"
    nasenco = {"kind": "nasenco", "started_on": "2021-01-11", "completed_on": "2023-07-14"}
    for status in ("in_progress", "withdrawn"):
        response = client.post(url, {**nasenco, "status": status})
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["status"] == ["You gave a completion date: choose Completed, or remove the date."]
        assert "You gave a completion date: choose Completed, or remove the date." in response.content.decode()
    assert not Qualification.objects.exists()
    assert client.post(url, {**nasenco, "status": "completed"}).status_code == 302
    page = client.get(f"/schools/{world.school.urn}/senco/").content.decode()
    assert "Qualified, late" in page  # due by 2 September 2022, completed 14 July 2023
    assert "Overdue" not in page


def test_the_confirmation_and_the_kind_of_qualification_are_labelled_once_and_offer_no_blank_radio(client, world):
    import lxml.html

    senco = Appointment.objects.create(school=world.school, name="Billy Banks", starts_on=dt.date.today() - dt.timedelta(days=400),
                                       qts=True)  # fmt: skip
    client.force_login(world.people["head"])
    url = f"/schools/{world.school.urn}/senco/"
    page = lxml.html.fromstring(client.get(url).content)
    assert "What you have seen (optional)" in [label.text_content().strip() for label in page.xpath("//label")]
    form = lxml.html.fromstring(client.get(url + f"{senco.pk}/qualifications/new/").content)
    kinds = [form.xpath(f"//label[@for='{r.get('id')}']")[0].text_content().strip() for r in form.xpath("//input[@name='kind']")]
    assert kinds == ["NPQ for SENCOs", "NASENCo award", "Other SEND qualification"]


def test_the_error_summary_still_takes_you_to_the_first_kind_drawn(client, world):
    senco = Appointment.objects.create(school=world.school, name="Billy Banks", starts_on=dt.date(2019, 9, 2), qts=True)
    client.force_login(world.people["head"])
    page = client.post(f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/new/", {"started_on": "2021-01-11",
                       "status": "in_progress"}).content.decode()  # fmt: skip
    assert 'href="#id_kind_1"' in page and 'id="id_kind_1"' in page and 'id="id_kind_0"' not in page
