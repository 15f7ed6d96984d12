"""Each person's private calendar feed (ICS) of the statutory dates they can see.

Calendar apps fetch the feed without signing in, so the address holds a secret (only its SHA-256 is
stored) and can be revoked. Events name pupils by initials only: calendars are often synced to services
outside the school, and a pupil's name beside "EHC needs assessment" is special category data. For the same
reason no event carries the pupil's UPN: every page about a pupil has the UPN in its address, so an event's
id is an HMAC of the record it comes from, and its link goes to the school's statutory deadlines page (for
those who may open it), where the date is listed with the pupil's name after signing in.
"""

import datetime as dt

from auditlog.models import LogEntry
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Calendar, Event

from sencohub.ehcp import milestones
from sencohub.ehcp.models import CalendarFeed
from sencohub.ehcp.selectors import ehc_scope
from sencohub.kernel import audit
from sencohub.kernel.secrets import digest, new_secret, secret_revoke, shown_prefix
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import schools_for_user
from sencohub.statutory import timelines as t

LOOK_AHEAD_DAYS = 400


def feed_create(*, user) -> tuple[CalendarFeed, str]:
    secret = new_secret("cal_")
    return CalendarFeed.objects.create(user=user, prefix=shown_prefix(secret), digest=digest(secret)), secret


def feed_revoke(*, user, feed_id: int) -> bool:
    return secret_revoke(CalendarFeed, user=user, pk=feed_id)


def feed_user(secret: str):
    feed = (
        CalendarFeed.objects.filter(digest=digest(secret), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def dates_for_user(user, today: dt.date) -> list[milestones.Milestone]:
    """Open statutory dates of every pupil whose EHC records the person may see: all that are overdue and
    those due in the next year or so (not the steps never recorded that can no longer be done)."""
    schools = list(schools_for_user(user, Action.VIEW_EHC))
    scope = Q(pk__in=[])
    for school in schools:
        scope |= Q(school=school) & ehc_scope(user, school)
    pupils = pupils_for_user(user, action=Action.VIEW_EHC).values("pk")
    requests = milestones.request_queryset().filter(scope, pupil__in=pupils)
    plans = milestones.plan_queryset().filter(scope, pupil__in=pupils)
    latest = t.add_days(today, LOOK_AHEAD_DAYS)
    return [
        m
        for m in milestones.for_pupil_records(requests, plans, today)
        if m.done_on is None and m.state != milestones.NOT_RECORDED and m.due <= latest
    ]


def initials(pupil) -> str:
    return f"{pupil.forename[:1]}.{pupil.surname[:1]}."


def event_uid(m: milestones.Milestone) -> str:
    """Stable for the same date of the same record, so calendar apps update an event rather than add another."""
    return (
        salted_hmac("sencohub.ehcp.calendar.event", f"{m.record}|{m.key}|{m.detail}").hexdigest()[:32]
        + "@sencohub"
    )


def calendar_for(user, today: dt.date, base_url: str) -> bytes:
    found = dates_for_user(user, today)
    deadline_pages = {
        s.pk: reverse("compliance", args=[s.urn]) for s in schools_for_user(user, Action.VIEW_COMPLIANCE)
    }
    cal = Calendar()
    cal.add("prodid", "-//sencohub//statutory dates//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "sencohub: statutory dates")
    stamp = timezone.now()
    for m in found:
        event = Event()
        event.add("uid", event_uid(m))
        event.add("dtstamp", stamp)
        event.add("dtstart", m.due)
        event.add("dtend", m.due + dt.timedelta(days=1))
        event.add("summary", f"Due: {m.label} – {initials(m.pupil)} ({m.pupil.school.name})")
        event.add(
            "description",
            f"{m.case}{': ' + m.detail if m.detail else ''}. {m.rule} ({m.source}). Who acts: {m.responsible}.",
        )
        if m.pupil.school_id in deadline_pages:
            event.add("url", base_url + deadline_pages[m.pupil.school_id])
        cal.add_component(event)
    seen = {m.pupil.pk: m.pupil for m in found}
    audit.log_bulk(
        [audit.entry(p, LogEntry.Action.ACCESS, actor=user, via="calendar feed") for p in seen.values()]
    )
    return cal.to_ical()
