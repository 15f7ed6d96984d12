"""Writing a support plan in one go: nothing is saved until the SENCo saves; rows are added and removed on the page
(with HTMX or without JavaScript), the quality check shows while writing, and errors name their row."""

import datetime as dt
from decimal import Decimal

import pytest

from sencohub.support.documents import plan_context
from sencohub.support.models import Outcome, PlannedProvision, Strategy, SupportPlan
from sencohub.support.services import plan_start

pytestmark = pytest.mark.django_db


def _url(world, tail="support/new/"):
    return f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/{tail}"


def new_data(**extra):
    today = dt.date.today()
    data = {
        "version": 1, "cycle": 1, "starts_on": today.isoformat(), "review_on": (today + dt.timedelta(weeks=12)).isoformat(),
        "assessment": "Reads two years behind; strong spoken vocabulary.",
        "outcomes-TOTAL_FORMS": 1, "outcomes-INITIAL_FORMS": 0,
        "outcomes-0-what": "Reads 40 words a minute from a year 3 book", "outcomes-0-success_criteria": "Three timed readings",
        "outcomes-0-by_when": (today + dt.timedelta(weeks=10)).isoformat(),
        "strategies-TOTAL_FORMS": 1, "strategies-INITIAL_FORMS": 0,
        "strategies-0-text": "Pre-teach the week's vocabulary", "strategies-0-owner": "Class teacher",
        "provisions-TOTAL_FORMS": 2, "provisions-INITIAL_FORMS": 0,
        "provisions-0-description": "Reading group", "provisions-0-sessions_per_week": "3.0", "provisions-0-minutes": "20",
        "provisions-1-description": "Speech and language", "provisions-1-sessions_per_week": "1.5", "provisions-1-minutes": "30",
    }  # fmt: skip
    return data | extra


def test_opening_the_page_saves_nothing_and_leaving_it_leaves_no_plan(client, world):
    client.force_login(world.people["senco"])
    page = client.get(_url(world)).content.decode()
    assert "Support plan 1" in page and "Nothing is saved until you save the plan" in page
    assert 'id="id_outcomes-0-what"' in page and "Add another outcome" in page
    assert not SupportPlan.objects.filter(pupil=world.pupil_support).exists()


def test_saving_makes_the_plan_with_every_row_and_sessions_read_as_people_write_them(client, world):
    client.force_login(world.people["senco"])
    response = client.post(_url(world), new_data())
    assert response.status_code == 302 and response["Location"].endswith("/support/")
    plan = SupportPlan.objects.get(pupil=world.pupil_support)
    assert plan.cycle == 1 and plan.updated_by == world.people["senco"]
    assert plan.outcomes.get().what == "Reads 40 words a minute from a year 3 book"
    assert plan.strategies.get().owner == "Class teacher"
    assert sorted(p.sessions_per_week for p in plan.provisions.all()) == [Decimal("1.5"), Decimal("3")]
    page = client.get(_url(world, "support/")).content.decode()
    assert "Reading group, 3 a week" in page and "Speech and language, 1.5 a week" in page and "3.0 a week" not in page
    how_often = [p["how_often"] for p in plan_context(plan)["provisions"]]  # the Word, PDF and print bundle copy
    assert sorted(how_often) == ["1.5 a week, 30 minutes", "3 a week, 20 minutes"]
    edit = client.get(_url(world, f"support/{plan.pk}/edit/")).content.decode()
    assert 'value="3"' in edit and 'value="1.5"' in edit and 'value="3.0"' not in edit


def test_a_double_click_on_save_makes_one_plan(client, world):
    client.force_login(world.people["senco"])
    first, second = client.post(_url(world), new_data()), client.post(_url(world), new_data())
    assert first.status_code == second.status_code == 302
    assert SupportPlan.objects.filter(pupil=world.pupil_support).count() == 1
    assert Outcome.objects.filter(plan__pupil=world.pupil_support).count() == 1


def test_a_plan_someone_else_started_meanwhile_is_not_overwritten_and_the_form_is_kept(client, world):
    plan_start(pupil=world.pupil_support, by=world.people["deputy_senco"])
    client.force_login(world.people["senco"])
    response = client.post(_url(world), new_data(assessment="My own assessment"))
    page = response.content.decode()
    assert response.status_code == 200 and "started support plan 1" in page and "My own assessment" in page
    assert SupportPlan.objects.filter(pupil=world.pupil_support).count() == 1


def test_without_javascript_adding_a_row_keeps_everything_typed_and_saves_nothing(client, world):
    client.force_login(world.people["senco"])
    page = client.post(_url(world), new_data(add="outcomes")).content.decode()
    assert 'id="id_outcomes-1-what"' in page and 'name="outcomes-TOTAL_FORMS" value="2"' in page
    assert "Reads 40 words a minute from a year 3 book" in page and "Pre-teach the week&#x27;s vocabulary" in page
    assert "There is a problem" not in page  # the empty row is not an error until the plan is saved
    assert not SupportPlan.objects.exists()


def test_without_javascript_removing_a_row_leaves_it_out_of_the_plan(client, world):
    client.force_login(world.people["senco"])
    page = client.post(_url(world), new_data(remove="provisions-1")).content.decode()
    assert "Provision removed: it will not be in the plan when you save." in page
    assert not SupportPlan.objects.exists()
    client.post(_url(world), new_data(**{"provisions-1-DELETE": "True"}))
    assert list(PlannedProvision.objects.values_list("description", flat=True)) == ["Reading group"]


def test_htmx_fetches_a_new_empty_row_and_the_next_row_count(client, world):
    client.force_login(world.people["senco"])
    data = new_data(add="strategies")
    row = client.post(_url(world, "support/row/"), data, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="id_strategies-1-text"' in row and "Strategy 2" in row
    assert 'name="strategies-TOTAL_FORMS" value="2"' in row and 'hx-swap-oob="true"' in row
    assert "Pre-teach" not in row  # only the new row: the rows on the page are left as typed
    removed = client.post(_url(world, "support/row/"), new_data(remove="strategies-0")).content.decode()
    assert 'name="strategies-0-DELETE"' in removed and "Strategy removed" in removed
    assert not SupportPlan.objects.exists()


def test_the_quality_check_looks_at_the_plan_as_it_is_being_written(client, world):
    client.force_login(world.people["senco"])
    url = _url(world, "support/quality/")
    vague = new_data(**{"outcomes-0-what": "Improve confidence", "outcomes-0-success_criteria": "", "outcomes-0-by_when": ""})
    answer = client.post(url, vague | {"strategies-0-owner": ""}).content.decode()
    assert "A strategy has no owner" in answer
    assert "An outcome has no date" not in answer  # a blank date is the review date when saved
    assert 'id="plan-quality-summary"' in answer and "4 things to make this plan clearer." in answer
    assert "passes every check" in client.post(url, new_data()).content.decode()
    assert not SupportPlan.objects.exists()


def test_errors_inside_rows_are_listed_in_the_summary_naming_their_row(client, world):
    client.force_login(world.people["senco"])
    data = new_data(**{
        "outcomes-TOTAL_FORMS": 2, "outcomes-1-what": "", "outcomes-1-success_criteria": "Joins in at break",
        "provisions-0-sessions_per_week": "three", "strategies-0-text": "",
    })  # fmt: skip
    page = client.post(_url(world), data).content.decode()
    assert '<a href="#id_outcomes-1-what">Outcome 2: enter what the pupil will achieve</a>' in page
    assert '<a href="#id_strategies-0-text">Strategy 1: enter the strategy</a>' in page
    assert "Provision 1: enter the sessions a week as a number, like 3 or 1.5" in page
    assert "This field is required" not in page and not SupportPlan.objects.exists()


def test_the_next_cycle_carries_over_the_open_outcomes_and_saves_them_in_one_go(client, world):
    first = plan_start(pupil=world.pupil_support)
    done = Outcome.objects.create(plan=first, what="Writes a sentence", result=Outcome.Result.ACHIEVED)
    open_ = Outcome.objects.create(plan=first, what="Reads 40 words a minute", result=Outcome.Result.PARTLY)
    Strategy.objects.create(plan=first, text="Word mat", owner="Teaching assistant")
    SupportPlan.objects.filter(pk=first.pk).update(status=SupportPlan.Status.REVIEWED, reviewed_on=dt.date.today())
    client.force_login(world.people["senco"])
    page = client.get(_url(world)).content.decode()
    assert "Support plan 2" in page and "Reads 40 words a minute" in page and done.what not in page
    assert SupportPlan.objects.filter(pupil=world.pupil_support).count() == 1
    data = {
        "version": 1, "cycle": 2, "starts_on": dt.date.today().isoformat(),
        "review_on": (dt.date.today() + dt.timedelta(weeks=12)).isoformat(), "assessment": "",
        "outcomes-TOTAL_FORMS": 1, "outcomes-INITIAL_FORMS": 0, "outcomes-0-what": open_.what, "outcomes-0-carried_from": open_.pk,
        "strategies-TOTAL_FORMS": 1, "strategies-INITIAL_FORMS": 0, "strategies-0-text": "Word mat", "strategies-0-owner": "Teaching assistant",
        "provisions-TOTAL_FORMS": 0, "provisions-INITIAL_FORMS": 0,
    }  # fmt: skip
    assert client.post(_url(world), data).status_code == 302
    second = SupportPlan.objects.get(pupil=world.pupil_support, cycle=2)
    assert second.previous == first and second.outcomes.get().carried_from == open_


def test_a_teacher_cannot_write_a_plan_or_use_its_helpers(client, world):
    client.force_login(world.people["teacher"])
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world, "support/row/"), new_data(add="outcomes")).status_code == 404
    assert client.post(_url(world, "support/quality/"), new_data()).status_code == 404


def test_a_post_from_a_page_that_only_had_the_start_button_draws_the_form_and_saves_nothing(client, world):
    client.force_login(world.people["senco"])
    response = client.post(_url(world), {})
    page = response.content.decode()
    assert response.status_code == 200 and "Support plan 1" in page and "There is a problem" not in page
    assert not SupportPlan.objects.exists()


def test_a_pupil_with_a_current_plan_goes_to_it_rather_than_a_second_one(client, world):
    current = plan_start(pupil=world.pupil_support)
    client.force_login(world.people["senco"])
    response = client.get(_url(world))
    assert response.status_code == 302 and response["Location"].endswith(f"/support/{current.pk}/edit/")


def test_an_outcome_left_without_a_date_is_for_the_review_date_and_moves_with_it(client, world):
    """The by-when date is not typed again: blank means the review date, and it follows the review date."""
    client.force_login(world.people["senco"])
    review_on = dt.date.today() + dt.timedelta(weeks=12)
    data = new_data(**{"outcomes-0-by_when": "", "review_on": review_on.isoformat()})
    flags = client.post(_url(world, "support/quality/"), data).content.decode()
    assert "An outcome has no date" not in flags  # while writing, a blank date is not a fault
    assert client.post(_url(world), data).status_code == 302
    plan = SupportPlan.objects.get(pupil=world.pupil_support)
    outcome = plan.outcomes.get()
    assert outcome.by_when == plan.review_on == review_on
    later = review_on + dt.timedelta(weeks=2)
    edit = {
        "version": plan.version, "starts_on": plan.starts_on.isoformat(), "review_on": later.isoformat(),
        "assessment": plan.assessment,
        "outcomes-TOTAL_FORMS": 1, "outcomes-INITIAL_FORMS": 1, "outcomes-0-id": outcome.pk,
        "outcomes-0-what": outcome.what, "outcomes-0-success_criteria": outcome.success_criteria,
        "outcomes-0-by_when": review_on.isoformat(),
        "strategies-TOTAL_FORMS": 0, "strategies-INITIAL_FORMS": 0, "provisions-TOTAL_FORMS": 0, "provisions-INITIAL_FORMS": 0,
    }  # fmt: skip
    assert client.post(_url(world, f"support/{plan.pk}/edit/"), edit).status_code == 302
    outcome.refresh_from_db()
    assert outcome.by_when == later


def test_provision_is_linked_to_the_outcome_it_is_for_and_only_to_this_plans(client, world):
    client.force_login(world.people["senco"])
    assert client.post(_url(world), new_data()).status_code == 302
    plan = SupportPlan.objects.get(pupil=world.pupil_support)
    outcome, reading = plan.outcomes.get(), plan.provisions.get(description="Reading group")
    other = plan_start(pupil=world.pupil_ehc)
    elsewhere = Outcome.objects.create(plan=other, what="Someone else's outcome")
    edit_url = _url(world, f"support/{plan.pk}/edit/")
    page = client.get(edit_url).content.decode()
    assert "The outcome it is for" in page and "Someone else" not in page
    rows = plan.provisions.order_by("pk")
    data = {
        "version": plan.version, "starts_on": plan.starts_on.isoformat(), "review_on": plan.review_on.isoformat(),
        "assessment": plan.assessment, "outcomes-TOTAL_FORMS": 1, "outcomes-INITIAL_FORMS": 1, "outcomes-0-id": outcome.pk,
        "outcomes-0-what": outcome.what, "outcomes-0-success_criteria": outcome.success_criteria,
        "outcomes-0-by_when": outcome.by_when.isoformat(),
        "strategies-TOTAL_FORMS": 0, "strategies-INITIAL_FORMS": 0,
        "provisions-TOTAL_FORMS": 2, "provisions-INITIAL_FORMS": 2,
    }  # fmt: skip
    for i, p in enumerate(rows):
        data |= {f"provisions-{i}-id": p.pk, f"provisions-{i}-description": p.description,
                 f"provisions-{i}-sessions_per_week": str(p.sessions_per_week), f"provisions-{i}-minutes": p.minutes}  # fmt: skip
    refused = client.post(edit_url, data | {"provisions-0-outcome": elsewhere.pk})
    assert refused.status_code == 200 and not PlannedProvision.objects.filter(outcome=elsewhere).exists()
    assert client.post(edit_url, data | {"provisions-0-outcome": outcome.pk}).status_code == 302
    reading.refresh_from_db()
    assert reading.outcome == outcome
