"""The URL map the generic guards walk: every URL pattern, its parameters filled from a generated trust.

Nothing here lists pages. `routes()` reads the URL patterns (django.urls.get_resolver); `build_world()` makes
a small demo trust (`sencohub demo`'s generator, with a few records the demo does not make); `url_map()` fills
every route's parameters from that trust and finds someone who may open it. A page added later is walked the
day it lands. A route whose parameters cannot be filled, or that nobody in the generated trust may open, makes
`url_map()` fail with a message saying how to teach it (a line in RECORDS or FREE below, or a record in
build_world), never a silent skip.
"""

import contextlib
import datetime as dt
import itertools
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import TOTP_SECRET, UserFactory
from tests.reauth import confirmed

# allauth's own pages (sign-in, password reset...) are tested through the sign-in tests and are not ours to change;
# the API's generated documentation pages are ninja's.
NOT_OURS = ("accounts/", "api/v1/docs", "api/v1/openapi.json")
NOT_OURS_NAMES = {"api:api-root"}  # ninja's index of the API, which answers 404 by design


@dataclass(frozen=True)
class Route:
    pattern: str  # the route as written, for messages
    name: str  # namespaced name, for reverse()
    params: tuple[str, ...]


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = entry.pattern
            params = tuple(getattr(pattern, "converters", {}).keys()) or tuple(pattern.regex.groupindex)
            yield Route(prefix + str(pattern), namespace + entry.name, params)


def routes(include_theirs: bool = False) -> list[Route]:
    """Every named URL pattern of the project, in the order the URL configuration declares them."""
    found = list(_walk(get_resolver()))
    return found if include_theirs else [r for r in found if not r.pattern.startswith(NOT_OURS) and r.name not in NOT_OURS_NAMES]


@dataclass
class World:
    school: object  # the first demo school (a primary), where the records below live
    people: dict  # role -> user: senco, head, teacher, teaching_assistant, parent, trust_send_lead, la_officer, system_admin
    extras: dict = field(default_factory=dict)  # secrets the URL map needs (a calendar feed's address)


def build_world(media_root=None) -> World:
    """A small generated trust (two schools of 30 pupils) where every kind of record exists at least once."""
    from sencohub.accounts.models import User
    from sencohub.accounts.services import api_token_create
    from sencohub.demo.build import build_demo
    from sencohub.ehcp.calendar import feed_create
    from sencohub.ehcp.models import (
        AnnualReview,
        AssessmentRequest,
        EhcPlan,
        PhaseTransfer,
        TimelineException,
    )
    from sencohub.provision.models import Enrolment, Provision
    from sencohub.pupils.models import Pupil, PupilImport
    from sencohub.schools.models import Membership, Role
    from sencohub.support.models import Evidence, PrintJob
    from sencohub.workforce.models import Qualification, TrainingSession

    result = build_demo(schools=2, pupils_per_school=30, seed=11, today=dt.date.today())
    school = result.schools[0]
    for user in User.objects.filter(is_demo=True):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)})
    people = {}
    for role in (Role.SENCO, Role.HEAD, Role.TEACHER, Role.TEACHING_ASSISTANT, Role.PARENT):
        people[str(role)] = Membership.objects.filter(school=school, role=role).select_related("user").first().user
    for role in (Role.TRUST_SEND_LEAD, Role.LA_OFFICER):
        people[str(role)] = Membership.objects.filter(role=role).select_related("user").first().user
    people["system_admin"] = UserFactory(email="sysadmin@guard.test", is_staff=True, is_superuser=True)
    senco = people["senco"]

    # Records the demo does not make, so that every route has something to open.
    PupilImport.objects.create(school=school, uploaded_by=senco, filename="pupils.csv", content=b"UPN\n",
                               status=PupilImport.Status.CHECKED, result={"changes": [], "errors": []})  # fmt: skip
    PrintJob.objects.create(school=school, requested_by=senco, what=PrintJob.What.PLANS, fmt="pdf",
                            status=PrintJob.Status.DONE, done=1, total=1, result=b"%PDF-1.4\n", filename="plans.pdf")  # fmt: skip
    api_token_create(user=senco, name="Guard")
    feed, secret = feed_create(user=senco)
    request = AssessmentRequest.objects.filter(school=school).first()
    TimelineException.objects.create(pupil=request.pupil, request=request, reason=TimelineException.Reason.values[0],
                                     starts_on=request.received_on)  # fmt: skip
    if media_root is not None:
        evidence = Evidence.objects.filter(pupil__school=school).first()
        evidence.file.save("scores.png", ContentFile(b"\x89PNG example"))
        qualification = Qualification.objects.filter(appointment__school=school).first()
        qualification.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4\n"))
    # Multiple-choice fields hold several values, so a form that keeps only one of them is caught: the provision
    # the map opens has four pupils on Monday, Wednesday and Friday; every training session has several attendees.
    provision = Provision.objects.filter(school=school, enrolments__isnull=False).distinct().order_by("pk").first()
    Provision.objects.filter(pk=provision.pk).update(days="024")
    for pupil in Pupil.objects.filter(school=school, sen_provision__in=["K", "E"]).exclude(enrolments__provision=provision)[:3]:
        Enrolment.objects.create(provision=provision, pupil=pupil)
    assert all(s.attendance.count() >= 2 for s in TrainingSession.objects.filter(school=school))
    plan = EhcPlan.objects.filter(school=school, reviews__isnull=False).first()
    assert plan is not None, "the generated school needs an EHC plan with an annual review"
    child_plan = EhcPlan.objects.filter(pupil__parent_carers__user=people["parent"]).first()
    assert child_plan is not None, "the demo parent's child needs an EHC plan"
    if not AnnualReview.objects.filter(plan=child_plan, report_sent_on__isnull=True).exists():
        AnnualReview.objects.create(plan=child_plan, pupil=child_plan.pupil, meeting_on=dt.date.today() + dt.timedelta(days=30))
    if not PhaseTransfer.objects.filter(plan__school=school).exists():
        PhaseTransfer.objects.create(plan=plan, pupil=plan.pupil, transfer_on=dt.date.today() + dt.timedelta(days=300), to="school")
    return World(school=school, people=people, extras={"calendar_secret": secret, "demo_password": result.password})


# ---- Filling parameters ------------------------------------------------------------------------------------
# RECORDS: for a parameter naming a record, functions from the world to that record's parameters (the record's
# own id and its parents': urn, upn, plan_id...). Where one name means two kinds of record (plan_id is an EHC
# plan or a support plan), each kind has a function and the route takes the first that fits and opens.
# FREE: parameters that name no record, with the values to walk.


def _pupil(p) -> dict:
    return {"urn": p.school.urn, "upn": p.upn}


def _first(queryset, to_params):
    record = queryset.first()
    return to_params(record) if record is not None else None


def _records():
    from sencohub.accounts.models import ApiToken
    from sencohub.ehcp import models as ehcp
    from sencohub.ehcp.models import CalendarFeed
    from sencohub.provision.models import Provision
    from sencohub.pupils.models import Pupil, PupilImport
    from sencohub.register.models import Concern, SenStatus
    from sencohub.support import models as support
    from sencohub.workforce.models import Appointment, Qualification, TrainingSession

    def pupils(w):
        # A pupil with an EHC plan and a support plan history first (the most to show), then one on SEN support.
        ehc = Pupil.objects.filter(school=w.school, sen_provision="E", ehc_plans__isnull=False).distinct().order_by("pk")
        return [ehc.first(), Pupil.objects.filter(school=w.school, sen_provision="K").order_by("pk").first()]

    return {
        "urn": [lambda w: {"urn": w.school.urn}],
        "upn": [lambda w: _pupil(pupils(w)[0]), lambda w: _pupil(pupils(w)[1])],
        "token_id": [lambda w: _first(ApiToken.objects.filter(user=w.people["senco"]), lambda t: {"token_id": t.pk})],
        "feed_id": [lambda w: _first(CalendarFeed.objects.filter(user=w.people["senco"]), lambda f: {"feed_id": f.pk})],
        "secret": [lambda w: {"secret": w.extras["calendar_secret"]}],
        "concern_id": [lambda w: _first(Concern.objects.filter(pupil__school=w.school), lambda c: {"urn": w.school.urn, "concern_id": c.pk})],
        "import_id": [lambda w: _first(PupilImport.objects.filter(school=w.school), lambda i: {"urn": w.school.urn, "import_id": i.pk})],
        "status_id": [lambda w: _first(SenStatus.objects.filter(pupil__school=w.school).exclude(provision="N"),
                                       lambda s: _pupil(s.pupil) | {"status_id": s.pk})],
        "request_id": [lambda w: _first(ehcp.AssessmentRequest.objects.filter(school=w.school, advice__isnull=False).distinct(),
                                        lambda r: _pupil(r.pupil) | {"request_id": r.pk})],
        "advice_id": [lambda w: _first(ehcp.AdviceRequest.objects.filter(request__school=w.school),
                                       lambda a: _pupil(a.pupil) | {"request_id": a.request_id, "advice_id": a.pk})],
        "plan_id": [
            lambda w: _first(ehcp.EhcPlan.objects.filter(school=w.school, reviews__isnull=False).distinct(),
                             lambda p: _pupil(p.pupil) | {"plan_id": p.pk}),
            lambda w: _first(support.SupportPlan.objects.filter(school=w.school, status=support.SupportPlan.Status.CURRENT),
                             lambda p: _pupil(p.pupil) | {"plan_id": p.pk}),
        ],
        "item_id": [lambda w: _first(ehcp.PlanProvisionItem.objects.filter(plan__school=w.school),
                                     lambda i: _pupil(i.plan.pupil) | {"plan_id": i.plan_id, "item_id": i.pk})],
        "outcome_id": [
            lambda w: _first(ehcp.PlanOutcome.objects.filter(plan__school=w.school),
                             lambda o: _pupil(o.plan.pupil) | {"plan_id": o.plan_id, "outcome_id": o.pk}),
            lambda w: _first(support.Outcome.objects.filter(plan__school=w.school, plan__status=support.SupportPlan.Status.CURRENT),
                             lambda o: _pupil(o.plan.pupil) | {"outcome_id": o.pk}),
        ],
        "review_id": [lambda w: _first(ehcp.AnnualReview.objects.filter(plan__school=w.school),
                                       lambda r: _pupil(r.plan.pupil) | {"plan_id": r.plan_id, "review_id": r.pk})],
        "transfer_id": [lambda w: _first(ehcp.PhaseTransfer.objects.filter(plan__school=w.school),
                                         lambda t: _pupil(t.plan.pupil) | {"plan_id": t.plan_id, "transfer_id": t.pk})],
        "occasion_id": [
            # The parent's own child's review first, so the family pages open too.
            lambda w: _first(ehcp.AnnualReview.objects.filter(plan__pupil__parent_carers__user=w.people["parent"],
                                                        report_sent_on__isnull=True),
                             lambda r: _pupil(r.plan.pupil) | {"occasion": "review", "occasion_id": r.pk}),
            lambda w: _first(ehcp.AssessmentRequest.objects.filter(school=w.school),
                             lambda r: _pupil(r.pupil) | {"occasion": "request", "occasion_id": r.pk}),
        ],
        "evidence_id": [lambda w: _first(support.Evidence.objects.filter(pupil__school=w.school).exclude(file=""),
                                         lambda e: _pupil(e.pupil) | {"evidence_id": e.pk})],
        "appointment_id": [lambda w: _first(Appointment.objects.filter(school=w.school, qualifications__isnull=False).distinct(),
                                            lambda a: {"urn": w.school.urn, "appointment_id": a.pk})],
        "qualification_id": [lambda w: _first(Qualification.objects.filter(appointment__school=w.school).exclude(certificate=""),
                                              lambda q: {"urn": w.school.urn, "appointment_id": q.appointment_id, "qualification_id": q.pk})],
        "session_id": [lambda w: _first(TrainingSession.objects.filter(school=w.school),
                                        lambda s: {"urn": w.school.urn, "session_id": s.pk})],
        "provision_id": [lambda w: _first(Provision.objects.filter(school=w.school, enrolments__isnull=False).distinct().order_by("pk"),
                                          lambda p: {"urn": w.school.urn, "provision_id": p.pk})],
        "job_id": [lambda w: _first(support.PrintJob.objects.filter(school=w.school), lambda j: {"urn": w.school.urn, "job_id": j.pk})],
    }  # fmt: skip


def _free():
    from sencohub.documents.rendering import KINDS
    from sencohub.home.calculator import CALCULATIONS

    return {
        "fmt": ["csv", "xlsx", "pdf", "docx", "ics"],
        "who": ["parent", "pupil"],
        "kind_key": sorted(KINDS),
        "slug": sorted(CALCULATIONS),
        "key": ["not-a-key"],
        "uidb36": ["0"],
    }


# Who is tried, in order, for each route: the first who may open it is the one the guards act as.
OPENERS = ["senco", "head", "parent", "trust_send_lead", "la_officer", "system_admin", "teacher", "teaching_assistant"]


@dataclass
class Entry:
    route: Route
    kwargs: dict
    path: str
    persona: str
    status: int  # of a plain GET by that persona
    content_type: str = ""
    content: bytes = b""
    query_keys: frozenset = frozenset()  # the query keys the page read while it was opened


def clients(world) -> dict:
    made = {}
    for persona, user in world.people.items():
        made[persona] = Client(raise_request_exception=False)  # a 500 is reported with the others, not raised
        made[persona].force_login(user)
        confirmed(made[persona], user)  # just signed in: bulk exports open without asking for the password again
    return made


def _opens(status: int) -> bool:
    # 405: a page that only takes posts (remove, revoke) exists and is reached by posting to it.
    return status < 400 or status == 405


def url_map(world, clients_by_persona, route_list=None) -> list[Entry]:
    """Every route filled from the world, with the first persona who may open it; fails loudly on a gap."""
    records, free = _records(), _free()
    entries, problems = [], []
    for route in route_list if route_list is not None else routes():
        record_params = [p for p in route.params if p in records]
        candidates = [{}]
        if record_params:
            candidates = [fill(world) for fill in records[record_params[-1]]]
            candidates = [c for c in candidates if c is not None and set(record_params) <= set(c)]
        unknown = [p for p in route.params if p not in free and p not in records and not any(p in c for c in candidates)]
        if unknown:
            problems.append(f"{route.pattern}: no way to fill {unknown}: add a function to RECORDS (a record) or a list to "
                            f"FREE (plain values) in tests/urlmap.py")  # fmt: skip
            continue
        free_params = [p for p in route.params if p in free and not any(p in c for c in candidates)]
        combos = [dict(zip(free_params, values, strict=True)) for values in itertools.product(*(free[p] for p in free_params))]
        opener = None  # once one value (a format) opens, the others are tried with the same record and person
        for combo in combos:
            if opener is None:
                entry = _first_opening(route, candidates, combo, clients_by_persona)
            else:
                entry = _first_opening(route, [opener.kwargs], combo, clients_by_persona, [opener.persona])
            if entry is not None:
                entries.append(entry)
                opener = opener or entry
        if opener is None:
            problems.append(f"{route.pattern}: nobody in the generated trust could open it (tried {OPENERS} with "
                            f"{len(candidates)} record(s)): make the record it needs in build_world or teach RECORDS/OPENERS "
                            f"in tests/urlmap.py")  # fmt: skip
    assert not problems, "The URL map has gaps:\n" + "\n".join(problems)
    return entries


def _first_opening(route, candidates, combo, clients_by_persona, personas=OPENERS):
    """The first record and person for which the route answers 200 (or 405: it only takes posts); a redirect
    (a reviewed plan sends you back to the pupil) counts only when nothing answers 200."""
    fallback = None
    for candidate in candidates:
        kwargs = {k: v for k, v in (candidate | combo).items() if k in route.params}
        path = reverse(route.name, kwargs=kwargs)
        for persona in personas:
            with recording_query_keys() as keys:
                response = clients_by_persona[persona].get(path)
            if not _opens(response.status_code):
                continue
            content_type = response.get("Content-Type", "")
            content = response.content if content_type.startswith("text/html") else b""
            entry = Entry(route, kwargs, path, persona, response.status_code, content_type, content, frozenset(keys))
            if response.status_code in (200, 405):
                return entry
            fallback = fallback or entry
            break  # this person may open it; another record may open without a redirect
    return fallback


@contextlib.contextmanager
def recording_query_keys():
    """The query keys a page reads while it is opened (whatever reads them: the view, a form bound to request.GET)."""
    keys = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def recorder(name):
        def method(self, key, *args, **kwargs):
            if isinstance(key, str):
                keys.add(key)
            return originals[name](self, key, *args, **kwargs)

        return method

    for name in originals:
        setattr(QueryDict, name, recorder(name))
    try:
        yield keys
    finally:
        for name in originals:
            delattr(QueryDict, name)  # back to the methods QueryDict inherits
