"""Exceptions to the EHC time limits as a SENCo meets them: the form refuses or warns, the request page says what each
excuses, and the deadlines page counts 20-week timeliness per calendar year with only the exceptions that excuse it."""

import datetime as dt
import random

import pytest

from sencohub.demo.build import build_demo
from sencohub.demo.ehcp import _demo_exception
from sencohub.ehcp import compliance, excusing, milestones
from sencohub.ehcp.models import AdviceRequest, AssessmentRequest, TimelineException
from sencohub.statutory import exceptions as x
from tests.reauth import sign_in_confirmed

D = dt.date


@pytest.fixture
def senco(client, world):
    sign_in_confirmed(client, world.people["senco"])
    return client


@pytest.fixture
def case(world):
    """Received Monday 2 June 2025: decision due 14 July, 16 weeks 22 September, 20 weeks 20 October 2025."""
    request = AssessmentRequest.objects.create(
        pupil=world.pupil_none, school=world.school, local_authority=world.school.local_authority,
        received_on=D(2025, 6, 2), decision_on=D(2025, 7, 7), decided_to_assess=True,
    )  # fmt: skip
    AdviceRequest.objects.create(request=request, pupil=request.pupil, adviser="Paediatrician", requested_on=D(2025, 7, 10))
    return request


def url(world, request):
    return f"/schools/{world.school.urn}/pupils/{request.pupil.upn}/ehc/requests/{request.pk}/"


def post(senco, world, request, **data):
    return senco.post(url(world, request) + "exceptions/new/", {"note": "", "ends_on": "", **data}, follow=True)


def test_a_missed_appointment_is_recorded_for_the_advice_with_a_warning_about_the_other_limits(senco, world, case):
    page = post(senco, world, case, reason="appointment", starts_on="2025-07-24").content.decode()
    assert TimelineException.objects.filter(request=case).count() == 1
    assert "It excuses the 6 weeks for advice from Paediatrician (due 21 August 2025)." in page
    assert ("It does not excuse the 16-week decision not to issue a plan (due 22 September 2025): a missed appointment "
            "excuses advice only (reg. 8(2)); the 20-week limit for the final plan (due 20 October 2025): a missed "
            "appointment excuses advice only (reg. 8(2)).") in page  # fmt: skip


def test_the_same_exception_posted_twice_is_recorded_once(senco, world, case):
    for _ in range(2):  # a double click
        post(senco, world, case, reason="appointment", starts_on="2025-07-24")
    assert TimelineException.objects.filter(request=case).count() == 1


def test_a_missed_appointment_with_no_advice_running_is_refused(senco, world, case):
    response = post(senco, world, case, reason="appointment", starts_on="2025-06-20")
    page = response.content.decode()
    assert not TimelineException.objects.exists()
    assert "There is a problem" in page and "a missed appointment excuses advice only (reg. 8(2))" in page
    assert "Nothing was recorded" in page


def test_a_closure_of_less_than_four_weeks_is_refused_with_its_length(senco, world, case):
    page = post(senco, world, case, reason="closure", starts_on="2025-07-23", ends_on="2025-08-15").content.decode()
    assert not TimelineException.objects.exists()
    assert "at least 4 continuous weeks (28 days): 23 July 2025 to 15 August 2025 is 24 days" in page


def test_a_closure_needs_the_head_teachers_advice_asked_from_a_week_before_it(senco, world, case):
    page = post(senco, world, case, reason="closure", starts_on="2025-07-23", ends_on="2025-09-02").content.decode()
    assert not TimelineException.objects.exists()  # the paediatrician's advice was asked on 10 July, before the week
    assert "from 1 week before the closure until 1 week before the school reopens (16 July 2025 to 27 August 2025)" in page
    AdviceRequest.objects.create(request=case, pupil=case.pupil, adviser="Head teacher", requested_on=D(2025, 7, 18))
    page = post(senco, world, case, reason="closure", starts_on="2025-07-23", ends_on="2025-09-02").content.decode()
    assert TimelineException.objects.count() == 1
    assert "the 20-week limit for the final plan (due 20 October 2025)" in page
    assert "It does not excuse the 6 weeks for advice from Paediatrician" in page


def test_an_exception_after_the_final_plan_is_refused(senco, world, case):
    case.final_plan_on = D(2025, 10, 1)
    case.save()
    page = post(senco, world, case, reason="personal", starts_on="2025-10-06").content.decode()
    assert not TimelineException.objects.exists()
    assert "overlaps no time limit while it was running, so it excuses nothing" in page


def test_being_away_for_less_than_four_weeks_is_refused(senco, world, case):
    post(senco, world, case, reason="away", starts_on="2025-08-01", ends_on="2025-08-27")
    assert not TimelineException.objects.exists()
    post(senco, world, case, reason="away", starts_on="2025-08-01", ends_on="2025-08-28")
    assert TimelineException.objects.count() == 1


def test_being_away_with_no_end_is_refused_in_words_about_the_local_authority(senco, world, case):
    page = post(senco, world, case, reason="away", starts_on="2025-08-01").content.decode()
    assert "being away from the local authority&#x27;s area counts only if it lasts at least 4 continuous weeks" in page
    short = post(senco, world, case, reason="away", starts_on="2025-08-01", ends_on="2025-08-27").content.decode()
    assert "Being away from the local authority&#x27;s area counts only if" in short
    assert "from the la&#x27;s area" not in page + short


def test_the_request_page_says_what_each_exception_excuses(senco, world, case):
    TimelineException.objects.create(request=case, pupil=case.pupil, reason="personal", starts_on=D(2025, 6, 20), ends_on=D(2025, 7, 1))
    # recorded before sencohub checked them: a closure in November, with no advice asked
    TimelineException.objects.create(request=case, pupil=case.pupil, reason="closure", starts_on=D(2025, 11, 10), ends_on=D(2025, 12, 22))
    page = senco.get(url(world, case)).content.decode()
    assert "It excuses the 6-week decision whether to assess (due 14 July 2025)" in page
    assert "Excuses nothing</strong> 10 November 2025 to 22 December 2025 overlaps no time limit" in page


# 20-week timeliness, as the DfE reports it ------------------------------------------------------------------


def issued(world, la, received, weeks, *reasons):
    r = AssessmentRequest.objects.create(pupil=world.pupil_none, school=world.school, local_authority=la, received_on=received,
                                         decision_on=received + dt.timedelta(weeks=5), decided_to_assess=True,
                                         final_plan_on=received + dt.timedelta(weeks=weeks))  # fmt: skip
    for reason in reasons:
        TimelineException.objects.create(request=r, pupil=r.pupil, reason=reason, starts_on=received + dt.timedelta(weeks=8),
                                         ends_on=received + dt.timedelta(weeks=13))  # fmt: skip
    return r


def test_only_an_exception_that_excuses_the_20_weeks_takes_a_case_out(senco, world):
    la = world.school.local_authority
    issued(world, la, D(2025, 1, 6), 25, "personal")  # late, excused: left out
    issued(world, la, D(2025, 1, 6), 26, "appointment")  # late; a missed appointment excuses advice only: counted
    issued(world, la, D(2025, 1, 6), 18)
    page = senco.get(f"/schools/{world.school.urn}/compliance/").content.decode()
    assert "<th scope=\"row\" class=\"govuk-table__header\">2025</th>" in page
    assert "1 of 3 (33.3%)" in page and "1 of 2 (50.0%)" in page


def test_timeliness_is_given_per_calendar_year_of_issue_beside_england(senco, world):
    la = world.school.local_authority
    issued(world, la, D(2024, 3, 4), 19)  # issued 15 July 2024
    issued(world, la, D(2024, 9, 2), 22)  # issued 3 February 2025: counts in 2025, the year of issue
    issued(world, la, D(2025, 2, 3), 20)  # issued 23 June 2025, on the last day
    page = senco.get(f"/schools/{world.school.urn}/compliance/").content.decode()
    assert "by calendar year of issue" in page
    rows = page.split("<tbody")[1]
    assert rows.index(">2024<") < rows.index("1 of 1 (100.0%)") < rows.index("45.9% and 46.4%") < rows.index(">2025<")
    assert "1 of 2 (50.0%)" in rows.split(">2025<")[1] and "Not published yet" in rows.split(">2025<")[1]
    assert "Every year together (pooled)" in page and "2 of 3 (66.7%)" in page


def test_grouped_by_la_each_authority_has_its_own_years(senco, world):
    other = AssessmentRequest.objects.get(pupil=world.pupil_support).local_authority  # Birmingham (330)
    issued(world, world.school.local_authority, D(2024, 3, 4), 19)
    issued(world, other, D(2024, 3, 4), 23)
    issued(world, other, D(2025, 2, 3), 18)
    page = senco.get(f"/schools/{world.school.urn}/compliance/?group=la").content.decode()
    table = page.split("by calendar year of issue</caption>")[1].split("</table>")[0]
    assert table.count("Birmingham (330)") == 2 and table.count("Bristol, City of (801)") == 1
    assert "Every year and local authority together (pooled)" in table and "2 of 3 (66.7%)" in table


def test_the_pooled_figure_counts_the_same_plans_as_the_years(world):
    la = world.school.local_authority
    for received, weeks in [(D(2023, 5, 1), 21), (D(2024, 1, 8), 20), (D(2024, 9, 9), 30), (D(2025, 4, 7), 12)]:
        issued(world, la, received, weeks)
    requests = list(milestones.request_queryset())
    years = compliance.timeliness_by_year(requests)
    pooled = compliance.timeliness(requests)
    assert [row.year for row in years] == [2023, 2024, 2025]
    assert sum(row.figures.issued for row in years) == pooled.issued == 4
    assert sum(row.figures.in_time for row in years) == pooled.in_time == 2


# The demo's exceptions ------------------------------------------------------------------------------------------


def test_the_demos_exceptions_excuse_the_20_weeks(world):
    rng = random.Random(7)
    for n in range(60):
        received = D(2023, 1, 2) + dt.timedelta(days=11 * n)
        request = AssessmentRequest.objects.create(
            pupil=world.pupil_none, school=world.school, local_authority=world.school.local_authority, received_on=received,
            decision_on=received + dt.timedelta(days=rng.randrange(30, 50)), decided_to_assess=True,
            final_plan_on=received + dt.timedelta(weeks=rng.choice([16, 18, 19, 20, 21, 23, 25, 28])),
        )  # fmt: skip
        _demo_exception(request, rng)
        for exception, verdict in excusing.verdicts(AssessmentRequest.objects.get(pk=request.pk)):
            assert verdict.excuses(x.FINAL_PLAN), (exception.reason, exception.starts_on, verdict.refused)
            if exception.reason == "closure":
                assert exception.starts_on.month == 7 and exception.ends_on.month == 9
    assert TimelineException.objects.filter(reason="closure").exists()


def test_every_exception_the_demo_makes_is_valid(world):
    build_demo(schools=1, pupils_per_school=120, seed=5)  # a seed whose demo has summer closures
    made = TimelineException.objects.select_related("request")
    assert made.filter(reason="closure").exists()
    for exception in made:
        verdict = dict(excusing.verdicts(exception.request))[exception]
        assert verdict.valid, verdict.refused


def test_an_la_officer_sees_the_timeliness_of_their_own_authority_only(client, world):
    issued(world, world.school.local_authority, D(2025, 2, 3), 19)
    issued(world, AssessmentRequest.objects.get(pupil=world.pupil_support).local_authority, D(2025, 2, 3), 25)
    client.force_login(world.people["la_officer"])
    table = client.get("/compliance/?group=la").content.decode().split("by calendar year of issue</caption>")[1].split("</table>")[0]
    assert "Bristol, City of (801)" in table and "Birmingham" not in table
    assert "1 of 1 (100.0%)" in table and "0 of 1" not in table


def test_a_one_day_exception_is_listed_on_its_day_and_a_longer_one_from_and_to(senco, world, case):
    TimelineException.objects.create(request=case, pupil=case.pupil, reason="appointment", starts_on=D(2025, 7, 24))
    TimelineException.objects.create(request=case, pupil=case.pupil, reason="personal", starts_on=D(2025, 8, 4), ends_on=D(2025, 8, 4))
    TimelineException.objects.create(request=case, pupil=case.pupil, reason="away", starts_on=D(2025, 8, 1), ends_on=D(2025, 9, 5))
    page = senco.get(url(world, case)).content.decode()
    assert "A missed appointment (advice only): on 24 Jul 2025" in page
    assert "Exceptional personal circumstances of the child, parent or young person: on 4 Aug 2025" in page
    assert "4 weeks or more: from 1 Aug 2025 to 5 Sep 2025" in page
    assert "from 24 Jul 2025" not in page and "on 4 Aug 2025 to" not in page
