"""Where a SENCo stands with the mandatory qualification, from `statutory.timelines.senco_qualification`."""

import datetime as dt
from dataclasses import dataclass

from sencohub.statutory import timelines as t
from sencohub.workforce.models import Appointment, Qualification

QUALIFIED = "qualified"
NOT_REQUIRED = "not required"
OVERDUE = "overdue"
DUE_SOON = "due within six months"
IN_PROGRESS = "in progress"
NOT_STARTED = "not started"
LABELS = {QUALIFIED: "Qualified", NOT_REQUIRED: "Not required", OVERDUE: "Overdue", DUE_SOON: "Due within six months",
          IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}  # fmt: skip
TAGS = {QUALIFIED: "govuk-tag--green", NOT_REQUIRED: "govuk-tag--grey", OVERDUE: "govuk-tag--red", DUE_SOON: "govuk-tag--orange",
        IN_PROGRESS: "govuk-tag--blue", NOT_STARTED: "govuk-tag--yellow"}  # fmt: skip


@dataclass(frozen=True)
class Standing:
    state: str
    complete_by: dt.date | None
    reason: str
    accepted: tuple[str, ...]

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def tag(self) -> str:
        return TAGS[self.state]


def standing(appointment: Appointment, today: dt.date) -> Standing:
    """For a SENCo: whether the duty applies, by when, and where they are with it (qualifications prefetched)."""
    return standing_of(appointment.starts_on, appointment.previous_senco_months, list(appointment.qualifications.all()), today)


def standing_of(appointed: dt.date, previous_months: int, qualifications: list, today: dt.date) -> Standing:
    """The same as a pure function of the appointment date, months as SENCo before, and the qualification
    records (anything with kind, status, started_on and completed_on, in the order they started)."""
    mandatory = [q for q in qualifications if q.kind in (Qualification.Kind.NPQ, Qualification.Kind.NASENCO)
                 and q.status != Qualification.Status.WITHDRAWN]  # fmt: skip
    course = mandatory[-1] if mandatory else None
    try:
        duty = t.senco_qualification(appointed, previous_months, course.kind if course else None, course.started_on if course else None)
    except OverflowError:  # a date stored far outside any plausible window (9999-12-31): the deadline cannot be worked out
        return Standing(NOT_STARTED, None, "Check the appointment and course dates: the deadline cannot be worked out from them.", ())
    labels = {Qualification.Kind.NPQ: t.NPQ, Qualification.Kind.NASENCO: t.NASENCO}
    done = [q for q in mandatory if q.status == Qualification.Status.COMPLETED and labels[q.kind] in duty.accepted
            and (duty.complete_by is None or q.completed_on is None or q.completed_on <= duty.complete_by
                 or labels[q.kind] == t.NPQ)]  # fmt: skip
    if done:
        return Standing(QUALIFIED, duty.complete_by, duty.reason, duty.accepted)
    if not duty.required:
        return Standing(NOT_REQUIRED, None, duty.reason, duty.accepted)
    if today > duty.complete_by:
        state = OVERDUE
    elif t.add_months(today, 6) >= duty.complete_by:
        state = DUE_SOON
    elif course is not None and labels[course.kind] in duty.accepted:
        state = IN_PROGRESS  # a course that would not count (a NASENCo begun from September 2024) is not progress
    else:
        state = NOT_STARTED
    return Standing(state, duty.complete_by, duty.reason, duty.accepted)
