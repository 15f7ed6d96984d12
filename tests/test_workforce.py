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


# The weekly time log ---------------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from django.core import mail  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.django import TestCase as HypothesisTestCase  # noqa: E402,F401

from sencohub.workforce.models import TIME_CATEGORIES, TrainingAttendance, TrainingSession, WeekLog  # noqa: E402
from sencohub.workforce.timelog import monday, percent, summarise  # noqa: E402
from sencohub.workforce.warnings import send_qualification_warnings  # noqa: E402

FIELDS = [name for name, _, _ in TIME_CATEGORIES]


def week(**hours) -> WeekLog:
    return WeekLog(week_of=dt.date(2026, 11, 16), **{name: Decimal(str(hours.get(name, 0))) for name in FIELDS + ["protected_used"]})


def test_a_worked_week_split():
    # 20 hours: 5 administration and 3 EHC paperwork is 25% administration and 40% paperwork; 6 of 8 protected hours kept.
    summary = summarise([week(strategic=4, teachers=4, pupils=4, administration=5, ehc_paperwork=3, protected_used=6)], Decimal(8))
    assert summary.total == Decimal(20)
    assert summary.administration_percent == Decimal("25.0") and summary.paperwork_percent == Decimal("40.0")
    assert summary.protected_allocated == Decimal(8) and summary.protected_kept_percent == Decimal("75.0")
    assert summary.average_week == Decimal("20.0")


hours = st.decimals(min_value=0, max_value=12, places=1)


@given(st.lists(st.fixed_dictionaries({name: hours for name in FIELDS}), min_size=1, max_size=40))
def test_the_split_adds_up(weeks):
    logs = [week(**w) for w in weeks]
    summary = summarise(logs, Decimal(6))
    assert sum(s.hours for s in summary.shares) == summary.total == sum(w.total for w in logs)
    if summary.total:
        shown = sum(s.percent for s in summary.shares)
        assert abs(shown - 100) <= Decimal("0.05") * len(FIELDS)  # each share rounded to 0.1 at most 0.05 out
        assert summary.paperwork_percent >= summary.administration_percent
    else:
        assert summary.administration_percent is None


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_a_week_is_kept_by_its_monday(day):
    start = monday(day)
    assert start.weekday() == 0 and 0 <= (day - start).days <= 6


def test_percent_of_nothing_is_nothing():
    assert percent(Decimal(3), Decimal(0)) is None


def test_logging_a_week_through_the_page(client, world, senco):
    senco.protected_hours = Decimal(8)
    senco.save()
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/senco/{senco.pk}/time/week/"
    data = {"week_of": "2026-11-18", **{name: "0" for name in FIELDS}, "administration": "6", "pupils": "4", "protected_used": "5"}
    assert client.post(url, data).status_code == 302
    log = WeekLog.objects.get(appointment=senco)
    assert log.week_of == dt.date(2026, 11, 16) and log.total == Decimal(10)  # kept by the Monday
    client.post(url, {**data, "week_of": "2026-11-16", "administration": "2"})  # the same week again: changed, not doubled
    assert WeekLog.objects.filter(appointment=senco).count() == 1 and WeekLog.objects.get().administration == Decimal(2)
    too_many = client.post(url, {**data, "administration": "99"}).content.decode()
    assert "103.0 hours in one week" in too_many
    negative = client.post(url, {**data, "pupils": "-1"}).content.decode()
    assert "Ensure this value is greater than or equal to 0" in negative or "cannot be negative" in negative
    ahead = dt.date.today() + dt.timedelta(days=63)  # a Monday ahead, inside the window of plausible dates
    future = client.post(url, {**data, "week_of": (ahead - dt.timedelta(days=ahead.weekday())).isoformat()}).content.decode()
    assert "has not started yet" in future
    page = client.get(f"/schools/{world.school.urn}/senco/{senco.pk}/time/?year=2026").content.decode()
    assert "Where the time goes" in page and "33.3%" in page  # 2 of 6 hours on administration
    assert "<svg" in page and "5.0" in page


@given(
    st.lists(st.dates(min_value=dt.date(2025, 9, 1), max_value=dt.date(2026, 8, 31)), max_size=30),
    st.dates(min_value=dt.date(2025, 9, 1), max_value=dt.date(2026, 8, 31)),
    st.dates(min_value=dt.date(2025, 9, 1), max_value=dt.date(2026, 8, 31)),
)
def test_unlogged_weeks_are_exactly_the_mondays_in_range_without_a_log(logged, first, before):
    from sencohub.workforce.timelog import unlogged_weeks

    weeks = unlogged_weeks(logged, first, before)
    assert all(w.weekday() == 0 and monday(first) <= w < monday(before) for w in weeks)
    assert not {monday(d) for d in logged} & set(weeks)
    expected = (monday(before) - monday(first)).days // 7 if before >= first else 0
    assert len(weeks) + len({monday(d) for d in logged if monday(first) <= monday(d) < monday(before)}) == max(0, expected)


def test_the_time_log_names_weeks_not_logged_and_draws_its_axes(client, world, senco):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/senco/{senco.pk}/time/"
    week = f"/schools/{world.school.urn}/senco/{senco.pk}/time/week/"
    data = {**{name: "0" for name in FIELDS}, "administration": "6", "pupils": "14", "protected_used": "5"}
    for day in ("2025-09-01", "2025-09-15"):
        assert client.post(week, {**data, "week_of": day}).status_code == 302
    senco.ends_on = dt.date(2025, 9, 30)  # so the weeks named do not depend on today
    senco.save()
    page = client.get(url + "?year=2025").content.decode()
    assert "2 weeks not logged" in page
    assert "week beginning 8 September 2025" in page and "week beginning 22 September 2025" in page
    assert "week beginning 1 September 2025" not in page and "week beginning 29 September 2025" not in page
    assert ">Hours</text>" in page and ">Week beginning</text>" in page and ">1 Sep</text>" in page
    assert 'font-size="1' in page and 'font-size="9"' not in page and 'width="100%"' not in page


# The headteacher's confirmation, certificates and warnings -----------------------------------------


def test_the_headteacher_confirms_and_no_one_else_can(client, world, senco):
    Qualification.objects.create(appointment=senco, kind="npq", started_on=dt.date(2025, 1, 6))
    url = f"/schools/{world.school.urn}/senco/"
    client.force_login(world.people["senco"])
    assert "are you satisfied" not in client.get(url).content.decode()
    assert client.post(url + f"{senco.pk}/confirm/", {"satisfied": "on"}).status_code == 404
    client.force_login(world.people["head"])
    assert "are you satisfied" in client.get(url).content.decode()
    client.post(url + f"{senco.pk}/confirm/", {"satisfied": "on", "note": "Enrolled with a named provider."})
    senco.refresh_from_db()
    assert senco.head_confirmed_on is not None and senco.head_confirmed_by == world.people["head"]
    page = client.get(url).content.decode()
    assert "are you satisfied" not in page and "Enrolled with a named provider." in page


def test_a_certificate_is_uploaded_and_downloaded(client, world, senco, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/new/"
    data = {"kind": "npq", "started_on": "2025-01-06", "completed_on": "2026-07-01", "status": "completed"}
    refused = client.post(url, {**data, "certificate": SimpleUploadedFile("cert.exe", b"MZ")}).content.decode()
    assert "PDF, JPG or PNG" in refused and not Qualification.objects.exists()
    client.post(url, {**data, "certificate": SimpleUploadedFile("npq-certificate.pdf", b"%PDF-1.7 example")})
    q = Qualification.objects.get()
    assert "certificate" in client.get(f"/schools/{world.school.urn}/senco/").content.decode()
    response = client.get(f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/{q.pk}/certificate")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 example"
    client.force_login(world.people["outsider"])
    assert client.get(f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/{q.pk}/certificate").status_code == 404


def test_changing_a_qualification_names_its_certificate_without_showing_where_it_is_kept(
    client, world, senco, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.people["senco"])
    base = f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/"
    data = {"kind": "npq", "started_on": "2025-01-06", "completed_on": "2026-07-01", "status": "completed"}
    client.post(base + "new/", {**data, "certificate": SimpleUploadedFile("npq-certificate.pdf", b"%PDF-1.7 x")})
    q = Qualification.objects.get()
    page = client.get(f"{base}{q.pk}/").content.decode()
    assert "npq-certificate.pdf" in page and "Remove the file" in page
    assert "certificates/" not in page  # the stored path, which no page serves, is neither shown nor linked
    client.post(f"{base}{q.pk}/", {**data, "certificate-clear": "on"})
    q.refresh_from_db()
    assert not q.certificate


def test_warnings_six_months_ahead_and_when_overdue_each_once(world, senco):
    senco.user = world.people["senco"]
    senco.save()
    Qualification.objects.create(appointment=senco, kind="nasenco", started_on=dt.date(2024, 6, 1))  # due 31 August 2027
    assert send_qualification_warnings(dt.date(2026, 11, 23)) == []  # more than six months away
    sent = send_qualification_warnings(dt.date(2027, 3, 1))
    assert [(w.state, w.complete_by) for w in sent] == [("due within six months", dt.date(2027, 8, 31))]
    assert set(sent[0].recipients) == {"senco@alder.test", "head@alder.test"}
    assert "must hold the mandatory SENCo qualification by 31 August 2027" in mail.outbox[0].body
    assert send_qualification_warnings(dt.date(2027, 3, 2)) == []  # not again the next day
    overdue = send_qualification_warnings(dt.date(2027, 9, 1))
    assert [w.state for w in overdue] == ["overdue"] and "is overdue" in mail.outbox[-1].subject


def test_send_digests_reports_the_warnings(world, senco):
    import json

    from django.core.management import call_command

    Qualification.objects.create(appointment=senco, kind="nasenco", started_on=dt.date(2024, 6, 1))
    from io import StringIO

    out = StringIO()
    call_command("send-digests", "--date", "2027-09-01", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["qualification_warnings"][0]["state"] == "overdue"
    assert data["qualification_warnings"][0]["complete_by"] == "2027-08-31"


# Staff training ----------------------------------------------------------------------------------


def test_training_a_session_ratings_and_needs(client, world):
    client.force_login(world.people["senco"])
    teacher, ta = world.people["teacher"], world.people["teaching_assistant"]
    base = f"/schools/{world.school.urn}/training/"
    response = client.post(base + "new/", {"topic": "Speech and language in the classroom", "area_of_need": "communication and interaction",
                                           "held_on": "2026-10-07", "minutes": "90", "attendees": [teacher.pk, ta.pk]})  # fmt: skip
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and session.attendance.count() == 2
    ta_row = session.attendance.get(user=ta)
    client.post(base + f"{session.pk}/", {"ratings": "1", f"before_{ta_row.pk}": "2", f"after_{ta_row.pk}": "4"})
    ta_row.refresh_from_db()
    assert (ta_row.confidence_before, ta_row.confidence_after) == (2, 4)
    # The teacher rates their own confidence on their own page.
    client.force_login(teacher)
    mine = client.get(f"/schools/{world.school.urn}/my-training/").content.decode()
    assert "Speech and language in the classroom" in mine
    row = session.attendance.get(user=teacher)
    client.post(f"/schools/{world.school.urn}/my-training/", {f"before_{row.pk}": "1", f"after_{row.pk}": "3"})
    row.refresh_from_db()
    assert row.confidence_after == 3
    # The SENCo sees each person's record and the training needs: SEMH has no pupils here, so no flag; cognition none.
    client.force_login(world.people["senco"])
    page = client.get(base).content.decode()
    assert "1.5 → 3.5" in page  # mean of (2, 1) before and (4, 3) after
    assert "1.5" in page and "Speech and language in the classroom" in page
    bad = client.post(base + "new/", {"topic": "X", "area_of_need": "general", "held_on": "2026-10-07", "minutes": "1"}).content.decode()
    assert "between 5 and 7,200" in bad


def test_a_training_need_is_flagged_where_pupils_have_a_need_and_no_one_is_trained(world):
    from sencohub.workforce.training import training_needs

    needs = {n.key: n for n in training_needs(world.school, dt.date(2025, 9, 1))}
    # Two pupils with communication and interaction as their primary need (SLCN, ASD); no training yet.
    assert needs["communication and interaction"].pupils == 2
    assert "no member of staff has had training" in needs["communication and interaction"].flagged
    assert needs["cognition and learning"].flagged == ""


def test_teachers_cannot_manage_training(client, world):
    client.force_login(world.people["teacher"])
    assert client.get(f"/schools/{world.school.urn}/training/").status_code == 404
    assert client.get(f"/schools/{world.school.urn}/my-training/").status_code == 200


# Governors see figures only --------------------------------------------------------------------------


def test_the_governors_summary_names_no_one(client, world, senco):
    senco.protected_hours = Decimal(8)
    senco.save()
    WeekLog.objects.create(appointment=senco, week_of=dt.date(2026, 11, 16), administration=Decimal(4), pupils=Decimal(4),
                           protected_used=Decimal(6))  # fmt: skip
    session = TrainingSession.objects.create(school=world.school, topic="Autism", area_of_need="communication and interaction",
                                             held_on=dt.date(2026, 10, 1))  # fmt: skip
    TrainingAttendance.objects.create(session=session, user=world.people["teacher"], confidence_before=2, confidence_after=4)
    client.force_login(world.people["governor"])
    page = client.get(f"/schools/{world.school.urn}/senco/governors/").content.decode()
    assert "50.0%" in page and "fewer than 5 of" in page and "2.0 of 5 before training and 4.0 after" in page
    assert "Sam Senco" not in page and world.people["teacher"].last_name not in page
    for surname in ("Quillfeather", "Marchbanks", "Trelawney"):
        assert surname not in page
    assert "<td class=\"govuk-table__cell\">c</td>" in page  # two pupils with communication and interaction needs
    pdf = client.get(f"/schools/{world.school.urn}/senco/governors.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/schools/{world.school.urn}/senco/governors.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    for path in ("senco/", f"senco/{senco.pk}/time/", "training/", "my-training/"):
        assert client.get(f"/schools/{world.school.urn}/{path}").status_code == 404, path
    assert client.get("/sencos/").status_code == 404


# Across schools -----------------------------------------------------------------------------------


def test_the_trust_view_counts_exports_and_leavers(client, world, senco):
    Appointment.objects.create(school=world.school, name="Former Senco", starts_on=dt.date(2018, 9, 1), ends_on=dt.date(2024, 10, 31),
                               leaving_reason="promotion")  # fmt: skip
    Qualification.objects.create(appointment=senco, kind="npq", started_on=dt.date(2025, 1, 6), completed_on=dt.date(2026, 6, 30),
                                 status="completed")  # fmt: skip
    client.force_login(world.people["trust_send_lead"])
    page = client.get("/sencos/").content.decode()
    assert "Former Senco" in page and "Promotion" in page and "NPQ for SENCOs" in page
    csv_text = client.get("/sencos/export.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("URN,School,Local authority,SENCo")
    assert "Sam Senco" in csv_text and "Qualified" in csv_text
    xlsx = client.get("/sencos/export.xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["SENCos", "Leavers"] and book["Leavers"]["C2"].value == "Former Senco"
    anonymised = client.get("/sencos/anonymised.csv").content.decode()
    assert "Sam Senco" not in anonymised and world.school.name not in anonymised
    for line in anonymised.splitlines()[1:]:
        value = line.rsplit(",", 1)[1]
        assert value in ("c", "") or float(value) == 0 or float(value) >= 5, line


def test_an_la_officer_sees_every_sharing_school_in_the_area(client, world):
    from tests.factories import SchoolFactory

    quiet = SchoolFactory(urn="100003", name="Cedar Primary", local_authority=world.school.local_authority, shares_with_local_authority=True)
    private = SchoolFactory(urn="100004", name="Damson Primary", local_authority=world.school.local_authority, shares_with_local_authority=False)
    Appointment.objects.create(school=quiet, name="Cedar Senco", starts_on=dt.date(2020, 9, 1))
    client.force_login(world.people["la_officer"])
    page = client.get("/sencos/").content.decode()
    assert "Cedar Primary" in page and "Alder Primary" in page
    assert "Damson Primary" not in page and "Birch Primary" not in page
    assert client.get(f"/schools/{quiet.urn}/senco/").status_code == 200
    assert client.get(f"/schools/{private.urn}/senco/").status_code == 404


def test_the_view_across_schools_takes_the_same_queries_for_more_schools(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SchoolFactory

    la = world.school.local_authority
    client.force_login(world.people["la_officer"])
    client.get("/")

    def add(first, last):
        for n in range(first, last):
            school = SchoolFactory(urn=f"2000{n:02d}", name=f"School {n}", local_authority=la, shares_with_local_authority=True)
            a = Appointment.objects.create(school=school, name=f"SENCo {n}", starts_on=dt.date(2020, 9, 1))
            Qualification.objects.create(appointment=a, kind="nasenco", started_on=dt.date(2020, 10, 1))
            Appointment.objects.create(school=school, name=f"Leaver {n}", starts_on=dt.date(2010, 9, 1), ends_on=dt.date(2020, 8, 31),
                                       leaving_reason="retired")  # fmt: skip

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/sencos/").status_code == 200
    add(2, 12)
    with CaptureQueriesContext(connection) as many:
        assert "School 11" in client.get("/sencos/").content.decode()
    assert len(many) == len(few)


def test_a_senco_who_has_given_notice_is_in_post_until_their_last_day(client, world, senco):
    senco.ends_on, senco.leaving_reason = dt.date(2099, 8, 31), "retired"
    senco.save()
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/senco/").content.decode()
    assert "(leaving 31 Aug 2099)" in page and "Mandatory qualification" in page
    # Appointed 1 November 2024 with no course: due by 1 November 2027, so warned six months ahead while in post.
    assert [w.state for w in send_qualification_warnings(dt.date(2027, 9, 1))] == ["due within six months"]


def test_the_senco_overview_warns_when_the_qualification_is_due(client, world, senco):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/overview/").content.decode()
    assert "The mandatory SENCo qualification for Sam Senco:" in page and "(due by 1 November 2027)" in page
    Qualification.objects.create(appointment=senco, kind="npq", started_on=dt.date(2025, 1, 6), completed_on=dt.date(2026, 6, 30),
                                 status="completed")  # fmt: skip
    assert "The mandatory SENCo qualification" not in client.get(f"/schools/{world.school.urn}/overview/").content.decode()


# The standing as a pure function ------------------------------------------------------------------

from types import SimpleNamespace  # noqa: E402

from sencohub.statutory import timelines  # noqa: E402
from sencohub.workforce.status import standing_of  # noqa: E402

RANK = {"not started": 0, "in progress": 0, "due within six months": 1, "overdue": 2}
days = st.dates(min_value=dt.date(2009, 9, 2), max_value=dt.date(2035, 12, 31))  # appointed after 1 September 2009


@given(appointed=days, course=st.sampled_from([None, "npq", "nasenco"]), offset=st.integers(0, 900),
       first=st.integers(0, 5000), later=st.integers(0, 5000))  # fmt: skip
def test_as_time_passes_a_senco_only_moves_towards_overdue(appointed, course, offset, first, later):
    quals = [SimpleNamespace(kind=course, status="in_progress", started_on=appointed + dt.timedelta(days=offset), completed_on=None)] if course else []
    a, b = sorted([appointed + dt.timedelta(days=first), appointed + dt.timedelta(days=first + later)])
    s1, s2 = standing_of(appointed, 0, quals, a), standing_of(appointed, 0, quals, b)
    assert s1.complete_by == s2.complete_by  # the due date does not move with the day it is asked
    assert RANK[s2.state] >= RANK[s1.state]  # never back from overdue, never back from due soon
    assert (s2.state == "overdue") == (b > s2.complete_by)
    counts = bool(quals) and {"npq": timelines.NPQ, "nasenco": timelines.NASENCO}[course] in s2.accepted
    assert (s2.state == "in progress") == (counts and RANK[s2.state] == 0)


def test_a_nasenco_begun_from_september_2024_is_not_progress():
    late = SimpleNamespace(kind="nasenco", status="in_progress", started_on=dt.date(2024, 9, 2), completed_on=None)
    assert standing_of(dt.date(2024, 10, 1), 0, [late], dt.date(2025, 1, 6)).state == "not started"


@given(appointed=days, months=st.integers(0, 400), done=days)
def test_a_completed_npq_always_qualifies_a_senco_who_needs_it(appointed, months, done):
    npq = SimpleNamespace(kind="npq", status="completed", started_on=appointed, completed_on=max(done, appointed))
    found = standing_of(appointed, months, [npq], appointed + dt.timedelta(days=4000))
    assert found.state in ("qualified", "qualified, late")  # held for good, on time or late


def test_a_far_off_school_year_in_the_address_is_kept_in_range(client, world, senco):
    client.force_login(world.people["senco"])
    for year in ("9999", "-5", "soon"):
        assert client.get(f"/schools/{world.school.urn}/senco/{senco.pk}/time/?year={year}").status_code == 200, year


@given(
    st.integers(0, 30),
    st.integers(0, 8),
    st.integers(0, 6),
    st.lists(st.integers(0, 12), min_size=7, max_size=7),
    st.integers(0, 40),
)
def test_the_anonymised_csv_cannot_be_differenced_to_reveal_a_hidden_count(with_senco, vacancies, sharing, states, cut):
    """Every group shown with its total (schools; SENCos by standing, pattern, leadership and tenure): a hidden
    count is never alone, never among hidden counts adding up to under 5, and never one of a group of 1s."""
    from sencohub.statutory import disclosure
    from sencohub.workforce.across import aggregate_rows

    sencos = with_senco + (sharing if with_senco else 0)
    states = states[:6] + [max(0, sencos - sum(states[:6]))] if sum(states[:6]) <= sencos else [sencos, 0, 0, 0, 0, 0, 0]
    split = lambda n, labels: list(zip(labels, (min(n, cut), n - min(n, cut)), strict=True))  # noqa: E731
    agg = {
        "schools": with_senco + vacancies, "with_senco": with_senco, "sencos": sencos, "vacancies": vacancies,
        "standing": list(zip("ABCDEFG", states, strict=True)), "held": [], "time": split(sencos, ("full", "part")),
        "slt": split(sencos, ("on", "off")), "tenure": split(sencos, ("new", "old")), "leavers": [],
        **{k: {"n": sencos, "mean": None} for k in ("allocated", "protected", "admin")},
    }
    rows = aggregate_rows(agg)
    assert not any(isinstance(v, int) and 1 <= v <= 4 for _, _, v in rows)
    shown_total = {"Schools": next(v for m, c, v in rows if c == "Schools")}
    shown_total |= dict.fromkeys(("Mandatory qualification", "Working pattern", "Senior leadership team", "Years in post"), next(v for m, c, v in rows if c == "SENCos in post"))
    truth = {("Schools", "With a SENCo in post"): with_senco, ("Schools", "Vacancies"): vacancies}
    truth |= {("Mandatory qualification", label): n for label, n in agg["standing"]}
    for measure, key in (("Working pattern", "time"), ("Senior leadership team", "slt"), ("Years in post", "tenure")):
        truth |= {(measure, label): n for label, n in agg[key]}
    for measure, total in shown_total.items():
        if total == disclosure.SUPPRESSED:
            continue
        hidden = [truth[(m, c)] for m, c, v in rows if m == measure and c != "Schools" and v == disclosure.SUPPRESSED]
        if hidden:
            assert len(hidden) > 1 and sum(hidden) >= 5 and sum(hidden) != len(hidden), (measure, rows)
