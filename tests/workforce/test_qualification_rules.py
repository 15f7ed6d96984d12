"""Qualifications that count, count (issue 13, item 4; STATUTORY.md section 6 and the note under section 12).

Worked examples from SEND Regulations 2014 reg. 49 and SI 2024/535, then a comparison, for generated cases, of
`sencohub timeline senco-qualification` with what the pages and the warnings say for the same facts.
"""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sencohub.workforce.models import Appointment, Qualification
from sencohub.workforce.status import standing
from sencohub.workforce.warnings import send_qualification_warnings

D = dt.date


def timeline(*args) -> dict:
    out = StringIO()
    call_command("timeline", "senco-qualification", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def senco(school, appointed, **fields) -> Appointment:
    return Appointment.objects.create(school=school, name="Sam Senco", starts_on=appointed, qts=True, **fields)


def page(client, world) -> str:
    client.force_login(world.people["senco"])
    return client.get(f"/schools/{world.school.urn}/senco/").content.decode()


# A NASENCo begun before 1 September 2024 and completed before 1 September 2027 counts, late or not ----------


def test_a_qualified_senco_is_shown_with_what_they_hold_and_when_not_a_past_due_date(client, world):
    a = senco(world.school, D(2019, 9, 1))
    Qualification.objects.create(
        appointment=a, kind="nasenco", started_on=D(2020, 1, 6), status="completed", completed_on=D(2021, 7, 15)
    )
    shown = page(client, world)
    assert "Qualified</strong> (NASENCo award, 15 July 2021)" in shown
    assert "due by 1 September 2022" not in shown


def test_a_nasenco_completed_after_the_third_anniversary_is_qualified_late_not_overdue(client, world):
    # Appointed 4 January 2021: due by 4 January 2024. The NASENCo began in September 2023 and was completed in
    # July 2025, after the third anniversary but before 1 September 2027: a relevant qualification (SI 2024/535).
    a = senco(world.school, D(2021, 1, 4))
    course = Qualification.objects.create(appointment=a, kind="nasenco", started_on=D(2023, 9, 1))
    assert standing(a, D(2025, 1, 6)).state == "overdue"
    course.status, course.completed_on = "completed", D(2025, 7, 10)
    course.save()
    for today in (D(2025, 7, 11), D(2030, 1, 1)):
        found = standing(a, today)
        assert (found.state, found.label, found.complete_by) == ("qualified, late", "Qualified, late", D(2024, 1, 4))
    shown = page(client, world)
    assert "Qualified, late" in shown and "was due by 4 January 2024" in shown and "Overdue" not in shown
    assert timeline("--appointed", "2021-01-04", "--course", "nasenco", "--course-start", "2023-09-01")["complete_by"] == "2024-01-04"
    assert send_qualification_warnings(D(2026, 1, 5)) == []  # no overdue warning for a qualified SENCo
    client.force_login(world.people["trust_send_lead"])
    across = client.get("/sencos/").content.decode()
    assert "Qualified, late" in across and "Overdue" not in across.split("Each school")[1]
    assert ",Qualified late," not in client.get("/sencos/export.csv").content.decode()
    assert '"Qualified, late",2024-01-04' in client.get("/sencos/export.csv").content.decode()


def test_a_nasenco_completed_from_september_2027_does_not_count(world):
    a = senco(world.school, D(2024, 11, 1))
    Qualification.objects.create(appointment=a, kind="nasenco", started_on=D(2024, 6, 1), completed_on=D(2027, 9, 1), status="completed")
    found = standing(a, D(2027, 9, 2))
    assert found.state == "overdue" and found.complete_by == D(2027, 8, 31)


def test_an_npq_completed_after_the_third_anniversary_is_qualified_late(world):
    a = senco(world.school, D(2022, 1, 10))
    Qualification.objects.create(appointment=a, kind="npq", started_on=D(2024, 10, 1), completed_on=D(2026, 3, 1), status="completed")
    assert standing(a, D(2026, 11, 23)).state == "qualified, late"
    on_time = senco(world.school, D(2024, 1, 8))
    Qualification.objects.create(appointment=on_time, kind="npq", started_on=D(2024, 10, 1), completed_on=D(2026, 3, 1), status="completed")
    assert standing(on_time, D(2026, 11, 23)).state == "qualified"


# A later course never takes a qualification away ---------------------------------------------------------


def test_recording_an_npq_start_keeps_a_completed_nasenco(client, world):
    a = senco(world.school, D(2022, 9, 5))
    Qualification.objects.create(appointment=a, kind="nasenco", started_on=D(2022, 10, 3), completed_on=D(2024, 7, 1), status="completed")
    assert "Qualified" in page(client, world)
    response = client.post(f"/schools/{world.school.urn}/senco/{a.pk}/qualifications/new/",
                           {"kind": "npq", "started_on": "2025-09-01", "status": "in_progress"})  # fmt: skip
    assert response.status_code == 302 and a.qualifications.count() == 2
    found = standing(a, D(2026, 11, 23))
    assert found.state == "qualified" and "NASENCo" in found.accepted
    shown = page(client, world)
    assert '<strong class="govuk-tag govuk-tag--green">Qualified</strong>' in shown
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' not in shown


def test_a_withdrawn_course_or_a_course_that_does_not_count_is_not_held(world):
    a = senco(world.school, D(2024, 10, 1))
    Qualification.objects.create(appointment=a, kind="nasenco", started_on=D(2024, 9, 2), completed_on=D(2026, 6, 1), status="completed")
    assert standing(a, D(2026, 11, 23)).state == "not started"  # begun from 1 September 2024: not a relevant qualification


# The duty covers appointments "after" 1 September 2009 -----------------------------------------------------


@pytest.mark.parametrize(("appointed", "required"), [(D(2009, 8, 31), False), (D(2009, 9, 1), False), (D(2009, 9, 2), True)])
def test_an_appointment_on_1_september_2009_itself_is_not_covered(client, world, appointed, required):
    duty = timeline("--appointed", appointed.isoformat())
    assert duty["required"] is required
    if required:
        assert duty["complete_by"] == "2012-09-02" and "after 1 September 2009" in duty["reason"]
    else:
        assert "complete_by" not in duty and "on or before 1 September 2009" in duty["reason"]
    senco(world.school, appointed)
    shown = page(client, world)
    assert ("Not required" in shown) is not required
    assert duty["reason"] in shown


def test_the_calculator_page_agrees_on_1_september_2009(client, world):
    client.force_login(world.people["head"])
    shown = client.get("/statutory-dates/senco-qualification/?calculate=1&appointed=2009-09-01").content.decode()
    assert "The duty does not apply." in shown and "on or before 1 September 2009" in shown


# A SENCo must be a qualified teacher or the headteacher -----------------------------------------------------

NO_QTS = "No qualified teacher status is recorded"


def test_a_senco_with_no_qts_recorded_is_flagged_on_every_page(client, world):
    client.force_login(world.people["senco"])
    base = f"/schools/{world.school.urn}/senco/"
    form = client.get(base + "new/").content.decode()
    assert 'name="qts"' in form and 'name="is_head"' in form and "checked" not in form.split('name="qts"')[1].split(">")[0]
    data = {"name": "Sam Senco", "post": "senco", "starts_on": "2025-09-01", "previous_senco_months": "0", "fte": "1"}
    assert client.post(base + "new/", data).status_code == 302
    a = Appointment.objects.get()
    assert not a.qts and not a.is_head and standing(a, D(2026, 11, 23)).no_qts
    assert NO_QTS in client.get(base).content.decode()
    assert NO_QTS in client.get(f"/schools/{world.school.urn}/overview/").content.decode()
    client.force_login(world.people["trust_send_lead"])
    assert "No QTS recorded" in client.get("/sencos/").content.decode()
    assert client.get("/sencos/export.csv").content.decode().splitlines()[1].endswith(",Not recorded")
    # Recorded as the headteacher: not flagged; recorded with QTS: not flagged.
    client.force_login(world.people["senco"])
    client.post(base + f"{a.pk}/", {**data, "is_head": "on", "version": a.version})
    a.refresh_from_db()
    assert a.is_head and NO_QTS not in client.get(base).content.decode() and "The headteacher" in client.get(base).content.decode()
    client.post(base + f"{a.pk}/", {**data, "qts": "on", "version": a.version})
    a.refresh_from_db()
    assert a.qts and not a.is_head and NO_QTS not in client.get(base).content.decode()


def test_the_digest_warning_says_when_qts_is_not_recorded(world):
    a = Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=D(2024, 11, 1), user=world.people["senco"])
    assert [w.state for w in send_qualification_warnings(D(2027, 9, 1))] == ["due within six months"]
    assert NO_QTS in mail.outbox[-1].body
    a.qts = True
    a.save()


# The command and the pages give the same answer for the same facts ------------------------------------------

CASES = st.fixed_dictionaries({
    "appointed": st.dates(min_value=D(2008, 1, 1), max_value=D(2026, 11, 1)),
    "months": st.sampled_from([0, 7, 12, 13, 40]),
    "course": st.sampled_from([None, "npq", "nasenco"]),
    "start_after": st.integers(0, 2200),
    "completed_after": st.one_of(st.none(), st.integers(60, 1500)),
})  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=CASES)
@example(case={"appointed": D(2009, 9, 1), "months": 0, "course": None, "start_after": 0, "completed_after": None})
@example(case={"appointed": D(2021, 1, 4), "months": 0, "course": "nasenco", "start_after": 970, "completed_after": 678})
@example(case={"appointed": D(2022, 9, 5), "months": 0, "course": "nasenco", "start_after": 28, "completed_after": None})
def test_the_timeline_command_and_the_pages_agree(client, world, case):
    appointed = case["appointed"]
    # A course begun by the day the standing is read (1 December 2026): dates typed are at most five years ahead.
    start = min(appointed + dt.timedelta(days=case["start_after"]), D(2026, 12, 1)) if case["course"] else None
    completed = start + dt.timedelta(days=case["completed_after"]) if start and case["completed_after"] is not None else None
    args = ["--appointed", appointed.isoformat(), "--previous-senco-months", str(case["months"])]
    if start:
        args += ["--course", case["course"], "--course-start", start.isoformat()]
    duty = timeline(*args)

    a = senco(world.school, appointed, previous_senco_months=case["months"], user=world.people["senco"])
    if start:
        Qualification.objects.create(appointment=a, kind=case["course"], started_on=start, completed_on=completed,
                                     status="completed" if completed else "in_progress")  # fmt: skip
    try:
        due = D.fromisoformat(duty["complete_by"]) if "complete_by" in duty else None
        found = standing(a, D(2026, 12, 1))
        assert found.complete_by == due and list(found.accepted) == duty["accepted"] and found.reason == duty["reason"]
        assert (found.state == "not required") == (not duty["required"] and not found.held)

        shown = page(client, world)
        assert duty["reason"] in shown and f"Counts: {', '.join(duty['accepted'])}." in shown
        if due and found.state != "qualified":  # a SENCo qualified on time is shown what they hold, not a date
            assert f"due by {due:%-d %B %Y}" in shown
        else:
            assert "due by" not in shown

        client.force_login(world.people["trust_send_lead"])
        row = client.get("/sencos/export.csv").content.decode().splitlines()[1]
        assert (f",{due.isoformat()}," in row) if due else (",Not required,," in row or ",Qualified,," in row)

        # The digest warns, once it is due, exactly when the duty applies and no relevant qualification is held.
        mail.outbox.clear()
        warned = send_qualification_warnings(due + dt.timedelta(days=1)) if due else []
        assert bool(warned) == (due is not None and not found.held)
        if warned:
            assert warned[0].complete_by == due and duty["reason"] in mail.outbox[0].body
            assert f"What counts: {', '.join(duty['accepted'])}." in mail.outbox[0].body
    finally:
        a.delete()


# The demo -------------------------------------------------------------------------------------------------


def test_the_demo_has_a_senco_in_every_state_each_a_qualified_teacher(db):
    from django.utils import timezone

    from sencohub.demo.build import build_demo
    from sencohub.workforce import status

    build_demo(schools=2, pupils_per_school=10, seed=3)
    today = timezone.localdate()
    current = Appointment.objects.filter(Appointment.in_post(today), post="senco").prefetch_related("qualifications")
    found = [standing(a, today) for a in current]
    assert {s.state for s in found} == set(status.LABELS)
    assert not any(s.no_qts for s in found)
