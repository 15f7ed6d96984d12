"""The SENCo's overview: what needs doing this fortnight, and what is missing, across support plans, the SEN
register, the EHC deadlines and the SENCo's own qualification."""

import datetime as dt

from django.db.models import Count

from sencohub.ehcp import compliance
from sencohub.pupils.selectors import pupils_for_user
from sencohub.register.models import SenStatus
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import user_can
from sencohub.statutory import census
from sencohub.support.models import Outcome, SupportPlan
from sencohub.workforce.models import Appointment
from sencohub.workforce.status import NO_QTS, NOT_STARTED, standing
from sencohub.workforce.warnings import WARN_STATES


def overview_figures(*, user, school, today: dt.date) -> dict:
    """The overview page's lists and warnings for one school, as the page's context."""
    soon = today + dt.timedelta(days=14)
    pupils = pupils_for_user(user, action=Action.VIEW_OVERVIEW).filter(school=school)
    current = SupportPlan.objects.filter(
        school=school, status=SupportPlan.Status.CURRENT, pupil__in=pupils
    ).select_related("pupil")
    reviews = list(current.filter(review_on__lte=soon).order_by("review_on"))
    without_plan = list(
        pupils.filter(sen_provision__in=[census.SEN_SUPPORT, census.EHC_PLAN])
        .exclude(support_plans__status=SupportPlan.Status.CURRENT)
        .order_by("surname", "forename")
    )
    no_outcomes = list(current.annotate(n=Count("outcomes")).filter(n=0).order_by("pupil__surname"))
    no_criteria = list(
        Outcome.objects.filter(plan__in=current, success_criteria="")
        .select_related("plan__pupil")
        .order_by("plan__pupil__surname")
    )
    not_told = list(
        SenStatus.objects.filter(
            pupil__in=pupils,
            end_date__isnull=True,
            provision=census.SEN_SUPPORT,
            parents_informed_on__isnull=True,
        )
        .select_related("pupil")
        .order_by("pupil__surname")
    )
    report = (
        compliance.report(user, [school], today) if user_can(user, Action.VIEW_COMPLIANCE, school) else None
    )
    senco = (
        Appointment.objects.filter(Appointment.in_post(today), school=school, post=Appointment.Post.SENCO)
        .prefetch_related("qualifications")
        .first()
    )
    qualification = standing(senco, today) if senco else None
    return {
        "today": today,
        "overdue_reviews": [p for p in reviews if p.review_on < today],
        "due_reviews": [p for p in reviews if p.review_on >= today],
        "without_plan": without_plan,
        "no_outcomes": no_outcomes,
        "no_criteria": no_criteria,
        "not_told": not_told,
        "statutory": report.counts if report else None,
        "not_recorded": report.not_recorded if report else [],
        "statutory_due_soon": report.counts.get("due soon", 0) if report else 0,
        "senco": senco,
        "qualification": qualification
        if qualification and qualification.state in WARN_STATES + (NOT_STARTED,)
        else None,
        "senco_no_qts": bool(qualification and qualification.no_qts),
        "no_qts": NO_QTS,
    }
