"""The trust SEND lead's start: one row per school of the trust, with the figures a trust asks about first.

Trust SEND leads may see every pupil in the trust's schools (docs/roles.md), so counts are shown as they are,
small ones too; the page names no pupil."""

import datetime as dt
from dataclasses import dataclass

from sencohub.ehcp.compliance import SchoolDeadlines, by_school
from sencohub.register.selectors import RollCounts, roll_counts_by_school
from sencohub.schools.models import Role
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import memberships_for_user, schools_for_user
from sencohub.support.selectors import support_reviews_overdue_by_school
from sencohub.workforce.across import school_rows


@dataclass
class TrustRow:
    school: object
    roll: RollCounts
    deadlines: SchoolDeadlines
    support_reviews_overdue: int
    sencos: list  # workforce.across.SchoolRow, one for each SENCo in post (one with no SENCo for a vacancy)


def trust_schools(user):
    """The schools of the trusts where the person is the trust SEND lead."""
    trust_ids = [m.trust_id for m in memberships_for_user(user) if m.role == Role.TRUST_SEND_LEAD]
    if not trust_ids:
        return []
    return schools_for_user(user, Action.VIEW_FIGURES).filter(trust_id__in=trust_ids).order_by("name")


def trust_dashboard(*, user, today: dt.date) -> list[TrustRow]:
    """A row per school of the person's trusts (a fixed number of queries whatever the number of schools)."""
    schools = list(trust_schools(user))
    if not schools:
        return []
    roll = roll_counts_by_school(schools=schools)
    deadlines = by_school(user, schools, today)
    support = support_reviews_overdue_by_school(schools=schools, today=today)
    sencos: dict[int, list] = {}
    for row in school_rows(schools, today)[0]:
        sencos.setdefault(row.school.pk, []).append(row)
    return [
        TrustRow(
            school=school,
            roll=roll.get(school.pk, RollCounts()),
            deadlines=deadlines[school.pk],
            support_reviews_overdue=support.get(school.pk, 0),
            sencos=sencos.get(school.pk, []),
        )
        for school in schools
    ]
