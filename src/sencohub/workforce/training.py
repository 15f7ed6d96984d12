"""Staff SEND training: each person's record, whether confidence rose, and where training is most needed."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model

from sencohub.register.models import Need
from sencohub.schools.models import STAFF_ROLES, Membership
from sencohub.statutory import census
from sencohub.workforce.models import TrainingAttendance, TrainingSession

# Below this average confidence after training (1 to 5), an area is flagged as a training need.
CONFIDENT = Decimal(3)


def staff_of(school):
    """Everyone who works in the school in a staff role, by name."""
    ids = Membership.objects.filter(school=school, role__in=STAFF_ROLES).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("last_name", "first_name", "email")
    )


def hours(minutes: int) -> Decimal:
    """Minutes of training as hours to one decimal place."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(values) -> Decimal | None:
    values = [Decimal(v) for v in values if v is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Rated:
    """Confidence before and after, over the attendances that have both."""

    pairs: int
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before


def rated(attendances) -> Rated:
    both = [a for a in attendances if a.confidence_before is not None and a.confidence_after is not None]
    return Rated(len(both), mean(a.confidence_before for a in both), mean(a.confidence_after for a in both))


@dataclass
class StaffRecord:
    user: object
    sessions: list
    minutes: int
    rated: Rated

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)


def staff_records(school, since: dt.date | None = None) -> list[StaffRecord]:
    """Each member of staff with the SEND training they have had at this school (since a date, if given)."""
    attendances = TrainingAttendance.objects.filter(session__school=school).select_related("session")
    if since:
        attendances = attendances.filter(session__held_on__gte=since)
    by_user = defaultdict(list)
    for a in attendances:
        by_user[a.user_id].append(a)
    records = []
    for user in staff_of(school):
        mine = sorted(by_user.get(user.pk, []), key=lambda a: a.session.held_on, reverse=True)
        records.append(
            StaffRecord(user, [a.session for a in mine], sum(a.session.minutes for a in mine), rated(mine))
        )
    return records


@dataclass
class AreaNeed:
    key: str
    label: str
    pupils: int  # pupils with SEN whose primary need is in this area
    sessions: int
    staff_trained: int
    staff: int
    rated: Rated

    @property
    def trained_percent(self) -> int:
        return round(100 * self.staff_trained / self.staff) if self.staff else 0

    @property
    def flagged(self) -> str:
        """Why this area needs training, or '' if it does not stand out."""
        if not self.pupils or self.key == "general":
            return ""
        if not self.staff_trained:
            return "Pupils have this as their primary need, and no member of staff has had training in it."
        if self.rated.after is not None and self.rated.after < CONFIDENT:
            return f"Confidence after training averages {self.rated.after} of 5."
        if self.trained_percent < 50:
            return f"Only {self.trained_percent}% of staff have had training in it."
        return ""


def training_needs(school, since: dt.date) -> list[AreaNeed]:
    """For each area of need: how many pupils have it, how many staff were trained in it since `since`, and how
    confident they say they are; areas with pupils but little training are flagged."""
    primary = Need.objects.filter(
        pupil__school=school, rank=1, pupil__sen_provision__in=[census.SEN_SUPPORT, census.EHC_PLAN]
    )
    pupils = Counter(census.area_of_need(code) for code in primary.values_list("sen_type", flat=True))
    sessions = list(
        TrainingSession.objects.filter(school=school, held_on__gte=since).prefetch_related("attendance")
    )
    staff = staff_of(school).count()
    rows = []
    for key, label in TrainingSession.AREAS:
        mine = [s for s in sessions if s.area_of_need == key]
        attendance = [a for s in mine for a in s.attendance.all()]
        rows.append(
            AreaNeed(
                key,
                label,
                pupils.get(key, 0),
                len(mine),
                len({a.user_id for a in attendance}),
                staff,
                rated(attendance),
            )
        )
    return rows
