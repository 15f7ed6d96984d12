"""Where each person lands after signing in (and on `/`): the page of their most senior role."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from sencohub.ehcp.models import AssessmentRequest
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Intervention, PayBand, Provision
from sencohub.pupils.models import ParentCarer
from sencohub.schools.models import Role
from sencohub.support.models import Evidence, Outcome, ParentViews, Strategy
from sencohub.support.services import plan_start
from sencohub.workforce.models import Appointment
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory, UserFactory, put_on_register


@pytest.fixture
def plan(world):
    plan = plan_start(pupil=world.pupil_ehc, starts_on=timezone.localdate() - dt.timedelta(days=20))
    Outcome.objects.create(plan=plan, what="Asks for help with a card", success_criteria="Five times in a week")
    Strategy.objects.create(plan=plan, text="A visual timetable on the desk")
    return plan


def landing(client, user):
    client.force_login(user)
    return client.get("/")


@pytest.mark.parametrize("persona", ["senco", "deputy_senco", "head", "send_admin"])
def test_school_leaders_land_on_the_overview(client, world, persona):
    response = landing(client, world.people[persona])
    assert response.status_code == 302 and response.url == f"/schools/{world.school.urn}/overview/"
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("persona", ["teacher", "teaching_assistant"])
def test_teachers_and_assistants_land_on_my_pupils(client, world, persona):
    response = landing(client, world.people[persona])
    assert response.url == f"/schools/{world.school.urn}/my-pupils/"


def test_a_teacher_who_is_also_the_senco_lands_on_the_senco_page(client, world):
    MembershipFactory(role=Role.SENCO, school=world.school, user=world.people["teacher"])
    assert landing(client, world.people["teacher"]).url == f"/schools/{world.school.urn}/overview/"


def test_a_teacher_in_two_schools_chooses_on_your_schools(client, world):
    MembershipFactory(role=Role.TEACHER, school=world.other_school, user=world.people["teacher"])
    response = landing(client, world.people["teacher"])
    assert response.status_code == 200 and "Your schools" in response.content.decode()


def test_your_schools_stays_open_with_stay(client, world):
    client.force_login(world.people["senco"])
    assert client.get("/?stay").status_code == 200


def test_a_parent_lands_on_their_child_and_a_parent_of_two_chooses(client, world):
    parent = world.people["parent"]
    assert landing(client, parent).url == "/family/"
    assert client.get("/family/").url == f"/family/{world.pupil_ehc.upn}/"
    ParentCarer.objects.create(pupil=world.pupil_support, user=parent, name="Pat Marchbanks", relationship="Mother")
    page = client.get("/family/").content.decode()
    assert "Ben Marchbanks" in page and "Ada Quillfeather" in page


def test_the_head_reads_the_overview_of_what_needs_doing(client, world, plan):
    client.force_login(world.people["head"])
    page = client.get(f"/schools/{world.school.urn}/overview/").content.decode()
    assert "What needs doing" in page
    assert client.get(f"/schools/{world.other_school.urn}/overview/").status_code == 404


def test_a_governor_does_not_see_the_overview(client, world):
    client.force_login(world.people["governor"])
    assert client.get(f"/schools/{world.school.urn}/overview/").status_code == 404


# ---- The trust SEND lead's dashboard ----------------------------------------------------------------------


def test_the_trust_lead_lands_on_one_row_per_school(client, world, plan):
    today = timezone.localdate()
    second = SchoolFactory(urn="100003", name="Aspen Academy", trust=world.school.trust, local_authority=world.school.local_authority)
    for n in range(3):
        PupilFactory(school=second, surname=f"Roll{n}")
    put_on_register(PupilFactory(school=second, surname="Kestrel"), "K", "SEMH")
    Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=today - dt.timedelta(days=800))
    AssessmentRequest.objects.create(
        pupil=world.pupil_ehc, school=world.school, local_authority=world.school.local_authority,
        received_on=dt.date(2025, 1, 6), final_plan_on=dt.date(2025, 5, 1),
    )  # fmt: skip
    response = landing(client, world.people["trust_send_lead"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your trust's schools at a glance" in page
    rows = response.context["dashboard"]
    assert [r.school.name for r in rows] == ["Alder Primary", "Aspen Academy"]
    alder, aspen = rows
    # Alder: four pupils on roll, two on the register, one with an EHC plan.
    assert (alder.roll.pupils, alder.roll.support, alder.roll.ehc) == (3, 1, 1)
    assert alder.roll.sen_percent == 66.7 and alder.roll.ehc_percent == 33.3
    assert (aspen.roll.pupils, aspen.roll.support, aspen.roll.ehc) == (4, 1, 0)
    assert aspen.roll.sen_percent == 25.0
    assert alder.deadlines.timeliness.issued == 1 and alder.deadlines.timeliness.in_time == 1
    assert "100.0%" in page
    # The EHC plan issued on 3 March 2025 had its annual review due within 12 months: none is recorded.
    assert alder.deadlines.reviews_overdue == 1
    assert [s.senco.name for s in alder.sencos] == ["Sam Senco"] and alder.sencos[0].standing is not None
    assert aspen.sencos[0].senco is None and "No SENCo in post" in page
    assert "Birch Primary" not in page  # another trust's school


def test_the_trust_dashboard_takes_the_same_queries_for_more_schools(client, world, django_assert_max_num_queries):
    client.force_login(world.people["trust_send_lead"])
    client.get("/")
    for n in range(5):
        school = SchoolFactory(urn=f"10010{n}", name=f"Extra {n}", trust=world.school.trust)
        put_on_register(PupilFactory(school=school, surname=f"Extra{n}"), "K", "SEMH")
    with django_assert_max_num_queries(40):
        assert len(client.get("/").context["dashboard"]) == 6


def test_only_trust_leads_get_the_dashboard(client, world):
    client.force_login(world.people["senco"])
    assert client.get("/?stay").context["dashboard"] == []


# ---- My pupils: today's sessions and the evidence recorded --------------------------------------------------


def _group_today(world):
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    today = timezone.localdate()
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.filter(school=world.school).first(),
        name="Social skills group", pay_band=band, starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=60), sessions_per_week=2, minutes=30,
    )  # fmt: skip
    group.pupils.set([world.pupil_ehc])
    return group


def test_an_assistant_sees_todays_sessions_with_the_register_link(client, world):
    group = _group_today(world)
    client.force_login(world.people["teaching_assistant"])
    page = client.get(f"/schools/{world.school.urn}/my-pupils/").content.decode()
    assert "Your sessions today" in page and "Social skills group" in page
    assert f"/schools/{world.school.urn}/sessions/{group.pk}/register/" in page


def test_a_teacher_sees_no_sessions_list(client, world):
    _group_today(world)
    client.force_login(world.people["teacher"])
    assert "Your sessions today" not in client.get(f"/schools/{world.school.urn}/my-pupils/").content.decode()


def test_after_recording_evidence_the_teacher_returns_to_the_pupils_card(client, world, plan):
    outcome = plan.outcomes.first()
    client.force_login(world.people["teaching_assistant"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/support/outcomes/{outcome.pk}/evidence/?next=my-pupils"
    yesterday, earlier = timezone.localdate() - dt.timedelta(days=1), timezone.localdate() - dt.timedelta(days=5)
    response = client.post(url, {"noted_on": yesterday.isoformat(), "note": "Used the help card twice"})
    assert response.url == f"/schools/{world.school.urn}/my-pupils/#pupil-{world.pupil_ehc.upn}"
    client.post(url, {"noted_on": earlier.isoformat(), "note": "Used the help card once"})
    assert Evidence.objects.filter(pupil=world.pupil_ehc).count() == 2
    page = client.get(f"/schools/{world.school.urn}/my-pupils/").content.decode()
    assert f'id="pupil-{world.pupil_ehc.upn}"' in page
    assert f"2 pieces of evidence this cycle, latest {yesterday:%-d %b %Y}" in page


def test_a_pupil_with_no_evidence_says_so(client, world, plan):
    client.force_login(world.people["teaching_assistant"])
    assert "No evidence recorded this cycle yet" in client.get(f"/schools/{world.school.urn}/my-pupils/").content.decode()


# ---- The parent's page -----------------------------------------------------------------------------------


def test_the_parents_page_shows_the_plan_in_plain_words_and_the_next_review(client, world, plan):
    from sencohub.support.services import passport_save

    passport_save(pupil=world.pupil_ehc, support_best="Show me, then let me try", like_and_admire="Kind to others")
    client.force_login(world.people["parent"])
    page = client.get(f"/family/{world.pupil_ehc.upn}/").content.decode()
    assert "Next review: " in page and f"{plan.review_on:%-d %B %Y}" in page
    assert "Asks for help with a card" in page and "A visual timetable on the desk" in page
    assert "Show me, then let me try" in page and "Kind to others" in page
    assert "Your views before the review" in page


def test_a_parents_views_reach_the_review_page_and_are_audited(client, world, plan):
    parent = world.people["parent"]
    client.force_login(parent)
    url = f"/family/{world.pupil_ehc.upn}/"
    response = client.post(url, {"views": "He is happier since the timetable started."})
    assert response.status_code == 302 and response.url == url
    client.post(url, {"views": "He is happier since the timetable started."})  # a double click keeps one
    given = ParentViews.objects.get()
    assert given.plan == plan and given.given_by == parent and given.pupil == world.pupil_ehc
    assert LogEntry.objects.get_for_object(given).filter(action=LogEntry.Action.CREATE).exists()
    assert "You have sent your views 1 time" in client.get(url).content.decode()

    client.force_login(world.people["senco"])
    review = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/support/{plan.pk}/review/")
    page = review.content.decode()
    assert "What parents said before the review" in page and "He is happier since the timetable started." in page
    assert review.context["form"].initial["parent_voice"] == "He is happier since the timetable started."


def test_empty_views_are_refused_with_a_clear_message(client, world, plan):
    client.force_login(world.people["parent"])
    page = client.post(f"/family/{world.pupil_ehc.upn}/", {"views": "  "}).content.decode()
    assert "Write your views before you send them." in page
    assert not ParentViews.objects.exists()


def test_a_parent_never_reaches_another_child(client, world, plan):
    plan_start(pupil=world.pupil_support)
    client.force_login(world.people["parent"])
    url = f"/family/{world.pupil_support.upn}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"views": "Not mine"}).status_code == 404
    other_parent = UserFactory(email="other-parent@alder.test")
    MembershipFactory(role=Role.PARENT, school=world.school, user=other_parent)
    client.force_login(other_parent)
    assert client.post(f"/family/{world.pupil_ehc.upn}/", {"views": "Not mine"}).status_code == 404
    assert not ParentViews.objects.exists()


def test_a_child_with_no_support_plan_shows_no_views_form(client, world):
    client.force_login(world.people["parent"])
    page = client.get(f"/family/{world.pupil_ehc.upn}/").content.decode()
    assert "does not have a support plan at the moment" in page
    assert client.post(f"/family/{world.pupil_ehc.upn}/", {"views": "Hello"}).status_code == 404


@pytest.mark.parametrize("role", ["senco", "deputy_senco", "send_admin", "head"])
def test_every_link_on_the_overview_opens_for_the_person_it_is_shown_to(client, world, role):
    """The head reads the overview's lists too: each name leads to a page they may open, never a form they may not."""
    import re

    from sencohub.support.models import Outcome
    from sencohub.support.services import plan_start

    plan = plan_start(pupil=world.pupil_support)
    Outcome.objects.create(plan=plan, what="Reads 40 words a minute")  # no success criteria: listed on the overview
    client.force_login(world.people[role])
    page = client.get(f"/schools/{world.school.urn}/overview/").content.decode()
    main = page[page.index('id="main-content"') :]
    links = set(re.findall(r'href="(/schools/[^"#?]+)', main))
    assert any("/pupils/" in link for link in links), links
    for link in links:
        assert client.get(link).status_code == 200, (role, link)
