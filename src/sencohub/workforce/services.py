"""Writes to the SENCo workforce: appointments, qualifications, the headteacher's confirmation, the weekly time log,
staff training and its confidence ratings. Each runs in one transaction; ordinary saves are audited by auditlog's
signals, bulk inserts write their entries themselves (`kernel.audit.log_bulk`)."""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import transaction

from sencohub.kernel import audit
from sencohub.kernel.versions import claim, lock
from sencohub.schools.models import School
from sencohub.workforce.models import (
    TIME_CATEGORIES,
    Appointment,
    Qualification,
    TrainingAttendance,
    TrainingSession,
    WeekLog,
)

HOURS = tuple(name for name, _, _ in TIME_CATEGORIES)

# Appointments and qualifications ------------------------------------------------------------------------------


@transaction.atomic
def appointment_save(*, appointment: Appointment, by) -> Appointment:
    """Save a new appointment, or an edited one: StaleSave if someone saved it after the version it carries."""
    claim(appointment, what="appointment")
    appointment.save()
    return appointment


def appointment_create(*, school: School, by, name: str, starts_on: dt.date, **details) -> Appointment:
    """A SENCo (or other SEND post) appointed at `school`; `details` are any other fields of the appointment
    (user, post, ends_on, leaving_reason, qts, is_head, previous_senco_months, fte, hours_per_week, protected_hours,
    on_slt, admin_hours, head_confirmed_on)."""
    return appointment_save(
        appointment=Appointment(school=school, name=name, starts_on=starts_on, **details), by=by
    )


@transaction.atomic
def qualification_save(*, qualification: Qualification, by) -> Qualification:
    """Save a new qualification, or an edited one: StaleSave if someone saved it after the version it carries."""
    claim(qualification, what="qualification")
    qualification.save()
    return qualification


def qualification_create(
    *, appointment: Appointment, by, kind: str, started_on: dt.date, **details
) -> Qualification:
    """A qualification of the person appointed; `details` are any other of its fields (name, provider,
    expected_on, completed_on, status, certificate)."""
    return qualification_save(
        qualification=Qualification(appointment=appointment, kind=kind, started_on=started_on, **details),
        by=by,
    )


@transaction.atomic
def head_confirmation_record(*, appointment: Appointment, by, note: str, on: dt.date) -> Appointment:
    """The headteacher (`by`) confirms on `on` that the SENCo is working towards the qualification."""
    appointment.head_confirmed_on = on
    appointment.head_confirmed_by = by
    appointment.head_confirmation_note = note
    appointment.save(update_fields=["head_confirmed_on", "head_confirmed_by", "head_confirmation_note"])
    return appointment


# The weekly time log ------------------------------------------------------------------------------------------


@transaction.atomic
def week_log_record(
    *,
    appointment: Appointment,
    by,
    week_of: dt.date,
    protected_used: Decimal = Decimal(0),
    note: str = "",
    **hours,
) -> WeekLog:
    """Where the SENCo's time went in the week beginning `week_of`, `hours` by category (HOURS). A week already
    logged (a second form for it, or a double click) is updated, not refused: the appointment's lock makes the
    look-up and the insert one step."""
    unknown = set(hours) - set(HOURS)
    if unknown:
        raise TypeError(f"week_log_record() got unexpected categories: {', '.join(sorted(unknown))}")
    lock(Appointment, appointment.pk)
    log, _ = WeekLog.objects.update_or_create(
        appointment=appointment,
        week_of=week_of,
        defaults={"protected_used": protected_used, "note": note, **hours},
    )
    return log


@transaction.atomic
def week_logs_bulk_create(*, by, logs: Iterable[WeekLog]) -> list[WeekLog]:
    """Many weeks' logs at once (unsaved `WeekLog`s, each with its appointment), in one insert, with one audit
    entry each."""
    made = WeekLog.objects.bulk_create(list(logs))
    fields = ("appointment", "week_of", *HOURS, "protected_used")
    audit.log_bulk(audit.created(log, fields, actor=by) for log in made)
    return made


# Staff training -----------------------------------------------------------------------------------------------


@transaction.atomic
def training_session_save(*, session: TrainingSession, by, attendees: Iterable) -> TrainingSession:
    """Save a new training session, or an edited one, with who attended: StaleSave if someone saved it after the
    version it carries. Confidence ratings of those who stay are kept."""
    claim(session, what="training session")
    session.save()
    session.attendees.set(attendees)
    return session


def training_session_create(
    *,
    school: School,
    by,
    topic: str,
    held_on: dt.date,
    area_of_need: str = "general",
    minutes: int = 60,
    led_by: str = "",
    attendees: Iterable = (),
) -> TrainingSession:
    """A SEND training session at `school`, with who attended."""
    session = TrainingSession(
        school=school, topic=topic, held_on=held_on, area_of_need=area_of_need, minutes=minutes, led_by=led_by
    )
    return training_session_save(session=session, by=by, attendees=attendees)


@transaction.atomic
def training_attended(
    *,
    session: TrainingSession,
    by,
    user,
    confidence_before: int | None = None,
    confidence_after: int | None = None,
) -> TrainingAttendance:
    """`user` attended `session`, with how confident they felt before and after (1 to 5, or not rated)."""
    attendance, _ = TrainingAttendance.objects.update_or_create(
        session=session,
        user=user,
        defaults={"confidence_before": confidence_before, "confidence_after": confidence_after},
    )
    return attendance


@transaction.atomic
def training_ratings_set(
    *,
    by,
    attendance: Iterable[TrainingAttendance],
    ratings: dict[int, tuple[int | None, int | None]],
    check: Callable[[list[TrainingAttendance]], None] | None = None,
) -> None:
    """Confidence before and after for each attendance (`ratings`: its id to the pair; None is not rated).

    `check(current)` runs with the attendances locked, before anything is written: it raises StaleSave if someone
    saved any of the ratings since the person's page was drawn (the SENCo and the attendee may rate at once)."""
    current = [lock(TrainingAttendance, a.pk) for a in attendance]
    if current and check is not None:
        check(current)
    for a in current:
        a.confidence_before, a.confidence_after = ratings[a.pk]
        a.save(update_fields=["confidence_before", "confidence_after"])
