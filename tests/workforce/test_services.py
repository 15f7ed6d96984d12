"""The workforce's writes as the demo and the pages make them: plain values in, refused when stale, audited."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from sencohub.kernel.versions import StaleSave
from sencohub.workforce import services
from sencohub.workforce.models import Appointment, Qualification, TrainingAttendance, WeekLog

MONDAY = dt.date(2026, 11, 16)


@pytest.fixture
def senco(world):
    return services.appointment_create(
        school=world.school, by=None, name="Sam Senco", starts_on=dt.date(2024, 11, 1), protected_hours=Decimal(8)
    )


def test_an_appointment_saved_from_an_old_version_is_refused(senco):
    first, second = Appointment.objects.get(pk=senco.pk), Appointment.objects.get(pk=senco.pk)
    first.on_slt = True
    services.appointment_save(appointment=first, by=None)
    second.fte = Decimal("0.5")
    with pytest.raises(StaleSave):
        services.appointment_save(appointment=second, by=None)
    assert Appointment.objects.get(pk=senco.pk).fte == 1


def test_a_qualification_is_added_with_plain_values(senco):
    services.qualification_create(appointment=senco, by=None, kind="npq", started_on=dt.date(2025, 1, 6))
    assert Qualification.objects.get(appointment=senco).status == Qualification.Status.IN_PROGRESS


def test_a_week_logged_twice_is_one_week_with_the_later_figures(senco):
    services.week_log_record(appointment=senco, by=None, week_of=MONDAY, strategic=Decimal(2))
    services.week_log_record(appointment=senco, by=None, week_of=MONDAY, strategic=Decimal(3), note="Reviews")
    log = WeekLog.objects.get(appointment=senco)
    assert (log.strategic, log.note) == (Decimal(3), "Reviews")


def test_weeks_made_in_bulk_have_one_audit_entry_each(senco, world):
    kind = ContentType.objects.get_for_model(WeekLog)
    before = LogEntry.objects.filter(content_type=kind).count()
    services.week_logs_bulk_create(
        by=world.people["senco"],
        logs=[WeekLog(appointment=senco, week_of=MONDAY - dt.timedelta(weeks=n), pupils=Decimal(4)) for n in range(3)],
    )
    assert WeekLog.objects.filter(appointment=senco).count() == 3
    assert LogEntry.objects.filter(content_type=kind, action=LogEntry.Action.CREATE).count() == before + 3


def test_training_with_ratings_given_and_changed(world):
    staff = [world.people["teacher"], world.people["teaching_assistant"]]
    session = services.training_session_create(
        school=world.school, by=None, topic="Dyslexia", held_on=MONDAY, minutes=60, attendees=staff[:1]
    )
    services.training_attended(session=session, by=None, user=staff[1], confidence_before=2)
    attendance = list(TrainingAttendance.objects.filter(session=session).order_by("pk"))
    assert len(attendance) == 2
    services.training_ratings_set(by=None, attendance=attendance, ratings={a.pk: (3, 4) for a in attendance})
    assert {(a.confidence_before, a.confidence_after) for a in TrainingAttendance.objects.all()} == {(3, 4)}
