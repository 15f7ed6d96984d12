"""Warnings about the SENCo qualification: six months before it is due, and once it is overdue.

Sent by `sencohub send-digests` (run daily) to the SENCo and the school's headteacher, each warning once for
each state and due date, so a daily run never repeats itself.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from sencohub.schools.models import Membership, Role
from sencohub.workforce import status
from sencohub.workforce.models import Appointment, QualificationWarning

WARN_STATES = (status.DUE_SOON, status.OVERDUE)


@dataclass
class Warned:
    school: str
    senco: str
    state: str
    complete_by: dt.date
    recipients: list[str]


def _recipients(appointments: list[Appointment]) -> dict[int, list[str]]:
    """For each appointment, the SENCo's own email and those of the school's headteachers and SENCos: one query."""
    by_school: dict[int, set[str]] = {}
    staff = Membership.objects.filter(
        school__in={a.school_id for a in appointments}, role__in=[Role.HEAD, Role.SENCO], user__is_active=True
    ).values_list("school_id", "user__email")
    for school_id, email in staff:
        by_school.setdefault(school_id, set()).add(email)
    out = {}
    for a in appointments:
        emails = set(by_school.get(a.school_id, ()))
        if a.user_id and a.user.is_active:
            emails.add(a.user.email)
        out[a.pk] = sorted(emails)
    return out


def warning_text(appointment: Appointment, found: status.Standing, today: dt.date) -> str:
    when = f"{found.complete_by:%-d %B %Y}"
    if found.state == status.OVERDUE:
        opening = (
            f"{appointment.name}, SENCo at {appointment.school.name}, "
            f"should have held the mandatory SENCo qualification by {when}."
        )
    else:
        opening = (
            f"{appointment.name}, SENCo at {appointment.school.name}, "
            f"must hold the mandatory SENCo qualification by {when}."
        )
    url = settings.SITE_URL + reverse("workforce_school", args=[appointment.school.urn])
    return "\n".join(
        [
            opening,
            "",
            f"Why: {found.reason}",
            f"What counts: {', '.join(found.accepted)}.",
            "",
            *([status.NO_QTS, ""] if found.no_qts else []),
            "The headteacher (or governing body) must be satisfied that the SENCo is working towards it. Record the",
            "course, and the headteacher's confirmation, on the school's SENCo page:",
            url,
            "",
            f"Sent on {today:%-d %B %Y} because you are the SENCo or headteacher at {appointment.school.name}.",
        ]
    )


def send_qualification_warnings(today: dt.date) -> list[Warned]:
    sent = []
    current = (
        Appointment.objects.filter(Appointment.in_post(today), post=Appointment.Post.SENCO)
        .select_related("school", "user")
        .prefetch_related("qualifications")
    )
    due = [(a, found) for a in current if (found := status.standing(a, today)).state in WARN_STATES]
    recipients = _recipients([a for a, _ in due])
    for appointment, found in due:
        emails = recipients[appointment.pk]
        try:
            with transaction.atomic():
                QualificationWarning.objects.create(
                    appointment=appointment,
                    state=found.state,
                    complete_by=found.complete_by,
                    sent_on=today,
                    recipients=len(emails),
                )
                if emails:
                    what = (
                        "is overdue"
                        if found.state == status.OVERDUE
                        else f"is due by {found.complete_by:%-d %B %Y}"
                    )
                    send_mail(
                        subject=f"sencohub: the SENCo qualification at {appointment.school.name} {what}",
                        message=warning_text(appointment, found, today),
                        from_email=None,
                        recipient_list=emails,
                    )
        except IntegrityError:
            continue  # this warning was sent before
        sent.append(Warned(appointment.school.urn, appointment.name, found.state, found.complete_by, emails))
    return sent
