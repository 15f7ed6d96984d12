"""The private calendar feed: an ICS of open statutory dates, initials only, revocable."""

import datetime as dt

from django.utils import timezone
from icalendar import Calendar

from sencohub.ehcp.calendar import initials
from sencohub.ehcp.models import AdviceRequest, AnnualReview, AssessmentRequest, CalendarFeed, EhcPlan
from sencohub.pupils.models import Pupil


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
    assert str(invitations["url"]) == f"http://testserver/schools/{world.school.urn}/compliance/"
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


def test_no_event_carries_a_upn_in_its_id_its_link_or_anywhere_else(client, world):
    today = timezone.localdate()
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=today + dt.timedelta(days=20))
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    AdviceRequest.objects.create(request=request, pupil=request.pupil, adviser="Educational psychologist", requested_on=today)
    url = create_feed(client, world.people["senco"])
    first, again = client.get(url).content, client.get(url).content
    events = Calendar.from_ical(first).walk("VEVENT")
    summaries = " ".join(str(e["summary"]) for e in events)
    assert len(events) >= 5 and all(initials(p) in summaries for p in (world.pupil_ehc, world.pupil_support))
    body = first.decode()
    for upn in Pupil.objects.values_list("upn", flat=True):
        assert upn not in body and upn.lower() not in body.lower()
    assert all(str(e["url"]).endswith(f"/schools/{world.school.urn}/compliance/") for e in events)
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in Calendar.from_ical(again).walk("VEVENT")]


def test_someone_who_cannot_open_the_deadlines_page_gets_events_without_links(client, world):
    url = create_feed(client, world.people["teaching_assistant"])
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert events and all("url" not in e for e in events)
    assert world.pupil_ehc.upn not in client.get(url).content.decode()
