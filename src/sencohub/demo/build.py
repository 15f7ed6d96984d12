"""A realistic synthetic trust for the demo and for tests: generated people only, never real ones.

This module makes the trust, its schools and its people, and asks each domain's module for the rest, in a fixed
order: the same seed gives the same data on the same day (dates are set relative to today so the demo always looks
current), because every module draws from one random generator in turn.
"""

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from sencohub.demo import ehcp, provision, register, support, workforce
from sencohub.demo.ehcp import NEIGHBOUR_LAS
from sencohub.demo.schools import demo_school
from sencohub.ehcp.models import AnnualReview
from sencohub.provision.models import Provision
from sencohub.pupils.models import ParentCarer, Pupil
from sencohub.register.models import Concern, Need, SenStatus
from sencohub.schools.models import ClassGroup, LocalAuthority, Membership, Role, School, Trust
from sencohub.statutory import census
from sencohub.workforce.models import Appointment

DEMO_TRUST = "Brookfield Learning Trust (demo)"
DEMO_DOMAIN = "demo.sencohub.test"
# Codes no real authority or school has, so that a demo person can never reach a real record. England's LA codes
# run from 201 to 943 (the DfE's list, tests/data/la_codes.csv); the 990s are unused. GIAS issues six-digit URNs
# upwards from 100000, so the demo takes 99xxxx, the top of the range. There is no URN list in shared/data to check
# that against, and `add-school` does not refuse a 99xxxx URN: `sencohub demo` refusing to run beside any school
# it did not make is what keeps the two apart.
DEMO_LA = ("991", "Brookfield (demo)")
DEMO_LA_CODES = frozenset(code for code, _ in [DEMO_LA, *NEIGHBOUR_LAS])
DEMO_URNS = range(990000, 1000000)

MESSAGE_NOT_DEBUG = (
    "The demo runs only while DEBUG is on (for example: DEBUG=1 sencohub demo, or make demo). It is for trying "
    "sencohub on your own computer, never on a server holding real pupils."
)
MESSAGE_REAL_SCHOOLS = (
    "This database holds {count} school(s) that the demo did not make ({examples}), so the demo will not run here: "
    "demo people must never share a database with real pupils. Use a new, empty database for the demo "
    "(for example, unset DATABASE_URL to use var/sencohub.sqlite3)."
)

PRIMARY_NAMES = [
    "Oakfield Primary",
    "Willow Lane Primary",
    "Hazelmere Infant and Junior",
    "Fernbrook Primary",
]
SECONDARY_NAMES = ["Kingsmead Academy", "Riverside High", "St Aldric's Secondary", "Northgate Academy"]


@dataclass
class DemoResult:
    password: str = ""  # every demo person's, generated for this run
    schools: list[School] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    workforce_only: list[School] = field(
        default_factory=list
    )  # trust schools with SENCo records and no pupils yet


def demo_refusal() -> str | None:
    """Why the demo must not run here, if it must not: DEBUG is off, or the database holds a real school."""
    if not settings.DEBUG:
        return MESSAGE_NOT_DEBUG
    real = School.objects.filter(is_demo=False).order_by("urn")
    count = real.count()
    if count:
        examples = ", ".join(f"{s.name} ({s.urn})" for s in real[:3]) + (" and others" if count > 3 else "")
        return MESSAGE_REAL_SCHOOLS.format(count=count, examples=examples)
    return None


def remove_demo() -> None:
    """Delete a previous demo (its schools and the demo people), so it can be made again. Nothing else."""
    with disable_auditlog():
        schools = School.objects.filter(is_demo=True)
        Provision.objects.filter(
            school__in=schools
        ).delete()  # provisions protect their interventions and pay bands
        pupils = Pupil.objects.filter(school__in=schools)
        Concern.objects.filter(pupil__in=pupils).delete()
        Need.objects.filter(pupil__in=pupils).delete()
        SenStatus.objects.filter(pupil__in=pupils).delete()
        ParentCarer.objects.filter(pupil__in=pupils).delete()
        pupils.delete()
        schools.delete()
        Trust.objects.filter(name=DEMO_TRUST).exclude(schools__is_demo=False).delete()
        get_user_model().objects.filter(is_demo=True, email__endswith=f"@{DEMO_DOMAIN}").delete()


@transaction.atomic
def build_demo(
    *,
    schools: int = 2,
    pupils_per_school: int = 300,
    seed: int = 2025,
    today: dt.date | None = None,
    password: str | None = None,
) -> DemoResult:
    """The demo trust; every demo person signs in with `password`, or one generated for this run (in the result).

    `sencohub demo` first asks demo_refusal(); tests build the demo beside their own fixtures.
    """
    today = today or timezone.localdate()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    remove_demo()
    result = DemoResult(password=password or secrets.token_urlsafe(12))
    User = get_user_model()
    la, _ = LocalAuthority.objects.get_or_create(code=DEMO_LA[0], defaults={"name": DEMO_LA[1]})
    trust = Trust.objects.create(name=DEMO_TRUST)

    password_hash = make_password(result.password)  # hashed once: hashing is slow by design

    def person(local: str, role: str, school: School | None, **scope):
        first, last = fake.first_name(), fake.last_name()
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, is_demo=True, password=password_hash)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        membership = Membership.objects.create(user=user, role=role, school=school, **scope)
        result.users.append(
            # Trust leads and LA officers are reached through the trust's first school (as `add-user` does).
            {"email": email, "role": role, "school": (school or result.schools[0]).urn, "name": str(user)}
        )
        return membership

    with disable_auditlog():
        for index in range(schools):
            phase = School.Phase.PRIMARY if index % 2 == 0 else School.Phase.SECONDARY
            names = PRIMARY_NAMES if phase == School.Phase.PRIMARY else SECONDARY_NAMES
            name = names[(index // 2) % len(names)] + ("" if index < 8 else f" {index // 8 + 1}") + " (demo)"
            school = demo_school(f"{990100 + index * 7 + seed % 7}", name, phase, la, trust)
            result.schools.append(school)
            _populate_school(school, index, pupils_per_school, rng, fake, today, person)
        result.workforce_only = workforce.workforce_only_schools(trust, la, seed, fake, today)
        # Across the trust and the LA: one trust SEND lead and one LA officer.
        person("trust.lead", Role.TRUST_SEND_LEAD, None, trust=trust)
        person("la.officer", Role.LA_OFFICER, None, local_authority=la)
    return result


def _populate_school(school, index, size, rng, fake, today, person) -> None:
    primary = school.phase == School.Phase.PRIMARY
    years = ["R", "1", "2", "3", "4", "5", "6"] if primary else ["7", "8", "9", "10", "11"]
    forms_per_year = max(1, round(size / len(years) / 30))
    letters = "ABCDEFGH" if primary else "KLMNPRST"
    groups = {}
    for year in years:
        for f in range(forms_per_year):
            name = f"{year}{letters[f]}" if year != "R" else f"R{letters[f]}"
            groups[(year, f)] = ClassGroup.objects.create(school=school, name=name)

    made = register.populate_register(school, index, groups, years, forms_per_year, size, rng, fake, today)
    pupils = made.pupils
    ehcp.populate_ehc(school, pupils, made.plan_starts, rng, today)
    support.populate_support(school, pupils, made.sen_starts, made.areas, rng, today)
    provision.populate_provision(school, pupils, made.areas, rng, today)

    # Staff in every role, each signing in with the demo password.
    slug = f"s{index + 1}"
    senco = person(f"senco.{slug}", Role.SENCO, school)
    workforce.senco_appoint(school, index, senco.user, today, fake)
    deputy = person(f"deputy.{slug}", Role.DEPUTY_SENCO, school)
    person(f"admin.{slug}", Role.SEND_ADMIN, school)
    head = person(f"head.{slug}", Role.HEAD, school)
    teachers = []
    for group in list(groups.values())[:4]:
        teacher = person(f"teacher{len(teachers) + 1}.{slug}", Role.TEACHER, school)
        teacher.class_groups.add(group)
        teachers.append((teacher, group))
    ta = person(f"ta.{slug}", Role.TEACHING_ASSISTANT, school)
    ta.class_groups.add(*[g for _, g in teachers[:2]])
    provision.group_staff(school, ta.user, [t.user for t, _ in teachers])
    workforce.senco_time(Appointment.objects.get(school=school, user=senco.user), rng, today)
    workforce.staff_training(
        school, [deputy.user, head.user, ta.user] + [t.user for t, _ in teachers], rng, today
    )
    person(f"governor.{slug}", Role.GOVERNOR, school)
    parent = person(f"parent.{slug}", Role.PARENT, school)
    # The demo parent's child has an EHC plan, so the family pages have a plan and reviews to show.
    open_review = AnnualReview.objects.filter(
        plan__school=school, report_sent_on__isnull=True, plan__ceased_on__isnull=True
    )
    child = next(
        (r.plan.pupil for r in open_review.select_related("plan__pupil")),
        next((p for p in pupils if p.sen_provision == census.EHC_PLAN), pupils[0]),
    )
    ParentCarer.objects.filter(pupil=child).update(user=parent.user, name=str(parent.user))
    register.raise_concerns(pupils, teachers, senco.user, size, rng)
