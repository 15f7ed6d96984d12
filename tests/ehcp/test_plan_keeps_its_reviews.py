"""A change to a plan never silently drops a review: a plan cannot be dated after a review meeting it has had."""

import datetime as dt

import pytest

from sencohub.ehcp.models import AnnualReview, EhcPlan
from tests.reauth import sign_in_confirmed

D = dt.date


@pytest.fixture
def senco(client, world):
    sign_in_confirmed(client, world.people["senco"])
    return client


@pytest.fixture
def plan(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)  # issued 3 March 2025
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=D(2026, 2, 23), report_sent_on=D(2026, 3, 2),
                                decision="maintain", decision_on=D(2026, 3, 16))  # fmt: skip
    return plan


def edit(senco, world, plan, issued_on):
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/"
    return senco.post(url + "edit/", {"local_authority": plan.local_authority_id, "issued_on": issued_on, "placement": "Alder Primary"})


def test_a_plan_dated_after_its_review_meeting_is_refused_naming_the_meeting(senco, world, plan):
    response = edit(senco, world, plan, "2026-03-01")
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "annual review meeting on 23 February 2026" in page
    plan.refresh_from_db()
    assert plan.issued_on == D(2025, 3, 3)
    dates = senco.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/").content.decode()
    assert "review report sent to the LA" in dates and "LA decides to maintain, amend or cease the plan" in dates


def test_a_plan_dated_on_or_before_its_first_meeting_is_saved(senco, world, plan):
    assert edit(senco, world, plan, "2026-02-23").status_code == 302
    plan.refresh_from_db()
    assert plan.issued_on == D(2026, 2, 23)
