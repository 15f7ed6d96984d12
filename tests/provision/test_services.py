"""The provision map's writes as the demo and the pages make them: plain values in, one audit entry a row out,
and attendance counted the same way wherever it is shown."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from sencohub.provision import services
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Attendance, Enrolment, Intervention, Provision, Session
from sencohub.provision.selectors import AttendanceFigures, attendance_by_provision

TODAY = timezone.localdate()


@pytest.fixture
def group(world):
    catalogue_seed(world.school)
    band, added = services.pay_band_set(school=world.school, by=None, name="Teaching assistant", hourly_pence=1540)
    assert added
    return services.provision_create(
        school=world.school,
        by=world.people["senco"],
        intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group",
        staff="Mrs Patel",
        pay_band=band,
        starts_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=60),
        sessions_per_week=3,
        minutes=20,
        pupils=[world.pupil_support, world.pupil_ehc],
        today=TODAY,
    )


def _entries(model, action=LogEntry.Action.CREATE):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), action=action)


def test_a_provision_made_by_the_service_has_its_pupils_from_its_start_and_its_maker(group, world):
    assert group.created_by == world.people["senco"]
    assert set(group.pupils.all()) == {world.pupil_support, world.pupil_ehc}
    assert not Enrolment.objects.filter(provision=group, joined_on__isnull=False).exists()


def test_a_name_already_in_the_catalogue_is_refused_on_the_name(world):
    catalogue_seed(world.school)
    with pytest.raises(ValidationError) as refused:
        services.intervention_create(school=world.school, by=None, name="Reading fluency", area="cognition and learning")
    assert refused.value.message_dict == {"name": [services.MESSAGE_INTERVENTION_TAKEN]}


class _Catalogue:
    """What the catalogue answers when asked whether the name is taken, in turn."""

    def __init__(self, *answers):
        self.answers = iter(answers)

    def filter(self, **lookups):
        return self

    def exists(self):
        return next(self.answers)


def test_a_name_taken_between_the_check_and_the_insert_is_refused_on_the_name_not_an_error(world, monkeypatch):
    """The moment the page cannot show by itself: the check saw the name free, then the insert met the constraint."""
    catalogue = _Catalogue(False, True)
    monkeypatch.setattr(Intervention.objects, "filter", catalogue.filter)

    def insert(**fields):
        raise IntegrityError("UNIQUE constraint failed: provision_intervention.school_id, provision_intervention.name")

    monkeypatch.setattr(Intervention.objects, "create", insert)
    with pytest.raises(ValidationError) as refused:
        services.intervention_create(school=world.school, by=None, name="Lego therapy", area="cognition and learning")
    assert refused.value.message_dict == {"name": [services.MESSAGE_INTERVENTION_TAKEN]}


def test_any_other_fault_on_insert_is_not_hidden_as_a_taken_name(world, monkeypatch):
    catalogue = _Catalogue(False, False)
    monkeypatch.setattr(Intervention.objects, "filter", catalogue.filter)

    def insert(**fields):
        raise IntegrityError("NOT NULL constraint failed")

    monkeypatch.setattr(Intervention.objects, "create", insert)
    with pytest.raises(IntegrityError):
        services.intervention_create(school=world.school, by=None, name="Lego therapy", area="cognition and learning")


def test_sessions_and_marks_made_in_bulk_have_one_audit_entry_a_row_with_the_pupil_on_each_mark(group, world):
    before = (_entries(Session).count(), _entries(Attendance).count())
    made = services.sessions_bulk_create(
        by=world.people["senco"],
        sessions=[
            Session(provision=group, held_on=TODAY - dt.timedelta(days=2)),
            Session(provision=group, held_on=TODAY - dt.timedelta(days=1), cancelled=True),
        ],
    )
    services.attendance_bulk_create(
        by=world.people["senco"],
        marks=[
            Attendance(session=made[0], pupil=world.pupil_support, present=True),
            Attendance(session=made[0], pupil=world.pupil_ehc, present=False),
            Attendance(session=made[1], pupil=world.pupil_support, present=False),
        ],
    )
    assert _entries(Session).count() == before[0] + 2
    marks = _entries(Attendance).order_by("id")[before[1] :]
    assert len(marks) == 3
    assert {m.additional_data["pupil_id"] for m in marks} == {world.pupil_support.pk, world.pupil_ehc.pk}
    assert all(m.actor == world.people["senco"] for m in marks)
    # The cancelled session counts nowhere: one held, two marks at it, one present.
    assert attendance_by_provision([group.pk]) == {group.pk: AttendanceFigures(held=1, marked=2, present=1)}
    assert attendance_by_provision([group.pk], pupil=world.pupil_ehc)[group.pk] == AttendanceFigures(1, 1, 0)


def test_attendance_taken_again_on_the_same_day_corrects_the_marks(group, world):
    day = TODAY - dt.timedelta(days=1)
    pupils = {world.pupil_support.pk: True, world.pupil_ehc.pk: True}
    services.attendance_record(provision=group, by=None, held_on=day, cancelled=False, note="", present=pupils)
    services.attendance_record(provision=group, by=None, held_on=day, cancelled=True, note="Trip", present=pupils)
    session = Session.objects.get(provision=group, held_on=day)
    assert session.cancelled and not session.attendance.filter(present=True).exists()


def test_measures_set_in_bulk_log_only_what_changed(group, world):
    enrolments = list(Enrolment.objects.filter(provision=group).order_by("pk"))
    enrolments[0].measure, enrolments[0].entry_value, enrolments[0].entry_on = "standardised", 84, TODAY
    before = _entries(Enrolment, LogEntry.Action.UPDATE).count()
    services.measures_bulk_set(by=None, enrolments=enrolments)
    assert _entries(Enrolment, LogEntry.Action.UPDATE).count() == before + 1
    assert Enrolment.objects.get(pk=enrolments[0].pk).entry_value == 84


def test_a_provision_taken_off_the_map_is_gone_and_another_schools_is_not_found(group, world):
    assert not services.provision_delete(school=world.other_school, by=None, provision_id=group.pk)
    assert services.provision_delete(school=world.school, by=None, provision_id=group.pk)
    assert not Provision.objects.filter(pk=group.pk).exists()
