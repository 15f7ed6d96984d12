"""The SENCo workforce: appointments, the mandatory qualification's standing, and the view across schools."""

import datetime as dt

import pytest

from sencohub.workforce.models import Appointment, Qualification
from sencohub.workforce.status import standing

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def senco(world):
    return Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=dt.date(2024, 11, 1))


def test_a_nasenco_started_before_september_2024_is_due_by_august_2027(senco):
    Qualification.objects.create(appointment=senco, kind="nasenco", started_on=dt.date(2024, 6, 1))
    s = standing(senco, TODAY)
    assert s.state == "in progress" and s.complete_by == dt.date(2027, 8, 31)
    assert standing(senco, dt.date(2027, 3, 1)).state == "due within six months"
    assert standing(senco, dt.date(2027, 9, 1)).state == "overdue"


def test_completing_it_qualifies(senco):
    Qualification.objects.create(appointment=senco, kind="npq", started_on=dt.date(2025, 1, 6), completed_on=dt.date(2026, 6, 30),
                                 status="completed")  # fmt: skip
    assert standing(senco, TODAY).state == "qualified"


def test_no_course_yet_and_not_required(world):
    fresh = Appointment.objects.create(school=world.school, name="New", starts_on=dt.date(2026, 9, 1))
    assert standing(fresh, TODAY).state == "not started"
    long_serving = Appointment.objects.create(school=world.school, name="Old", starts_on=dt.date(2008, 1, 7))
    assert standing(long_serving, TODAY).state == "not required"


def test_the_school_page_and_recording(client, world, senco):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/senco/"
    assert "Sam Senco" in client.get(url).content.decode()
    response = client.post(url + f"{senco.pk}/qualifications/new/", {"kind": "npq", "started_on": "2025-01-06", "status": "in_progress"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "In progress" in page and "1 November 2027" in page
    bad = client.post(url + "new/", {"name": "X", "post": "senco", "starts_on": "2026-09-01", "ends_on": "2026-01-01",
                                     "previous_senco_months": 0, "fte": "1"}).content.decode()  # fmt: skip
    assert "cannot leave the role before" in bad


def test_the_trust_view_and_who_may_see_it(client, world, senco):
    client.force_login(world.people["trust_send_lead"])
    page = client.get("/sencos/").content.decode()
    assert "Sam Senco" in page and "Not started" in page
    for persona in ("governor", "teacher", "parent"):
        client.force_login(world.people[persona])
        assert client.get(f"/schools/{world.school.urn}/senco/").status_code == 404
