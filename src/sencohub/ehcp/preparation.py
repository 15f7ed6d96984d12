"""Preparing an annual review from what sencohub holds: who is invited, how each section E outcome has gone,
and whether section F was delivered as specified, so none of it is typed again.

Support plan outcomes are read through their link to section E (`PlanOutcome.steps`) without importing the
support app, which sits above this one.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sencohub.ehcp.delivery import delivery_for
from sencohub.ehcp.models import AdviceRequest, AnnualReview, EhcPlan, PlanOutcome
from sencohub.provision.models import Enrolment, Provision
from sencohub.schools.models import Membership, Role
from sencohub.statutory import timelines as t

EVIDENCE_PER_STEP = 3  # the latest notes; the rest stay on the support plan


@dataclass(frozen=True)
class Invitee:
    name: str
    role: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role})"


def _day(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _number(value: Decimal) -> str:
    """1.50 as 1.5, 78.0 as 78, 80 as 80."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def invitees_for(plan: EhcPlan) -> list[Invitee]:
    """Everyone invited: the pupil's parent carers, the staff who teach or support them (their class's teachers
    and teaching assistants, and whoever runs their provision groups), and the advisers already recorded."""
    pupil = plan.pupil
    found: list[Invitee] = [
        Invitee(carer.name, carer.relationship.capitalize() if carer.relationship else "Parent carer")
        for carer in pupil.parent_carers.order_by("name", "id")
    ]
    staff: dict[int, tuple[str, list[str]]] = {}
    if pupil.class_group_id:
        for membership in (
            Membership.objects.filter(
                school=plan.school,
                role__in=[Role.TEACHER, Role.TEACHING_ASSISTANT],
                class_groups=pupil.class_group_id,
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user_id")
        ):
            role = "Class teacher" if membership.role == Role.TEACHER else "Teaching assistant"
            staff.setdefault(membership.user_id, (str(membership.user), []))[1].append(role)
    groups = Provision.objects.filter(
        school=plan.school, enrolments__pupil=pupil, enrolments__left_on__isnull=True
    ).distinct()
    for provision in groups.prefetch_related("run_by").order_by("name", "id"):
        for user in provision.run_by.all():
            staff.setdefault(user.pk, (str(user), []))[1].append(f"runs {provision.name}")
    found += [
        Invitee(name, "; ".join(roles)[:1].upper() + "; ".join(roles)[1:]) for name, roles in staff.values()
    ]
    advisers = (
        AdviceRequest.objects.filter(pupil=pupil)
        .order_by("adviser")
        .values_list("adviser", flat=True)
        .distinct()
    )
    found += [Invitee(adviser, "Gave advice for the plan") for adviser in advisers]
    return found


def papers_for(review: AnnualReview) -> dict[str, str]:
    """The dates the review's papers go round, in words; empty until the meeting is arranged."""
    if review.meeting_on is None:
        return {}
    try:
        papers = t.review_papers(review.meeting_on)
    except OverflowError:  # a meeting stored at the calendar's very end has no papers dates to show
        return {}
    return {
        "invitations_due": _day(papers["invitations_due"]),
        "advice_due": _day(papers["advice_circulated_due"]),
        "report_due": _day(papers["school_report_due"]),
    }


@dataclass(frozen=True)
class OutcomeProgress:
    outcome: PlanOutcome
    held: str  # what sencohub holds about progress towards it, as the text the report starts from


def _measure(enrolment: Enrolment) -> str:
    kind = enrolment.get_measure_display().lower() if enrolment.measure else "measure"
    parts = []
    if enrolment.entry_value is not None:
        parts.append(
            f"{_number(enrolment.entry_value)} on entry"
            + (f" ({_day(enrolment.entry_on)})" if enrolment.entry_on else "")
        )
    if enrolment.exit_value is not None:
        parts.append(
            f"{_number(enrolment.exit_value)} on exit"
            + (f" ({_day(enrolment.exit_on)})" if enrolment.exit_on else "")
        )
    return f"{enrolment.provision.name}, {kind}: {', '.join(parts)}."


def outcome_progress(plan: EhcPlan) -> list[OutcomeProgress]:
    """For each section E outcome: its termly steps on support plans with their results, teachers' latest
    evidence against them, and the pupil's entry and exit measures in the groups those plans drew on."""
    outcomes = list(
        plan.outcomes.prefetch_related("steps__plan__provisions", "steps__evidence").order_by("id")
    )
    provision_ids = {
        planned.provision_id
        for outcome in outcomes
        for step in outcome.steps.all()
        for planned in step.plan.provisions.all()
        if planned.provision_id
    }
    measured = {}
    for enrolment in (
        Enrolment.objects.filter(pupil=plan.pupil, provision_id__in=provision_ids)
        .exclude(entry_value=None, exit_value=None)
        .select_related("provision")
        .order_by("provision__name", "id")
    ):
        measured.setdefault(enrolment.provision_id, []).append(_measure(enrolment))
    found = []
    for outcome in outcomes:
        lines = []
        for step in sorted(outcome.steps.all(), key=lambda s: (s.plan.cycle, s.pk)):
            support = step.plan
            result = step.get_result_display() if step.result else "in progress"
            line = (
                f"Support plan {support.cycle} ({_day(support.starts_on)} to {_day(support.review_on)}): "
                f"{step.what}: {result}."
            )
            if step.result_note:
                line += f" {step.result_note}"
            lines.append(line)
            lines += [
                f"Evidence, {_day(e.noted_on)}: {e.note}"
                for e in list(step.evidence.all())[:EVIDENCE_PER_STEP]
            ]
            for planned in support.provisions.all():
                lines += measured.pop(planned.provision_id, [])
        if not lines:
            lines.append("No support plan outcome is linked to this outcome yet.")
        found.append(OutcomeProgress(outcome, "\n".join(lines)))
    return found


def delivery_rows(plan: EhcPlan) -> list[dict]:
    """Section F as specified beside what was delivered, with each shortfall, as text for the page and the report."""
    rows = []
    for d in delivery_for(plan):
        item = d.item
        specified = [
            f"{_number(item.hours_per_week)} hours a week"
            if item.hours_per_week is not None
            else "no hours given"
        ]
        if item.group_size:
            specified.append(f"a group of at most {item.group_size}")
        if item.staff:
            specified.append(item.staff)
        if item.provision is None:
            delivered = "Not on the provision map."
        else:
            delivered = (
                f"{item.provision.name}: {_number(d.weekly_hours)} hours a week, a group of {d.group_size}"
            )
            delivered += (
                f"; attended {d.attended} of {d.held} sessions held." if d.held else "; no sessions held yet."
            )
        rows.append(
            {
                "description": item.description,
                "specified": ", ".join(specified),
                "delivered": delivered,
                "shortfalls": list(d.shortfalls),
            }
        )
    return rows
