"""The private calendar feed: an ICS of open statutory dates, initials only, revocable."""

import datetime as dt

from django.utils import timezone
from icalendar import Calendar

from sencohub.ehcp.models import AnnualReview, CalendarFeed, EhcPlan


def create_feed(client, user) -> str:
    client.force_login(user)
    page = client.post("/calendar/").content.decode()
    start = page.index("http://testserver/calendar/feed/")
    url = page[start:page.index("</code>", start)]
    client.logout()
    return url.replace("http://testserver", "")


def test_the_feed_lists_open_dates_by_initials(client, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    meeting = timezone.localdate() + dt.timedelta(days=20)
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=meeting)
    url = create_feed(client, world.people["senco"])
    response = client.get(url)  # a calendar app: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    invitations = events["Due: Invitations sent – B.M. (Alder Primary)"]
    assert invitations.decoded("dtstart") == meeting - dt.timedelta(days=14)
    assert "/ehc/plans/" in str(invitations["url"])
    assert "Marchbanks" not in response.content.decode()
    assert len({str(e["uid"]) for e in cal.walk("VEVENT")}) == len(cal.walk("VEVENT"))


def test_the_feed_shows_only_what_its_owner_may_see(client, world):
    url = create_feed(client, world.people["la_officer"])
    cal = Calendar.from_ical(client.get(url).content)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert summaries and all("B.M." in s for s in summaries)  # not A.Q., whose request went to another LA


def test_a_revoked_feed_stops_working(client, world):
    url = create_feed(client, world.people["senco"])
    feed = CalendarFeed.objects.get()
    client.force_login(world.people["senco"])
    client.post(f"/calendar/{feed.pk}/revoke/")
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/calendar/feed/cal_guessed.ics").status_code == 404


def test_someone_cannot_revoke_anothers_feed(client, world):
    create_feed(client, world.people["senco"])
    feed = CalendarFeed.objects.get()
    client.force_login(world.people["head"])
    client.post(f"/calendar/{feed.pk}/revoke/")
    feed.refresh_from_db()
    assert feed.revoked_at is None
