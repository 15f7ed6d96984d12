"""The demo's provision map: the catalogue, pay bands, groups and their registers, measures and the SEN budget."""

import datetime as dt
from decimal import Decimal

from sencohub.ehcp.models import EhcPlan, PlanProvisionItem
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Attendance, Enrolment, Intervention, Provision, Session
from sencohub.provision.reporting import measure_for
from sencohub.provision.services import (
    attendance_bulk_create,
    intervention_create,
    measures_bulk_set,
    pay_band_set,
    provision_create,
    provision_run_by_add,
    sen_budget_set,
    sessions_bulk_create,
)
from sencohub.schools.models import Term
from sencohub.statutory import census
from sencohub.statutory.school_year import school_year_start


def populate_provision(school, pupils, areas, rng, today) -> None:
    """A year of provision: the common catalogue, pay bands, groups by area of need, and 1:1 support for some plans."""
    catalogue_seed(school)
    year_start = dt.date(school_year_start(today).year, 9, 8)
    year_end = dt.date(school_year_start(today).year + 1, 7, 17)
    ta, _ = pay_band_set(school=school, by=None, name="Teaching assistant", hourly_pence=1540)
    hlta, _ = pay_band_set(school=school, by=None, name="Higher level teaching assistant", hourly_pence=1850)
    teacher, _ = pay_band_set(school=school, by=None, name="Teacher", hourly_pence=3600)
    by_area: dict[str, list] = {}
    for pupil in pupils:
        if pupil.sen_provision != census.NO_SEN:
            by_area.setdefault(areas.get(pupil.pk, "cognition and learning"), []).append(pupil)
    for intervention in Intervention.objects.filter(school=school):
        members = by_area.get(intervention.area, [])
        size = intervention.group_size or 4
        for number, start in enumerate(range(0, min(len(members), size * 2), size)):
            group = members[start : start + size]
            provision_create(
                school=school,
                by=None,
                intervention=intervention,
                name=f"{intervention.name} ({'AB'[number]})",
                wave=Provision.Wave.TARGETED,
                staff=rng.choice(["Mrs Patel", "Mr Okoye", "Ms Byrne", "Mrs Evans"]),
                pay_band=rng.choice([ta, ta, hlta]) if size > 1 else teacher,
                starts_on=year_start,
                ends_on=year_end,
                minutes=intervention.minutes or 20,
                other_costs_pence=rng.choice([0, 4500, 12000]),
                days={1: "2", 2: "13", 3: "024", 4: "0134"}.get(intervention.sessions_per_week or 3, "01234"),
                starts_at=rng.choice([dt.time(9, 10), dt.time(10, 40), dt.time(13, 15), dt.time(14, 0)]),
                pupils=group,
                today=today,
            )
    _demo_sessions(school, rng, today)
    _demo_measures(school, rng, year_start, today)
    one_to_one = intervention_create(
        school=school,
        by=None,
        name="1:1 teaching assistant support",
        area="cognition and learning",
        evidence=Intervention.Evidence.LIMITED,
        evidence_note="EEF Toolkit: teaching assistant interventions",
    )
    for pupil in [p for p in pupils if p.sen_provision == census.EHC_PLAN][:3]:
        support = provision_create(
            school=school,
            by=None,
            intervention=one_to_one,
            name=f"1:1 support for {pupil.forename}",
            wave=Provision.Wave.SPECIALIST,
            staff="Named teaching assistant",
            pay_band=ta,
            starts_on=year_start,
            ends_on=year_end,
            days="01234",
            minutes=rng.choice([180, 240, 300]),
            pupils=[pupil],
            today=today,
        )
        plan = EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).first()
        if plan is not None:
            PlanProvisionItem.objects.create(
                plan=plan,
                description="Individual support from a trained teaching assistant",
                hours_per_week=Decimal(25),
                group_size=1,
                staff="Trained teaching assistant",
                provision=support,
            )
    # Universal (wave 1): on the map for the record, never counted against the notional SEN budget.
    visual = intervention_create(
        school=school, by=None, name="Visual timetable check-in", area="communication and interaction"
    )
    provision_create(
        school=school,
        by=None,
        intervention=visual,
        name="Visual timetable check-in (in class)",
        wave=Provision.Wave.UNIVERSAL,
        staff="Class teaching assistant",
        pay_band=ta,
        starts_on=year_start,
        ends_on=year_end,
        days="01234",
        minutes=5,
        pupils=[p for p in pupils if p.sen_provision != census.NO_SEN][:6],
        today=today,
    )
    # The notional SEN budget (element 2) from the school's budget statement: an approximation of £550 to £650 a pupil.
    sen_budget_set(
        school=school,
        by=None,
        year_start=school_year_start(today),
        notional_pence=len(pupils) * rng.choice([55_000, 60_000, 65_000]),
    )


def group_staff(school, ta, teachers) -> None:
    """Name who runs each group: the teaching assistant two groups in three, the teachers the rest (the 1:1
    support keeps its written-in named assistant, who has no account). Each sees and marks their whole group."""
    for number, provision in enumerate(
        Provision.objects.filter(school=school).exclude(staff="Named teaching assistant").order_by("pk")
    ):
        runner = ta if number % 3 != 2 or not teachers else teachers[number % len(teachers)]
        provision_run_by_add(provision=provision, by=None, users=[runner], staff="")


def _demo_sessions(school, rng, today) -> None:
    """Registers for every group session so far this year: about nine in ten pupils there, a few sessions cancelled."""
    sessions, marks = [], []
    terms = [(t.starts_on, t.ends_on) for t in Term.objects.filter(school=school)]
    for provision in Provision.objects.filter(school=school).prefetch_related("pupils"):
        pupils = list(provision.pupils.all())
        day = provision.starts_on
        per_week = min(provision.sessions_per_week, 5)
        while day <= min(today - dt.timedelta(days=1), provision.ends_on):
            meets = str(day.weekday()) in provision.days if provision.days else day.weekday() < per_week
            if meets and any(start <= day <= end for start, end in terms):
                sessions.append(
                    (Session(provision=provision, held_on=day, cancelled=rng.random() < 0.04), pupils)
                )
            day += dt.timedelta(days=1)
    sessions_bulk_create(by=None, sessions=[s for s, _ in sessions])
    for session, pupils in sessions:
        marks += [
            Attendance(session=session, pupil=p, present=not session.cancelled and rng.random() < 0.9)
            for p in pupils
        ]
    attendance_bulk_create(by=None, marks=marks)


def _demo_measures(school, rng, year_start, today) -> None:
    """Entry measures at the start and a check at the last half-term, so the impact page has real figures."""
    checked = min(today, year_start + dt.timedelta(weeks=8))
    enrolments = list(
        Enrolment.objects.filter(provision__school=school).select_related("provision__intervention", "pupil")
    )
    for e in enrolments:
        e.measure = measure_for(e.provision.intervention.measure)
        e.entry_on, e.exit_on = year_start, checked if checked > year_start else None
        gain = rng.gauss(4, 3)
        if e.measure in ("reading_age", "spelling_age"):
            entry = rng.randrange(60, 110)
        elif e.measure == "standardised":
            entry = rng.randrange(70, 90)
        else:
            entry, gain = rng.randrange(2, 6), rng.gauss(1, 1)
        e.entry_value = entry
        e.exit_value = round(entry + gain, 1) if e.exit_on else None
    measures_bulk_set(by=None, enrolments=enrolments)
