import datetime as dt
import os
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings

from sencohub.ehcp.models import AssessmentRequest, EhcPlan
from sencohub.pupils.models import ParentCarer
from sencohub.schools.models import Role
from tests.factories import (
    ClassGroupFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    TrustFactory,
    UserFactory,
    put_on_register,
)

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make around it
# are still synchronous and single-threaded.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Properties assert rules, not speed (speed is measured by bench/): no per-example deadline or "too slow" check,
# which fail at random when the suite shares the cores with its other workers.
settings.register_profile("sencohub", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sencohub")


@dataclass
class World:
    """Two schools in different trusts and local authorities, a person in every role, and an outsider."""

    school: object
    other_school: object
    class_3a: object
    class_4b: object
    pupil_support: object  # on SEN support, class 3A
    pupil_ehc: object  # EHC plan, class 4B
    pupil_none: object  # no SEN, class 3A
    pupil_elsewhere: object  # the other school
    people: dict

    def visible_to(self, persona: str) -> set:
        """Which pupils each persona may see, written out by hand so the scoping code is tested, not trusted."""
        ours = {self.pupil_support, self.pupil_ehc, self.pupil_none}
        return {
            "senco": ours,
            "deputy_senco": ours,
            "send_admin": ours,
            "head": ours,
            "teacher": {self.pupil_support, self.pupil_none},
            "teaching_assistant": {self.pupil_ehc},
            "governor": set(),
            "parent": {self.pupil_ehc},  # their own child, on the family pages only
            "external_professional": set(),
            "trust_send_lead": ours,
            "la_officer": {self.pupil_ehc},
            "outsider": {self.pupil_elsewhere},
            "system_admin": set(),
        }[persona]


@pytest.fixture
def world(db) -> World:
    trust = TrustFactory(name="Alder Trust")
    la = LocalAuthorityFactory(code="801", name="Bristol, City of")
    school = SchoolFactory(urn="100001", name="Alder Primary", trust=trust, local_authority=la)
    other_la = LocalAuthorityFactory(code="330", name="Birmingham")
    other = SchoolFactory(urn="100002", name="Birch Primary", trust=TrustFactory(name="Birch Trust"), local_authority=other_la)
    class_3a = ClassGroupFactory(school=school, name="3A")
    class_4b = ClassGroupFactory(school=school, name="4B")
    pupil_support = put_on_register(
        PupilFactory(school=school, class_group=class_3a, surname="Quillfeather", forename="Ada"), "K", "SLCN"
    )
    pupil_ehc = put_on_register(
        PupilFactory(school=school, class_group=class_4b, surname="Marchbanks", forename="Ben", year_group="4"),
        "E", "ASD", "SLCN",
    )  # fmt: skip
    # The EHC plan is maintained by the school's LA; a request for the other pupil went to another LA, whose
    # officer is not in this world, so the LA officer here must see the first and not the second.
    EhcPlan.objects.create(pupil=pupil_ehc, school=school, local_authority=la, issued_on=dt.date(2025, 3, 3))
    AssessmentRequest.objects.create(pupil=pupil_support, school=school, local_authority=other_la, received_on=dt.date(2026, 9, 14))
    pupil_none = PupilFactory(school=school, class_group=class_3a, surname="Trelawney", forename="Cara")
    pupil_elsewhere = put_on_register(PupilFactory(school=other, surname="Ottershaw", forename="Dev"), "K", "SEMH")
    people = {}
    for role in (Role.SENCO, Role.DEPUTY_SENCO, Role.SEND_ADMIN, Role.HEAD, Role.GOVERNOR, Role.PARENT, Role.EXTERNAL):
        people[str(role)] = MembershipFactory(role=role, school=school, user=UserFactory(email=f"{role}@alder.test")).user
    teacher = MembershipFactory(role=Role.TEACHER, school=school, user=UserFactory(email="teacher@alder.test"))
    teacher.class_groups.add(class_3a)
    people["teacher"] = teacher.user
    ta = MembershipFactory(role=Role.TEACHING_ASSISTANT, school=school, user=UserFactory(email="ta@alder.test"))
    ta.class_groups.add(class_4b)
    people["teaching_assistant"] = ta.user
    people["trust_send_lead"] = MembershipFactory(
        role=Role.TRUST_SEND_LEAD, school=None, trust=trust, user=UserFactory(email="lead@alder-trust.test")
    ).user
    people["la_officer"] = MembershipFactory(
        role=Role.LA_OFFICER, school=None, local_authority=la, user=UserFactory(email="officer@bristol.test")
    ).user
    people["outsider"] = MembershipFactory(role=Role.SENCO, school=other, user=UserFactory(email="senco@birch.test")).user
    ParentCarer.objects.create(pupil=pupil_ehc, user=people["parent"], name="Pat Marchbanks", relationship="Mother")
    people["system_admin"] = UserFactory(email="sysadmin@sencohub.test", is_staff=True, is_superuser=True)
    return World(school, other, class_3a, class_4b, pupil_support, pupil_ehc, pupil_none, pupil_elsewhere, people)
