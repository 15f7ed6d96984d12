"""The demo's pupils and SEN register: pupils and their parent carers, SEN status histories and needs, concerns.

Calibrated to England's January 2025 figures (statutory.national): 14.2% of pupils on SEN support and 5.3% with EHC
plans, with the national primary-need mix of EHC plans.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from sencohub.kernel.versions import Duplicate
from sencohub.pupils.models import ParentCarer, Pupil
from sencohub.register.models import Concern
from sencohub.register.services import (
    SenHistory,
    SenPeriod,
    census_indicators_set,
    census_provision_set,
    concern_raise,
    concern_triage,
    sen_histories_record,
)
from sencohub.schools.models import School
from sencohub.statutory import census, national
from sencohub.statutory import upn as upn_rules
from sencohub.statutory.school_year import school_year_start

# A UPN must carry the number of a real LA to be valid (statutory.upn); a UPN is the issuer's, not the school's
# LA, and the demo never shares a database with real schools, so a generated UPN cannot meet a real pupil's.
UPN_ISSUING_LA = 801


CONCERNS = [
    (
        "Struggles to follow instructions with more than one step; often watches others before starting.",
        "Observed in maths and English over three weeks; class notes attached.",
        "Visual task lists and chunked instructions for two weeks.",
    ),
    (
        "Reading is well behind peers; avoids reading aloud and guesses words from the first letter.",
        "Reading age from the termly test is 2 years below chronological age.",
        "Daily 10-minute phonics catch-up with the TA.",
    ),
    (
        "Frequent outbursts at lunchtime and after transitions; finds it hard to settle after break.",
        "Behaviour log shows 9 incidents this half term, mostly after lunch.",
        "Meet and greet at the door; a calm space to use after break.",
    ),
    (
        "Speech is hard to understand for adults who do not know him well; rarely joins group talk.",
        "Speaking and listening assessment; parent reports the same at home.",
        "Talk partners and modelling of sentence stems.",
    ),
    (
        "Handwriting is very slow and difficult to read; tires quickly when writing at length.",
        "Timed writing samples from September and November.",
        "Pencil grip, writing slope and reduced copying from the board.",
    ),
    (
        "Seems anxious in class and has stopped putting her hand up; attendance has dropped.",
        "Attendance 88% this term (96% last year); conversation with parent.",
        "Check-ins with form tutor twice a week.",
    ),
]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes], k=1)[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _birth_range(year_group: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Pupils in Year N were born 1 Sep (start - N - 5) to 31 Aug (start - N - 4) (Reception is N = 0)."""
    n = 0 if year_group == "R" else int(year_group)
    start_year = school_year_start(today).year
    return dt.date(start_year - n - 5, 9, 1), dt.date(start_year - n - 4, 8, 31)


@dataclass
class Register:
    pupils: list[Pupil]
    plan_starts: dict[int, dt.date]  # the day each pupil's current EHC plan was issued
    sen_starts: dict[int, dt.date]  # the day each pupil on the register first had SEN
    areas: dict[int, str]  # each pupil's area of need (from their primary need)


def populate_register(school, index, groups, years, forms_per_year, size, rng, fake, today) -> Register:
    """The school's roll, exactly the national shares on the register shuffled across it, each with a parent carer."""
    primary = school.phase == School.Phase.PRIMARY
    # Exactly the national shares, then shuffled across the roll.
    n_ehc = round(size * national.PERCENT_EHC_PLAN / 100)
    n_support = round(size * national.PERCENT_SEN_SUPPORT / 100)
    provisions = [census.EHC_PLAN] * n_ehc + [census.SEN_SUPPORT] * n_support
    provisions += [census.NO_SEN] * (size - len(provisions))
    rng.shuffle(provisions)
    la_number = UPN_ISSUING_LA
    establishment = 2000 + (index * 37) % 7000
    pupils = []
    for serial in range(len(provisions)):
        year = years[serial % len(years)]
        form = rng.randrange(forms_per_year)
        born_from, born_to = _birth_range(year, today)
        gender = rng.choice("FM")
        forename = fake.first_name_female() if gender == "F" else fake.first_name_male()
        fsm = rng.random() < 0.25
        pupils.append(
            Pupil(
                school=school,
                # Serial and issue year together are unique for up to 90,000 pupils a school.
                upn=upn_rules.make(la_number, establishment, 10 + serial // 1000, serial % 1000),
                surname=fake.last_name(),
                forename=forename,
                date_of_birth=_date_between(rng, born_from, born_to),
                gender=gender,
                year_group=year,
                class_group=groups[(year, form)],
                eal=rng.random() < 0.22,
                fsm=fsm,
                pupil_premium=fsm or rng.random() < 0.04,
                looked_after=rng.random() < 0.007,
            )
        )
    Pupil.objects.bulk_create(pupils, batch_size=500)

    histories, parents = [], []
    entry_date = dt.date(school_year_start(today).year - (6 if primary else 4), 9, 3)
    for pupil, provision in zip(pupils, provisions, strict=True):
        parents.append(
            ParentCarer(
                pupil=pupil,
                name=f"{fake.first_name()} {pupil.surname}",
                relationship=rng.choice(["Mother", "Father", "Mother", "Grandparent", "Carer"]),
                email="",
                phone="",
            )
        )
        if provision == census.NO_SEN:
            continue
        weights = (
            national.EHC_PRIMARY_NEED_PERCENT
            if provision == census.EHC_PLAN
            else (national.DEMO_SEN_SUPPORT_NEED_WEIGHTS)
        )
        primary_need = _weighted(rng, weights)
        start = _date_between(rng, max(entry_date, pupil.date_of_birth + dt.timedelta(days=4 * 365)), today)
        if primary_need == "DS":
            start = max(start, dt.date(2025, 1, 6))
        history = SenHistory(pupil=pupil, periods=[], primary_need=primary_need)
        if provision == census.EHC_PLAN and rng.random() < 0.7:
            # Most EHC plans follow a period of SEN support.
            support_start = _date_between(rng, entry_date, start - dt.timedelta(days=120))
            if support_start < start - dt.timedelta(days=60):
                history.periods.append(
                    SenPeriod(
                        provision=census.SEN_SUPPORT,
                        start_date=support_start,
                        reason="Needs identified by class teacher and SENCo; SEN support began.",
                        parents_informed_on=support_start + dt.timedelta(days=rng.randrange(1, 10)),
                    )
                )
        told = None
        if provision == census.SEN_SUPPORT and rng.random() < 0.9:
            told = min(today, start + dt.timedelta(days=rng.randrange(1, 15)))
        history.periods.append(
            SenPeriod(
                provision=provision,
                start_date=start,
                reason="EHC plan issued by the local authority."
                if provision == census.EHC_PLAN
                else "Assessed by the SENCo after a concern; SEN support began.",
                parents_informed_on=told,
            )
        )
        if primary_need != "NSA" and rng.random() < 0.35:
            history.secondary_need = _weighted(
                rng, {k: v for k, v in national.EHC_PRIMARY_NEED_PERCENT.items() if k != primary_need}
            )
        histories.append(history)
    statuses = sen_histories_record(histories=histories, via="demo", today=today)
    ParentCarer.objects.bulk_create(parents, batch_size=500)
    plan_starts = {
        s.pupil_id: s.start_date for s in statuses if s.provision == census.EHC_PLAN and s.end_date is None
    }
    if not primary:
        # Resourced provision for autistic pupils, recognised by the LA (school census): its members have EHC plans.
        school.has_resourced_provision = census_provision_set(
            school=school, has_sen_unit=school.has_sen_unit, has_resourced_provision=True
        ).has_resourced_provision
        autistic = {h.pupil.pk for h in histories if h.primary_need == "ASD"}
        for pupil in Pupil.objects.filter(pk__in=sorted(autistic & set(plan_starts))[:8]).order_by("pk"):
            census_indicators_set(pupil=pupil, in_sen_unit=pupil.in_sen_unit, in_resourced_provision=True)
    sen_starts = {}
    for s in statuses:
        if s.provision != census.NO_SEN:
            sen_starts[s.pupil_id] = min(s.start_date, sen_starts.get(s.pupil_id, s.start_date))
    areas = {h.pupil.pk: census.area_of_need(h.primary_need) for h in histories}
    return Register(pupils, plan_starts, sen_starts, areas)


def raise_concerns(pupils, teachers, senco, size, rng) -> None:
    """Concerns raised by the teachers about pupils in their classes, at every stage of the SENCo's triage."""
    concerns = []
    for number in range(max(6, size // 40)):
        teacher, group = teachers[number % len(teachers)]
        candidates = [p for p in pupils if p.class_group_id == group.pk and p.sen_provision == census.NO_SEN]
        if not candidates:
            continue
        pupil = rng.choice(candidates)
        what, evidence, tried = CONCERNS[number % len(CONCERNS)]
        status = [
            Concern.Status.OPEN,
            Concern.Status.OPEN,
            Concern.Status.MONITOR,
            Concern.Status.NO_FURTHER_ACTION,
        ][number % 4]
        try:
            concern = concern_raise(
                pupil=pupil, by=teacher.user, what_seen=what, evidence=evidence, tried=tried
            )
        except Duplicate:
            continue  # the same teacher's same words about the same pupil: one concern
        if status == Concern.Status.MONITOR:
            note = "Monitor for half a term with the strategies tried; review at the next pupil progress meeting."
            concern = concern_triage(concern=concern, decision=status, note=note, by=senco)
        elif status == Concern.Status.NO_FURTHER_ACTION:
            note = "Progress since the concern was raised is good; no SEN."
            concern = concern_triage(concern=concern, decision=status, note=note, by=senco)
        concerns.append(concern)
    days_ago = [rng.randrange(1, 40) for _ in concerns]
    for concern, ago in zip(concerns, days_ago, strict=True):
        # When each was raised: spread over the last weeks, as a school's concerns would be.
        Concern.objects.filter(pk=concern.pk).update(raised_at=timezone.now() - dt.timedelta(days=ago))
