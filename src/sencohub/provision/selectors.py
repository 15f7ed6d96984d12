"""Reads of the provision map: attendance at a provision's sessions, counted one way everywhere."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from sencohub.provision.models import Enrolment, Provision, Session
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.permissions import Action


@dataclass(frozen=True)
class AttendanceFigures:
    """Sessions that happened (`held`), the register marks taken at them (`marked`) and how many said present.

    A cancelled session counts nowhere: it was not held, and its marks are not absences."""

    held: int = 0
    marked: int = 0
    present: int = 0

    @property
    def rate(self) -> float | None:
        return self.present / self.marked if self.marked else None


def provisions_with_attendance(provisions: QuerySet, *, pupil=None) -> QuerySet:
    """`provisions` with `held`, `marked` and `present` on each; with `pupil`, `marked` and `present` count only
    that pupil's marks (they are then the sessions they were down for, and those they came to)."""
    held = Q(sessions__cancelled=False)
    marks = held & Q(sessions__attendance__pupil=pupil) if pupil is not None else held
    return provisions.annotate(
        held=Count("sessions", filter=held, distinct=True),
        marked=Count("sessions__attendance", filter=marks),
        present=Count("sessions__attendance", filter=marks & Q(sessions__attendance__present=True)),
    )


def attendance_by_provision(provisions, *, pupil=None) -> dict[int, AttendanceFigures]:
    """The attendance figures of each provision among `provisions` (a queryset or provision ids), by its id."""
    if not isinstance(provisions, QuerySet):
        provisions = Provision.objects.filter(pk__in=list(provisions))
    found = provisions_with_attendance(provisions.order_by(), pupil=pupil).values_list(
        "pk", "held", "marked", "present"
    )
    return {pk: AttendanceFigures(held=h, marked=m, present=p) for pk, h, m, p in found}


def groups_meeting(*, user, school, day: dt.date) -> tuple[QuerySet, QuerySet]:
    """The groups meeting on `day` with pupils this person takes registers for (or that they run), and those
    pupils."""
    visible = pupils_for_user(user, action=Action.TAKE_REGISTER).filter(school=school)
    running = (
        Provision.objects.filter(
            Provision.meeting_on(day),
            school=school,
            enrolments__in=Enrolment.objects.current().filter(pupil__in=visible),
        )
        .distinct()
        .select_related("intervention")
        .order_by("name")
    )
    return running, visible


def sessions_today(*, user, school, today: dt.date) -> tuple[list[Provision], set[int]]:
    """The groups meeting today that the person takes registers for, and the ids of those whose register is taken."""
    running, _ = groups_meeting(user=user, school=school, day=today)
    running = list(running)
    taken = set(
        Session.objects.filter(provision__in=running, held_on=today).values_list("provision_id", flat=True)
    )
    return running, taken
