"""Every URL pattern, walked as every role and as someone from another school.

A page or API call fails this test if it shows the name of any pupil the persona may not see
(World.visible_to, written out by hand), or if a page about a pupil opens for someone who may not see them.
"""

import datetime as dt
import io
import re
import zipfile

import pytest
from auditlog.models import LogEntry
from django.urls import URLPattern, URLResolver, get_resolver

from sencohub.ehcp.models import AdviceRequest, AnnualReview, AssessmentRequest, EhcPlan, PhaseTransfer
from sencohub.pupils.models import PupilImport
from sencohub.register.models import Concern, SenStatus
from sencohub.support.models import Outcome, SupportPlan
from sencohub.workforce.models import Appointment, Qualification, TrainingAttendance, TrainingSession, WeekLog
from tests.reauth import sign_in_confirmed

PERSONAS = [
    "senco", "deputy_senco", "send_admin", "head", "teacher", "teaching_assistant", "governor", "parent",
    "external_professional", "trust_send_lead", "la_officer", "outsider", "system_admin",
]  # fmt: skip

# Paths that are not ours to walk (allauth's own pages are tested through the sign-in tests).
SKIP_PREFIXES = ("accounts/", "api/v1/docs", "api/v1/openapi.json")


def walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def fill(route: str, world, pupil) -> str:
    concern = Concern.objects.filter(pupil=pupil).first()
    status = SenStatus.objects.filter(pupil=pupil).first()
    record = PupilImport.objects.filter(school=pupil.school).first()
    request = AssessmentRequest.objects.filter(pupil=pupil).first()
    plan = EhcPlan.objects.filter(pupil=pupil).first()
    advice = AdviceRequest.objects.filter(pupil=pupil).first()
    review = AnnualReview.objects.filter(pupil=pupil).first()
    transfer = PhaseTransfer.objects.filter(pupil=pupil).first()
    appointment = Appointment.objects.filter(school=pupil.school).first()
    qualification = Qualification.objects.filter(appointment=appointment).first()
    session = TrainingSession.objects.filter(school=pupil.school).first()
    values = {
        "appointment_id": appointment.pk if appointment else 0, "qualification_id": qualification.pk if qualification else 0,
        "session_id": session.pk if session else 0, "evidence_id": 0,
        "request_id": request.pk if request else 0, "plan_id": plan.pk if plan else 0,
        "advice_id": advice.pk if advice else 0, "review_id": review.pk if review else 0,
        "transfer_id": transfer.pk if transfer else 0,
        "urn": pupil.school.urn, "upn": pupil.upn, "concern_id": concern.pk if concern else 0,
        "status_id": status.pk if status else 0, "import_id": record.pk if record else 0, "fmt": "csv",
        "token_id": 0, "slug": "annual-review", "feed_id": 0, "secret": "not-a-secret", "kind_key": "annual_review_report", "outcome_id": 0, "job_id": 0, "provision_id": 0, "item_id": 0,
        "occasion": "review", "occasion_id": review.pk if review else 0, "who": "parent",
    }  # fmt: skip
    if "support/" in route:  # support plans share the plan_id name with EHC plans
        support = SupportPlan.objects.filter(pupil=pupil).first()
        outcome = Outcome.objects.filter(plan__pupil=pupil).first()
        values |= {"plan_id": support.pk if support else 0, "outcome_id": outcome.pk if outcome else 0}
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


@pytest.fixture
def routes():
    found = sorted(set(walk(get_resolver())))
    return [r for r in found if not r.startswith(SKIP_PREFIXES)]


@pytest.fixture
def seeded(world):
    from sencohub.register.services import concern_raise

    for pupil in (world.pupil_support, world.pupil_ehc, world.pupil_none, world.pupil_elsewhere):
        concern_raise(pupil=pupil, by=None, what_seen="Seems to find group work hard.")
    # EHC records of every kind for the pupils that have them, and for the pupil in the other school.
    elsewhere = world.pupil_elsewhere
    other_request = AssessmentRequest.objects.create(
        pupil=elsewhere, school=elsewhere.school, local_authority=elsewhere.school.local_authority, received_on=dt.date(2025, 1, 6)
    )
    EhcPlan.objects.create(pupil=elsewhere, school=elsewhere.school, local_authority=elsewhere.school.local_authority,
                           issued_on=dt.date(2025, 5, 1))  # fmt: skip
    for request in (AssessmentRequest.objects.get(pupil=world.pupil_support), other_request):
        AdviceRequest.objects.create(request=request, pupil=request.pupil, adviser="Educational psychologist",
                                     requested_on=dt.date(2025, 2, 1))  # fmt: skip
    for plan in EhcPlan.objects.all():
        AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=dt.date(2026, 2, 2))
        PhaseTransfer.objects.create(plan=plan, pupil=plan.pupil, transfer_on=dt.date(2027, 9, 1), to="school")
    for pupil in (world.pupil_support, world.pupil_ehc, world.pupil_elsewhere):
        plan = SupportPlan.objects.create(pupil=pupil, school=pupil.school, starts_on=dt.date(2026, 9, 7), review_on=dt.date(2026, 12, 18))
        Outcome.objects.create(plan=plan, what="Reads 40 words a minute")
    # The SENCo workforce in both schools: an appointment with a qualification, a logged week and a training session.
    for school in (world.school, world.other_school):
        senco = Appointment.objects.create(school=school, name="Workforce Person", starts_on=dt.date(2025, 9, 1))
        Qualification.objects.create(appointment=senco, kind="npq", started_on=dt.date(2025, 10, 1))
        WeekLog.objects.create(appointment=senco, week_of=dt.date(2026, 11, 16), administration=5)
        session = TrainingSession.objects.create(school=school, topic="Autism in the classroom", held_on=dt.date(2026, 10, 1))
        TrainingAttendance.objects.create(session=session, user=world.people["teacher"], confidence_before=2, confidence_after=4)
    PupilImport.objects.create(school=world.school, filename="a.csv", content=b"", result={"changes": [], "errors": []})
    PupilImport.objects.create(school=world.other_school, filename="b.csv", content=b"", result={"changes": [], "errors": []})
    return world


def names(pupils):
    return {p.surname for p in pupils}


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_pupil_the_persona_may_not_see(client, seeded, routes, persona):
    world = seeded
    all_pupils = {world.pupil_support, world.pupil_ehc, world.pupil_none, world.pupil_elsewhere}
    visible = world.visible_to(persona)
    hidden = names(all_pupils - visible)
    sign_in_confirmed(client, world.people[persona])  # bulk exports open, and are read for leaks like any page
    checked = 0
    reads = ReadsSince()
    for route in routes:
        for pupil in all_pupils:
            path = fill(route, world, pupil)
            response = client.get(path)
            assert response.status_code < 500, f"{persona} {path} gave {response.status_code}"
            body = response.content.decode(errors="replace")
            leaked = {name for name in hidden if name in body}
            assert not leaked, f"{persona} saw {leaked} at {path}"
            reads.assert_audited(response, route, pupil, all_pupils, world.people[persona], f"{persona} {path}")
            if "<str:upn>" in route and response.status_code == 200:
                assert pupil in visible, f"{persona} opened {path} about a pupil they may not see"
            checked += 1
    assert checked > 50


# ---- Every pupil a 200 shows is audited as read by the person (checked inside the walk above: no extra requests) ----


class ReadsSince:
    """The audit entries each request of the walk added (one query a request: the entries after the last seen)."""

    def __init__(self):
        self.last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def assert_audited(self, response, route, pupil, pupils, user, where):
        new = list(LogEntry.objects.filter(pk__gt=self.last).values_list("pk", "action", "actor_id", "additional_data"))
        self.last = max([self.last, *(pk for pk, *_ in new)])
        if response.status_code != 200:
            return
        text, readable = shown_text(response)
        named = {p for p in pupils if p.upn in text or p.full_name in text or f"{p.surname}, {p.forename}" in text}
        if not readable and "<str:upn>" in route:
            named.add(pupil)  # a PDF: the pupil the download is about
        read = {data.get("pupil_id") for _, action, actor, data in new if action == LogEntry.Action.ACCESS and actor == user.pk}
        unaudited = sorted(p.full_name for p in named if p.pk not in read)
        assert not unaudited, f"{where} showed {unaudited} but wrote no audit entry of their read by the person"


def shown_text(response) -> tuple[str, bool]:
    """What a response shows, as text: pages, JSON and CSV as they are, Word/Excel/ZIP files by the text of their
    parts; PDF (compressed, glyph-coded) is not readable (False)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        return _zip_text(content), True
    if content.startswith(b"%PDF"):
        return "", False
    return content.decode(errors="replace"), True


def _zip_text(content: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            parts.append(_zip_text(data) if data.startswith(b"PK") else re.sub(r"<[^>]+>", "", data.decode(errors="replace")))
    return "\n".join(parts)


@pytest.mark.parametrize("persona", ["senco", "teacher", "la_officer", "trust_send_lead"])
def test_people_do_see_the_pupils_they_should(client, world, persona):
    client.force_login(world.people[persona])
    for pupil in world.visible_to(persona):
        response = client.get(f"/schools/{pupil.school.urn}/pupils/{pupil.upn}/")
        assert response.status_code == 200
        assert pupil.surname in response.content.decode()


def test_someone_signed_out_is_sent_to_sign_in(client, world, routes):
    for route in routes:
        if route.startswith(("api/", "healthz", "calendar/feed/")):  # token-keyed, tested on their own
            continue
        if route == "favicon.ico":  # the site's icon, asked for by the browser before anyone signs in
            continue
        path = fill(route, world, world.pupil_support)
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_teacher_from_another_school_gets_404(client, world):
    client.force_login(world.people["outsider"])
    response = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/")
    assert response.status_code == 404


def test_governor_sees_figures_but_no_names(client, world):
    client.force_login(world.people["governor"])
    response = client.get(f"/schools/{world.school.urn}/figures/")
    assert response.status_code == 200
    assert "Quillfeather" not in response.content.decode()
    assert client.get(f"/schools/{world.school.urn}/register/").status_code == 404


def test_head_can_read_but_not_change_the_register(client, world):
    client.force_login(world.people["head"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/status/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"provision": "N", "start_date": "2026-11-01", "reason": "x"}).status_code == 404
