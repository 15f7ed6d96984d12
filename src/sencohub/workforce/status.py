"""Where a SENCo stands with the mandatory qualification, from `statutory.timelines.senco_qualification`.

Holding the qualification and being on time are two facts (STATUTORY.md section 6): a relevant qualification,
once completed, makes the SENCo qualified for good, "qualified, late" when it came after the due date, and no
later course takes it away.
"""

import datetime as dt
from dataclasses import dataclass

from sencohub.statutory import timelines as t
from sencohub.workforce.models import Appointment, Qualification

QUALIFIED = "qualified"
QUALIFIED_LATE = "qualified, late"
NOT_REQUIRED = "not required"
OVERDUE = "overdue"
DUE_SOON = "due within six months"
IN_PROGRESS = "in progress"
NOT_STARTED = "not started"
LABELS = {
    QUALIFIED: "Qualified",
    QUALIFIED_LATE: "Qualified, late",
    NOT_REQUIRED: "Not required",
    OVERDUE: "Overdue",
    DUE_SOON: "Due within six months",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not started",
}
TAGS = {
    QUALIFIED: "govuk-tag--green",
    QUALIFIED_LATE: "govuk-tag--turquoise",
    NOT_REQUIRED: "govuk-tag--grey",
    OVERDUE: "govuk-tag--red",
    DUE_SOON: "govuk-tag--orange",
    IN_PROGRESS: "govuk-tag--blue",
    NOT_STARTED: "govuk-tag--yellow",
}
HELD = (QUALIFIED, QUALIFIED_LATE)
NO_QTS = (
    "No qualified teacher status is recorded. A SENCo must be a qualified teacher working at the school, or the "
    "headteacher (Children and Families Act 2014, s.67; SEND Regulations 2014, reg. 49): record QTS, or that they "
    "are the headteacher, on their appointment."
)


@dataclass(frozen=True)
class Standing:
    state: str
    complete_by: dt.date | None
    reason: str
    accepted: tuple[str, ...]
    no_qts: bool = False  # neither QTS nor being the headteacher is recorded
    held_as: str = ""  # for a qualified SENCo, what and when: "NASENCo award, 15 July 2021"

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def tag(self) -> str:
        return TAGS[self.state]

    @property
    def held(self) -> bool:
        return self.state in HELD


def standing(appointment: Appointment, today: dt.date) -> Standing:
    """For a SENCo: whether the duty applies, by when, and where they are with it (qualifications prefetched)."""
    found = standing_of(
        appointment.starts_on,
        appointment.previous_senco_months,
        list(appointment.qualifications.all()),
        today,
    )
    if appointment.qts or appointment.is_head:
        return found
    return Standing(
        found.state, found.complete_by, found.reason, found.accepted, no_qts=True, held_as=found.held_as
    )


def standing_of(appointed: dt.date, previous_months: int, qualifications: list, today: dt.date) -> Standing:
    """The same as a pure function of the appointment date, months as SENCo before, and the qualification
    records (anything with kind, status, started_on and completed_on, in the order they started)."""
    mandatory = [
        q
        for q in qualifications
        if q.kind in (Qualification.Kind.NPQ, Qualification.Kind.NASENCO)
        and q.status != Qualification.Status.WITHDRAWN
    ]
    held = [
        q
        for q in mandatory
        if q.status == Qualification.Status.COMPLETED
        and t.relevant_qualification(q.kind, q.started_on, q.completed_on)
    ]
    # The first relevant qualification completed decides; without one, the latest course.
    first = min(held, key=lambda q: q.completed_on or q.started_on) if held else None
    course = first or (mandatory[-1] if mandatory else None)
    try:
        duty = t.senco_qualification(
            appointed, previous_months, course.kind if course else None, course.started_on if course else None
        )
    except (
        OverflowError
    ):  # a date stored far outside any plausible window (9999-12-31): the deadline cannot be worked out
        return Standing(
            NOT_STARTED,
            None,
            "Check the appointment and course dates: the deadline cannot be worked out from them.",
            (),
        )
    if first is not None:
        late = duty.required and first.completed_on is not None and first.completed_on > duty.complete_by
        held_as = Qualification.Kind(first.kind).label + (
            f", {first.completed_on:%-d %B %Y}" if first.completed_on else ""
        )
        state = QUALIFIED_LATE if late else QUALIFIED
        return Standing(state, duty.complete_by, duty.reason, duty.accepted, held_as=held_as)
    if not duty.required:
        return Standing(NOT_REQUIRED, None, duty.reason, duty.accepted)
    if today > duty.complete_by:
        state = OVERDUE
    elif t.add_months(today, 6) >= duty.complete_by:
        state = DUE_SOON
    elif course is not None and t.relevant_qualification(course.kind, course.started_on, None):
        state = (
            IN_PROGRESS  # a course that would not count (a NASENCo begun from September 2024) is not progress
        )
    else:
        state = NOT_STARTED
    return Standing(state, duty.complete_by, duty.reason, duty.accepted)
