"""Starting, saving and reviewing support plans, and recording evidence. Each change is one transaction."""

import datetime as dt
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sencohub.ehcp.models import AssessmentRequest
from sencohub.kernel import audit
from sencohub.kernel.versions import Duplicate, StaleSave, lock
from sencohub.provision.models import Enrolment
from sencohub.pupils.models import Pupil
from sencohub.register.services import sen_status_change
from sencohub.schools.models import Term
from sencohub.statutory import census, review_cycle
from sencohub.support.models import (
    Evidence,
    Outcome,
    ParentMeeting,
    ParentViews,
    Passport,
    PlannedProvision,
    ReviewSchedule,
    Strategy,
    SupportPlan,
)
from sencohub.support.selectors import review_schedule_for

MESSAGE_NOT_ON_REGISTER = (
    "{pupil} is not on SEN support and has no EHC plan: record that on the SEN register first."
)
MESSAGE_ALREADY_CURRENT = "{pupil} already has a current support plan: review it to start the next cycle."
MESSAGE_REVIEWED = "This plan has been reviewed, so it can no longer change. The next cycle is a new plan."


class EditConflict(StaleSave):
    """Someone else saved the plan after this person opened it; nothing of theirs was overwritten."""

    def __init__(self, current: SupportPlan):
        super().__init__(current, who=current.updated_by, when=current.updated_at, what="plan")


def default_review_date(school, starts_on: dt.date) -> tuple[dt.date, str]:
    """The review date a cycle starting on `starts_on` gets, by the school's review schedule, and the rule used (in
    words that follow "The review date defaults to")."""
    schedule = review_schedule_for(school)
    if schedule.rule == ReviewSchedule.Rule.WEEKS:
        return review_cycle.weeks_on(
            starts_on, schedule.weeks
        ), f"{schedule.weeks} weeks after the start of the cycle"
    terms = Term.objects.filter(school=school, ends_on__gt=starts_on).order_by("ends_on")[:2]
    spans = [review_cycle.TermSpan(t.name, t.starts_on, t.ends_on) for t in terms]
    term = review_cycle.term_to_review_at(starts_on, spans)
    if term is None:
        return (
            review_cycle.weeks_on(starts_on, review_cycle.FALLBACK_WEEKS),
            f"{review_cycle.FALLBACK_WEEKS} weeks on (add your term dates to review at the end of each term)",
        )
    if term == spans[0]:
        return term.ends_on, f"the end of {term.name}"
    return (
        term.ends_on,
        f"the end of {term.name}, as {spans[0].name} ends within {review_cycle.MIN_WEEKS} weeks",
    )


MESSAGE_MEETING_AHEAD = "Record a meeting once it has happened."


@transaction.atomic
def term_add(*, school, name: str, starts_on: dt.date, ends_on: dt.date) -> Term:
    """A term of the school's year; refused where it overlaps a term already recorded (two people adding terms
    at once take turns, so the second sees the first's term)."""
    lock(type(school), school.pk)
    overlapping = Term.objects.filter(school=school, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise ValidationError({"starts_on": f"This overlaps {overlapping.name}."})
    return Term.objects.create(school=school, name=name, starts_on=starts_on, ends_on=ends_on)


def term_remove(*, term: Term) -> None:
    term.delete()


def parent_meeting_record(*, pupil: Pupil, by, today: dt.date, **fields) -> ParentMeeting:
    """A meeting held with the pupil's parent carers (`fields`: held_on, kind, attendees, notes)."""
    if fields["held_on"] > today:
        raise ValidationError({"held_on": MESSAGE_MEETING_AHEAD})
    return ParentMeeting.objects.create(pupil=pupil, recorded_by=by, **fields)


def parents_invited_record(*, plan: SupportPlan, invited_on: dt.date) -> SupportPlan:
    """The day the parent carers were invited to the current cycle's review."""
    plan.parents_invited_on = invited_on
    plan.save(update_fields=["parents_invited_on"])
    return plan


MESSAGE_WEEKS = "Choose a number of weeks from 6 to 12."


@transaction.atomic
def review_schedule_save(*, school, rule: str, weeks: int) -> ReviewSchedule:
    """The school's rule for default review dates. Saving what is already in force changes nothing."""
    lock(type(school), school.pk)
    if not review_cycle.MIN_WEEKS <= weeks <= review_cycle.MAX_WEEKS:
        raise ValidationError({"weeks": MESSAGE_WEEKS})
    current = review_schedule_for(school)
    if (current.rule, current.weeks) == (rule, weeks):
        return current
    current.rule, current.weeks = rule, weeks
    current.full_clean()
    current.save()
    return current


@dataclass(frozen=True)
class CarryOver:
    """What of a reviewed cycle goes into the next: ids of its outcomes, strategies and provision (an achieved
    outcome never does). None for any of them: all of it."""

    outcomes: frozenset[int] | None = None
    strategies: frozenset[int] | None = None
    provisions: frozenset[int] | None = None


CARRY_ALL = CarryOver()


@dataclass(frozen=True)
class StartingPoint:
    baseline: str
    source: str  # in words, for the SENCo: where the baseline came from
    measured: bool = False  # from an exit measure, rather than words written at the review


def _keeps(ids: frozenset[int] | None, pk: int) -> bool:
    return ids is None or pk in ids


def starting_points(plan: SupportPlan) -> dict[int, StartingPoint]:
    """Where each open outcome of `plan` starts in the next cycle: the exit measure of the provision planned for it
    when one was taken (a measure beats a description), otherwise the note given with its result, otherwise the
    baseline it had. Provision planned for the whole plan counts only for a plan with one outcome."""
    provisions = [p for p in plan.provisions.all() if p.provision_id is not None]
    whole_plan = [p for p in provisions if p.outcome_id is None]
    exits = {}
    for enrolment in (
        Enrolment.objects.filter(
            pupil_id=plan.pupil_id,
            provision_id__in=[p.provision_id for p in provisions],
            exit_value__isnull=False,
        )
        .select_related("provision")
        .order_by("exit_on", "pk")
    ):
        exits[enrolment.provision_id] = enrolment  # the latest exit measure of each provision
    points = {}
    for outcome in plan.outcomes.all():
        if not outcome.is_open:
            continue
        # Provision for the whole plan measures an outcome only when the plan has no other outcome: a maths score
        # is never where a reading outcome starts.
        sole_outcome = sum(1 for o in plan.outcomes.all()) == 1
        own = [p for p in provisions if p.outcome_id == outcome.pk] or (
            whole_plan if len(whole_plan) == 1 and sole_outcome else []
        )
        measured = [exits[p.provision_id] for p in own if p.provision_id in exits]
        if measured:
            e = max(measured, key=lambda e: (e.exit_on or dt.date.min, e.pk))
            measure = e.get_measure_display() or "Measure"
            when = f" on {e.exit_on:%-d %b %Y}" if e.exit_on else ""
            text = f"{measure} {float(e.exit_value):g} on leaving {e.provision.name}{when}"
            points[outcome.pk] = StartingPoint(
                text[:300], f"the exit measure of {e.provision.name}", measured=True
            )
        elif outcome.result_note.strip():
            note = " ".join(outcome.result_note.split())
            text = note if len(note) <= 300 else note[:299] + "…"
            points[outcome.pk] = StartingPoint(text, "the note given with its result")
        else:
            points[outcome.pk] = StartingPoint(
                outcome.baseline, "its baseline, unchanged (no measure or note)"
            )
    return points


@transaction.atomic
def plan_start(
    *,
    pupil: Pupil,
    by=None,
    starts_on: dt.date | None = None,
    today: dt.date | None = None,
    carry: CarryOver = CARRY_ALL,
) -> SupportPlan:
    """Start the next cycle, carrying over what `carry` keeps of the last cycle: its open outcomes (due by the new
    review date, starting from where the last cycle left them), its strategies and its provision."""
    today = today or timezone.localdate()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if pupil.sen_provision not in (census.SEN_SUPPORT, census.EHC_PLAN):
        raise ValidationError(MESSAGE_NOT_ON_REGISTER.format(pupil=pupil.full_name))
    if SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT).exists():
        raise ValidationError(MESSAGE_ALREADY_CURRENT.format(pupil=pupil.full_name))
    draft = plan_draft(pupil=pupil, starts_on=starts_on or today, carry=carry)
    plan = draft.plan
    plan.updated_by = by
    plan.save()
    for part in (*draft.outcomes, *draft.strategies, *draft.provisions):
        part.plan = plan
    Outcome.objects.bulk_create(draft.outcomes)
    for provision in draft.provisions:  # the carried outcome it is for, now saved
        if provision.outcome is not None:
            provision.outcome_id = provision.outcome.pk
    Strategy.objects.bulk_create(draft.strategies)
    PlannedProvision.objects.bulk_create(draft.provisions)
    return plan


def plan_draft(*, pupil: Pupil, starts_on: dt.date, carry: CarryOver = CARRY_ALL) -> "SupportCycle":
    """The next cycle as it would start, saved nowhere: what `carry` keeps of the last cycle carried over (its open
    outcomes, due by the new review date and starting from where the last cycle left them; its strategies; its
    provision, still linked to the provision map and to the outcome it is for), and the default review date."""
    previous = SupportPlan.objects.filter(pupil=pupil).order_by("-cycle").first()
    review_on, _ = default_review_date(pupil.school, starts_on)
    plan = SupportPlan(
        pupil=pupil,
        school_id=pupil.school_id,
        cycle=(previous.cycle + 1) if previous else 1,
        previous=previous,
        starts_on=starts_on,
        review_on=review_on,
        assessment=previous.assessment if previous else "",
    )
    if previous is None:
        return SupportCycle(plan, [], [], [])
    points = starting_points(previous)
    carried = {
        o.pk: Outcome(
            what=o.what,
            success_criteria=o.success_criteria,
            baseline=points[o.pk].baseline,
            target=o.target,
            by_when=review_on,
            responsible=o.responsible,
            carried_from=o,
            ehc_outcome_id=o.ehc_outcome_id,
        )
        for o in previous.outcomes.all()
        if o.pk in points and _keeps(carry.outcomes, o.pk)
    }
    return SupportCycle(
        plan,
        outcomes=list(carried.values()),
        strategies=[
            Strategy(text=s.text, owner=s.owner)
            for s in previous.strategies.all()
            if _keeps(carry.strategies, s.pk)
        ],
        provisions=[
            PlannedProvision(
                description=p.description,
                sessions_per_week=p.sessions_per_week,
                minutes=p.minutes,
                group_size=p.group_size,
                staff=p.staff,
                provision_id=p.provision_id,
                outcome=carried.get(p.outcome_id),
            )
            for p in previous.provisions.all()
            if _keeps(carry.provisions, p.pk)
        ],
    )


MESSAGE_PLAN_SAVED_ALREADY = "Support plan {cycle} was saved once: this is it."
MESSAGE_STARTED_MEANWHILE = (
    "Not saved: {who} started support plan {cycle} for {pupil} while you were writing this one. Your plan is "
    "still below: open theirs from the pupil's support plans and add what you wrote there."
)
MESSAGE_REVIEW_BEFORE_START = "The review date cannot be before the start of the cycle."


@transaction.atomic
def support_plan_create(*, plan: SupportPlan, cycle: int, by=None, save_parts=None) -> SupportPlan:
    """Save a new cycle written in one go (`plan` unsaved, from `plan_draft`) and, through `save_parts`, its parts.

    `cycle` is the cycle the page was drawn for. Two posts of one page (a double click) take turns on the pupil's
    lock: the second finds the plan the first made and goes on to it (`Duplicate`); a plan someone else started
    meanwhile is not overwritten, and this person's is refused with the form kept."""
    if plan.review_on < plan.starts_on:
        raise ValidationError({"review_on": MESSAGE_REVIEW_BEFORE_START})
    pupil = lock(Pupil, plan.pupil_id)
    if pupil.sen_provision not in (census.SEN_SUPPORT, census.EHC_PLAN):
        raise ValidationError(MESSAGE_NOT_ON_REGISTER.format(pupil=pupil.full_name))
    current = (
        SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT)
        .select_related("updated_by")
        .first()
    )
    if current is not None:
        by_id = getattr(by, "pk", None)
        if current.cycle == cycle and by_id is not None and current.updated_by_id == by_id:
            raise Duplicate(current, MESSAGE_PLAN_SAVED_ALREADY.format(cycle=current.cycle))
        raise ValidationError(
            MESSAGE_STARTED_MEANWHILE.format(
                who=current.updated_by or "Someone", cycle=current.cycle, pupil=pupil.full_name
            )
        )
    previous = SupportPlan.objects.filter(pupil=pupil).order_by("-cycle").first()
    plan.cycle, plan.previous = (previous.cycle + 1) if previous else 1, previous
    plan.school_id, plan.updated_by = pupil.school_id, by
    plan.save()
    if save_parts is not None:
        save_parts(plan)
    return plan


MESSAGE_HISTORY_EXISTS = "{pupil} already has support plans: start the next cycle from the current one."
MESSAGE_CURRENT_LAST = (
    "Only the last cycle of a history can be current; the ones before it have been reviewed."
)
MESSAGE_DECISION = "Select what happens next."
MESSAGE_RESULTS_NEEDED = "A reviewed plan has a result for every outcome."


@dataclass
class SupportCycle:
    plan: SupportPlan  # not saved yet; its cycle number and the cycle before it are set when it is recorded
    outcomes: list[Outcome]
    strategies: list[Strategy]
    provisions: list[PlannedProvision]


@dataclass
class SupportHistory:
    pupil: Pupil
    cycles: list[SupportCycle]  # oldest first


@transaction.atomic
def support_histories_record(
    *, histories: list[SupportHistory], by=None, today: dt.date | None = None
) -> list[SupportPlan]:
    """The support plans of many pupils who have none yet, each cycle as it was written and, if it is over, as it was
    reviewed (the demo's terms so far; plans kept elsewhere before). Checked as `plan_start` and `review_record` check
    theirs; the parts are written in bulk and logged with `audit.log_bulk`."""
    today = today or timezone.localdate()
    histories = [h for h in histories if h.cycles]
    ids = [h.pupil.pk for h in histories]
    pupils = Pupil.objects.select_for_update().in_bulk(ids)
    started = set(SupportPlan.objects.filter(pupil_id__in=ids).values_list("pupil_id", flat=True))
    for history in histories:
        pupil = pupils[history.pupil.pk]
        if pupil.sen_provision not in (census.SEN_SUPPORT, census.EHC_PLAN):
            raise ValidationError(MESSAGE_NOT_ON_REGISTER.format(pupil=pupil.full_name))
        if pupil.pk in started:
            raise ValidationError(MESSAGE_HISTORY_EXISTS.format(pupil=pupil.full_name))
        for number, cycle in enumerate(history.cycles, start=1):
            _check_cycle(cycle, last=number == len(history.cycles), today=today)

    plans, parts = [], []
    for history in histories:
        previous = None
        for number, cycle in enumerate(history.cycles, start=1):
            plan = cycle.plan
            plan.pupil, plan.school_id, plan.cycle, plan.previous, plan.updated_by = (
                history.pupil,
                history.pupil.school_id,
                number,
                previous,
                by,
            )
            plan.save()
            for part in (*cycle.outcomes, *cycle.strategies, *cycle.provisions):
                part.plan = plan
            plans.append(plan)
            previous = plan
    for model, kind in ((Outcome, "outcomes"), (Strategy, "strategies"), (PlannedProvision, "provisions")):
        made = [part for h in histories for c in h.cycles for part in getattr(c, kind)]
        model.objects.bulk_create(made, batch_size=500)
        parts += made
    audit.log_bulk(
        [audit.entry(part, LogEntry.Action.CREATE, actor=by, pupil_id=part.plan.pupil_id) for part in parts]
    )
    return plans


def _check_cycle(cycle: SupportCycle, *, last: bool, today: dt.date) -> None:
    plan, errors = cycle.plan, {}
    if plan.review_on < plan.starts_on:
        errors["review_on"] = "The review date cannot be before the start of the cycle."
    if plan.starts_on > today:
        errors["starts_on"] = "The cycle starts in the future: start it from the pupil's page when it begins."
    if plan.status == SupportPlan.Status.CURRENT:
        if not last:
            errors["status"] = MESSAGE_CURRENT_LAST
    else:
        if plan.reviewed_on is None or plan.reviewed_on > today:
            errors["reviewed_on"] = (
                "The review date is in the future: record the review once it has happened."
            )
        elif plan.reviewed_on < plan.starts_on:
            errors["reviewed_on"] = "The review cannot be before the cycle started."
        if plan.decision not in SupportPlan.Decision.values:
            errors["decision"] = MESSAGE_DECISION
        if any(o.result not in Outcome.Result.values for o in cycle.outcomes):
            errors["results"] = MESSAGE_RESULTS_NEEDED
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def support_plan_save(*, plan: SupportPlan, expected_version: int, by=None, save_parts=None) -> SupportPlan:
    """Save the plan's own fields and (through `save_parts`) its parts, if nobody has saved it meanwhile."""
    fields = {"starts_on": plan.starts_on, "review_on": plan.review_on, "assessment": plan.assessment}
    if plan.review_on < plan.starts_on:
        raise ValidationError({"review_on": MESSAGE_REVIEW_BEFORE_START})
    before = SupportPlan.objects.filter(pk=plan.pk).values(*fields).first() or {}
    changed = SupportPlan.objects.filter(
        pk=plan.pk, version=expected_version, status=SupportPlan.Status.CURRENT
    ).update(version=expected_version + 1, updated_by=by, updated_at=timezone.now(), **fields)
    if not changed:
        current = SupportPlan.objects.select_related("updated_by").get(pk=plan.pk)
        if current.status != SupportPlan.Status.CURRENT:
            raise ValidationError(MESSAGE_REVIEWED)
        raise EditConflict(current)
    plan.version = expected_version + 1
    audit.log_update(plan, before, actor=by)  # the guarded update sends no signal
    if save_parts is not None:
        save_parts(plan)
    moved_from = before.get("review_on")
    if moved_from is not None and moved_from != plan.review_on:  # outcomes due at the review move with it
        for outcome in Outcome.objects.filter(plan=plan, by_when=moved_from):
            outcome.by_when = plan.review_on
            outcome.save(update_fields=["by_when"])
    return plan


def evidence_add(
    *, outcome: Outcome, noted_on: dt.date, note: str, file=None, by=None, today: dt.date | None = None
) -> Evidence:
    today = today or timezone.localdate()
    if noted_on > today:
        raise ValidationError({"noted_on": "This date is in the future."})
    if not note.strip():
        raise ValidationError({"note": "Write what you saw."})
    return Evidence.objects.create(
        outcome=outcome,
        pupil=outcome.plan.pupil,
        noted_on=noted_on,
        note=note.strip(),
        file=file or "",
        by=by,
    )


MESSAGE_WRITE_VIEWS = "Write your views before you send them."


@transaction.atomic
def parent_views_give(*, plan: SupportPlan, views: str, by) -> ParentViews:
    """Keep a parent carer's views for the review of the child's current plan. The same words sent twice (a double
    click) are kept once."""
    views = views.strip()
    if not views:
        raise ValidationError({"views": MESSAGE_WRITE_VIEWS})
    if not plan.is_current:
        raise ValidationError(
            "This plan has been reviewed already. Your child's school will ask again next time."
        )
    lock(SupportPlan, plan.pk)
    existing = ParentViews.objects.filter(plan=plan, given_by=by, views=views).first()
    if existing is not None:
        return existing
    return ParentViews.objects.create(plan=plan, pupil=plan.pupil, views=views, given_by=by)


REVIEW_FIELDS = ["status", "reviewed_on", "pupil_voice", "parent_voice", "decision", "decision_note"]


@dataclass
class ReviewResult:
    plan: SupportPlan
    next_plan: SupportPlan | None = None
    request: AssessmentRequest | None = None


@transaction.atomic
def review_record(
    *,
    plan: SupportPlan,
    expected_version: int,
    reviewed_on: dt.date,
    results: dict[int, tuple[str, str]],
    pupil_voice: str,
    parent_voice: str,
    decision: str,
    decision_note: str = "",
    by=None,
    today: dt.date | None = None,
    carry: CarryOver = CARRY_ALL,
) -> ReviewResult:
    """Record the review and act on its decision: a new cycle, the end of SEN support, or an EHC request."""
    today = today or timezone.localdate()
    errors = {}
    if reviewed_on > today:
        errors["reviewed_on"] = "The review date is in the future: record the review once it has happened."
    if reviewed_on < plan.starts_on:
        errors["reviewed_on"] = "The review cannot be before the cycle started."
    if decision not in SupportPlan.Decision.values:
        errors["decision"] = MESSAGE_DECISION
    if decision == SupportPlan.Decision.END and plan.pupil.sen_provision == census.EHC_PLAN:
        errors["decision"] = "This pupil has an EHC plan: SEN support cannot end while the plan is in force."
    if errors:
        raise ValidationError(errors)
    # The plan's lock first: of two posts of the same review (a double click), the second waits, then finds it done.
    current = lock(SupportPlan, plan.pk)
    if current.version != expected_version or current.status != SupportPlan.Status.CURRENT:
        raise EditConflict(SupportPlan.objects.select_related("updated_by").get(pk=plan.pk))
    for outcome in plan.outcomes.all():
        result, note = results.get(outcome.pk, ("", ""))
        if result not in Outcome.Result.values:
            raise ValidationError({"results": f"Give a result for every outcome ({outcome.what[:60]})."})
        outcome.result, outcome.result_note = result, note
        outcome.save(update_fields=["result", "result_note"])
    changed = SupportPlan.objects.filter(
        pk=plan.pk, version=expected_version, status=SupportPlan.Status.CURRENT
    ).update(
        version=expected_version + 1,
        status=SupportPlan.Status.REVIEWED,
        reviewed_on=reviewed_on,
        pupil_voice=pupil_voice,
        parent_voice=parent_voice,
        decision=decision,
        decision_note=decision_note,
        updated_by=by,
        updated_at=timezone.now(),
    )
    if not changed:
        raise EditConflict(SupportPlan.objects.select_related("updated_by").get(pk=plan.pk))
    plan.refresh_from_db()
    audit.log_update(
        plan, {f: getattr(current, f) for f in REVIEW_FIELDS}, actor=by
    )  # the guarded update sends no signal
    outcome = ReviewResult(plan)
    if decision == SupportPlan.Decision.END:
        sen_status_change(
            pupil=plan.pupil,
            provision=census.NO_SEN,
            start_date=reviewed_on,
            reason=f"SEN support ended at the review of support plan {plan.cycle}.",
            by=by,
            today=today,
        )
        return outcome
    if decision == SupportPlan.Decision.EHC:
        school = plan.school
        if school.local_authority_id is None:
            raise ValidationError(
                {"decision": "Set the school's local authority before requesting an EHC needs assessment."}
            )
        if not any(r.is_open for r in AssessmentRequest.objects.filter(pupil=plan.pupil)):
            outcome.request = AssessmentRequest.objects.create(
                pupil=plan.pupil,
                school=school,
                local_authority=school.local_authority,
                created_by=by,
                tried=_tried_summary(plan),
                notes=f"Decided at the review of support plan {plan.cycle} on {reviewed_on:%-d %B %Y}.",
            )
    outcome.next_plan = plan_start(pupil=plan.pupil, by=by, starts_on=reviewed_on, today=today, carry=carry)
    return outcome


def _tried_summary(plan: SupportPlan) -> str:
    """What the cycles so far tried, for the evidence pack: provision and outcome results, cycle by cycle."""
    lines = []
    cycle = plan
    while cycle is not None:
        lines.append(
            f"Support plan {cycle.cycle} ({cycle.starts_on:%-d %b %Y} to {cycle.review_on:%-d %b %Y}):"
        )
        lines += [f"- {p.description}" for p in cycle.provisions.all()]
        lines += [
            f"- Outcome: {o.what} ({o.get_result_display() or 'not reviewed'})" for o in cycle.outcomes.all()
        ]
        cycle = cycle.previous
    return "\n".join(lines)


PASSPORT_FIELDS = ["like_and_admire", "important", "support_best", "find_hard", "written_with"]


@transaction.atomic
def passport_save(*, pupil: Pupil, by=None, based_on: int | None = None, **fields) -> Passport:
    """Keep every version: saving writes the next one. Refused if someone saved a newer one meanwhile."""
    lock(Pupil, pupil.pk)
    latest = Passport.objects.filter(pupil=pupil).order_by("-version").first()
    wanted = {f: (fields.get(f) or "").strip() for f in PASSPORT_FIELDS}
    if latest is not None and all(getattr(latest, f) == wanted[f] for f in PASSPORT_FIELDS):
        return latest  # the same words again (saved unchanged, or one save sent twice): no new version
    if latest is not None and latest.version != based_on:
        raise EditConflictPassport(latest)  # including a first passport written by two people at once
    if not any(wanted[f] for f in PASSPORT_FIELDS[:4]):
        raise ValidationError("Write at least one part of the passport.")
    return Passport.objects.create(
        pupil=pupil, version=(latest.version + 1) if latest else 1, created_by=by, **wanted
    )


class EditConflictPassport(StaleSave):
    def __init__(self, current):
        super().__init__(current, who=current.created_by, when=current.created_at, what="passport")
