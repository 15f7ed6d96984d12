"""Reviewing a support plan with the evidence beside each outcome, and starting the next cycle without retyping."""

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from docx import Document

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Attendance, Enrolment, Intervention, PayBand, Provision, Session
from sencohub.schools.models import Term
from sencohub.support.models import Evidence, Outcome, PlannedProvision, ReviewSchedule, Strategy, SupportPlan
from sencohub.support.services import (
    CARRY_ALL,
    CarryOver,
    default_review_date,
    plan_start,
    review_record,
    review_schedule_save,
)
from tests.support.test_support import pdf_text

TODAY = dt.date(2026, 11, 23)
REVIEWED = dt.date(2026, 11, 20)


@pytest.fixture
def terms(world):
    Term.objects.create(school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 2), ends_on=dt.date(2026, 12, 18))
    Term.objects.create(school=world.school, name="Spring 2027", starts_on=dt.date(2027, 1, 5), ends_on=dt.date(2027, 3, 26))


@pytest.fixture
def group(world):
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    provision = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, days="024", starts_on=dt.date(2026, 9, 7),
        ends_on=dt.date(2026, 12, 18), sessions_per_week=3, minutes=20,
    )  # fmt: skip
    provision.pupils.set([world.pupil_support])
    for day, present in ((dt.date(2026, 10, 5), True), (dt.date(2026, 10, 7), False), (dt.date(2026, 10, 9), True)):
        session = Session.objects.create(provision=provision, held_on=day)
        Attendance.objects.create(session=session, pupil=world.pupil_support, present=present)
    Enrolment.objects.filter(provision=provision, pupil=world.pupil_support).update(
        measure="reading_age", entry_value=84, entry_on=dt.date(2026, 9, 7), exit_value=91, exit_on=dt.date(2026, 11, 18)
    )
    return provision


@pytest.fixture
def plan(world, terms, group):
    plan = plan_start(pupil=world.pupil_support, starts_on=dt.date(2026, 10, 1), today=TODAY)
    reading = Outcome.objects.create(plan=plan, what="Reads 40 words a minute", success_criteria="Timed reading, 3 times",
                                     baseline="28 words a minute", target="40 words a minute", by_when=dt.date(2026, 12, 18))  # fmt: skip
    Outcome.objects.create(plan=plan, what="Asks for help when stuck", baseline="Waits for an adult", target="Asks")
    Outcome.objects.create(plan=plan, what="Writes two sentences unaided", baseline="One sentence")
    Strategy.objects.create(plan=plan, text="Pre-teach vocabulary", owner="Class teacher")
    Strategy.objects.create(plan=plan, text="Help cards on the desk", owner="All staff")
    PlannedProvision.objects.create(plan=plan, description="Reading group", provision=group, outcome=reading)
    PlannedProvision.objects.create(plan=plan, description="Lunchtime club", staff="Mr Khan")
    Evidence.objects.create(outcome=reading, pupil=world.pupil_support, noted_on=dt.date(2026, 11, 2), note="Read 36 words a minute today.")
    return plan


def _review(plan, *, results, carry=CARRY_ALL, decision="continue", decision_note=""):
    outcomes = list(plan.outcomes.all())
    return review_record(
        plan=plan, expected_version=plan.version, reviewed_on=REVIEWED,
        results={o.pk: r for o, r in zip(outcomes, results, strict=True)}, pupil_voice="", parent_voice="",
        decision=decision, decision_note=decision_note, today=TODAY, carry=carry,
    )  # fmt: skip


# The review date -----------------------------------------------------------------------------------------------


def test_a_plan_started_on_1_december_is_reviewed_at_the_end_of_the_spring_term(world, terms):
    review_on, rule = default_review_date(world.school, dt.date(2026, 12, 1))
    assert review_on == dt.date(2027, 3, 26)
    assert rule == "the end of Spring 2027, as Autumn 2026 ends within 6 weeks"


def test_a_plan_started_early_in_the_term_is_reviewed_at_its_end(world, terms):
    assert default_review_date(world.school, dt.date(2026, 10, 1)) == (dt.date(2026, 12, 18), "the end of Autumn 2026")


def test_without_the_next_terms_dates_the_review_is_12_weeks_on(world):
    Term.objects.create(school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 2), ends_on=dt.date(2026, 12, 18))
    review_on, rule = default_review_date(world.school, dt.date(2026, 12, 1))
    assert review_on == dt.date(2027, 2, 23) and rule.startswith("12 weeks on")


@pytest.mark.parametrize("weeks, expected", [(6, dt.date(2027, 1, 12)), (8, dt.date(2027, 1, 26)), (12, dt.date(2027, 2, 23))])
def test_a_school_that_reviews_after_a_number_of_weeks_gets_that_many(world, terms, weeks, expected):
    review_schedule_save(school=world.school, rule="weeks", weeks=weeks)
    assert default_review_date(world.school, dt.date(2026, 12, 1)) == (expected, f"{weeks} weeks after the start of the cycle")


def test_the_last_day_there_is_is_safe(world, terms):
    review_schedule_save(school=world.school, rule="weeks", weeks=6)
    assert default_review_date(world.school, dt.date(9999, 12, 31))[0] == dt.date.max
    ReviewSchedule.objects.filter(school=world.school).update(rule="term")
    assert default_review_date(world.school, dt.date(9999, 12, 31))[0] == dt.date.max


def test_saving_the_schedule_unchanged_changes_nothing(world):
    review_schedule_save(school=world.school, rule="term", weeks=12)  # the default: nothing to keep
    assert not ReviewSchedule.objects.exists()
    review_schedule_save(school=world.school, rule="weeks", weeks=8)
    entries = LogEntry.objects.count()
    review_schedule_save(school=world.school, rule="weeks", weeks=8)
    assert LogEntry.objects.count() == entries
    assert ReviewSchedule.objects.get().weeks == 8


def test_the_senco_sets_the_schedule_on_the_term_dates_page(client, world, terms):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/terms/"
    page = client.get(url).content.decode()
    assert "When support plans are reviewed" in page
    too_many = client.post(url, {"schedule": "1", "rule": "weeks", "weeks": "13"}).content.decode()
    assert "Choose a number of weeks from 6 to 12." in too_many and "This field is required" not in too_many
    no_rule = client.post(url, {"schedule": "1", "weeks": "8"}).content.decode()
    assert "Select when support plans are reviewed" in no_rule
    assert client.post(url, {"schedule": "1", "rule": "weeks", "weeks": "9"}).status_code == 302
    assert (ReviewSchedule.objects.get().rule, ReviewSchedule.objects.get().weeks) == ("weeks", 9)
    assert "9 weeks after the start of the cycle" in client.get(url).content.decode()
    client.force_login(world.people["teacher"])
    assert client.post(url, {"schedule": "1", "rule": "term", "weeks": "12"}).status_code == 404


# Carrying over ------------------------------------------------------------------------------------------------


def test_open_outcomes_carry_over_due_by_the_new_review_date_from_where_they_left_off(plan, group):
    done = _review(plan, results=[("partly", "38 words a minute"), ("not", "Asks  a friend,\nnot an adult"), ("achieved", "")])
    nxt = done.next_plan
    assert nxt.review_on == dt.date(2027, 3, 26)  # started 20 November: the autumn term is too short
    reading, asking = nxt.outcomes.all()
    assert (reading.what, asking.what) == ("Reads 40 words a minute", "Asks for help when stuck")
    assert reading.by_when == asking.by_when == dt.date(2027, 3, 26)
    assert reading.baseline == "Reading age (months) 91 on leaving Reading group on 18 Nov 2026"  # the measure wins
    assert asking.baseline == "Asks a friend, not an adult"  # the result's note
    assert reading.target == "40 words a minute" and reading.success_criteria == "Timed reading, 3 times"
    carried = nxt.provisions.get(description="Reading group")
    assert carried.provision == group and carried.outcome == reading  # still from the map, still for its outcome


def test_provision_for_the_whole_plan_never_measures_every_outcome_of_a_plan_with_several(plan, group):
    """A maths group's score is never where a reading outcome starts: whole-plan provision measures only a plan's
    sole outcome."""
    PlannedProvision.objects.filter(plan=plan, provision=group).update(outcome=None)
    PlannedProvision.objects.filter(plan=plan, description="Lunchtime club").delete()
    nxt = _review(plan, results=[("partly", "Reads 34 wpm on three timed readings"), ("not", ""), ("achieved", "")]).next_plan
    reading, asking = nxt.outcomes.all()
    assert reading.baseline == "Reads 34 wpm on three timed readings" and asking.baseline == "Waits for an adult"


def test_going_back_to_a_recorded_review_leads_to_the_plans_not_a_missing_page(client, world, plan):
    _review(plan, results=[("partly", ""), ("not", ""), ("achieved", "")])
    client.force_login(world.people["senco"])
    response = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}/review/", follow=True)
    assert response.status_code == 200 and "Support plan 1 has been reviewed" in response.content.decode()


def test_an_outcome_with_no_measure_and_no_note_keeps_its_baseline(plan):
    nxt = _review(plan, results=[("achieved", ""), ("not", ""), ("achieved", "")]).next_plan
    assert nxt.outcomes.get().baseline == "Waits for an adult"


def test_the_senco_drops_several_outcomes_strategies_and_provision_at_once(plan):
    reading, asking, writing = plan.outcomes.all()
    keep_strategy = plan.strategies.get(text="Help cards on the desk")
    carry = CarryOver(outcomes=frozenset({asking.pk}), strategies=frozenset({keep_strategy.pk}), provisions=frozenset())
    nxt = _review(plan, results=[("partly", ""), ("not", ""), ("partly", "")], carry=carry).next_plan
    assert [o.what for o in nxt.outcomes.all()] == ["Asks for help when stuck"]
    assert [s.text for s in nxt.strategies.all()] == ["Help cards on the desk"]
    assert not nxt.provisions.exists()


def test_a_new_plan_with_nothing_dropped_carries_everything(plan):
    nxt = _review(plan, results=[("partly", ""), ("not", ""), ("partly", "")]).next_plan
    assert nxt.outcomes.count() == 3 and nxt.strategies.count() == 2 and nxt.provisions.count() == 2


# The review page -----------------------------------------------------------------------------------------------


def _url(world, plan):
    return f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}/review/"


def test_each_outcome_shows_its_criteria_evidence_and_provision(client, world, plan):
    client.force_login(world.people["senco"])
    page = client.get(_url(world, plan)).content.decode()
    for text in ("Outcome 1: Reads 40 words a minute", "Timed reading, 3 times", "28 words a minute", "40 words a minute",
                 "Read 36 words a minute today.", "attended 2 of 3 sessions", "reading age (months) 84 on entry, 91 on exit",
                 "Lunchtime club</strong> (for the whole plan): not on the provision map",
                 "No evidence was recorded against this outcome.",
                 "the exit measure of Reading group"):  # fmt: skip
        assert text in page, text
    assert "Evidence for the result of outcome 2: Asks for help when stuck" in page
    assert "Result for outcome 3: Writes two sentences unaided" in page


def test_missing_answers_say_what_to_choose_and_name_their_outcome(client, world, plan):
    client.force_login(world.people["senco"])
    page = client.post(_url(world, plan), {"version": plan.version, "carry_chosen": "True"}).content.decode()
    assert "Select what happens next." in page
    assert "Select a result for outcome 1: Reads 40 words a minute" in page
    assert "Select a result for outcome 3: Writes two sentences unaided" in page
    assert "Enter the date of the review" in page
    assert "This field is required" not in page and "enter or choose an answer" not in page
    assert SupportPlan.objects.get(pk=plan.pk).status == "current"


def test_unticked_parts_stay_behind_when_the_review_is_recorded(client, world, plan):
    client.force_login(world.people["senco"])
    reading, asking, writing = plan.outcomes.all()
    strategy = plan.strategies.first()
    response = client.post(_url(world, plan), {
        "version": plan.version, "carry_chosen": "True", "reviewed_on": "2026-11-20", "decision": "refer",
        "decision_note": "Referred to the speech and language therapy service.",
        f"result_{reading.pk}": "partly", f"result_{asking.pk}": "not", f"result_{writing.pk}": "achieved",
        f"note_{asking.pk}": "Asks a friend", "carry_outcomes": [str(asking.pk), str(writing.pk)],
        "carry_strategies": [str(strategy.pk)], "carry_provisions": [str(p.pk) for p in plan.provisions.all()],
    })  # fmt: skip
    nxt = SupportPlan.objects.get(pupil=world.pupil_support, status="current")
    assert response.url.endswith(f"/support/{nxt.pk}/edit/")
    assert [o.baseline for o in nxt.outcomes.all()] == ["Asks a friend"]  # writing was achieved: it never carries
    assert nxt.strategies.count() == 1 and nxt.provisions.count() == 2


def test_the_reviewed_plan_prints_its_evidence_and_the_note_about_the_decision(client, world, plan):
    _review(plan, results=[("partly", "38 words a minute"), ("not", ""), ("achieved", "")], decision="refer",
            decision_note="Referred to the speech and language therapy service.")  # fmt: skip
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}"
    word = "\n".join(p.text for p in Document(io.BytesIO(client.get(url + ".docx").content)).paragraphs)
    pdf = pdf_text(client.get(url + ".pdf").content)
    for text in (word, pdf):
        assert "Read 36 words a minute today." in text
        assert "Referred to the speech and language therapy service." in text
