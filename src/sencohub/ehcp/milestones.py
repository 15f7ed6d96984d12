"""Every statutory date of a pupil's EHC work, worked out from what has been recorded.

Due dates come from `sencohub.statutory.timelines`; what was done and when comes from the records. A
milestone is met, met late, overdue, due soon (in the next two weeks) or upcoming. Steps that no longer
apply (after a refusal to assess, a withdrawal, or once a plan has ceased) are left out rather than shown
as overdue. A step that had to come before something that has since happened (invitations and advice before
a review meeting that was held, comments on a draft before the final plan, comments on amendments before the
amended plan) and was never recorded can no longer be done: it is "not recorded", never overdue or due soon.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from django.urls import reverse

from sencohub.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan
from sencohub.statutory import timelines as t

# Who must act, so a SENCo can tell their own deadlines from those they chase.
RESPONSIBLE = {
    "decision_to_assess_due": "LA",
    "reassessment_decision_due": "LA",
    "advice_due": "adviser",
    "draft_comments_due": "parent carer",
    "amendment_comments_due": "parent carer",
    "decision_not_to_issue_due": "LA",
    "final_plan_due": "LA",
    "reassessment_final_plan_due": "LA",
    "review_due": "school",
    "invitations_due": "school",
    "advice_circulated_due": "school",
    "school_report_due": "school",
    "la_decision_due": "LA",
    "final_amended_plan_due": "LA",
    "amended_plan_due": "LA",
}

NOT_RECORDED = "not recorded"

STATE_TAGS = {
    NOT_RECORDED: ("Not recorded", "govuk-tag--grey"),
    t.OVERDUE: ("Overdue", "govuk-tag--red"),
    t.DUE_SOON: ("Due soon", "govuk-tag--orange"),
    t.UPCOMING: ("Upcoming", "govuk-tag--grey"),
    t.MET_LATE: ("Met late", "govuk-tag--yellow"),
    t.MET: ("Met", "govuk-tag--green"),
}

CASE_ASSESSMENT = "EHC needs assessment"
CASE_REVIEW = "Annual review"
CASE_TRANSFER = "Phase transfer"
DECIDED_BY_DRAFT = "draft plan sent, so the LA means to issue"
DECIDED_BY_PLAN = "final plan issued"


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    due: dt.date
    done_on: dt.date | None
    state: str
    case: str
    pupil: object
    local_authority: object
    url: str
    detail: str = ""
    record: str = ""  # "request:<pk>" or "plan:<pk>": names the record without naming the pupil

    @property
    def responsible(self) -> str:
        return RESPONSIBLE.get(self.key, "")

    @property
    def state_label(self) -> str:
        return STATE_TAGS[self.state][0]

    @property
    def state_class(self) -> str:
        return STATE_TAGS[self.state][1]

    @property
    def source(self) -> str:
        return t.RULES[self.key].source

    @property
    def rule(self) -> str:
        return t.RULES[self.key].rule

    @property
    def days_late(self) -> int | None:
        if self.done_on is not None and self.done_on > self.due:
            return (self.done_on - self.due).days
        return None


def _milestone(
    key, due, done_on, today, *, case, pupil, local_authority, url, record, detail="", overtaken=False
) -> Milestone:
    """`overtaken`: what the step had to come before has happened, so a step never recorded can no longer be done."""
    state = NOT_RECORDED if overtaken and done_on is None else t.milestone_state(due, done_on, today)
    return Milestone(
        key=key,
        label=t.RULES[key].label,
        due=due,
        done_on=done_on,
        state=state,
        case=case,
        pupil=pupil,
        local_authority=local_authority,
        url=url,
        detail=detail,
        record=record,
    )


def request_url(request: AssessmentRequest) -> str:
    return reverse("ehc_request", args=[request.school.urn, request.pupil.upn, request.pk])


def plan_url(plan: EhcPlan) -> str:
    return reverse("ehc_plan", args=[plan.school.urn, plan.pupil.upn, plan.pk])


def _within_the_calendar(milestones_for):
    """A date stored far outside any plausible window (9999-12-31, entered before every date field had one) puts
    the dates worked out from it past the end of the calendar: the record then shows the milestones that could be
    worked out before that date, and every page that lists milestones still opens."""

    @functools.wraps(milestones_for)
    def wrapper(record, today: dt.date) -> list[Milestone]:
        out: list[Milestone] = []
        try:
            milestones_for(record, today, out)
        except OverflowError:
            pass
        return out

    return wrapper


@_within_the_calendar
def for_request(request: AssessmentRequest, today: dt.date, out: list) -> None:
    """The assessment's milestones; none until the LA has received the request (the clock's start)."""
    if request.received_on is None:
        return
    common = {
        "case": CASE_ASSESSMENT,
        "pupil": request.pupil,
        "local_authority": request.local_authority,
        "url": request_url(request),
        "record": f"request:{request.pk}",
    }
    withdrawn = request.withdrawn_on is not None

    def add(key, due, done_on, detail="", overtaken=False):
        if done_on is None and withdrawn:
            return
        out.append(_milestone(key, due, done_on, today, detail=detail, overtaken=overtaken, **common))

    if request.kind == AssessmentRequest.Kind.REASSESSMENT:
        dates = t.reassessment(request.received_on)
        add("reassessment_decision_due", dates["reassessment_decision_due"], request.decision_on)
        final_key, final_due = "reassessment_final_plan_due", dates["reassessment_final_plan_due"]
    else:
        dates = t.ehc_assessment(request.received_on, draft_sent=request.draft_sent_on)
        add("decision_to_assess_due", dates["decision_to_assess_due"], request.decision_on)
        final_key, final_due = "final_plan_due", dates["final_plan_due"]
    for advice in request.advice.all():
        add("advice_due", t.add_weeks(advice.requested_on, 6), advice.returned_on, detail=advice.adviser)
    if request.decided_to_assess is False:
        return
    if request.draft_sent_on is not None:
        add(
            "draft_comments_due",
            t.add_days(request.draft_sent_on, 15),
            request.comments_sent_on,
            overtaken=request.final_plan_on is not None,
        )
    if request.kind == AssessmentRequest.Kind.ASSESSMENT or request.not_issuing_on is not None:
        # Regs 10(1): the family must hear within 16 weeks if the LA will not issue a plan, so the date shows while the
        # assessment runs. A draft or final plan sent is the LA's decision to issue: that decides it too.
        decided_on, how = request.not_issuing_on, ""
        if decided_on is None and request.draft_sent_on is not None:
            decided_on, how = request.draft_sent_on, DECIDED_BY_DRAFT
        elif decided_on is None and request.final_plan_on is not None:
            decided_on, how = request.final_plan_on, DECIDED_BY_PLAN
        add("decision_not_to_issue_due", t.add_weeks(request.received_on, 16), decided_on, detail=how)
    if request.not_issuing_on is None:
        add(final_key, final_due, request.final_plan_on)


@_within_the_calendar
def for_plan(plan: EhcPlan, today: dt.date, out: list) -> None:
    """Reviews (including the next one not yet arranged) and phase transfers of a plan."""
    common = {
        "pupil": plan.pupil,
        "local_authority": plan.local_authority,
        "url": plan_url(plan),
        "record": f"plan:{plan.pk}",
    }
    ceased = plan.ceased_on is not None

    def add(key, due, done_on, case, detail="", overtaken=False):
        if done_on is None and ceased:
            return
        out.append(
            _milestone(key, due, done_on, today, case=case, detail=detail, overtaken=overtaken, **common)
        )

    base, base_is_plan = plan.issued_on, True
    reviews = plan.reviews_in_meeting_order()
    for number, review in enumerate(reviews, start=1):
        meeting = review.meeting_on if review.meeting_on and review.meeting_on >= base else None
        amendments = (
            review.amendments_sent_on
            if meeting and (review.amendments_sent_on or meeting) >= meeting
            else None
        )
        held = meeting if meeting and meeting <= today else None
        dates = t.annual_review(
            plan_issued=base if base_is_plan else None,
            last_review=None if base_is_plan else base,
            meeting=meeting,
            amendments_sent=amendments,
        )
        detail = f"review {number}"
        add("review_due", dates["review_due"], held, CASE_REVIEW, detail)
        if "invitations_due" in dates:
            add(
                "invitations_due",
                dates["invitations_due"],
                review.invitations_sent_on,
                CASE_REVIEW,
                detail,
                overtaken=bool(held),
            )
            add(
                "advice_circulated_due",
                dates["advice_circulated_due"],
                review.advice_circulated_on,
                CASE_REVIEW,
                detail,
                overtaken=bool(held),
            )
            add("school_report_due", dates["school_report_due"], review.report_sent_on, CASE_REVIEW, detail)
            add("la_decision_due", dates["la_decision_due"], review.decision_on, CASE_REVIEW, detail)
            if "amendment_comments_due" in dates:
                add(
                    "amendment_comments_due",
                    dates["amendment_comments_due"],
                    review.amendment_comments_on,
                    CASE_REVIEW,
                    detail,
                    overtaken=review.amended_plan_on is not None,
                )
            if review.decision == AnnualReview.Decision.AMEND or review.amendments_sent_on:
                add(
                    "final_amended_plan_due",
                    dates["final_amended_plan_due"],
                    review.amended_plan_on,
                    CASE_REVIEW,
                    detail,
                )
        if review.meeting_on is None:
            base = dates["review_due"]  # a review that never met: the next counts on from when it was due
        else:
            base = review.meeting_on
        base_is_plan = False
    last_held = not reviews or (reviews[-1].meeting_on is not None and reviews[-1].meeting_on <= today)
    if not ceased and last_held:
        add(
            "review_due",
            t.add_months(base, 12),
            None,
            CASE_REVIEW,
            f"review {len(reviews) + 1}: not yet arranged",
        )
    for transfer in plan.transfers.all():
        due = t.phase_transfer(transfer.transfer_on, transfer.to)["amended_plan_due"]
        add("amended_plan_due", due, transfer.amended_plan_on, CASE_TRANSFER, transfer.get_to_display())


def for_pupil_records(requests, plans, today: dt.date) -> list[Milestone]:
    found = [m for r in requests for m in for_request(r, today)] + [
        m for p in plans for m in for_plan(p, today)
    ]
    return sorted(found, key=lambda m: (m.due, m.label))


def request_queryset():
    return AssessmentRequest.objects.select_related(
        "pupil__school", "school", "local_authority"
    ).prefetch_related("advice", "exceptions")


def plan_queryset():
    return EhcPlan.objects.select_related("pupil__school", "school", "local_authority").prefetch_related(
        "reviews", "transfers"
    )
