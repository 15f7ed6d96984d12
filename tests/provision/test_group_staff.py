"""A provision names the staff who run it; they see and mark the whole group, whichever classes its pupils are in,
through the same pupil reach (and audit) as every other page. "Running now" lists only groups meeting today."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from sencohub.demo.build import build_demo
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.forms import NO_STAFF
from sencohub.provision.models import Attendance, Intervention, PayBand, Provision, Session
from sencohub.provision.services import provision_pupils_set
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.permissions import Action
from tests.factories import PupilFactory, put_on_register

TODAY = timezone.localdate()


@pytest.fixture
def group_of_six(world):
    """Six pupils, three in 3A and three in 4B; the teaching assistant works with class 4B."""
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    pupils = [world.pupil_support, world.pupil_ehc]
    for n, (name, group) in enumerate([("Ashdown", world.class_3a), ("Birtles", world.class_3a), ("Cray", world.class_4b), ("Dunmore", world.class_4b)]):
        pupils.append(put_on_register(PupilFactory(school=world.school, class_group=group, surname=name, forename=f"Pupil{n}"), "K", "SpLD"))
    provision = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="", pay_band=band, starts_on=TODAY - dt.timedelta(days=30), ends_on=TODAY + dt.timedelta(days=30),
        sessions_per_week=3, minutes=20,
    )  # fmt: skip
    provision.pupils.set(pupils)
    return provision


def _sessions_page(client, world):
    return client.get(f"/schools/{world.school.urn}/sessions/").content.decode()


def test_a_teaching_assistant_who_runs_a_group_sees_and_marks_all_six_pupils_whichever_their_class(client, world, group_of_six):
    ta = world.people["teaching_assistant"]
    client.force_login(ta)
    register = f"/schools/{world.school.urn}/sessions/{group_of_six.pk}/register/"
    assert client.get(register).content.decode().count('class="govuk-checkboxes__input" id="id_p') == 3  # class 4B only, before
    group_of_six.run_by.add(ta)
    form = client.get(register).content.decode()
    assert form.count('class="govuk-checkboxes__input" id="id_p') == 6 and "Ada Quillfeather" in form and "Ashdown" in form
    data = {"held_on": TODAY.isoformat(), "note": ""} | {f"p{p.pk}": "on" for p in group_of_six.pupils.all()}
    assert client.post(register, data).status_code == 302
    assert Attendance.objects.filter(session=Session.objects.get(provision=group_of_six), present=True).count() == 6
    assert "Reading group" in _sessions_page(client, world)


def test_running_a_group_reaches_its_pupils_through_the_audited_pupil_gateway(client, world, group_of_six):
    ta = world.people["teaching_assistant"]
    ada = world.pupil_support  # in class 3A: outside the teaching assistant's classes
    pupil_page = f"/schools/{world.school.urn}/pupils/{ada.upn}/support/"
    client.force_login(ta)
    assert client.get(pupil_page).status_code == 404
    group_of_six.run_by.add(ta)
    assert set(pupils_for_user(ta, action=Action.TAKE_REGISTER).filter(school=world.school)) == set(group_of_six.pupils.all())
    assert client.get(pupil_page).status_code == 200
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_id=ada.pk, actor=ta).exists()
    # Cara is in 3A but not in the group: still out of reach. Ada leaves the group: out of reach again.
    assert client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_none.upn}/support/").status_code == 404
    provision_pupils_set(provision=group_of_six, pupils=group_of_six.pupils.exclude(pk=ada.pk), today=TODAY)
    assert client.get(pupil_page).status_code == 404


def test_running_a_group_that_has_ended_reaches_no_one(world, group_of_six):
    ta = world.people["teaching_assistant"]
    group_of_six.run_by.add(ta)
    group_of_six.starts_on, group_of_six.ends_on = TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=1)
    group_of_six.save()
    assert world.pupil_support not in pupils_for_user(ta)


def test_the_senco_names_the_staff_who_run_a_provision_or_writes_in_who_delivers_it(client, world, group_of_six):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/provision/groups/{group_of_six.pk}/"
    base = {
        "intervention": group_of_six.intervention_id, "name": "Reading group", "wave": 2, "pay_band": group_of_six.pay_band_id,
        "starts_on": group_of_six.starts_on.isoformat(), "ends_on": group_of_six.ends_on.isoformat(), "sessions_per_week": 3,
        "minutes": 20, "pupils": [p.pk for p in group_of_six.pupils.all()],
    }  # fmt: skip
    assert NO_STAFF in client.post(url, base).content.decode()
    ta, teacher = world.people["teaching_assistant"], world.people["teacher"]
    assert client.post(url, base | {"run_by": [ta.pk, teacher.pk], "staff": "Ms Byrne (speech and language therapist)"}).status_code == 302
    group_of_six.refresh_from_db()
    assert set(group_of_six.run_by.all()) == {ta, teacher}
    listing = client.get(f"/schools/{world.school.urn}/provision/groups/").content.decode()
    assert f"{ta.get_full_name()}" in listing and "Ms Byrne (speech and language therapist)" in listing
    outsider = world.people["outsider"]  # a SENCo in another school is not offered, and not accepted
    assert f'name="run_by" type="checkbox" value="{outsider.pk}"' not in client.get(url).content.decode()
    assert "Select the staff who run it from the choices given" in client.post(url, base | {"run_by": [outsider.pk]}).content.decode()


def test_running_now_lists_only_groups_meeting_today(client, world, group_of_six):
    ta = world.people["teaching_assistant"]
    group_of_six.run_by.add(ta)
    client.force_login(ta)
    today, other = str(TODAY.weekday()), str((TODAY.weekday() + 1) % 5)
    group_of_six.days = other if TODAY.weekday() < 5 else "01234"
    group_of_six.save()
    page = _sessions_page(client, world)
    assert "Reading group" not in page and "No group meets today" in page
    if TODAY.weekday() < 5:
        group_of_six.days = "".join(sorted({today, other}))
        group_of_six.save()
        assert "Reading group" in _sessions_page(client, world)
    group_of_six.days = ""  # no days recorded: listed every day it runs, saying why
    group_of_six.save()
    page = _sessions_page(client, world)
    assert "Reading group" in page and "Its days are not recorded" in page


def test_a_group_meets_on_its_days_only_and_a_group_without_days_every_day_it_runs(group_of_six):
    monday = dt.date(2026, 11, 30)
    group_of_six.starts_on, group_of_six.ends_on, group_of_six.days = monday, monday + dt.timedelta(days=6), "24"
    group_of_six.save()

    def meets(day):
        return Provision.objects.filter(Provision.meeting_on(day), pk=group_of_six.pk).exists()

    assert [meets(monday + dt.timedelta(days=n)) for n in range(7)] == [False, False, True, False, True, False, False]
    assert not meets(monday + dt.timedelta(days=9))  # a Wednesday after it ended
    group_of_six.days = ""
    group_of_six.save()
    assert all(meets(monday + dt.timedelta(days=n)) for n in range(7))


def test_the_la_officers_register_gives_counts_never_percentages_of_the_pupils_they_happen_to_see(client, world):
    client.force_login(world.people["la_officer"])
    page = client.get(f"/schools/{world.school.urn}/register/").content.decode()
    assert "1</span> pupils you can see" in page and "100.0%" not in page and "% <span" not in page
    assert "no percentages are shown" in page
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/register/").content.decode()
    assert "3</span> pupils on roll" in page and "pupils with SEN: 66.7%" in page  # 2 of the 3 on roll


@pytest.mark.django_db
def test_the_demo_names_who_runs_each_group(world):
    build_demo(schools=2, pupils_per_school=40, seed=3)  # beside the world's schools (the command would refuse)
    groups = Provision.objects.exclude(school__in=[world.school, world.other_school]).prefetch_related("run_by")
    assert groups.exists()
    for provision in groups:
        assert provision.run_by.exists() or provision.staff == "Named teaching assistant"
