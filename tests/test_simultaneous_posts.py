"""One double click (or five), or two people at once, make one record, on SQLite and on PostgreSQL.

What "the same record" means for a SENCo, action by action:
- arranging an annual review: one review per EHC plan for the same meeting date;
- starting an EHC needs assessment request: one request in progress per pupil;
- raising a concern: the same words about the same pupil from the same person, while it waits for triage;
- the first passport: one version 1 (the same words saved again make no new version);
- recording a support plan review: one review of a cycle, and one next cycle;
- recording a phase transfer: one transfer per EHC plan for the same date;
- the SENCo's time log: one entry per week (a second save of the week updates it);
- adding a term: one term (a second, overlapping the first, is refused).
Each test releases five posts together, each on its own connection (see tests/concurrency.py).
"""

import datetime as dt

import pytest
from django.utils import timezone

from sencohub.accounts.models import ApiToken
from sencohub.accounts.services import api_token_create
from sencohub.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan, PhaseTransfer
from sencohub.register.models import Concern
from sencohub.schools.models import Term
from sencohub.support.models import Passport, SupportPlan
from sencohub.support.services import plan_start
from sencohub.workforce.models import TIME_CATEGORIES, Appointment, WeekLog
from tests.concurrency import post_at_once, shared_database

pytestmark = pytest.mark.django_db(transaction=True)
FIVE = 5


def _no_errors(results):
    errors = [r for r in results if isinstance(r, Exception) or r.status_code >= 500]
    assert not errors, errors


def _pupil_url(world, pupil, tail):
    return f"/schools/{world.school.urn}/pupils/{pupil.upn}/{tail}"


def test_five_posts_arranging_an_annual_review_make_one_review(world, tmp_path):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = _pupil_url(world, world.pupil_ehc, f"ehc/plans/{plan.pk}/reviews/new/")
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, {"meeting_on": "2027-02-20"})
        _no_errors(results)
        assert AnnualReview.objects.filter(plan=plan).count() == 1
        assert {r.status_code for r in results} == {302}  # each click lands on the plan, which shows the one review


def test_five_posts_recording_a_phase_transfer_make_one_transfer(world, tmp_path):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = _pupil_url(world, world.pupil_ehc, f"ehc/plans/{plan.pk}/transfers/new/")
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, {"transfer_on": "2027-09-06", "to": "school"})
        _no_errors(results)
        assert PhaseTransfer.objects.filter(plan=plan).count() == 1


def test_five_posts_starting_an_ehc_request_make_one_request_in_progress(world, tmp_path):
    pupil = world.pupil_ehc
    url = _pupil_url(world, pupil, "ehc/requests/new/")
    data = {"local_authority": world.school.local_authority_id, "kind": "reassessment", "requested_by": "school", "notes": ""}
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, data)
        _no_errors(results)
        made = AssessmentRequest.objects.get(pupil=pupil)
        assert {r.url for r in results} == {_pupil_url(world, pupil, f"ehc/requests/{made.pk}/")}


def test_two_people_starting_a_request_at_once_make_one_and_the_other_is_told(world, tmp_path):
    pupil = world.pupil_ehc
    url = _pupil_url(world, pupil, "ehc/requests/new/")
    data = {"local_authority": world.school.local_authority_id, "kind": "reassessment", "requested_by": "school", "notes": ""}
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"], world.people["deputy_senco"]], url, data)
        _no_errors(results)
        assert AssessmentRequest.objects.filter(pupil=pupil).count() == 1
        told = [r for r in results if r.status_code == 200]
        assert len(told) == 1 and "already has a request in progress" in told[0].content.decode()


def test_five_posts_raising_a_concern_make_one_concern(world, tmp_path):
    url = f"/schools/{world.school.urn}/concerns/new/"
    data = {"pupil": world.pupil_none.upn, "what_seen": "Finds it hard to follow spoken instructions.", "evidence": "", "tried": ""}
    with shared_database(tmp_path):
        results = post_at_once([world.people["teacher"]] * FIVE, url, data)
        _no_errors(results)
        assert Concern.objects.filter(pupil=world.pupil_none).count() == 1
        assert {r.status_code for r in results} == {302}


def test_five_posts_of_the_first_passport_make_one_version(world, tmp_path):
    url = _pupil_url(world, world.pupil_support, "passport/edit/")
    data = {"like_and_admire": "Kind and funny", "important": "My dog", "support_best": "Show me", "find_hard": "Noise",
            "written_with": "Ada and her mum"}  # fmt: skip
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, data)
        _no_errors(results)
        assert list(Passport.objects.filter(pupil=world.pupil_support).values_list("version", flat=True)) == [1]
        assert {r.status_code for r in results} == {302}


def test_five_posts_recording_a_support_plan_review_record_it_once(world, tmp_path):
    today = timezone.localdate()
    plan = plan_start(pupil=world.pupil_support, starts_on=today - dt.timedelta(days=60), today=today)
    url = _pupil_url(world, world.pupil_support, f"support/{plan.pk}/review/")
    data = {"version": plan.version, "reviewed_on": today.isoformat(), "decision": "continue", "pupil_voice": "Better"}
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, data)
        _no_errors(results)
        cycles = list(SupportPlan.objects.filter(pupil=world.pupil_support).order_by("cycle").values_list("cycle", "status"))
        assert cycles == [(1, "reviewed"), (2, "current")]
        assert {r.status_code for r in results} == {302}


def test_five_posts_of_the_first_week_of_the_senco_time_log_make_one_week(world, tmp_path):
    senco = Appointment.objects.create(school=world.school, name="Sam Okafor", starts_on=dt.date(2024, 9, 1))
    url = f"/schools/{world.school.urn}/senco/{senco.pk}/time/week/"
    data = {"week_of": "2026-11-16", **{name: "1" for name, _, _ in TIME_CATEGORIES}, "protected_used": "2", "note": ""}
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, data)
        _no_errors(results)
        assert WeekLog.objects.filter(appointment=senco).count() == 1


def test_the_same_concern_sent_twice_through_the_api_is_answered_with_the_one_already_raised(client, world):
    _, token = api_token_create(user=world.people["teacher"], name="x", scope=ApiToken.Scope.READ_WRITE)
    url, body = f"/api/v1/schools/{world.school.urn}/concerns", {"upn": world.pupil_none.upn, "what_seen": "Struggles with phonics"}
    first = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    second = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and Concern.objects.filter(pupil=world.pupil_none).count() == 1


def test_five_posts_adding_the_same_term_make_one_term(world, tmp_path):
    url = f"/schools/{world.school.urn}/terms/"
    data = {"add": "", "name": "Spring 2027", "starts_on": "2027-01-04", "ends_on": "2027-03-26"}
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, data)
        _no_errors(results)
        assert Term.objects.filter(school=world.school, name="Spring 2027").count() == 1


def test_five_posts_starting_a_support_plan_make_one_current_plan(world, tmp_path):
    url = _pupil_url(world, world.pupil_support, "support/new/")
    today = timezone.localdate()
    data = {
        "version": 1, "cycle": 1, "starts_on": today.isoformat(), "review_on": (today + dt.timedelta(weeks=12)).isoformat(),
        "assessment": "", "outcomes-TOTAL_FORMS": 1, "outcomes-INITIAL_FORMS": 0, "outcomes-0-what": "Reads 40 words a minute",
        "strategies-TOTAL_FORMS": 0, "strategies-INITIAL_FORMS": 0, "provisions-TOTAL_FORMS": 0, "provisions-INITIAL_FORMS": 0,
    }  # fmt: skip
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, data)
        _no_errors(results)
        assert SupportPlan.objects.filter(pupil=world.pupil_support).count() == 1
        assert {r.status_code for r in results} == {302}  # each click lands on the pupil's plans, which show the one plan
        assert SupportPlan.objects.get(pupil=world.pupil_support).outcomes.count() == 1


def test_five_posts_recording_an_ehc_plan_make_one_current_plan(world, tmp_path):
    url = _pupil_url(world, world.pupil_support, "ehc/plans/new/")
    data = {"local_authority": world.school.local_authority_id, "issued_on": "2026-10-21", "placement": "Alder Primary"}
    with shared_database(tmp_path):
        results = post_at_once([world.people["senco"]] * FIVE, url, data)
        _no_errors(results)
        assert EhcPlan.objects.filter(pupil=world.pupil_support).count() == 1
        refused = [r for r in results if r.status_code == 200]
        assert len(refused) == FIVE - 1 and all("already has a current EHC plan" in r.content.decode() for r in refused)
