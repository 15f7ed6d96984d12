"""The daily digest: an email to each person who acts on EHC work and has something overdue or due soon.

Run once a day by cron or the worker (`sencohub send-digests`). Pupils are named by initials, as in the
calendar feed: email leaves the school's systems. A second run on the same day sends nothing more.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from sencohub.ehcp.calendar import dates_for_user, initials
from sencohub.ehcp.models import DigestSent
from sencohub.ehcp.selectors import PLAN_NOT_RECORDED, plans_not_recorded
from sencohub.schools.models import Membership
from sencohub.schools.permissions import CAPABILITIES, Action
from sencohub.schools.selectors import schools_for_user
from sencohub.statutory import timelines as t

ACTING_ROLES = [role for role, actions in CAPABILITIES.items() if Action.EDIT_EHC in actions]


@dataclass
class Sent:
    email: str
    overdue: int
    due_soon: int
    not_recorded: int = 0


def recipients():
    ids = Membership.objects.filter(role__in=ACTING_ROLES).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("email")


def digest_text(user, found, today: dt.date, not_recorded=()) -> str:
    overdue = [m for m in found if m.state == t.OVERDUE]
    soon = [m for m in found if m.state == t.DUE_SOON]
    lines = [
        f"Good morning {user.first_name or user.email},",
        "",
        f"Statutory dates as at {today:%-d %B %Y}: {len(overdue)} overdue, {len(soon)} due in the next two weeks.",
        "",
    ]
    if not_recorded:
        lines.append(f"Recorded as having an EHC plan (E), with no plan in sencohub: {len(not_recorded)}")
        for pupil in not_recorded:
            lines.append(f"- {PLAN_NOT_RECORDED} – {initials(pupil)}, {pupil.school.name}")
            lines.append(f"  {settings.SITE_URL}{reverse('ehc_pupil', args=[pupil.school.urn, pupil.upn])}")
        lines.append("")
    for title, items in (("Overdue", overdue), ("Due in the next two weeks", soon)):
        if not items:
            continue
        lines.append(title)
        for m in sorted(items, key=lambda m: m.due):
            lines.append(
                f"- {m.due:%-d %b %Y}: {m.label} – {initials(m.pupil)}, {m.pupil.school.name} ({m.case})"
            )
            lines.append(f"  {settings.SITE_URL}{m.url}")
        lines.append("")
    lines += [
        "Every date, with its rule and source, is on the statutory deadlines page:",
        f"{settings.SITE_URL}/compliance/",
        "",
        "You receive this because you work on EHC needs assessments and plans in sencohub.",
    ]
    return "\n".join(lines)


def send_digests(today: dt.date) -> list[Sent]:
    sent = []
    for user in recipients():
        found = [m for m in dates_for_user(user, today) if m.state in (t.OVERDUE, t.DUE_SOON)]
        not_recorded = list(
            plans_not_recorded(
                user, schools_for_user(user, Action.VIEW_EHC).values("pk"), action=Action.VIEW_EHC
            )
        )
        if not found and not not_recorded:
            continue
        overdue = sum(1 for m in found if m.state == t.OVERDUE)
        try:
            with transaction.atomic():
                DigestSent.objects.create(
                    user=user, sent_on=today, overdue=overdue, due_soon=len(found) - overdue
                )
                send_mail(
                    subject=f"sencohub: {overdue} overdue, {len(found) - overdue} due in the next two weeks"
                    + (
                        f", {len(not_recorded)} EHC plan{'s' if len(not_recorded) != 1 else ''} not recorded"
                        if not_recorded
                        else ""
                    ),
                    message=digest_text(user, found, today, not_recorded),
                    from_email=None,
                    recipient_list=[user.email],
                )
        except IntegrityError:
            continue  # already sent today
        sent.append(Sent(user.email, overdue, len(found) - overdue, len(not_recorded)))
    return sent
