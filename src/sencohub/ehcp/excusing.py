"""What each recorded exception excuses, from the request's own dates (rules in `sencohub.statutory.exceptions`).

Worked out when read, never stored: a date corrected later (the final plan, advice returned) corrects what every
exception excuses. Reads the request's advice and exceptions through their prefetch (`milestones.request_queryset`).
"""

import datetime as dt

from sencohub.ehcp.models import AssessmentRequest, TimelineException
from sencohub.statutory import exceptions as x


def limits_for(request: AssessmentRequest) -> list[x.Limit]:
    return x.assessment_limits(
        request.received_on,
        reassessment=request.kind == AssessmentRequest.Kind.REASSESSMENT,
        decision_on=request.decision_on,
        decided_to_assess=request.decided_to_assess,
        advice=[(a.requested_on, a.returned_on, a.adviser) for a in request.advice.all()],
        not_issuing_on=request.not_issuing_on,
        final_plan_on=request.final_plan_on,
        withdrawn_on=request.withdrawn_on,
    )


def verdict(
    request: AssessmentRequest, reason: str, starts_on: dt.date, ends_on: dt.date | None
) -> x.Verdict:
    return x.judge(reason, starts_on, ends_on, limits_for(request))


def verdicts(request: AssessmentRequest) -> list[tuple[TimelineException, x.Verdict]]:
    limits = limits_for(request)
    return [(e, x.judge(e.reason, e.starts_on, e.ends_on, limits)) for e in request.exceptions.all()]


def final_plan_excused(request: AssessmentRequest) -> bool:
    """Whether a recorded exception excuses the 20-week limit (reg. 13(3)): the DfE leaves such cases out of its
    figures "excluding exceptions"."""
    return any(v.excuses(x.FINAL_PLAN) for _, v in verdicts(request)) if request.exceptions.all() else False
