"""The demo's EHC work: plans with their reviews at every stage, requests in progress, phase transfers."""

import datetime as dt
import random

from sencohub.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan, PhaseTransfer, TimelineException
from sencohub.ehcp.services import (
    advice_add,
    ehc_plan_save,
    exception_add,
    request_save,
    review_save,
    transfer_save,
)
from sencohub.schools.models import LocalAuthority, School
from sencohub.statutory import census, exceptions, timelines
from sencohub.statutory.school_year import school_year_start

# Pupils in one school often have plans maintained by neighbouring authorities.
NEIGHBOUR_LAS = [("992", "Ashcombe (demo)"), ("993", "Harrowmere (demo)"), ("994", "Westholme (demo)")]


ADVISERS = [
    "Educational psychologist",
    "Speech and language therapist",
    "Paediatrician",
    "Social care",
    "Occupational therapist",
    "Specialist teacher (sensory)",
]


def _demo_exception(request, rng: random.Random, today: dt.date | None = None) -> None:
    """An exception the regulations allow: the head teacher's advice asked for in the week before a summer closure
    that falls while the 20 weeks run, or else a spell of exceptional personal circumstances."""
    received, issued = request.received_on, request.final_plan_on
    for year in (received.year, received.year + 1):
        closed, last_closed = dt.date(year, 7, 23), dt.date(year, 9, 2)
        asked = max(
            closed - dt.timedelta(days=rng.randrange(1, 7)), request.decision_on + dt.timedelta(days=1)
        )
        returned = last_closed + dt.timedelta(days=rng.randrange(3, 15))
        if returned >= issued:
            continue
        found = exceptions.assessment_limits(
            received,
            decision_on=request.decision_on,
            decided_to_assess=True,
            advice=[(asked, returned, "Head teacher")],
            final_plan_on=issued,
        )
        if exceptions.judge(exceptions.CLOSURE, closed, last_closed, found).excuses(exceptions.FINAL_PLAN):
            advice_add(
                request=request, adviser="Head teacher", requested_on=asked, returned_on=returned, today=today
            )
            exception_add(
                request=request,
                reason=TimelineException.Reason.SCHOOL_CLOSURE,
                starts_on=closed,
                ends_on=last_closed,
                note="Advice asked of the head teacher just before the summer closure.",
            )
            return
    starts = received + dt.timedelta(weeks=rng.randrange(2, 8))
    exception_add(
        request=request,
        reason=TimelineException.Reason.PERSONAL,
        starts_on=starts,
        ends_on=starts + dt.timedelta(weeks=rng.randrange(2, 6)),
        note="A family bereavement; the parents asked for time.",
    )


def populate_ehc(school, pupils, plan_starts, rng, today) -> None:
    """EHC work at every stage: plans with reviews held, late, due and arranged; requests in progress; transfers."""
    las = [school.local_authority] + [
        LocalAuthority.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in NEIGHBOUR_LAS
    ]
    year_start = school_year_start(today).year
    leaving_year = "6" if school.phase == School.Phase.PRIMARY else "11"
    for pupil in pupils:
        issued = plan_starts.get(pupil.pk)
        if issued is None:
            continue
        la = las[0] if rng.random() < 0.8 else rng.choice(las[1:])
        request = None
        if issued > today - dt.timedelta(days=3 * 365):
            received = issued - dt.timedelta(weeks=rng.choice([16, 18, 19, 20, 21, 23, 25, 28]))
            request = request_save(
                AssessmentRequest(
                    pupil=pupil,
                    school=school,
                    local_authority=la,
                    sent_on=received - dt.timedelta(days=2),
                    received_on=received,
                    decision_on=received + dt.timedelta(days=rng.randrange(30, 50)),
                    decided_to_assess=True,
                    draft_sent_on=issued - dt.timedelta(days=rng.randrange(20, 35)),
                    comments_sent_on=issued - dt.timedelta(days=rng.randrange(5, 18)),
                    final_plan_on=issued,
                ),
                today=today,
            )
            if rng.random() < 0.15:
                _demo_exception(request, rng, today)
        plan = EhcPlan(
            pupil=pupil,
            school=school,
            local_authority=la,
            request=request,
            issued_on=issued,
            placement=school.name,
            element3_pence=rng.choice([0, 250000, 400000, 600000, 850000]),
            section_a=f"{pupil.forename} enjoys art and football and wants to be a vet.",
            section_e="Outcomes for the end of the key stage, broken into termly targets in the support plans.",
            section_f=rng.choice(
                [
                    (
                        "Literacy teaching in a group of 4, three 30-minute sessions a week, "
                        "by a trained teaching assistant."
                    ),
                    "Access to a quiet space as required and regular support from a teaching assistant.",
                    "Speech and language therapy: one 45-minute session a fortnight with the therapist; a programme "
                    "delivered by a trained teaching assistant three times a week for 20 minutes.",
                ]
            ),
        )
        ehc_plan_save(plan, today=today)
        base = issued
        while True:
            due = timelines.add_months(base, 12)
            meeting = (
                due - dt.timedelta(days=rng.randrange(0, 30))
                if rng.random() < 0.85
                else due + dt.timedelta(days=rng.randrange(1, 40))
            )
            if meeting > today + dt.timedelta(days=42):
                break
            if meeting > today:  # arranged, not yet held: invitations may or may not be out
                invited = meeting - dt.timedelta(days=rng.randrange(15, 21))
                review_save(
                    AnnualReview(
                        plan=plan,
                        pupil=pupil,
                        meeting_on=meeting,
                        invitations_sent_on=invited if invited <= today and rng.random() < 0.6 else None,
                    ),
                    today=today,
                )
                break
            decided = meeting + dt.timedelta(days=rng.randrange(14, 40))
            sent = meeting + dt.timedelta(days=rng.randrange(5, 20))
            amend = rng.random() < 0.4
            amendments = decided + dt.timedelta(days=rng.randrange(0, 7)) if amend else None
            amended = amendments + dt.timedelta(days=rng.randrange(35, 70)) if amend else None
            review = AnnualReview(
                plan=plan,
                pupil=pupil,
                meeting_on=meeting,
                invitations_sent_on=meeting - dt.timedelta(days=rng.randrange(14, 24)),
                advice_circulated_on=meeting - dt.timedelta(days=rng.randrange(10, 18)),
                # Some recent reports are still to be written: overdue once two weeks have passed.
                report_sent_on=sent
                if sent <= today and ((today - meeting).days > 45 or rng.random() < 0.5)
                else None,
                decision=(AnnualReview.Decision.AMEND if amend else AnnualReview.Decision.MAINTAIN)
                if decided <= today
                else "",
                decision_on=decided if decided <= today else None,
                amendments_sent_on=amendments if amendments and amendments <= today else None,
                # The family comments within the 15 days (Regs 22).
                # No draw from rng, so the rest of the demo is unchanged.
                amendment_comments_on=amendments + dt.timedelta(days=10)
                if amendments and amendments + dt.timedelta(days=10) <= today
                else None,
                amended_plan_on=amended if amended and amended <= today else None,
                pupil_views="I like my lessons with Mrs Patel. Reading is still hard.",
                parent_views="Happy with progress; worried about the move to the next class.",
            )
            review_save(review, today=today)
            base = meeting
        if pupil.year_group == leaving_year:
            transfer_save(
                PhaseTransfer(
                    plan=plan,
                    pupil=pupil,
                    transfer_on=dt.date(year_start + 1, 9, 1),
                    to=PhaseTransfer.To.SCHOOL if leaving_year == "6" else PhaseTransfer.To.POST16,
                ),
                today=today,
            )

    # Requests in progress at each stage, for pupils on SEN support.
    candidates = [p for p in pupils if p.sen_provision == census.SEN_SUPPORT][:6]
    stages = [10, 40, 75, 120, 50, 60]  # days since the LA received each request
    for pupil, ago in zip(candidates, stages, strict=False):
        received = today - dt.timedelta(days=ago)
        request = AssessmentRequest(
            pupil=pupil,
            school=school,
            local_authority=las[0],
            sent_on=received - dt.timedelta(days=3),
            received_on=received,
            requested_by="school",
        )
        if ago >= 40 and ago != 60:  # at 60 days the LA's decision is overdue
            request.decision_on = received + dt.timedelta(days=38 if ago != 50 else 44)
            request.decided_to_assess = ago != 50  # one refusal
            if ago >= 120:
                request.draft_sent_on = received + dt.timedelta(weeks=15)
        request_save(request, today=today)
        if request.decided_to_assess:
            for adviser in rng.sample(ADVISERS, 3):
                # Asked for at once: never later than today.
                asked = min(today, request.decision_on + dt.timedelta(days=rng.randrange(1, 6)))
                back = asked + dt.timedelta(days=rng.randrange(25, 50))
                advice_add(
                    request=request,
                    adviser=adviser,
                    requested_on=asked,
                    returned_on=back if back <= today else None,
                    today=today,
                )
