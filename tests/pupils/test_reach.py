"""The reach registry itself: an app declares whom a role reaches, with an end date if the reach is time-limited
(an outside professional's access for the length of a referral), and the pupil and school gateways follow it.
The role table still decides which actions a role allows; a reach only says whom."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from sencohub.ehcp.reach import pupils_with_la_cases, schools_with_la_cases
from sencohub.pupils.reach import own_children
from sencohub.pupils.selectors import children_for_user, pupils_for_user
from sencohub.schools import reach
from sencohub.schools.models import Membership, Role
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import forget_memberships, roles_in_school, schools_for_user

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """A copy of the registry for each test, so what a test registers is gone after it."""
    monkeypatch.setattr(reach, "_REACHES", {role: list(reaches) for role, reaches in reach._REACHES.items()})


def _membership(user) -> Membership:
    return Membership.objects.get(user=user)


def test_a_reach_registered_for_a_role_widens_exactly_the_pupils_it_names(world):
    teacher = world.people["teacher"]
    assert set(pupils_for_user(teacher)) == {world.pupil_support, world.pupil_none}
    reach.reach_register(Role.TEACHER, pupils=lambda m: Q(pk=world.pupil_ehc.pk))
    assert set(pupils_for_user(teacher)) == {world.pupil_support, world.pupil_none, world.pupil_ehc}
    # Only the role it was declared for.
    assert set(pupils_for_user(world.people["teaching_assistant"])) == {world.pupil_ehc}


def test_a_reach_widens_only_for_the_actions_the_role_table_allows_the_role(world):
    reach.reach_register(Role.EXTERNAL, pupils=lambda m: Q(pk=world.pupil_ehc.pk))
    external = world.people["external_professional"]
    assert list(pupils_for_user(external)) == []  # the role table allows an external professional no action yet


def test_an_expired_reach_reaches_nobody(world):
    teacher = world.people["teacher"]
    yesterday = TODAY - dt.timedelta(days=1)
    reach.reach_register(Role.TEACHER, pupils=lambda m: Q(pk=world.pupil_ehc.pk), ends_on=yesterday)
    assert set(pupils_for_user(teacher)) == {world.pupil_support, world.pupil_none}


def test_a_reach_holds_through_its_last_day(world):
    reach.reach_register(Role.TEACHER, pupils=lambda m: Q(pk=world.pupil_ehc.pk), ends_on=TODAY)
    assert world.pupil_ehc in pupils_for_user(world.people["teacher"])


def test_a_reach_can_end_on_a_date_that_depends_on_the_membership(world):
    teacher, ta = world.people["teacher"], world.people["teaching_assistant"]
    ends = {teacher.pk: TODAY + dt.timedelta(days=30), ta.pk: TODAY - dt.timedelta(days=1)}
    for role in (Role.TEACHER, Role.TEACHING_ASSISTANT):
        reach.reach_register(
            role, pupils=lambda m: Q(pk=world.pupil_elsewhere.pk), ends_on=lambda m: ends[m.user_id]
        )
    assert world.pupil_elsewhere in pupils_for_user(teacher)
    assert world.pupil_elsewhere not in pupils_for_user(ta)


def test_a_time_limited_reach_of_an_outside_professional_adds_the_school_until_it_ends(world):
    """The shape the multi-agency work will declare: a professional from outside reaches a pupil in another school,
    and that school, until the referral ends."""
    external = world.people["external_professional"]
    ends = {"on": TODAY}

    reach.reach_register(
        Role.EXTERNAL,
        pupils=lambda m: Q(pk=world.pupil_elsewhere.pk),
        schools=lambda m: Q(pk=world.other_school.pk),
        ends_on=lambda m: ends["on"],
    )
    assert set(schools_for_user(external)) == {world.school, world.other_school}
    assert Role.EXTERNAL in roles_in_school(external, world.other_school)

    ends["on"] = TODAY - dt.timedelta(days=1)
    forget_memberships(external)
    assert set(schools_for_user(external)) == {world.school}
    assert roles_in_school(external, world.other_school) == set()


def test_registering_twice_is_harmless(world):
    def ehc_pupil(m):
        return Q(pk=world.pupil_ehc.pk)

    membership = _membership(world.people["teacher"])
    before = len(reach.reaches_of(membership))
    reach.reach_register(Role.TEACHER, pupils=ehc_pupil)
    reach.reach_register(Role.TEACHER, pupils=ehc_pupil)
    assert len(reach.reaches_of(membership)) == before + 1
    assert set(pupils_for_user(world.people["teacher"])) == {world.pupil_support, world.pupil_none, world.pupil_ehc}


def test_a_role_with_no_reach_sees_no_pupils_even_where_the_role_table_allows_the_action(world, monkeypatch):
    # A governor may see figures, but no app declares a reach of pupils for governors.
    assert list(pupils_for_user(world.people["governor"], action=Action.VIEW_FIGURES)) == []
    # Take the teacher's reaches away and a teacher, who may view the register, sees nobody either.
    monkeypatch.setitem(reach._REACHES, Role.TEACHER, [])
    assert list(pupils_for_user(world.people["teacher"])) == []


def test_the_la_officers_reach_is_declared_by_ehcp_and_the_parents_by_pupils(world):
    officer = _membership(world.people["la_officer"])
    parent = _membership(world.people["parent"])
    assert [(r.pupils, r.schools) for r in reach.reaches_of(officer)] == [(pupils_with_la_cases, schools_with_la_cases)]
    assert [r.pupils for r in reach.reaches_of(parent)] == [own_children]
    assert list(children_for_user(world.people["parent"])) == [world.pupil_ehc]
    assert set(pupils_for_user(world.people["la_officer"])) == {world.pupil_ehc}
