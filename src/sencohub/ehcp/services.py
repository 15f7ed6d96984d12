"""Changes to EHC records. Each checks that its dates can all be true together, then saves in one go."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sencohub.ehcp import excusing
from sencohub.ehcp.models import (
    REQUEST_DATES,
    REVIEW_DONE_DATES,
    AdviceRequest,
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PhaseTransfer,
    PlanOutcome,
    TimelineException,
)
from sencohub.kernel.versions import Duplicate, claim, lock
from sencohub.pupils.models import Pupil
from sencohub.register.models import Need
from sencohub.register.services import sen_status_change
from sencohub.statutory import census, exceptions

MESSAGE_EXCEPTION_REFUSED = (
    "Nothing was recorded: check the dates and the reason, or record what is missing first."
)
MESSAGE_IN_FUTURE = "This date is in the future: record it once it has happened."
MESSAGE_BEFORE = "This cannot be before {what} ({day:%-d %B %Y})."
MESSAGE_OPEN_REQUEST = (
    "{pupil} already has a request in progress: record its outcome before starting another."
)
MESSAGE_REQUEST_STARTED = "You have already started this request: here it is."
MESSAGE_REVIEW_ARRANGED = "This annual review was already arranged for that date: here it is."
MESSAGE_TRANSFER_RECORDED = "This phase transfer was already recorded for that date: here it is."
MESSAGE_CURRENT_PLAN = (
    "{pupil} already has a current EHC plan: record the date it ceased before adding another."
)
MESSAGE_AFTER_REVIEW = (
    "The plan cannot have been issued after its annual review meeting on {day:%-d %B %Y}: that review would be lost. "
    "Check this date, or correct the review's meeting date first."
)
MESSAGE_BEFORE_CURRENT_STATUS = (
    "The plan's issue date must be on or after {start:%-d %B %Y}, "
    "when {pupil}'s current SEN status ({provision}) began. "
    "Check the issue date on the final plan. If the plan really was issued earlier, correct the date {pupil}'s SEN "
    "status began on the SEN register first."
)
MESSAGE_NEEDS_PRIMARY = (
    "Record {pupil}'s primary need on the SEN register first: "
    "a pupil with an EHC plan must have one in the census."
)


def _not_future(errors: dict, field: str, day: dt.date | None, today: dt.date) -> None:
    if day is not None and day > today:
        errors.setdefault(field, MESSAGE_IN_FUTURE)


def _not_before(errors: dict, field: str, day: dt.date | None, earlier: dt.date | None, what: str) -> None:
    if day is not None and earlier is not None and day < earlier:
        errors.setdefault(field, MESSAGE_BEFORE.format(what=what, day=earlier))


def _check_request(r: AssessmentRequest, today: dt.date) -> None:
    errors: dict[str, str] = {}
    for field in REQUEST_DATES:
        _not_future(errors, field, getattr(r, field), today)
    _not_before(errors, "received_on", r.received_on, r.sent_on, "the date the request was sent")
    for field in ("decision_on", "draft_sent_on", "not_issuing_on", "final_plan_on", "withdrawn_on"):
        if getattr(r, field) is not None and r.received_on is None:
            errors.setdefault(
                "received_on",
                "Enter the date the LA received the request first: every time limit runs from it.",
            )
        _not_before(errors, field, getattr(r, field), r.received_on, "the date the LA received the request")
    for field in ("draft_sent_on", "not_issuing_on", "final_plan_on"):
        _not_before(errors, field, getattr(r, field), r.decision_on, "the decision to assess")
        if getattr(r, field) is not None and r.decided_to_assess is False:
            errors.setdefault(
                field, "The LA decided not to assess, so there is no draft, plan or decision not to issue."
            )
    if r.decision_on is not None and r.decided_to_assess is None:
        errors.setdefault("decided_to_assess", "Say what the LA decided.")
    if r.decided_to_assess is not None and r.decision_on is None:
        errors.setdefault("decision_on", "Enter the date of the decision.")
    _not_before(
        errors, "comments_sent_on", r.comments_sent_on, r.draft_sent_on, "the date the draft was sent"
    )
    if r.comments_sent_on is not None and r.draft_sent_on is None:
        errors.setdefault("draft_sent_on", "Enter the date the draft plan was sent.")
    _not_before(errors, "final_plan_on", r.final_plan_on, r.draft_sent_on, "the date the draft was sent")
    if r.final_plan_on is not None and r.not_issuing_on is not None:
        errors.setdefault(
            "final_plan_on", "The LA cannot both issue a plan and decide not to issue one: clear one date."
        )
    if errors:
        raise ValidationError(errors)


def request_save(request: AssessmentRequest, *, by=None, today: dt.date | None = None) -> AssessmentRequest:
    """Start or update a request; a new one is refused while another for the pupil is still in progress."""
    today = today or timezone.localdate()
    _check_request(request, today)
    with transaction.atomic():
        if request.pk is None:
            # Lock the pupil, not their requests: a lock on rows that do not exist yet locks nothing.
            lock(Pupil, request.pupil_id)
            busy = next(
                (r for r in AssessmentRequest.objects.filter(pupil_id=request.pupil_id) if r.is_open), None
            )
            if busy is not None:
                if busy.created_by_id is not None and busy.created_by_id == getattr(by, "pk", None):
                    raise Duplicate(busy, MESSAGE_REQUEST_STARTED)
                raise ValidationError(MESSAGE_OPEN_REQUEST.format(pupil=request.pupil.full_name))
            request.created_by = by
        claim(request, what="request")
        request.save()
    return request


def advice_add(
    *,
    request: AssessmentRequest,
    adviser: str,
    requested_on: dt.date,
    returned_on: dt.date | None = None,
    today: dt.date | None = None,
) -> AdviceRequest:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    _not_future(errors, "requested_on", requested_on, today)
    _not_future(errors, "returned_on", returned_on, today)
    _not_before(
        errors, "requested_on", requested_on, request.received_on, "the date the LA received the request"
    )
    _not_before(errors, "returned_on", returned_on, requested_on, "the date advice was requested")
    if not adviser.strip():
        errors["adviser"] = "Say whose advice was asked for."
    if errors:
        raise ValidationError(errors)
    return AdviceRequest.objects.create(
        request=request,
        pupil=request.pupil,
        adviser=adviser.strip(),
        requested_on=requested_on,
        returned_on=returned_on,
    )


def advice_returned(
    *, advice: AdviceRequest, returned_on: dt.date, today: dt.date | None = None
) -> AdviceRequest:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    _not_future(errors, "returned_on", returned_on, today)
    _not_before(errors, "returned_on", returned_on, advice.requested_on, "the date advice was requested")
    if errors:
        raise ValidationError(errors)
    advice.returned_on = returned_on
    advice.save(update_fields=["returned_on"])
    return advice


def exception_add(
    *, request: AssessmentRequest, reason: str, starts_on: dt.date, ends_on: dt.date | None, note: str = ""
) -> tuple[TimelineException, exceptions.Verdict]:
    """Record an exception only if it excuses a limit of this request (Regs 5(4), 8(2), 10(4), 13(3)); the verdict
    also names the limits it overlaps but may not excuse, for the person to be told."""
    verdict = excusing.verdict(request, reason, starts_on, ends_on)
    if not verdict.valid:
        raise ValidationError({verdict.field or None: verdict.refused + " " + MESSAGE_EXCEPTION_REFUSED})
    with transaction.atomic():
        # The same exception posted twice (a double click, two people at once) is recorded once.
        AssessmentRequest.objects.select_for_update().filter(pk=request.pk).first()
        exception, _ = TimelineException.objects.get_or_create(
            request=request,
            reason=reason,
            starts_on=starts_on,
            ends_on=ends_on,
            defaults={"pupil": request.pupil, "note": note},
        )
    return exception, verdict


def ehc_plan_save(plan: EhcPlan, *, by=None, today: dt.date | None = None) -> EhcPlan:
    """Record a plan. A new current plan moves the pupil to EHC plan on the SEN register from its issue date."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    _not_future(errors, "issued_on", plan.issued_on, today)
    _not_before(errors, "ceased_on", plan.ceased_on, plan.issued_on, "the date the plan was issued")
    _not_future(errors, "ceased_on", plan.ceased_on, today)
    if plan.pk is not None and plan.issued_on is not None:
        # Each review counts on from the plan or the meeting before it (CFA s.44(1)): a plan dated after a meeting
        # it has had would leave that review, and the dates that follow from it, out.
        first = (
            AnnualReview.objects.filter(plan_id=plan.pk, meeting_on__lt=plan.issued_on)
            .order_by("meeting_on")
            .first()
        )
        if first is not None:
            errors.setdefault("issued_on", MESSAGE_AFTER_REVIEW.format(day=first.meeting_on))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pupil = Pupil.objects.select_for_update().get(pk=plan.pupil_id)
        if (
            plan.ceased_on is None
            and EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).exclude(pk=plan.pk).exists()
        ):
            raise ValidationError(MESSAGE_CURRENT_PLAN.format(pupil=pupil.full_name))
        is_new = plan.pk is None
        claim(plan, what="EHC plan")
        plan.save()
        if is_new and plan.ceased_on is None and pupil.sen_provision != census.EHC_PLAN:
            needs = dict(Need.objects.filter(pupil=pupil).values_list("rank", "sen_type"))
            if 1 not in needs:
                raise ValidationError(MESSAGE_NEEDS_PRIMARY.format(pupil=pupil.full_name))
            current = pupil.sen_statuses.filter(end_date__isnull=True).first()
            if current is not None and plan.issued_on < current.start_date:
                raise ValidationError(
                    {
                        "issued_on": MESSAGE_BEFORE_CURRENT_STATUS.format(
                            start=current.start_date,
                            pupil=pupil.full_name,
                            provision=current.get_provision_display(),
                        )
                    }
                )
            sen_status_change(
                pupil=pupil,
                provision=census.EHC_PLAN,
                start_date=plan.issued_on,
                primary_need=needs[1],
                secondary_need=needs.get(2),
                reason=f"EHC plan issued by {plan.local_authority.name}.",
                by=by,
                today=today,
            )
        if is_new and plan.request_id and plan.request.final_plan_on is None:
            plan.request.final_plan_on = plan.issued_on
            plan.request.save(update_fields=["final_plan_on"])
    return plan


MESSAGE_ALREADY_CEASED = "This plan already ceased on {day:%-d %B %Y}."
MESSAGE_CEASE_PROVISION = (
    "Choose what {pupil}'s SEN provision becomes now the plan has ceased: SEN support (K) or no SEN (N)."
)
CEASE_PROVISIONS = (census.SEN_SUPPORT, census.NO_SEN)


def plan_cease(
    *,
    plan: EhcPlan,
    ceased_on: dt.date,
    provision: str,
    primary_need: str | None = None,
    secondary_need: str | None = None,
    by=None,
    today: dt.date | None = None,
) -> EhcPlan:
    """Record that a plan has ceased and, in the same transaction, what the pupil's SEN provision becomes from that
    day (K or N, as the SENCo decides; STATUTORY.md section 5): a pupil whose plan ceases leaves E."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    _not_future(errors, "ceased_on", ceased_on, today)
    _not_before(errors, "ceased_on", ceased_on, plan.issued_on, "the date the plan was issued")
    if provision not in CEASE_PROVISIONS:
        errors["provision"] = MESSAGE_CEASE_PROVISION.format(pupil=plan.pupil.full_name)
    if errors:
        raise ValidationError(errors)
    if provision == census.NO_SEN:  # no SEN, no recorded need (census rule)
        primary_need = secondary_need = None
    with transaction.atomic():
        pupil = Pupil.objects.select_for_update().get(pk=plan.pupil_id)
        current = EhcPlan.objects.select_for_update().get(pk=plan.pk)
        if current.ceased_on is not None:
            raise ValidationError({"ceased_on": MESSAGE_ALREADY_CEASED.format(day=current.ceased_on)})
        claim(plan, what="EHC plan")
        plan.ceased_on = ceased_on
        plan.save(update_fields=["ceased_on"])
        reason = (
            f"EHC plan issued {plan.issued_on:%-d %B %Y} by {plan.local_authority.name} "
            f"ceased on {ceased_on:%-d %B %Y}."
        )
        try:
            if pupil.sen_provision != provision:
                sen_status_change(
                    pupil=pupil,
                    provision=provision,
                    start_date=ceased_on,
                    reason=reason,
                    primary_need=primary_need,
                    secondary_need=secondary_need,
                    by=by,
                    today=today,
                )
        except ValidationError as problem:
            # The register's own words, on the fields of this form: its start date is the day the plan ceased.
            raise ValidationError(
                {
                    ("ceased_on" if field == "start_date" else field): messages
                    for field, messages in problem.message_dict.items()
                }
            ) from None
    return plan


def review_save(review: AnnualReview, *, today: dt.date | None = None) -> AnnualReview:
    """Arrange or update a review. The meeting may be in the future; what has been done may not."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    for field in REVIEW_DONE_DATES:
        _not_future(errors, field, getattr(review, field), today)
    _not_before(
        errors, "meeting_on", review.meeting_on, review.plan.issued_on, "the date the plan was issued"
    )
    for field in ("report_sent_on", "decision_on", "amendments_sent_on", "amended_plan_on"):
        value = getattr(review, field)
        if value is not None and review.meeting_on is None:
            errors.setdefault(field, "Record the review meeting's date first; this comes after the meeting.")
        elif value is not None and review.meeting_on > today:
            errors.setdefault(
                field,
                f"The meeting is on {review.meeting_on:%-d %B %Y}, which has not happened yet; "
                "record this once the meeting has been held.",
            )
        _not_before(errors, field, value, review.meeting_on, "the review meeting")
    if review.decision and review.decision_on is None:
        errors.setdefault("decision_on", "Enter the date of the LA's decision.")
    if review.decision_on is not None and not review.decision:
        errors.setdefault("decision", "Say what the LA decided.")
    _not_before(
        errors,
        "amended_plan_on",
        review.amended_plan_on,
        review.amendments_sent_on,
        "the date amendments were sent",
    )
    _not_before(
        errors,
        "amendment_comments_on",
        review.amendment_comments_on,
        review.amendments_sent_on,
        "the date amendments were sent",
    )
    if review.amendment_comments_on is not None and review.amendments_sent_on is None:
        errors.setdefault("amendments_sent_on", "Enter the date the proposed amendments were sent.")
    if errors:
        raise ValidationError(errors)
    review.pupil_id = review.plan.pupil_id
    # One review per plan for the same meeting: a double click or two people arranging it make one.
    return _save_once_a_day(review, "meeting_on", what="annual review", message=MESSAGE_REVIEW_ARRANGED)


def transfer_save(transfer: PhaseTransfer, *, today: dt.date | None = None) -> PhaseTransfer:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    _not_future(errors, "amended_plan_on", transfer.amended_plan_on, today)
    _not_before(
        errors, "transfer_on", transfer.transfer_on, transfer.plan.issued_on, "the date the plan was issued"
    )
    if errors:
        raise ValidationError(errors)
    transfer.pupil_id = transfer.plan.pupil_id
    return _save_once_a_day(transfer, "transfer_on", what="phase transfer", message=MESSAGE_TRANSFER_RECORDED)


def _save_once_a_day(record, day_field: str, *, what: str, message: str):
    """Save a plan's review or transfer; a new one on a day the plan already has one raises Duplicate (naming it).

    The plan is locked first, so five simultaneous posts check one after another and make one record."""
    with transaction.atomic():
        if record.pk is None:
            lock(EhcPlan, record.plan_id)
            same = (
                type(record)
                .objects.filter(plan_id=record.plan_id, **{day_field: getattr(record, day_field)})
                .first()
            )
            if same is not None:
                raise Duplicate(same, message)
        claim(record, what=what)
        record.save()
    return record


def plan_outcome_add(*, plan: EhcPlan, text: str, by_when: str = "") -> PlanOutcome:
    """A section E outcome of the plan."""
    if not text.strip():
        raise ValidationError({"text": "Write the outcome."})
    return PlanOutcome.objects.create(plan=plan, text=text.strip(), by_when=by_when.strip())
