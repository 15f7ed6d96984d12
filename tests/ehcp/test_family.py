"""Parent carers: their own child's plan and meetings, and their views (and their child's) sent to the school."""

import datetime as dt

import pytest
from django.utils import timezone

from sencohub.ehcp.models import AnnualReview, EhcPlan, ViewsGiven


@pytest.fixture
def review(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.section_a = "Ben loves trains and drawing."
    plan.save()
    return AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=timezone.localdate() + dt.timedelta(days=20))


@pytest.fixture
def parent(client, world):
    client.force_login(world.people["parent"])
    return client


def test_a_parent_lands_on_their_childs_page(parent, world, review):
    home = parent.get("/")
    assert home.status_code == 302 and home.url == "/family/"
    response = parent.get("/family/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/family/{world.pupil_ehc.upn}/"
    assert "Ben Marchbanks" in page and "Ben loves trains and drawing." in page
    assert "Give your views" in page and "Help Ben give their views" in page


def test_a_parents_views_reach_the_review(parent, world, review):
    url = f"/family/{world.pupil_ehc.upn}/views/review/{review.pk}/parent/"
    empty = parent.post(url, {})
    assert "Answer at least one question" in empty.content.decode()
    response = parent.post(url, {"q0": "He is reading more.", "q2": "More help at lunchtime."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert "What is going well for your child? He is reading more." in review.parent_views
    assert "More help at lunchtime." in review.parent_views
    given = ViewsGiven.objects.get()
    assert given.who == "parent" and given.given_by == world.people["parent"]


def test_staff_record_a_pupils_views_with_them(client, world, review):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/views/review/{review.pk}/pupil/"
    assert "What do you like about school?" in client.get(url).content.decode()
    client.post(url, {"q0": "Art and PE."})
    review.refresh_from_db()
    assert "What do you like about school? Art and PE." in review.pupil_views


def test_parents_see_only_their_own_child(parent, world, review):
    assert parent.get(f"/family/{world.pupil_support.upn}/").status_code == 404
    assert parent.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/").status_code == 404
    assert parent.get(f"/schools/{world.school.urn}/register/").status_code == 404


def test_views_close_once_the_report_is_sent(parent, world, review):
    review.report_sent_on = timezone.localdate()
    review.meeting_on = timezone.localdate() - dt.timedelta(days=1)
    review.save()
    assert parent.get(f"/family/{world.pupil_ehc.upn}/views/review/{review.pk}/parent/").status_code == 404
    assert "Give your views" not in parent.get(f"/family/{world.pupil_ehc.upn}/").content.decode()


def test_an_officer_of_another_la_cannot_post_views_into_a_review_or_request_their_la_does_not_maintain(client, world, review):
    """Ben comes from two LAs: his plan (and its review) is Bristol's; Birmingham holds a request for him. Birmingham's
    officer reaches Ben through that request, but may not write into Bristol's review, nor Bristol's request."""
    from sencohub.ehcp.models import AssessmentRequest
    from sencohub.schools.models import LocalAuthority, Role
    from tests.factories import MembershipFactory

    birmingham = LocalAuthority.objects.get(code="330")
    theirs = AssessmentRequest.objects.create(pupil=world.pupil_ehc, school=world.school, local_authority=birmingham,
                                              received_on=timezone.localdate())  # fmt: skip
    bristols = AssessmentRequest.objects.create(pupil=world.pupil_ehc, school=world.school,
                                                local_authority=world.school.local_authority, received_on=timezone.localdate())  # fmt: skip
    officer = MembershipFactory(role=Role.LA_OFFICER, school=None, local_authority=birmingham).user
    client.force_login(officer)
    base = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/views"
    for occasion, pk in (("review", review.pk), ("request", bristols.pk)):
        for who in ("parent", "pupil"):
            response = client.post(f"{base}/{occasion}/{pk}/{who}/", {"q0": "Written by the wrong LA."})
            assert response.status_code == 404, (occasion, who)
    review.refresh_from_db()
    bristols.refresh_from_db()
    assert "wrong LA" not in review.parent_views + review.pupil_views + bristols.parent_views + bristols.pupil_views
    assert not ViewsGiven.objects.exists()
    # Their own LA's request still takes the views they record.
    assert client.post(f"{base}/request/{theirs.pk}/parent/", {"q0": "Recorded by the right LA."}).status_code == 302
