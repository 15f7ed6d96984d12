"""Reads of the graduated approach that more than one page or service needs."""

import datetime as dt

from django.db.models import Count, Max

from sencohub.support.models import Evidence, ReviewSchedule, SupportPlan


def review_schedule_for(school) -> ReviewSchedule:
    """The school's review schedule; the end-of-term rule (not yet saved) for a school that never chose one."""
    schedule = ReviewSchedule.objects.filter(school=school).first()
    return schedule or ReviewSchedule(school=school, rule=ReviewSchedule.Rule.TERM, weeks=12)


def evidence_this_cycle(*, pupils) -> dict[int, tuple[int, dt.date | None]]:
    """For each pupil's current support plan, how many pieces of evidence are recorded and the latest date, by
    pupil id (one query whatever the number of pupils)."""
    found = (
        Evidence.objects.filter(pupil__in=pupils, outcome__plan__status=SupportPlan.Status.CURRENT)
        .values("pupil_id")
        .annotate(n=Count("id"), latest=Max("noted_on"))
        .order_by()
    )
    return {row["pupil_id"]: (row["n"], row["latest"]) for row in found}


def support_reviews_overdue_by_school(*, schools, today: dt.date) -> dict[int, int]:
    """How many current support plans are past their review date, by school id (one query)."""
    found = (
        SupportPlan.objects.filter(
            school__in=schools,
            status=SupportPlan.Status.CURRENT,
            review_on__lt=today,
            pupil__left_on__isnull=True,
        )
        .values("school_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["school_id"]: row["n"] for row in found}
