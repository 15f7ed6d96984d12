"""The SENCo's overview: what needs doing this fortnight, and what is missing, across support plans, the SEN
register, the EHC deadlines and the SENCo's own qualification."""

import datetime as dt

from django.db.models import Count
from django.urls import reverse

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
    overdue_reviews = [p for p in reviews if p.review_on < today]
    due_reviews = [p for p in reviews if p.review_on >= today]
    not_recorded = report.not_recorded if report else []
    statutory_rows, soon_rows = [], []
    if report:
        deadlines = reverse("compliance", args=[school.urn])
        statutory_rows = [
            ("Statutory deadlines overdue", report.counts.get("overdue", 0), "Nothing overdue", deadlines),
            ("EHC plans not recorded", len(not_recorded), "None", "#not-recorded"),
        ]
        soon_rows = [
            (
                "Statutory deadlines due in the next two weeks",
                report.counts.get("due soon", 0),
                "None due",
                deadlines,
            )
        ]
    # Most urgent first: what is already late, then what falls due this fortnight, then what is missing.
    rows = [
        *statutory_rows,
        ("Support plan reviews overdue", len(overdue_reviews), "Nothing overdue", "#overdue-reviews"),
        *soon_rows,
        ("Support plan reviews due in the next two weeks", len(due_reviews), "None due", "#due-reviews"),
        ("Parents not yet told that SEN support began", len(not_told), "Every parent told", "#not-told"),
        ("On the SEN register without a current support plan", len(without_plan), "None", "#without-plan"),
        ("Plans with no outcomes", len(no_outcomes), "None", "#no-outcomes"),
        ("Outcomes with no success criteria", len(no_criteria), "None", "#no-criteria"),
    ]
    return {
        "today": today,
        "summary": [{"title": t, "count": n, "empty": empty, "href": href} for t, n, empty, href in rows],
        "overdue_reviews": overdue_reviews,
        "due_reviews": due_reviews,
        "without_plan": without_plan,
        "no_outcomes": no_outcomes,
        "no_criteria": no_criteria,
        "not_told": not_told,
        "statutory": report.counts if report else None,
        "not_recorded": not_recorded,
        "statutory_due_soon": report.counts.get("due soon", 0) if report else 0,
        "senco": senco,
        "qualification": qualification
        if qualification and qualification.state in WARN_STATES + (NOT_STARTED,)
        else None,
        "senco_no_qts": bool(qualification and qualification.no_qts),
        "no_qts": NO_QTS,
    }
