"""The demo's workforce: SENCo appointments and qualifications, the trust's SENCo-only schools, time logs, training."""

import datetime as dt
from decimal import Decimal

from sencohub.demo.schools import demo_school
from sencohub.schools.models import School
from sencohub.statutory import timelines
from sencohub.statutory.school_year import school_year_start
from sencohub.workforce.models import Appointment, Qualification, WeekLog
from sencohub.workforce.services import (
    appointment_create,
    qualification_create,
    training_attended,
    training_session_create,
    week_logs_bulk_create,
)


def _appoint(
    school,
    name,
    user,
    starts,
    *,
    previous=0,
    courses=(),
    fte="0.8",
    hours=20,
    protected=8,
    slt=False,
    admin=4,
    ends=None,
    why="",
    head_confirmed=None,
) -> Appointment:
    appointment = appointment_create(
        school=school,
        by=None,
        name=name,
        user=user,
        starts_on=starts,
        previous_senco_months=previous,
        fte=Decimal(fte),
        hours_per_week=Decimal(hours),
        protected_hours=Decimal(protected),
        on_slt=slt,
        admin_hours=Decimal(admin),
        ends_on=ends,
        leaving_reason=why,
        head_confirmed_on=head_confirmed,
        qts=True,
    )
    for kind, started, completed in courses:
        qualification_create(
            appointment=appointment,
            by=None,
            kind=kind,
            provider="Example University",
            started_on=started,
            completed_on=completed,
            status="completed" if completed else "in_progress",
        )
    return appointment


def senco_appoint(school, index, user, today, fake) -> None:
    """The SENCo of a school with pupils, with a predecessor who left: qualified by the NASENCo in the primary (late:
    completed after the third anniversary, and so still held, SI 2024/535), on the NPQ in the secondary."""
    nasenco, npq = Qualification.Kind.NASENCO, Qualification.Kind.NPQ
    if index % 2 == 0:
        _appoint(
            school,
            fake.name(),
            None,
            dt.date(2012, 9, 3),
            ends=dt.date(2019, 8, 31),
            why="promotion",
            courses=[(nasenco, dt.date(2012, 10, 1), dt.date(2014, 7, 10))],
        )
        _appoint(
            school,
            str(user),
            user,
            dt.date(2019, 9, 2),
            slt=True,
            courses=[(nasenco, dt.date(2021, 10, 4), dt.date(2023, 7, 14))],
        )
    else:
        _appoint(
            school,
            fake.name(),
            None,
            dt.date(2016, 1, 4),
            ends=dt.date(2025, 7, 22),
            why="left_teaching",
            courses=[(nasenco, dt.date(2016, 2, 1), dt.date(2018, 6, 30))],
        )
        started = dt.date(2025, 9, 1)
        _appoint(
            school,
            str(user),
            user,
            started,
            fte="1.0",
            hours=25,
            protected=10,
            slt=index % 4 == 1,
            courses=[(npq, dt.date(2025, 11, 3), None)],
            head_confirmed=today - dt.timedelta(days=30),
        )


# Trust schools that have shared their SENCo records but not yet imported pupils: every other state.
WORKFORCE_ONLY = [
    ("Willow Lane Primary (demo, SENCo records only)", "due"),
    ("Riverside High (demo, SENCo records only)", "overdue"),
    ("Hazelmere Infant and Junior (demo, SENCo records only)", "not required"),
    ("St Aldric's Secondary (demo, SENCo records only)", "vacancy"),
    ("Fernbrook Primary (demo, SENCo records only)", "npq qualified"),
    ("Ashgrove Primary (demo, SENCo records only)", "not started"),
]


def workforce_only_schools(trust, la, seed, fake, today) -> list:
    nasenco, npq = Qualification.Kind.NASENCO, Qualification.Kind.NPQ
    made = []
    for number, (name, state) in enumerate(WORKFORCE_ONLY):
        phase = School.Phase.SECONDARY if "High" in name or "Secondary" in name else School.Phase.PRIMARY
        school = demo_school(f"{998000 + number * 3 + seed % 3}", name, phase, la, trust)
        made.append(school)
        if state == "due":  # appointed almost three years ago, on the NPQ, due within six months
            _appoint(
                school,
                fake.name(),
                None,
                timelines.add_months(today, -32),
                fte="0.6",
                hours=12,
                protected=4,
                admin=0,
                courses=[(npq, timelines.add_months(today, -14), None)],
            )
        elif state == "overdue":  # appointed in January 2023 with no course recorded: due January 2026
            _appoint(
                school, fake.name(), None, dt.date(2023, 1, 9), fte="1.0", hours=15, protected=5, admin=2
            )
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2017, 9, 1),
                ends=dt.date(2022, 12, 21),
                why="retired",
                courses=[(nasenco, dt.date(2017, 10, 2), dt.date(2019, 7, 1))],
            )
        elif state == "not required":  # SENCo since before September 2008
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2007, 4, 16),
                fte="0.5",
                hours=10,
                protected=4,
                slt=True,
                admin=0,
            )
        elif state == "vacancy":  # the SENCo retired last summer; the post is being advertised
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2014, 9, 1),
                ends=dt.date(2026, 8, 31),
                why="retired",
                fte="1.0",
                courses=[(nasenco, dt.date(2014, 10, 1), dt.date(2016, 7, 8))],
            )
        elif state == "not started":  # appointed this term, with no course booked yet
            _appoint(
                school,
                fake.name(),
                None,
                timelines.add_months(today, -3),
                fte="0.8",
                hours=10,
                protected=3,
                admin=0,
            )
        else:  # qualified by the NPQ
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2024, 9, 2),
                fte="0.5",
                hours=12,
                protected=6,
                admin=1,
                courses=[(npq, dt.date(2024, 10, 7), dt.date(2026, 2, 27))],
            )
            _appoint(
                school, fake.name(), None, dt.date(2020, 4, 20), ends=dt.date(2024, 7, 19), why="other_role"
            )
    return made


CATEGORY_WEIGHTS = {
    "strategic": 2,
    "teachers": 3,
    "pupils": 3,
    "casework": 4,
    "administration": 5,
    "ehc_paperwork": 3,
    "training_others": 1,
    "own_development": 1,
}


def senco_time(appointment, rng, today) -> None:
    """A week's log for most weeks since September: administration and EHC paperwork crowd out the rest."""
    start = school_year_start(today)
    week = start - dt.timedelta(days=start.weekday()) + dt.timedelta(days=7)
    logs = []
    while week + dt.timedelta(days=7) <= today:
        if rng.random() < 0.85:  # some weeks are forgotten, as in life
            hours = {
                name: Decimal(round(rng.uniform(0.5, 1.5) * weight * 2) / 2)
                for name, weight in CATEGORY_WEIGHTS.items()
            }
            total = sum(hours.values())
            kept = min(
                total,
                max(
                    Decimal(0),
                    Decimal(round(rng.uniform(0.4, 1.0) * float(appointment.protected_hours) * 2) / 2),
                ),
            )
            logs.append(
                WeekLog(
                    appointment=appointment,
                    week_of=week,
                    protected_used=kept,
                    note="Annual review week" if rng.random() < 0.1 else "",
                    **hours,
                )
            )
        week += dt.timedelta(days=7)
    week_logs_bulk_create(by=None, logs=logs)


TRAINING = [
    ("Speech, language and communication in the classroom", "communication and interaction", 75),
    ("Adaptive teaching for pupils with dyslexia", "cognition and learning", 60),
    ("Understanding and supporting anxiety", "social, emotional and mental health", 90),
    ("Using the graduated approach: assess, plan, do, review", "general", 60),
]


def staff_training(school, staff, rng, today) -> None:
    for number, (topic, area, minutes) in enumerate(TRAINING):
        held = today - dt.timedelta(days=20 + 35 * number)
        session = training_session_create(
            school=school,
            by=None,
            topic=topic,
            area_of_need=area,
            held_on=held,
            minutes=minutes,
            led_by="" if number != 2 else "Educational psychology service",
        )
        for user in rng.sample(staff, k=max(1, len(staff) - number)):
            before = rng.randint(1, 3)
            after = min(5, before + rng.randint(0, 2) + (number % 2)) if rng.random() < 0.8 else None
            training_attended(
                session=session, by=None, user=user, confidence_before=before, confidence_after=after
            )
