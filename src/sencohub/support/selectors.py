"""Reads of the graduated approach that more than one page or service needs."""

from sencohub.support.models import ReviewSchedule


def review_schedule_for(school) -> ReviewSchedule:
    """The school's review schedule; the end-of-term rule (not yet saved) for a school that never chose one."""
    schedule = ReviewSchedule.objects.filter(school=school).first()
    return schedule or ReviewSchedule(school=school, rule=ReviewSchedule.Rule.TERM, weeks=12)
