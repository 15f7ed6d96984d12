"""Writes to the provision map: the catalogue, pay bands, provisions and who is in them, sessions and their
attendance, measures and the notional SEN budget. Each runs in one transaction; ordinary saves are audited by
auditlog's signals, bulk inserts and updates write their entries themselves (`kernel.audit.log_bulk`)."""

import datetime as dt
from collections.abc import Callable, Iterable

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sencohub.kernel import audit
from sencohub.kernel.versions import StaleSave, lock
from sencohub.provision.models import (
    Attendance,
    Enrolment,
    Intervention,
    PayBand,
    Provision,
    SenBudget,
    Session,
)
from sencohub.schools.models import School

MESSAGE_INTERVENTION_TAKEN = "Your catalogue already has an intervention with this name."
# What a provision holds besides its school, its staff with accounts and its pupils.
PROVISION_FIELDS = (
    "intervention",
    "name",
    "wave",
    "staff",
    "pay_band",
    "when",
    "days",
    "starts_at",
    "starts_on",
    "ends_on",
    "sessions_per_week",
    "minutes",
    "other_costs_pence",
)


def _nothing_recorded(enrolment: Enrolment) -> bool:
    measured = enrolment.entry_value is not None or enrolment.exit_value is not None
    marked = Attendance.objects.filter(
        session__provision_id=enrolment.provision_id, pupil_id=enrolment.pupil_id
    ).exists()
    return not measured and not marked


@transaction.atomic
def provision_pupils_set(
    *, provision: Provision, pupils, today: dt.date, new: bool = False, offered=None
) -> None:
    """Make the pupils in the group exactly `pupils`, keeping every fact about those who leave.

    A pupil taken out has their enrolment ended on `today` (their last day in the group), never deleted: their
    attendance, measures and share of the cost while they were in the group stay. The one exception is a slip
    put right: an enrolment with nothing recorded against it that had not begun (the group had not started, or
    the pupil was added today) is simply taken away. A pupil ticked again on the day they were taken out carries on
    in the same enrolment; later, they start a new one from `today`. Pupils in a new provision, or added before it
    starts, are in it from its start. With `offered` (the pupils the form showed), pupils in the group who were not
    offered (the person cannot see them) are left as they are: a form never ends what it did not show.
    """
    wanted = {p.pk for p in pupils}
    current = {
        e.pupil_id: e for e in Enrolment.objects.select_for_update().filter(provision=provision).current()
    }
    shown = None if offered is None else set(offered.values_list("pk", flat=True))
    for pupil_id, enrolment in current.items():
        if pupil_id in wanted or (shown is not None and pupil_id not in shown):
            continue
        not_begun = provision.starts_on > today or enrolment.joined_on == today
        if not_begun and _nothing_recorded(enrolment):
            enrolment.delete()
        else:
            enrolment.left_on = today
            enrolment.save(update_fields=["left_on"])
    joining_on = None if new or provision.starts_on >= today else today
    for pupil_id in wanted - current.keys():
        ended_today = Enrolment.objects.filter(provision=provision, pupil_id=pupil_id, left_on=today).first()
        if ended_today is not None:
            ended_today.left_on = None
            ended_today.save(update_fields=["left_on"])
        else:
            Enrolment.objects.create(provision=provision, pupil_id=pupil_id, joined_on=joining_on)


# The catalogue and pay bands ----------------------------------------------------------------------------------


def intervention_create(
    *,
    school: School,
    by,
    name: str,
    area: str,
    evidence: str = Intervention.Evidence.NONE,
    evidence_note: str = "",
    sessions_per_week: int | None = None,
    minutes: int | None = None,
    group_size: int | None = None,
    measure: str = "",
) -> Intervention:
    """Add an intervention to the school's catalogue; a name already there is refused on the name.

    The name is looked for first, and again if the insert fails, so that two people adding the same name at once
    meet the same message, and only the unique constraint on the name (not some other fault) becomes one."""

    def taken() -> bool:
        return Intervention.objects.filter(school=school, name=name).exists()

    if taken():
        raise ValidationError({"name": MESSAGE_INTERVENTION_TAKEN})
    try:
        with transaction.atomic():
            return Intervention.objects.create(
                school=school,
                name=name,
                area=area,
                evidence=evidence,
                evidence_note=evidence_note,
                sessions_per_week=sessions_per_week,
                minutes=minutes,
                group_size=group_size,
                measure=measure,
            )
    except IntegrityError:
        if not taken():
            raise
        raise ValidationError({"name": MESSAGE_INTERVENTION_TAKEN}) from None


@transaction.atomic
def pay_band_set(*, school: School, by, name: str, hourly_pence: int) -> tuple[PayBand, bool]:
    """The school's pay band called `name` at `hourly_pence` an hour, added or updated; True if it was added.
    Every cost using the band follows: costs are worked out from it, never stored."""
    return PayBand.objects.update_or_create(school=school, name=name, defaults={"hourly_pence": hourly_pence})


# Provisions ---------------------------------------------------------------------------------------------------

MESSAGE_SESSIONS_NOT_DAYS = "A provision's sessions a week are its days: one session a day it meets."


def sessions_a_week(days: str, given: int | None = None) -> int:
    """The sessions a week of a provision meeting on `days` (weekday digits): one a day. Without days, the figure
    `given` (a provision whose days are not known); a figure that disagrees with the days is refused."""
    if days:
        if given is not None and given != len(days):
            raise ValidationError(MESSAGE_SESSIONS_NOT_DAYS)
        return len(days)
    if given is None:
        raise ValidationError("Select the days the group meets.")
    return given


@transaction.atomic
def provision_create(
    *,
    school: School,
    by,
    intervention: Intervention,
    name: str,
    pay_band: PayBand,
    starts_on: dt.date,
    ends_on: dt.date,
    minutes: int,
    sessions_per_week: int | None = None,
    wave: int = Provision.Wave.TARGETED,
    staff: str = "",
    when: str = "",
    days: str = "",
    starts_at: dt.time | None = None,
    other_costs_pence: int = 0,
    run_by: Iterable = (),
    pupils: Iterable = (),
    offered=None,
    today: dt.date,
) -> Provision:
    """A new provision on the map, made by `by`, with the staff who run it and its pupils (in it from its start).

    Its sessions a week are its days, one a day; `sessions_per_week` is for a provision whose days are not known."""
    sessions_per_week = sessions_a_week(days, sessions_per_week)
    provision = Provision.objects.create(
        school=school,
        intervention=intervention,
        name=name,
        wave=wave,
        staff=staff,
        pay_band=pay_band,
        when=when,
        days=days,
        starts_at=starts_at,
        starts_on=starts_on,
        ends_on=ends_on,
        sessions_per_week=sessions_per_week,
        minutes=minutes,
        other_costs_pence=other_costs_pence,
        created_by=by,
    )
    provision.run_by.set(run_by)
    provision_pupils_set(provision=provision, pupils=pupils, today=today, new=True, offered=offered)
    return provision


@transaction.atomic
def provision_update(
    *,
    provision: Provision,
    by,
    run_by: Iterable,
    pupils: Iterable,
    offered=None,
    today: dt.date,
    check: Callable[[Provision], None] | None = None,
    **details,
) -> Provision:
    """Change a provision: `details` are any of PROVISION_FIELDS. An edit does not make `by` its creator.

    New days set the sessions a week (one a day). Days left as they were leave the sessions a week as they were, so
    a provision recorded before days were asked for keeps its costs when saved unchanged.

    `check(current)` runs with the provision locked, before anything is written: it raises StaleSave if someone
    changed the provision since the person's page was drawn (the form knows what it showed; see kernel.versions)."""
    unknown = set(details) - set(PROVISION_FIELDS)
    if unknown:
        raise TypeError(f"provision_update() got unexpected fields: {', '.join(sorted(unknown))}")
    current = lock(Provision, provision.pk)
    if check is not None:
        check(current)
    days = details.get("days", current.days)
    if days != current.days or "sessions_per_week" in details:
        details["sessions_per_week"] = sessions_a_week(days, details.get("sessions_per_week"))
    for name, value in details.items():
        setattr(current, name, value)
    current.save()
    current.run_by.set(run_by)
    provision_pupils_set(provision=current, pupils=pupils, today=today, offered=offered)
    return current


@transaction.atomic
def provision_run_by_add(*, provision: Provision, by, users: Iterable, staff: str | None = None) -> None:
    """Name more staff with accounts as running the group; with `staff`, replace who is written in without one."""
    provision.run_by.add(*users)
    if staff is not None and staff != provision.staff:
        provision.staff = staff
        provision.save(update_fields=["staff"])


@transaction.atomic
def provision_delete(*, school: School, by, provision_id: int) -> bool:
    """Take a provision off the map, with its sessions and enrolments; False if the school has no such provision."""
    return Provision.objects.filter(school=school, pk=provision_id).delete()[0] > 0


# Sessions and their attendance --------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    provision: Provision,
    by,
    held_on: dt.date,
    cancelled: bool,
    note: str,
    present: dict[int, bool],
) -> Session:
    """A session's attendance register, taken by `by`: the session (held or not) and one mark a pupil in `present`
    (pupil id: there or not). Taking it again for the same day corrects it. At a session that did not happen,
    no one is marked present."""
    session, _ = Session.objects.update_or_create(
        provision=provision, held_on=held_on, defaults={"cancelled": cancelled, "note": note, "taken_by": by}
    )
    for pupil_id, there in present.items():
        Attendance.objects.update_or_create(
            session=session, pupil_id=pupil_id, defaults={"present": there and not cancelled}
        )
    return session


@transaction.atomic
def sessions_bulk_create(*, by, sessions: Iterable[Session]) -> list[Session]:
    """Many sessions at once (unsaved `Session`s, each with its provision, date and whether it was cancelled), in
    one insert a thousand at a time, with one audit entry each."""
    made = Session.objects.bulk_create(list(sessions), batch_size=1000)
    audit.log_bulk(audit.created(s, ["provision", "held_on", "cancelled"], actor=by) for s in made)
    return made


@transaction.atomic
def attendance_bulk_create(*, by, marks: Iterable[Attendance]) -> list[Attendance]:
    """Many attendance marks at once (unsaved `Attendance`s of saved sessions), in one insert two thousand at a
    time, with one audit entry each, carrying the pupil."""
    made = Attendance.objects.bulk_create(list(marks), batch_size=2000)
    audit.log_bulk(
        audit.created(a, ["session", "pupil", "present"], actor=by, pupil_id=a.pupil_id) for a in made
    )
    return made


# Measures -----------------------------------------------------------------------------------------------------

MEASURE_FIELDS = ("measure", "entry_value", "entry_on", "exit_value", "exit_on")


@transaction.atomic
def measures_record(
    *, by, measures: dict[int, dict], check: Callable[[Enrolment], None] | None = None
) -> dict[int, StaleSave]:
    """Entry and exit measures for some enrolments (`measures`: enrolment id to its MEASURE_FIELDS values).

    `check(current)` runs for each with the enrolment locked, and raises StaleSave if someone saved its measures
    since the page was drawn. If any was, nothing is saved and the refusals are returned, by enrolment id."""
    current = {pk: lock(Enrolment, pk) for pk in measures}
    stale = {}
    for pk, enrolment in current.items():
        try:
            if check is not None:
                check(enrolment)
        except StaleSave as error:
            stale[pk] = error
    if stale:
        return stale
    for pk, values in measures.items():
        enrolment = current[pk]
        changed = [f for f in MEASURE_FIELDS if f in values and values[f] != getattr(enrolment, f)]
        if changed:
            for name in changed:
                setattr(enrolment, name, values[name])
            enrolment.save()
    return {}


@transaction.atomic
def measures_bulk_set(*, by, enrolments: list[Enrolment]) -> None:
    """Measures for many enrolments at once (each carrying its new values), in one update five hundred at a time,
    with one audit entry for each enrolment that changed."""
    before = {
        e.pk: e
        for e in Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).only("pk", *MEASURE_FIELDS)
    }
    entries = []
    for e in enrolments:
        old = before[e.pk]
        changes = {
            f: [audit.shown(getattr(old, f)), audit.shown(getattr(e, f))]
            for f in MEASURE_FIELDS
            if getattr(old, f) != getattr(e, f)
        }
        if changes:
            entries.append(audit.entry(e, LogEntry.Action.UPDATE, actor=by, changes=changes))
    Enrolment.objects.bulk_update(enrolments, list(MEASURE_FIELDS), batch_size=500)
    audit.log_bulk(entries)


# The notional SEN budget --------------------------------------------------------------------------------------


@transaction.atomic
def sen_budget_set(*, school: School, by, year_start: dt.date, notional_pence: int) -> SenBudget:
    """The school's notional SEN budget for the school year starting `year_start`, added or replaced."""
    budget, _ = SenBudget.objects.update_or_create(
        school=school, year_start=year_start, defaults={"notional_pence": notional_pence}
    )
    return budget
