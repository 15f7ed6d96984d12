"""Writes to the SEN register. Each validates, then changes everything it touches in one transaction."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sencohub.kernel import audit
from sencohub.kernel.versions import Duplicate, StaleSave, fingerprint, last_change, lock
from sencohub.pupils.models import Pupil
from sencohub.register.models import Concern, Need, SenStatus
from sencohub.schools.models import School
from sencohub.statutory import census

# Allowed moves between census SEN provisions; staying where you are is not a change.
TRANSITIONS: dict[str, set[str]] = {
    census.NO_SEN: {census.SEN_SUPPORT, census.EHC_PLAN},
    census.SEN_SUPPORT: {census.NO_SEN, census.EHC_PLAN},
    census.EHC_PLAN: {census.SEN_SUPPORT, census.NO_SEN},
}

MESSAGE_SAME_STATUS = "The pupil already has {provision}; choose a different status."
MESSAGE_START_BEFORE_CURRENT = "The new status cannot start before the current one began ({start:%d/%m/%Y})."
MESSAGE_START_IN_FUTURE = "The start date cannot be in the future."
MESSAGE_REASON_REQUIRED = "Say why the status is changing (for example 'EHC plan issued by the LA')."
MESSAGE_CONCERN_ALREADY_TRIAGED = "This concern has already been triaged."
MESSAGE_CONCERN_ALREADY_RAISED = "You have already raised this concern about {pupil}; it is with the SENCo."
MESSAGE_ASSESS_NEEDS_PRIMARY = "Choose the pupil's primary need to start SEN support."
MESSAGE_PARENTS_INFORMED_BEFORE = "Parents cannot have been told before SEN support began ({start:%d/%m/%Y})."
MESSAGE_PLAN_CURRENT = (
    "{pupil} has a current EHC plan ({plan}), so stays E (EHC plan) while it is current. If the plan has ceased, "
    "record that on the plan's page, which asks what {pupil}'s provision becomes."
)

# A pupil with a current EHC plan is E (STATUTORY.md section 5). The plans live in the ehcp app, above this one:
# it declares here how to find them (ehcp.apps), a function from pupil ids to a description of each pupil's current
# plan ("issued 3 March 2025 by Leeds").
_CURRENT_PLAN_FINDERS: list[Callable[[Iterable[int]], dict[int, str]]] = []


def current_plan_finder_register(finder: Callable[[Iterable[int]], dict[int, str]]) -> None:
    if finder not in _CURRENT_PLAN_FINDERS:
        _CURRENT_PLAN_FINDERS.append(finder)


def current_ehc_plans(pupil_ids: Iterable[int]) -> dict[int, str]:
    """The pupils among `pupil_ids` who have a current EHC plan, each with a description of it."""
    ids = list(pupil_ids)
    found: dict[int, str] = {}
    for finder in _CURRENT_PLAN_FINDERS:
        found.update(finder(ids) if ids else {})
    return found


def plan_current_message(pupil: Pupil, plan: str) -> str:
    return MESSAGE_PLAN_CURRENT.format(pupil=pupil.full_name, plan=plan)


def _validate_needs(provision: str, primary: str | None, secondary: str | None, on: dt.date) -> None:
    problems = census.check_sen_record(provision, primary, secondary, on)
    if problems:
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.field, []).append(p.message)
        raise ValidationError(errors)


def _current_status(pupil: Pupil) -> SenStatus | None:
    return pupil.sen_statuses.filter(end_date__isnull=True).first()


@transaction.atomic
def sen_status_change(
    *,
    pupil: Pupil,
    provision: str,
    start_date: dt.date,
    reason: str,
    primary_need: str | None = None,
    secondary_need: str | None = None,
    parents_informed_on: dt.date | None = None,
    by=None,
    today: dt.date | None = None,
) -> SenStatus:
    """Move a pupil to a new census SEN provision, closing the current period and setting the needs."""
    today = today or timezone.localdate()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if provision not in TRANSITIONS:
        raise ValidationError({"provision": census.MESSAGE_UNKNOWN_PROVISION.format(value=provision)})
    if provision == pupil.sen_provision:
        raise ValidationError(
            {"provision": MESSAGE_SAME_STATUS.format(provision=census.PROVISIONS[provision])}
        )
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON_REQUIRED})
    if start_date > today:
        raise ValidationError({"start_date": MESSAGE_START_IN_FUTURE})
    if provision != census.EHC_PLAN:
        plan = current_ehc_plans([pupil.pk]).get(pupil.pk)
        if plan is not None:
            raise ValidationError({"provision": plan_current_message(pupil, plan)})
    current = _current_status(pupil)
    if current is not None and start_date < current.start_date:
        raise ValidationError({"start_date": MESSAGE_START_BEFORE_CURRENT.format(start=current.start_date)})
    _validate_needs(provision, primary_need, secondary_need, start_date)
    if parents_informed_on is not None and parents_informed_on < start_date:
        raise ValidationError(
            {"parents_informed_on": MESSAGE_PARENTS_INFORMED_BEFORE.format(start=start_date)}
        )

    if current is not None:
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    status = SenStatus.objects.create(
        pupil=pupil,
        provision=provision,
        start_date=start_date,
        reason=reason.strip(),
        parents_informed_on=parents_informed_on,
        recorded_by=by,
    )
    pupil.sen_provision = provision
    pupil.save(update_fields=["sen_provision", "updated_at"])
    _replace_needs(pupil, primary_need, secondary_need)
    return status


def _replace_needs(pupil: Pupil, primary: str | None, secondary: str | None) -> None:
    """Set the ranked needs, matched on type: a need that stays (even if its rank changes) keeps its notes and dates."""
    wanted = {rank: code for rank, code in ((1, primary or None), (2, secondary or None)) if code}
    existing = {n.sen_type: n for n in pupil.needs.all()}
    for need in existing.values():
        if need.sen_type not in wanted.values():
            need.delete()
    moving = [
        n for n in existing.values() if n.sen_type in wanted.values() and wanted.get(n.rank) != n.sen_type
    ]
    for need in moving:  # out of the way first: one need per rank
        Need.objects.filter(pk=need.pk).update(rank=need.rank + 10)
    for rank, code in wanted.items():
        need = existing.get(code)
        if need is None:
            Need.objects.create(pupil=pupil, sen_type=code, rank=rank)
        elif need in moving:
            need.rank = rank
            need.save(update_fields=["rank"])


@transaction.atomic
def needs_replace(*, pupil: Pupil, primary_need: str | None, secondary_need: str | None, today=None) -> None:
    """Change a pupil's ranked needs (matched on type, so notes stay) without changing their provision or notes."""
    today = today or timezone.localdate()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    _validate_needs(pupil.sen_provision, primary_need, secondary_need, today)
    _replace_needs(pupil, primary_need, secondary_need)


@dataclass
class ImportedStart:
    pupil: Pupil
    provision: str
    start_date: dt.date
    reason: str
    primary_need: str | None = None
    secondary_need: str | None = None


@dataclass
class NewPupilsRegister:
    statuses: list[SenStatus]
    needs: list[Need]
    log: list[LogEntry]


def sen_register_for_new_pupils(*, starts: list[ImportedStart], by=None, reserve_ids) -> NewPupilsRegister:
    """The first status and needs of pupils an import is adding, with their audit entries, for the import to
    write in its one transaction (register.mis.applying compiles them before taking the write lock).

    Sets each new pupil's `sen_provision` to match its first status. The rows were checked against the census
    rules by the caller; `reserve_ids(model, n)` gives the ids the new rows will have.
    """
    statuses, needs = [], []
    for start in starts:
        start.pupil.sen_provision = start.provision
        if start.provision != census.NO_SEN:
            statuses.append(
                SenStatus(
                    pupil=start.pupil,
                    provision=start.provision,
                    start_date=start.start_date,
                    reason=start.reason,
                    recorded_by=by,
                )
            )
        needs.extend(
            Need(pupil=start.pupil, sen_type=code, rank=rank)
            for rank, code in ((1, start.primary_need), (2, start.secondary_need))
            if code
        )
    for objs, model in ((statuses, SenStatus), (needs, Need)):
        for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk
    log = [
        audit.entry(
            status,
            LogEntry.Action.CREATE,
            actor=by,
            via="import",
            changes={
                "provision": ["None", status.provision],
                "start_date": ["None", status.start_date.isoformat()],
            },
        )
        for status in statuses
    ]
    log += [
        audit.entry(
            need,
            LogEntry.Action.CREATE,
            actor=by,
            via="import",
            changes={"sen_type": ["None", need.sen_type], "rank": ["None", str(need.rank)]},
        )
        for need in needs
    ]
    return NewPupilsRegister(statuses, needs, log)


MESSAGE_HISTORY_EXISTS = "{pupil} already has an SEN history: change it one status at a time."
MESSAGE_HISTORY_ORDER = "Each status in a history must start on or after the one before it."


@dataclass
class SenPeriod:
    provision: str
    start_date: dt.date
    reason: str
    parents_informed_on: dt.date | None = None


@dataclass
class SenHistory:
    """A pupil's periods of SEN, oldest first: each ends the day the next begins, the last is current. The needs are
    those of the last period."""

    pupil: Pupil
    periods: list[SenPeriod]
    primary_need: str | None = None
    secondary_need: str | None = None


@transaction.atomic
def sen_histories_record(
    *, histories: list[SenHistory], by=None, via: str = "", today: dt.date | None = None
) -> list[SenStatus]:
    """The SEN histories of many pupils who have none yet (a whole roll at once, as the demo makes it), checked as
    `sen_status_change` checks each change, written in bulk and logged with `audit.log_bulk`. Sets each pupil's
    `sen_provision` to its last period's."""
    today = today or timezone.localdate()
    histories = [h for h in histories if h.periods]
    pupils = [h.pupil for h in histories]
    ids = [p.pk for p in pupils]
    started = set(SenStatus.objects.filter(pupil_id__in=ids).values_list("pupil_id", flat=True))
    started |= set(Need.objects.filter(pupil_id__in=ids).values_list("pupil_id", flat=True))
    plans = current_ehc_plans(h.pupil.pk for h in histories if h.periods[-1].provision != census.EHC_PLAN)
    for history in histories:
        pupil, periods = history.pupil, history.periods
        if pupil.pk in started or pupil.sen_provision != census.NO_SEN:
            raise ValidationError(MESSAGE_HISTORY_EXISTS.format(pupil=pupil.full_name))
        if pupil.pk in plans:
            raise ValidationError({"provision": plan_current_message(pupil, plans[pupil.pk])})
        before = census.NO_SEN
        for number, period in enumerate(periods):
            if period.provision not in TRANSITIONS.get(before, ()):
                raise ValidationError(
                    {"provision": census.MESSAGE_UNKNOWN_PROVISION.format(value=period.provision)}
                    if period.provision not in TRANSITIONS
                    else {"provision": MESSAGE_SAME_STATUS.format(provision=census.PROVISIONS[before])}
                )
            if not period.reason.strip():
                raise ValidationError({"reason": MESSAGE_REASON_REQUIRED})
            if period.start_date > today:
                raise ValidationError({"start_date": MESSAGE_START_IN_FUTURE})
            if number and period.start_date < periods[number - 1].start_date:
                raise ValidationError({"start_date": MESSAGE_HISTORY_ORDER})
            if period.parents_informed_on is not None and period.parents_informed_on < period.start_date:
                raise ValidationError(
                    {"parents_informed_on": MESSAGE_PARENTS_INFORMED_BEFORE.format(start=period.start_date)}
                )
            before = period.provision
        _validate_needs(before, history.primary_need, history.secondary_need, periods[-1].start_date)

    statuses, needs = [], []
    for history in histories:
        periods = history.periods
        for number, period in enumerate(periods):
            statuses.append(
                SenStatus(
                    pupil=history.pupil,
                    provision=period.provision,
                    start_date=period.start_date,
                    end_date=periods[number + 1].start_date if number + 1 < len(periods) else None,
                    reason=period.reason.strip(),
                    parents_informed_on=period.parents_informed_on,
                    recorded_by=by,
                )
            )
        needs.extend(
            Need(pupil=history.pupil, sen_type=code, rank=rank)
            for rank, code in ((1, history.primary_need), (2, history.secondary_need))
            if code
        )
    SenStatus.objects.bulk_create(statuses, batch_size=500)
    Need.objects.bulk_create(needs, batch_size=500)
    now = timezone.now()
    for provision in sorted({h.periods[-1].provision for h in histories}):
        moved = [h.pupil for h in histories if h.periods[-1].provision == provision]
        Pupil.objects.filter(pk__in=[p.pk for p in moved]).update(sen_provision=provision, updated_at=now)
        for pupil in moved:
            pupil.sen_provision, pupil.updated_at = provision, now

    created = LogEntry.Action.CREATE
    log = [
        audit.entry(
            pupil,
            LogEntry.Action.UPDATE,
            actor=by,
            via=via,
            changes={"sen_provision": [census.NO_SEN, pupil.sen_provision]},
        )
        for pupil in pupils
    ]
    log += [
        audit.entry(
            s,
            created,
            actor=by,
            via=via,
            changes={"provision": ["None", s.provision], "start_date": ["None", s.start_date.isoformat()]},
        )
        for s in statuses
    ]
    log += [
        audit.entry(
            n,
            created,
            actor=by,
            via=via,
            changes={"sen_type": ["None", n.sen_type], "rank": ["None", str(n.rank)]},
        )
        for n in needs
    ]
    audit.log_bulk(log)
    return statuses


@transaction.atomic
def needs_set(
    *,
    pupil: Pupil,
    primary_need: str | None,
    secondary_need: str | None,
    primary_notes: str = "",
    secondary_notes: str = "",
    seen: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Change a pupil's ranked needs without changing their provision.

    `seen` is `needs_fingerprint` of the needs as the person saw them: if someone has changed them since, StaleSave."""
    today = today or timezone.localdate()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if seen is not None:
        ranked = {n.rank: n for n in pupil.needs.all()}
        if seen != needs_fingerprint(ranked):
            changes = sorted(
                (last_change(n) for n in ranked.values()),
                key=lambda c: c[1] or dt.datetime.min.replace(tzinfo=dt.UTC),
            )
            who, when = changes[-1] if changes else (None, None)
            raise StaleSave(
                values=needs_values(ranked),
                token=needs_fingerprint(ranked),
                who=who,
                when=when,
                what="list of the pupil's needs",
            )
    _validate_needs(pupil.sen_provision, primary_need, secondary_need, today)
    _replace_needs(pupil, primary_need, secondary_need)
    for rank, notes in ((1, primary_notes), (2, secondary_notes)):
        need = pupil.needs.filter(rank=rank).first()
        if need is not None and need.notes != notes.strip():
            need.notes = notes.strip()
            need.save(update_fields=["notes"])


def needs_values(ranked: dict[int, Need]) -> dict[str, str]:
    """A pupil's needs by rank, as the needs form names them."""
    return {
        "primary_need": ranked[1].sen_type if 1 in ranked else "",
        "primary_notes": ranked[1].notes if 1 in ranked else "",
        "secondary_need": ranked[2].sen_type if 2 in ranked else "",
        "secondary_notes": ranked[2].notes if 2 in ranked else "",
    }


def needs_fingerprint(ranked: dict[int, Need]) -> str:
    return fingerprint(needs_values(ranked))


@transaction.atomic
def parents_informed_record(
    *, status: SenStatus, informed_on: dt.date, today: dt.date | None = None
) -> SenStatus:
    today = today or timezone.localdate()
    if informed_on > today:
        raise ValidationError({"informed_on": MESSAGE_START_IN_FUTURE})
    if informed_on < status.start_date:
        raise ValidationError(
            {"informed_on": MESSAGE_PARENTS_INFORMED_BEFORE.format(start=status.start_date)}
        )
    status.parents_informed_on = informed_on
    status.save(update_fields=["parents_informed_on"])
    return status


@transaction.atomic
def concern_raise(*, pupil: Pupil, by, what_seen: str, evidence: str = "", tried: str = "") -> Concern:
    """Raise a concern. The same words about the same pupil from the same person, still waiting, are the same concern
    (a double click or a resent form): Duplicate, naming the one already raised."""
    if not what_seen.strip():
        raise ValidationError({"what_seen": "Describe what you have noticed."})
    lock(Pupil, pupil.pk)
    same = Concern.objects.filter(
        pupil=pupil,
        raised_by=by,
        what_seen=what_seen.strip(),
        status__in=[Concern.Status.OPEN, Concern.Status.MONITOR],
    ).first()
    if same is not None:
        raise Duplicate(same, MESSAGE_CONCERN_ALREADY_RAISED.format(pupil=pupil.full_name))
    return Concern.objects.create(
        pupil=pupil, raised_by=by, what_seen=what_seen.strip(), evidence=evidence.strip(), tried=tried.strip()
    )


@transaction.atomic
def concern_triage(
    *,
    concern: Concern,
    decision: str,
    note: str,
    by,
    primary_need: str | None = None,
    secondary_need: str | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> Concern:
    """The SENCo's decision on a concern. 'assess' starts SEN support (recorded in the status history).

    `version` is the concern's version when the page was drawn: a decision made since refuses this one (StaleSave)."""
    today = today or timezone.localdate()
    concern = Concern.objects.select_for_update().select_related("pupil").get(pk=concern.pk)
    if concern.status not in (Concern.Status.OPEN, Concern.Status.MONITOR):
        raise ValidationError({"decision": MESSAGE_CONCERN_ALREADY_TRIAGED})
    if version is not None and version != concern.version:
        values = {"decision": concern.status, "note": concern.triage_note}
        raise StaleSave(
            concern, values=values, who=concern.triaged_by, when=concern.triaged_at, what="concern"
        )
    if decision not in (Concern.Status.MONITOR, Concern.Status.ASSESS, Concern.Status.NO_FURTHER_ACTION):
        raise ValidationError({"decision": "Choose monitor, assess or no further action."})
    if decision == Concern.Status.ASSESS:
        if concern.pupil.sen_provision == census.NO_SEN:
            if not primary_need:
                raise ValidationError({"primary_need": MESSAGE_ASSESS_NEEDS_PRIMARY})
            sen_status_change(
                pupil=concern.pupil,
                provision=census.SEN_SUPPORT,
                start_date=today,
                reason="SEN support started after a concern was triaged for assessment.",
                primary_need=primary_need,
                secondary_need=secondary_need,
                by=by,
                today=today,
            )
    concern.status = decision
    concern.triage_note = note.strip()
    concern.triaged_by = by
    concern.triaged_at = timezone.now()
    concern.version += 1
    concern.save(update_fields=["status", "triage_note", "triaged_by", "triaged_at", "version"])
    return concern


MESSAGE_NO_SEN_UNIT = (
    "{school} has no SEN unit recorded. Record it on the census page first: only a unit the local authority "
    "recognises counts."
)
MESSAGE_NO_RESOURCED_PROVISION = (
    "{school} has no resourced provision recorded. Record it on the census page first: only provision the local "
    "authority recognises counts."
)
MESSAGE_MEMBERS_REMAIN = (
    "{n} pupil{s} on roll {are} recorded in the school's {what}: take them out of it first."
)


@transaction.atomic
def census_provision_set(*, school, has_sen_unit: bool, has_resourced_provision: bool):
    """Record whether the school has an SEN unit or resourced provision the LA recognises (school census).
    Neither can be taken away while pupils on roll are recorded in it."""
    school = School.objects.select_for_update().get(pk=school.pk)
    on_roll = Pupil.objects.filter(school=school, left_on__isnull=True)
    errors: dict[str, str] = {}
    for field, wanted, members, what in (
        ("has_sen_unit", has_sen_unit, on_roll.filter(in_sen_unit=True), "SEN unit"),
        (
            "has_resourced_provision",
            has_resourced_provision,
            on_roll.filter(in_resourced_provision=True),
            "resourced provision",
        ),
    ):
        n = 0 if wanted else members.count()
        if n:
            errors[field] = MESSAGE_MEMBERS_REMAIN.format(
                n=n, s="" if n == 1 else "s", are="is" if n == 1 else "are", what=what
            )
    if errors:
        raise ValidationError(errors)
    school.has_sen_unit, school.has_resourced_provision = has_sen_unit, has_resourced_provision
    school.save(update_fields=["has_sen_unit", "has_resourced_provision"])
    return school


@transaction.atomic
def census_indicators_set(*, pupil: Pupil, in_sen_unit: bool, in_resourced_provision: bool) -> Pupil:
    """Record whether a pupil is a member of the school's SEN unit or resourced provision (school census)."""
    pupil = Pupil.objects.select_for_update().select_related("school").get(pk=pupil.pk)
    errors: dict[str, str] = {}
    if in_sen_unit and not pupil.school.has_sen_unit:
        errors["in_sen_unit"] = MESSAGE_NO_SEN_UNIT.format(school=pupil.school.name)
    if in_resourced_provision and not pupil.school.has_resourced_provision:
        errors["in_resourced_provision"] = MESSAGE_NO_RESOURCED_PROVISION.format(school=pupil.school.name)
    if errors:
        raise ValidationError(errors)
    if (pupil.in_sen_unit, pupil.in_resourced_provision) != (in_sen_unit, in_resourced_provision):
        pupil.in_sen_unit, pupil.in_resourced_provision = in_sen_unit, in_resourced_provision
        pupil.save(update_fields=["in_sen_unit", "in_resourced_provision", "updated_at"])
    return pupil
