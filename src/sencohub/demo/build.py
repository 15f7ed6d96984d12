"""A realistic synthetic trust for the demo and for tests: generated people only, never real ones.

Calibrated to England's January 2025 figures (statutory.national): 14.2% of pupils on SEN support and 5.3%
with EHC plans, with the national primary-need mix of EHC plans. The same seed gives the same data on the
same day (dates are set relative to today so the demo always looks current).
"""

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from sencohub.ehcp.models import (
    AdviceRequest,
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PhaseTransfer,
    PlanOutcome,
    PlanProvisionItem,
    TimelineException,
)
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import (
    Attendance,
    Enrolment,
    Intervention,
    PayBand,
    Provision,
    SenBudget,
    Session,
)
from sencohub.provision.reporting import measure_for
from sencohub.pupils.models import ParentCarer, Pupil
from sencohub.register.models import Concern, Need, SenStatus
from sencohub.schools.models import ClassGroup, LocalAuthority, Membership, Role, School, Term, Trust
from sencohub.statutory import census, exceptions, national, timelines
from sencohub.statutory import upn as upn_rules
from sencohub.statutory.school_year import school_year_start
from sencohub.support.models import (
    Evidence,
    Outcome,
    ParentMeeting,
    Passport,
    PlannedProvision,
    Strategy,
    SupportPlan,
)
from sencohub.workforce.models import Appointment, Qualification, TrainingAttendance, TrainingSession, WeekLog

DEMO_TRUST = "Brookfield Learning Trust (demo)"
DEMO_DOMAIN = "demo.sencohub.test"
# Codes no real authority or school has, so that a demo person can never reach a real record. England's LA codes
# run from 201 to 943 (the DfE's list, tests/data/la_codes.csv); the 990s are unused. GIAS issues six-digit URNs
# upwards from 100000, so the demo takes 99xxxx, the top of the range. There is no URN list in shared/data to check
# that against, and `add-school` does not refuse a 99xxxx URN: `sencohub demo` refusing to run beside any school
# it did not make is what keeps the two apart.
DEMO_LA = ("991", "Brookfield (demo)")
# Pupils in one school often have plans maintained by neighbouring authorities.
NEIGHBOUR_LAS = [("992", "Ashcombe (demo)"), ("993", "Harrowmere (demo)"), ("994", "Westholme (demo)")]
DEMO_LA_CODES = frozenset(code for code, _ in [DEMO_LA, *NEIGHBOUR_LAS])
DEMO_URNS = range(990000, 1000000)
# A UPN must carry the number of a real LA to be valid (statutory.upn); a UPN is the issuer's, not the school's
# LA, and the demo never shares a database with real schools, so a generated UPN cannot meet a real pupil's.
UPN_ISSUING_LA = 801

MESSAGE_NOT_DEBUG = (
    "The demo runs only while DEBUG is on (for example: DEBUG=1 sencohub demo, or make demo). It is for trying "
    "sencohub on your own computer, never on a server holding real pupils."
)
MESSAGE_REAL_SCHOOLS = (
    "This database holds {count} school(s) that the demo did not make ({examples}), so the demo will not run here: "
    "demo people must never share a database with real pupils. Use a new, empty database for the demo "
    "(for example, unset DATABASE_URL to use var/sencohub.sqlite3)."
)
ADVISERS = [
    "Educational psychologist",
    "Speech and language therapist",
    "Paediatrician",
    "Social care",
    "Occupational therapist",
    "Specialist teacher (sensory)",
]

PRIMARY_NAMES = [
    "Oakfield Primary",
    "Willow Lane Primary",
    "Hazelmere Infant and Junior",
    "Fernbrook Primary",
]
SECONDARY_NAMES = ["Kingsmead Academy", "Riverside High", "St Aldric's Secondary", "Northgate Academy"]

CONCERNS = [
    (
        "Struggles to follow instructions with more than one step; often watches others before starting.",
        "Observed in maths and English over three weeks; class notes attached.",
        "Visual task lists and chunked instructions for two weeks.",
    ),
    (
        "Reading is well behind peers; avoids reading aloud and guesses words from the first letter.",
        "Reading age from the termly test is 2 years below chronological age.",
        "Daily 10-minute phonics catch-up with the TA.",
    ),
    (
        "Frequent outbursts at lunchtime and after transitions; finds it hard to settle after break.",
        "Behaviour log shows 9 incidents this half term, mostly after lunch.",
        "Meet and greet at the door; a calm space to use after break.",
    ),
    (
        "Speech is hard to understand for adults who do not know him well; rarely joins group talk.",
        "Speaking and listening assessment; parent reports the same at home.",
        "Talk partners and modelling of sentence stems.",
    ),
    (
        "Handwriting is very slow and difficult to read; tires quickly when writing at length.",
        "Timed writing samples from September and November.",
        "Pencil grip, writing slope and reduced copying from the board.",
    ),
    (
        "Seems anxious in class and has stopped putting her hand up; attendance has dropped.",
        "Attendance 88% this term (96% last year); conversation with parent.",
        "Check-ins with form tutor twice a week.",
    ),
]


@dataclass
class DemoResult:
    password: str = ""  # every demo person's, generated for this run
    schools: list[School] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    workforce_only: list[School] = field(
        default_factory=list
    )  # trust schools with SENCo records and no pupils yet


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes], k=1)[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _birth_range(year_group: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Pupils in Year N were born 1 Sep (start - N - 5) to 31 Aug (start - N - 4) (Reception is N = 0)."""
    n = 0 if year_group == "R" else int(year_group)
    start_year = school_year_start(today).year
    return dt.date(start_year - n - 5, 9, 1), dt.date(start_year - n - 4, 8, 31)


def _demo_exception(request, rng: random.Random) -> None:
    """An exception the regulations allow: the head teacher's advice asked for in the week before a summer closure
    that falls while the 20 weeks run, or else a spell of exceptional personal circumstances."""
    received, issued = request.received_on, request.final_plan_on
    for year in (received.year, received.year + 1):
        closed, last_closed = dt.date(year, 7, 23), dt.date(year, 9, 2)
        asked = max(
            closed - dt.timedelta(days=rng.randrange(1, 7)), request.decision_on + dt.timedelta(days=1)
        )
        returned = last_closed + dt.timedelta(days=rng.randrange(3, 15))
        if returned >= issued:
            continue
        found = exceptions.assessment_limits(
            received,
            decision_on=request.decision_on,
            decided_to_assess=True,
            advice=[(asked, returned, "Head teacher")],
            final_plan_on=issued,
        )
        if exceptions.judge(exceptions.CLOSURE, closed, last_closed, found).excuses(exceptions.FINAL_PLAN):
            AdviceRequest.objects.create(
                request=request,
                pupil=request.pupil,
                adviser="Head teacher",
                requested_on=asked,
                returned_on=returned,
            )
            TimelineException.objects.create(
                request=request,
                pupil=request.pupil,
                reason=TimelineException.Reason.SCHOOL_CLOSURE,
                starts_on=closed,
                ends_on=last_closed,
                note="Advice asked of the head teacher just before the summer closure.",
            )
            return
    starts = received + dt.timedelta(weeks=rng.randrange(2, 8))
    TimelineException.objects.create(
        request=request,
        pupil=request.pupil,
        reason=TimelineException.Reason.PERSONAL,
        starts_on=starts,
        ends_on=starts + dt.timedelta(weeks=rng.randrange(2, 6)),
        note="A family bereavement; the parents asked for time.",
    )


def _populate_ehc(school, pupils, plan_starts, rng, today) -> None:
    """EHC work at every stage: plans with reviews held, late, due and arranged; requests in progress; transfers."""
    las = [school.local_authority] + [
        LocalAuthority.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in NEIGHBOUR_LAS
    ]
    year_start = school_year_start(today).year
    leaving_year = "6" if school.phase == School.Phase.PRIMARY else "11"
    for pupil in pupils:
        issued = plan_starts.get(pupil.pk)
        if issued is None:
            continue
        la = las[0] if rng.random() < 0.8 else rng.choice(las[1:])
        request = None
        if issued > today - dt.timedelta(days=3 * 365):
            received = issued - dt.timedelta(weeks=rng.choice([16, 18, 19, 20, 21, 23, 25, 28]))
            request = AssessmentRequest.objects.create(
                pupil=pupil,
                school=school,
                local_authority=la,
                sent_on=received - dt.timedelta(days=2),
                received_on=received,
                decision_on=received + dt.timedelta(days=rng.randrange(30, 50)),
                decided_to_assess=True,
                draft_sent_on=issued - dt.timedelta(days=rng.randrange(20, 35)),
                comments_sent_on=issued - dt.timedelta(days=rng.randrange(5, 18)),
                final_plan_on=issued,
            )
            if rng.random() < 0.15:
                _demo_exception(request, rng)
        plan = EhcPlan.objects.create(
            pupil=pupil,
            school=school,
            local_authority=la,
            request=request,
            issued_on=issued,
            placement=school.name,
            element3_pence=rng.choice([0, 250000, 400000, 600000, 850000]),
            section_a=f"{pupil.forename} enjoys art and football and wants to be a vet.",
            section_e="Outcomes for the end of the key stage, broken into termly targets in the support plans.",
            section_f=rng.choice(
                [
                    "Literacy teaching in a group of 4, three 30-minute sessions a week, by a trained teaching assistant.",
                    "Access to a quiet space as required and regular support from a teaching assistant.",
                    "Speech and language therapy: one 45-minute session a fortnight with the therapist; a programme "
                    "delivered by a trained teaching assistant three times a week for 20 minutes.",
                ]
            ),
        )
        base = issued
        while True:
            due = timelines.add_months(base, 12)
            meeting = (
                due - dt.timedelta(days=rng.randrange(0, 30))
                if rng.random() < 0.85
                else due + dt.timedelta(days=rng.randrange(1, 40))
            )
            if meeting > today + dt.timedelta(days=42):
                break
            if meeting > today:  # arranged, not yet held: invitations may or may not be out
                invited = meeting - dt.timedelta(days=rng.randrange(15, 21))
                AnnualReview.objects.create(
                    plan=plan,
                    pupil=pupil,
                    meeting_on=meeting,
                    invitations_sent_on=invited if invited <= today and rng.random() < 0.6 else None,
                )
                break
            decided = meeting + dt.timedelta(days=rng.randrange(14, 40))
            sent = meeting + dt.timedelta(days=rng.randrange(5, 20))
            amend = rng.random() < 0.4
            amendments = decided + dt.timedelta(days=rng.randrange(0, 7)) if amend else None
            amended = amendments + dt.timedelta(days=rng.randrange(35, 70)) if amend else None
            AnnualReview.objects.create(
                plan=plan,
                pupil=pupil,
                meeting_on=meeting,
                invitations_sent_on=meeting - dt.timedelta(days=rng.randrange(14, 24)),
                advice_circulated_on=meeting - dt.timedelta(days=rng.randrange(10, 18)),
                # Some recent reports are still to be written: overdue once two weeks have passed.
                report_sent_on=sent
                if sent <= today and ((today - meeting).days > 45 or rng.random() < 0.5)
                else None,
                decision=(AnnualReview.Decision.AMEND if amend else AnnualReview.Decision.MAINTAIN)
                if decided <= today
                else "",
                decision_on=decided if decided <= today else None,
                amendments_sent_on=amendments if amendments and amendments <= today else None,
                # The family comments within the 15 days (Regs 22); no draw from rng, so the rest of the demo is unchanged.
                amendment_comments_on=amendments + dt.timedelta(days=10)
                if amendments and amendments + dt.timedelta(days=10) <= today
                else None,
                amended_plan_on=amended if amended and amended <= today else None,
                pupil_views="I like my lessons with Mrs Patel. Reading is still hard.",
                parent_views="Happy with progress; worried about the move to the next class.",
            )
            base = meeting
        if pupil.year_group == leaving_year:
            PhaseTransfer.objects.create(
                plan=plan,
                pupil=pupil,
                transfer_on=dt.date(year_start + 1, 9, 1),
                to=PhaseTransfer.To.SCHOOL if leaving_year == "6" else PhaseTransfer.To.POST16,
            )

    # Requests in progress at each stage, for pupils on SEN support.
    candidates = [p for p in pupils if p.sen_provision == census.SEN_SUPPORT][:6]
    stages = [10, 40, 75, 120, 50, 60]  # days since the LA received each request
    for pupil, ago in zip(candidates, stages, strict=False):
        received = today - dt.timedelta(days=ago)
        request = AssessmentRequest.objects.create(
            pupil=pupil,
            school=school,
            local_authority=las[0],
            sent_on=received - dt.timedelta(days=3),
            received_on=received,
            requested_by="school",
        )
        if ago >= 40 and ago != 60:  # at 60 days the LA's decision is overdue
            request.decision_on = received + dt.timedelta(days=38 if ago != 50 else 44)
            request.decided_to_assess = ago != 50  # one refusal
            if request.decided_to_assess:
                for adviser in rng.sample(ADVISERS, 3):
                    asked = request.decision_on + dt.timedelta(days=rng.randrange(1, 6))
                    back = asked + dt.timedelta(days=rng.randrange(25, 50))
                    AdviceRequest.objects.create(
                        request=request,
                        pupil=pupil,
                        adviser=adviser,
                        requested_on=asked,
                        returned_on=back if back <= today else None,
                    )
            if ago >= 120:
                request.draft_sent_on = received + dt.timedelta(weeks=15)
        request.save()


OUTCOMES = {
    "communication and interaction": [
        (
            "Takes 3 turns in a small-group conversation",
            "In 4 of 5 group sessions, noted by the TA",
            "1 turn",
            "3 turns",
        ),
        (
            "Uses 4-word sentences to ask for help",
            "Heard on 3 days in a week",
            "2-word phrases",
            "4-word sentences",
        ),
        (
            "Follows 2-step instructions without a reminder",
            "In 4 of 5 lessons",
            "1 step with a reminder",
            "2 steps alone",
        ),
    ],
    "cognition and learning": [
        (
            "Reads 40 words a minute from a book at the right level",
            "Three timed readings in a row",
            "28 wpm",
            "40 wpm",
        ),
        (
            "Spells 15 of the 20 common exception words for the year",
            "Weekly spelling check",
            "6 of 20",
            "15 of 20",
        ),
        ("Recalls number bonds to 10 within 3 seconds", "Timed check, 9 of 10 right", "5 of 10", "9 of 10"),
    ],
    "social, emotional and mental health": [
        (
            "Uses the calm space and returns to learning within 5 minutes",
            "Behaviour log over 2 weeks",
            "15 minutes",
            "5 minutes",
        ),
        (
            "Names 3 feelings and what helps with each",
            "Tells the ELSA in a session",
            "1 feeling",
            "3 feelings",
        ),
        ("Has no more than 2 lunchtime incidents a week", "Lunchtime log", "6 a week", "2 a week"),
    ],
    "sensory and/or physical": [
        ("Writes 3 legible sentences in 10 minutes", "Timed writing sample", "1 sentence", "3 sentences"),
        (
            "Uses the visual timetable on arrival every morning",
            "TA checklist, 5 days",
            "With prompts",
            "Alone",
        ),
        ("Takes part in PE with adapted equipment every week", "PE register", "Sits out", "Every lesson"),
    ],
}
STRATEGIES = [
    ("Pre-teach the week's key vocabulary", "Class teacher"),
    ("Give instructions one step at a time, with a visual", "All staff"),
    ("Seat near the front, away from the door", "Class teacher"),
    ("Check in at the start of each afternoon", "Teaching assistant"),
    ("Offer a writing frame and word mat", "Class teacher"),
    ("Give a 2-minute warning before changes", "All staff"),
]
PROVISIONS = [
    ("Reading fluency group", 3, 20, 4, "Teaching assistant"),
    ("Speech and language group", 2, 30, 3, "Trained TA"),
    ("Emotional literacy support (ELSA)", 1, 45, 1, "ELSA"),
    ("Maths catch-up", 3, 15, 4, "Teaching assistant"),
    ("Handwriting and fine motor", 2, 15, 5, "Teaching assistant"),
    ("Sensory circuit", 5, 10, 6, "Teaching assistant"),
]


def _demo_terms(school, today) -> list:
    """Generated term dates for the demo: the last academic year and this one (a real school enters its own)."""
    terms = []
    for year in (school_year_start(today).year - 1, school_year_start(today).year):
        for name, start, end in [
            (f"Autumn {year}", dt.date(year, 9, 3), dt.date(year, 12, 18)),
            (f"Spring {year + 1}", dt.date(year + 1, 1, 5), dt.date(year + 1, 3, 26)),
            (f"Summer {year + 1}", dt.date(year + 1, 4, 13), dt.date(year + 1, 7, 21)),
        ]:
            terms.append(Term(school=school, name=name, starts_on=start, ends_on=end))
    return Term.objects.bulk_create(terms)


def _populate_support(school, pupils, sen_starts, areas, rng, today) -> None:
    """Support plans over the terms each pupil has had SEN: reviewed cycles with results and voices, and a current one."""
    terms = [t for t in _demo_terms(school, today) if t.starts_on <= today]
    results = [Outcome.Result.ACHIEVED, Outcome.Result.PARTLY, Outcome.Result.PARTLY, Outcome.Result.NOT]
    for pupil in pupils:
        started = sen_starts.get(pupil.pk)
        if started is None:
            continue
        pool = OUTCOMES.get(areas.get(pupil.pk, ""), OUTCOMES["cognition and learning"])
        ehc = EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).first()
        ehc_outcomes = (
            [
                PlanOutcome.objects.create(plan=ehc, text=text, by_when="the end of the key stage")
                for text in (
                    f"{pupil.forename} communicates needs and ideas to adults and friends",
                    f"{pupil.forename} reads and writes well enough to learn across the curriculum",
                )
            ]
            if ehc
            else []
        )
        cycle_terms = [t for t in terms if t.ends_on > started][-4:]
        previous = None
        for number, term in enumerate(cycle_terms, start=1):
            current = term.ends_on >= today
            plan = SupportPlan.objects.create(
                pupil=pupil,
                school=school,
                cycle=number,
                previous=previous,
                starts_on=max(term.starts_on, started),
                review_on=term.ends_on,
                status=SupportPlan.Status.CURRENT if current else SupportPlan.Status.REVIEWED,
                assessment=f"Assessed by the SENCo with the class teacher; {areas.get(pupil.pk, 'needs')} the main area of need.",
            )
            chosen = rng.sample(pool, 2)
            outcomes = [
                Outcome(
                    plan=plan,
                    what=w,
                    success_criteria=c,
                    baseline=b,
                    target=tg,
                    by_when=term.ends_on,
                    responsible="Class teacher",
                    ehc_outcome=ehc_outcomes[i % 2] if ehc_outcomes else None,
                )
                for i, (w, c, b, tg) in enumerate(chosen)
            ]
            if rng.random() < 0.3:
                outcomes.append(Outcome(plan=plan, what="Improve confidence in class", responsible=""))
            if not current:
                for o in outcomes:
                    o.result = rng.choice(results)
                    o.result_note = "From the evidence log and the review meeting."
            Outcome.objects.bulk_create(outcomes)
            Strategy.objects.bulk_create(
                [
                    Strategy(plan=plan, text=s, owner=o if rng.random() < 0.85 else "")
                    for s, o in rng.sample(STRATEGIES, 3)
                ]
            )
            PlannedProvision.objects.bulk_create(
                [
                    PlannedProvision(
                        plan=plan, description=d, sessions_per_week=f, minutes=m, group_size=g, staff=st
                    )
                    for d, f, m, g, st in rng.sample(PROVISIONS, 1)
                ]
            )
            if current:
                if rng.random() < 0.6:
                    plan.parents_invited_on = today - dt.timedelta(days=rng.randrange(1, 10))
                    plan.save(update_fields=["parents_invited_on"])
                Evidence.objects.bulk_create(
                    [
                        Evidence(
                            outcome=o,
                            pupil=pupil,
                            noted_on=today - dt.timedelta(days=rng.randrange(1, 30)),
                            note="Seen in class today: steady progress towards the target.",
                        )
                        for o in outcomes[:2]
                    ]
                )
            else:
                plan.reviewed_on = term.ends_on - dt.timedelta(days=rng.randrange(0, 5))
                plan.pupil_voice = rng.choice(
                    [
                        "I like the reading group.",
                        "Lunchtimes are still hard.",
                        "I can do more on my own now.",
                    ]
                )
                plan.parent_voice = rng.choice(
                    ["Pleased with progress.", "Would like ideas to help at home.", "Homework is a struggle."]
                )
                plan.decision = SupportPlan.Decision.CONTINUE
                plan.save(update_fields=["reviewed_on", "pupil_voice", "parent_voice", "decision"])
                ParentMeeting.objects.create(
                    pupil=pupil,
                    held_on=plan.reviewed_on,
                    kind=ParentMeeting.Kind.REVIEW,
                    attendees="Parent, class teacher, SENCo",
                    notes="Reviewed the plan together and agreed the next outcomes.",
                )
            previous = plan
        if rng.random() < 0.75:
            Passport.objects.create(
                pupil=pupil,
                written_with=f"{pupil.forename} and their teaching assistant",
                like_and_admire=rng.choice(
                    [
                        "Kind and helpful to younger children.",
                        "Funny, and brilliant at drawing.",
                        "Knows everything about dinosaurs.",
                    ]
                ),
                important=rng.choice(
                    ["My dog, Biscuit, and my nan.", "Football on Saturdays.", "Knowing what happens next."]
                ),
                support_best=rng.choice(
                    [
                        "Tell me what is coming next before it happens.",
                        "Give me time to answer.",
                        "Let me use my ear defenders when it is loud.",
                    ]
                ),
                find_hard=rng.choice(["Writing a lot at once.", "Busy, noisy places.", "Reading out loud."]),
            )


def _populate_provision(school, pupils, areas, rng, today) -> None:
    """A year of provision: the common catalogue, pay bands, groups by area of need, and 1:1 support for some plans."""
    catalogue_seed(school)
    year_start = dt.date(school_year_start(today).year, 9, 8)
    year_end = dt.date(school_year_start(today).year + 1, 7, 17)
    ta = PayBand.objects.create(school=school, name="Teaching assistant", hourly_pence=1540)
    hlta = PayBand.objects.create(school=school, name="Higher level teaching assistant", hourly_pence=1850)
    teacher = PayBand.objects.create(school=school, name="Teacher", hourly_pence=3600)
    by_area: dict[str, list] = {}
    for pupil in pupils:
        if pupil.sen_provision != census.NO_SEN:
            by_area.setdefault(areas.get(pupil.pk, "cognition and learning"), []).append(pupil)
    for intervention in Intervention.objects.filter(school=school):
        members = by_area.get(intervention.area, [])
        size = intervention.group_size or 4
        for number, start in enumerate(range(0, min(len(members), size * 2), size)):
            group = members[start : start + size]
            provision = Provision.objects.create(
                school=school,
                intervention=intervention,
                name=f"{intervention.name} ({'AB'[number]})",
                wave=Provision.Wave.TARGETED,
                staff=rng.choice(["Mrs Patel", "Mr Okoye", "Ms Byrne", "Mrs Evans"]),
                pay_band=rng.choice([ta, ta, hlta]) if size > 1 else teacher,
                when="Mon, Wed, Fri 9:10",
                starts_on=year_start,
                ends_on=year_end,
                sessions_per_week=intervention.sessions_per_week or 3,
                minutes=intervention.minutes or 20,
                other_costs_pence=rng.choice([0, 4500, 12000]),
                days={1: "2", 2: "13", 3: "024", 4: "0134"}.get(intervention.sessions_per_week or 3, "01234"),
                starts_at=rng.choice([dt.time(9, 10), dt.time(10, 40), dt.time(13, 15), dt.time(14, 0)]),
            )
            provision.pupils.set(group)
    _demo_sessions(school, rng, today)
    _demo_measures(school, rng, year_start, today)
    one_to_one = Intervention.objects.create(
        school=school,
        name="1:1 teaching assistant support",
        area="cognition and learning",
        evidence=Intervention.Evidence.LIMITED,
        evidence_note="EEF Toolkit: teaching assistant interventions",
    )
    for pupil in [p for p in pupils if p.sen_provision == census.EHC_PLAN][:3]:
        support = Provision.objects.create(
            school=school,
            intervention=one_to_one,
            name=f"1:1 support for {pupil.forename}",
            wave=Provision.Wave.SPECIALIST,
            staff="Named teaching assistant",
            pay_band=ta,
            starts_on=year_start,
            ends_on=year_end,
            sessions_per_week=5,
            minutes=rng.choice([180, 240, 300]),
        )
        support.pupils.set([pupil])
        plan = EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).first()
        if plan is not None:
            PlanProvisionItem.objects.create(
                plan=plan,
                description="Individual support from a trained teaching assistant",
                hours_per_week=Decimal(25),
                group_size=1,
                staff="Trained teaching assistant",
                provision=support,
            )
    # Universal (wave 1): on the map for the record, never counted against the notional SEN budget.
    visual = Intervention.objects.create(
        school=school, name="Visual timetable check-in", area="communication and interaction"
    )
    universal = Provision.objects.create(
        school=school,
        intervention=visual,
        name="Visual timetable check-in (in class)",
        wave=Provision.Wave.UNIVERSAL,
        staff="Class teaching assistant",
        pay_band=ta,
        starts_on=year_start,
        ends_on=year_end,
        sessions_per_week=5,
        minutes=5,
    )
    universal.pupils.set([p for p in pupils if p.sen_provision != census.NO_SEN][:6])
    # The notional SEN budget (element 2) from the school's budget statement: an approximation of £550 to £650 a pupil.
    SenBudget.objects.create(
        school=school,
        year_start=school_year_start(today),
        notional_pence=len(pupils) * rng.choice([55_000, 60_000, 65_000]),
    )


def _demo_group_staff(school, ta, teachers) -> None:
    """Name who runs each group: the teaching assistant two groups in three, the teachers the rest (the 1:1
    support keeps its written-in named assistant, who has no account). Each sees and marks their whole group."""
    for number, provision in enumerate(
        Provision.objects.filter(school=school).exclude(staff="Named teaching assistant").order_by("pk")
    ):
        runner = ta if number % 3 != 2 or not teachers else teachers[number % len(teachers)]
        provision.run_by.add(runner)
        provision.staff = ""
        provision.save(update_fields=["staff"])


def _demo_sessions(school, rng, today) -> None:
    """Registers for every group session so far this year: about nine in ten pupils there, a few sessions cancelled."""
    sessions, marks = [], []
    terms = [(t.starts_on, t.ends_on) for t in Term.objects.filter(school=school)]
    for provision in Provision.objects.filter(school=school).prefetch_related("pupils"):
        pupils = list(provision.pupils.all())
        day = provision.starts_on
        per_week = min(provision.sessions_per_week, 5)
        while day <= min(today - dt.timedelta(days=1), provision.ends_on):
            if day.weekday() < per_week and any(start <= day <= end for start, end in terms):
                sessions.append(
                    (Session(provision=provision, held_on=day, cancelled=rng.random() < 0.04), pupils)
                )
            day += dt.timedelta(days=1)
    Session.objects.bulk_create([s for s, _ in sessions], batch_size=1000)
    for session, pupils in sessions:
        marks += [
            Attendance(session=session, pupil=p, present=not session.cancelled and rng.random() < 0.9)
            for p in pupils
        ]
    Attendance.objects.bulk_create(marks, batch_size=2000)


def _demo_measures(school, rng, year_start, today) -> None:
    """Entry measures at the start and a check at the last half-term, so the impact page has real figures."""
    checked = min(today, year_start + dt.timedelta(weeks=8))
    enrolments = list(
        Enrolment.objects.filter(provision__school=school).select_related("provision__intervention", "pupil")
    )
    for e in enrolments:
        e.measure = measure_for(e.provision.intervention.measure)
        e.entry_on, e.exit_on = year_start, checked if checked > year_start else None
        gain = rng.gauss(4, 3)
        if e.measure in ("reading_age", "spelling_age"):
            entry = rng.randrange(60, 110)
        elif e.measure == "standardised":
            entry = rng.randrange(70, 90)
        else:
            entry, gain = rng.randrange(2, 6), rng.gauss(1, 1)
        e.entry_value = entry
        e.exit_value = round(entry + gain, 1) if e.exit_on else None
    Enrolment.objects.bulk_update(
        enrolments, ["measure", "entry_on", "entry_value", "exit_on", "exit_value"], batch_size=500
    )


def _appoint(
    school,
    name,
    user,
    starts,
    *,
    previous=0,
    courses=(),
    fte="0.8",
    hours=20,
    protected=8,
    slt=False,
    admin=4,
    ends=None,
    why="",
    head_confirmed=None,
) -> Appointment:
    appointment = Appointment.objects.create(
        school=school,
        name=name,
        user=user,
        starts_on=starts,
        previous_senco_months=previous,
        fte=Decimal(fte),
        hours_per_week=Decimal(hours),
        protected_hours=Decimal(protected),
        on_slt=slt,
        admin_hours=Decimal(admin),
        ends_on=ends,
        leaving_reason=why,
        head_confirmed_on=head_confirmed,
        qts=True,
    )
    for kind, started, completed in courses:
        Qualification.objects.create(
            appointment=appointment,
            kind=kind,
            provider="Example University",
            started_on=started,
            completed_on=completed,
            status="completed" if completed else "in_progress",
        )
    return appointment


def _demo_senco(school, index, user, today, fake) -> None:
    """The SENCo of a school with pupils, with a predecessor who left: qualified by the NASENCo in the primary (late:
    completed after the third anniversary, and so still held, SI 2024/535), on the NPQ in the secondary."""
    nasenco, npq = Qualification.Kind.NASENCO, Qualification.Kind.NPQ
    if index % 2 == 0:
        _appoint(
            school,
            fake.name(),
            None,
            dt.date(2012, 9, 3),
            ends=dt.date(2019, 8, 31),
            why="promotion",
            courses=[(nasenco, dt.date(2012, 10, 1), dt.date(2014, 7, 10))],
        )
        _appoint(
            school,
            str(user),
            user,
            dt.date(2019, 9, 2),
            slt=True,
            courses=[(nasenco, dt.date(2021, 10, 4), dt.date(2023, 7, 14))],
        )
    else:
        _appoint(
            school,
            fake.name(),
            None,
            dt.date(2016, 1, 4),
            ends=dt.date(2025, 7, 22),
            why="left_teaching",
            courses=[(nasenco, dt.date(2016, 2, 1), dt.date(2018, 6, 30))],
        )
        started = dt.date(2025, 9, 1)
        _appoint(
            school,
            str(user),
            user,
            started,
            fte="1.0",
            hours=25,
            protected=10,
            slt=index % 4 == 1,
            courses=[(npq, dt.date(2025, 11, 3), None)],
            head_confirmed=today - dt.timedelta(days=30),
        )


# Trust schools that have shared their SENCo records but not yet imported pupils: every other state.
WORKFORCE_ONLY = [
    ("Willow Lane Primary (demo, SENCo records only)", "due"),
    ("Riverside High (demo, SENCo records only)", "overdue"),
    ("Hazelmere Infant and Junior (demo, SENCo records only)", "not required"),
    ("St Aldric's Secondary (demo, SENCo records only)", "vacancy"),
    ("Fernbrook Primary (demo, SENCo records only)", "npq qualified"),
]


def _workforce_only_schools(trust, la, seed, fake, today) -> list:
    nasenco, npq = Qualification.Kind.NASENCO, Qualification.Kind.NPQ
    made = []
    for number, (name, state) in enumerate(WORKFORCE_ONLY):
        phase = School.Phase.SECONDARY if "High" in name or "Secondary" in name else School.Phase.PRIMARY
        school = School.objects.create(
            urn=f"{998000 + number * 3 + seed % 3}",
            name=name,
            phase=phase,
            local_authority=la,
            trust=trust,
            shares_with_local_authority=True,
            is_demo=True,
        )
        made.append(school)
        if state == "due":  # appointed almost three years ago, on the NPQ, due within six months
            _appoint(
                school,
                fake.name(),
                None,
                timelines.add_months(today, -32),
                fte="0.6",
                hours=12,
                protected=4,
                admin=0,
                courses=[(npq, timelines.add_months(today, -14), None)],
            )
        elif state == "overdue":  # appointed in January 2023 with no course recorded: due January 2026
            _appoint(
                school, fake.name(), None, dt.date(2023, 1, 9), fte="1.0", hours=15, protected=5, admin=2
            )
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2017, 9, 1),
                ends=dt.date(2022, 12, 21),
                why="retired",
                courses=[(nasenco, dt.date(2017, 10, 2), dt.date(2019, 7, 1))],
            )
        elif state == "not required":  # SENCo since before September 2008
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2007, 4, 16),
                fte="0.5",
                hours=10,
                protected=4,
                slt=True,
                admin=0,
            )
        elif state == "vacancy":  # the SENCo retired last summer; the post is being advertised
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2014, 9, 1),
                ends=dt.date(2026, 8, 31),
                why="retired",
                fte="1.0",
                courses=[(nasenco, dt.date(2014, 10, 1), dt.date(2016, 7, 8))],
            )
        else:  # qualified by the NPQ
            _appoint(
                school,
                fake.name(),
                None,
                dt.date(2024, 9, 2),
                fte="0.5",
                hours=12,
                protected=6,
                admin=1,
                courses=[(npq, dt.date(2024, 10, 7), dt.date(2026, 2, 27))],
            )
            _appoint(
                school, fake.name(), None, dt.date(2020, 4, 20), ends=dt.date(2024, 7, 19), why="other_role"
            )
    return made


CATEGORY_WEIGHTS = {
    "strategic": 2,
    "teachers": 3,
    "pupils": 3,
    "casework": 4,
    "administration": 5,
    "ehc_paperwork": 3,
    "training_others": 1,
    "own_development": 1,
}


def _demo_time(appointment, rng, today) -> None:
    """A week's log for most weeks since September: administration and EHC paperwork crowd out the rest."""
    start = school_year_start(today)
    week = start - dt.timedelta(days=start.weekday()) + dt.timedelta(days=7)
    logs = []
    while week + dt.timedelta(days=7) <= today:
        if rng.random() < 0.85:  # some weeks are forgotten, as in life
            hours = {
                name: Decimal(round(rng.uniform(0.5, 1.5) * weight * 2) / 2)
                for name, weight in CATEGORY_WEIGHTS.items()
            }
            total = sum(hours.values())
            kept = min(
                total,
                max(
                    Decimal(0),
                    Decimal(round(rng.uniform(0.4, 1.0) * float(appointment.protected_hours) * 2) / 2),
                ),
            )
            logs.append(
                WeekLog(
                    appointment=appointment,
                    week_of=week,
                    protected_used=kept,
                    note="Annual review week" if rng.random() < 0.1 else "",
                    **hours,
                )
            )
        week += dt.timedelta(days=7)
    WeekLog.objects.bulk_create(logs)


TRAINING = [
    ("Speech, language and communication in the classroom", "communication and interaction", 75),
    ("Adaptive teaching for pupils with dyslexia", "cognition and learning", 60),
    ("Understanding and supporting anxiety", "social, emotional and mental health", 90),
    ("Using the graduated approach: assess, plan, do, review", "general", 60),
]


def _demo_training(school, staff, rng, today) -> None:
    for number, (topic, area, minutes) in enumerate(TRAINING):
        held = today - dt.timedelta(days=20 + 35 * number)
        session = TrainingSession.objects.create(
            school=school,
            topic=topic,
            area_of_need=area,
            held_on=held,
            minutes=minutes,
            led_by="" if number != 2 else "Educational psychology service",
        )
        for user in rng.sample(staff, k=max(1, len(staff) - number)):
            before = rng.randint(1, 3)
            after = min(5, before + rng.randint(0, 2) + (number % 2)) if rng.random() < 0.8 else None
            TrainingAttendance.objects.create(
                session=session, user=user, confidence_before=before, confidence_after=after
            )


def demo_refusal() -> str | None:
    """Why the demo must not run here, if it must not: DEBUG is off, or the database holds a real school."""
    if not settings.DEBUG:
        return MESSAGE_NOT_DEBUG
    real = School.objects.filter(is_demo=False).order_by("urn")
    count = real.count()
    if count:
        examples = ", ".join(f"{s.name} ({s.urn})" for s in real[:3]) + (" and others" if count > 3 else "")
        return MESSAGE_REAL_SCHOOLS.format(count=count, examples=examples)
    return None


def remove_demo() -> None:
    """Delete a previous demo (its schools and the demo people), so it can be made again. Nothing else."""
    with disable_auditlog():
        schools = School.objects.filter(is_demo=True)
        Provision.objects.filter(
            school__in=schools
        ).delete()  # provisions protect their interventions and pay bands
        pupils = Pupil.objects.filter(school__in=schools)
        Concern.objects.filter(pupil__in=pupils).delete()
        Need.objects.filter(pupil__in=pupils).delete()
        SenStatus.objects.filter(pupil__in=pupils).delete()
        ParentCarer.objects.filter(pupil__in=pupils).delete()
        pupils.delete()
        schools.delete()
        Trust.objects.filter(name=DEMO_TRUST).exclude(schools__is_demo=False).delete()
        get_user_model().objects.filter(is_demo=True, email__endswith=f"@{DEMO_DOMAIN}").delete()


@transaction.atomic
def build_demo(
    *,
    schools: int = 2,
    pupils_per_school: int = 300,
    seed: int = 2025,
    today: dt.date | None = None,
    password: str | None = None,
) -> DemoResult:
    """The demo trust; every demo person signs in with `password`, or one generated for this run (in the result).

    `sencohub demo` first asks demo_refusal(); tests build the demo beside their own fixtures.
    """
    today = today or timezone.localdate()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    remove_demo()
    result = DemoResult(password=password or secrets.token_urlsafe(12))
    User = get_user_model()
    la, _ = LocalAuthority.objects.get_or_create(code=DEMO_LA[0], defaults={"name": DEMO_LA[1]})
    trust = Trust.objects.create(name=DEMO_TRUST)

    password_hash = make_password(result.password)  # hashed once: hashing is slow by design

    def person(local: str, role: str, school: School | None, **scope):
        first, last = fake.first_name(), fake.last_name()
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, is_demo=True, password=password_hash)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        membership = Membership.objects.create(user=user, role=role, school=school, **scope)
        result.users.append(
            # Trust leads and LA officers are reached through the trust's first school (as `add-user` does).
            {"email": email, "role": role, "school": (school or result.schools[0]).urn, "name": str(user)}
        )
        return membership

    with disable_auditlog():
        for index in range(schools):
            phase = School.Phase.PRIMARY if index % 2 == 0 else School.Phase.SECONDARY
            names = PRIMARY_NAMES if phase == School.Phase.PRIMARY else SECONDARY_NAMES
            name = names[(index // 2) % len(names)] + ("" if index < 8 else f" {index // 8 + 1}") + " (demo)"
            school = School.objects.create(
                urn=f"{990100 + index * 7 + seed % 7}",
                name=name,
                phase=phase,
                local_authority=la,
                trust=trust,
                shares_with_local_authority=True,
                is_demo=True,
            )
            result.schools.append(school)
            _populate_school(school, index, pupils_per_school, rng, fake, today, person)
        result.workforce_only = _workforce_only_schools(trust, la, seed, fake, today)
        # Across the trust and the LA: one trust SEND lead and one LA officer.
        person("trust.lead", Role.TRUST_SEND_LEAD, None, trust=trust)
        person("la.officer", Role.LA_OFFICER, None, local_authority=la)
    return result


def _populate_school(school, index, size, rng, fake, today, person) -> None:
    primary = school.phase == School.Phase.PRIMARY
    years = ["R", "1", "2", "3", "4", "5", "6"] if primary else ["7", "8", "9", "10", "11"]
    forms_per_year = max(1, round(size / len(years) / 30))
    letters = "ABCDEFGH" if primary else "KLMNPRST"
    groups = {}
    for year in years:
        for f in range(forms_per_year):
            name = f"{year}{letters[f]}" if year != "R" else f"R{letters[f]}"
            groups[(year, f)] = ClassGroup.objects.create(school=school, name=name)

    # Exactly the national shares, then shuffled across the roll.
    n_ehc = round(size * national.PERCENT_EHC_PLAN / 100)
    n_support = round(size * national.PERCENT_SEN_SUPPORT / 100)
    provisions = [census.EHC_PLAN] * n_ehc + [census.SEN_SUPPORT] * n_support
    provisions += [census.NO_SEN] * (size - len(provisions))
    rng.shuffle(provisions)
    la_number = UPN_ISSUING_LA
    establishment = 2000 + (index * 37) % 7000

    pupils = []
    for serial, provision in enumerate(provisions):
        year = years[serial % len(years)]
        form = rng.randrange(forms_per_year)
        born_from, born_to = _birth_range(year, today)
        gender = rng.choice("FM")
        forename = fake.first_name_female() if gender == "F" else fake.first_name_male()
        fsm = rng.random() < 0.25
        pupils.append(
            Pupil(
                school=school,
                # Serial and issue year together are unique for up to 90,000 pupils a school.
                upn=upn_rules.make(la_number, establishment, 10 + serial // 1000, serial % 1000),
                surname=fake.last_name(),
                forename=forename,
                date_of_birth=_date_between(rng, born_from, born_to),
                gender=gender,
                year_group=year,
                class_group=groups[(year, form)],
                eal=rng.random() < 0.22,
                fsm=fsm,
                pupil_premium=fsm or rng.random() < 0.04,
                looked_after=rng.random() < 0.007,
                sen_provision=provision,
            )
        )
    Pupil.objects.bulk_create(pupils, batch_size=500)

    statuses, needs, parents = [], [], []
    entry_date = dt.date(school_year_start(today).year - (6 if primary else 4), 9, 3)
    for pupil in pupils:
        parents.append(
            ParentCarer(
                pupil=pupil,
                name=f"{fake.first_name()} {pupil.surname}",
                relationship=rng.choice(["Mother", "Father", "Mother", "Grandparent", "Carer"]),
                email="",
                phone="",
            )
        )
        if pupil.sen_provision == census.NO_SEN:
            continue
        weights = (
            national.EHC_PRIMARY_NEED_PERCENT
            if pupil.sen_provision == census.EHC_PLAN
            else (national.DEMO_SEN_SUPPORT_NEED_WEIGHTS)
        )
        primary_need = _weighted(rng, weights)
        start = _date_between(rng, max(entry_date, pupil.date_of_birth + dt.timedelta(days=4 * 365)), today)
        if primary_need == "DS":
            start = max(start, dt.date(2025, 1, 6))
        if pupil.sen_provision == census.EHC_PLAN and rng.random() < 0.7:
            # Most EHC plans follow a period of SEN support.
            support_start = _date_between(rng, entry_date, start - dt.timedelta(days=120))
            if support_start < start - dt.timedelta(days=60):
                statuses.append(
                    SenStatus(
                        pupil=pupil,
                        provision=census.SEN_SUPPORT,
                        start_date=support_start,
                        end_date=start,
                        reason="Needs identified by class teacher and SENCo; SEN support began.",
                        parents_informed_on=support_start + dt.timedelta(days=rng.randrange(1, 10)),
                    )
                )
        told = None
        if pupil.sen_provision == census.SEN_SUPPORT and rng.random() < 0.9:
            told = min(today, start + dt.timedelta(days=rng.randrange(1, 15)))
        statuses.append(
            SenStatus(
                pupil=pupil,
                provision=pupil.sen_provision,
                start_date=start,
                reason="EHC plan issued by the local authority."
                if pupil.sen_provision == census.EHC_PLAN
                else "Assessed by the SENCo after a concern; SEN support began.",
                parents_informed_on=told,
            )
        )
        needs.append(Need(pupil=pupil, sen_type=primary_need, rank=1))
        if primary_need != "NSA" and rng.random() < 0.35:
            secondary = _weighted(
                rng, {k: v for k, v in national.EHC_PRIMARY_NEED_PERCENT.items() if k != primary_need}
            )
            needs.append(Need(pupil=pupil, sen_type=secondary, rank=2))
    SenStatus.objects.bulk_create(statuses, batch_size=500)
    Need.objects.bulk_create(needs, batch_size=500)
    ParentCarer.objects.bulk_create(parents, batch_size=500)
    plan_starts = {
        s.pupil_id: s.start_date for s in statuses if s.provision == census.EHC_PLAN and s.end_date is None
    }
    if not primary:
        # Resourced provision for autistic pupils, recognised by the LA (school census): its members have EHC plans.
        school.has_resourced_provision = True
        school.save(update_fields=["has_resourced_provision"])
        autistic = {n.pupil_id for n in needs if n.rank == 1 and n.sen_type == "ASD"}
        Pupil.objects.filter(pk__in=sorted(autistic & set(plan_starts))[:8]).update(
            in_resourced_provision=True
        )
    _populate_ehc(school, pupils, plan_starts, rng, today)
    sen_starts = {}
    for s in statuses:
        if s.provision != census.NO_SEN:
            sen_starts[s.pupil_id] = min(s.start_date, sen_starts.get(s.pupil_id, s.start_date))
    areas = {n.pupil_id: census.area_of_need(n.sen_type) for n in needs if n.rank == 1}
    _populate_support(school, pupils, sen_starts, areas, rng, today)
    _populate_provision(school, pupils, areas, rng, today)

    # Staff in every role, each signing in with the demo password.
    slug = f"s{index + 1}"
    senco = person(f"senco.{slug}", Role.SENCO, school)
    _demo_senco(school, index, senco.user, today, fake)
    deputy = person(f"deputy.{slug}", Role.DEPUTY_SENCO, school)
    person(f"admin.{slug}", Role.SEND_ADMIN, school)
    head = person(f"head.{slug}", Role.HEAD, school)
    teachers = []
    for group in list(groups.values())[:4]:
        teacher = person(f"teacher{len(teachers) + 1}.{slug}", Role.TEACHER, school)
        teacher.class_groups.add(group)
        teachers.append((teacher, group))
    ta = person(f"ta.{slug}", Role.TEACHING_ASSISTANT, school)
    ta.class_groups.add(*[g for _, g in teachers[:2]])
    _demo_group_staff(school, ta.user, [t.user for t, _ in teachers])
    _demo_time(Appointment.objects.get(school=school, user=senco.user), rng, today)
    _demo_training(school, [deputy.user, head.user, ta.user] + [t.user for t, _ in teachers], rng, today)
    person(f"governor.{slug}", Role.GOVERNOR, school)
    parent = person(f"parent.{slug}", Role.PARENT, school)
    # The demo parent's child has an EHC plan, so the family pages have a plan and reviews to show.
    open_review = AnnualReview.objects.filter(
        plan__school=school, report_sent_on__isnull=True, plan__ceased_on__isnull=True
    )
    child = next(
        (r.plan.pupil for r in open_review.select_related("plan__pupil")),
        next((p for p in pupils if p.sen_provision == census.EHC_PLAN), pupils[0]),
    )
    ParentCarer.objects.filter(pupil=child).update(user=parent.user, name=str(parent.user))

    # Concerns raised by the teachers about pupils in their classes, at every stage of triage.
    concerns = []
    for number in range(max(6, size // 40)):
        teacher, group = teachers[number % len(teachers)]
        candidates = [p for p in pupils if p.class_group_id == group.pk and p.sen_provision == census.NO_SEN]
        if not candidates:
            continue
        pupil = rng.choice(candidates)
        what, evidence, tried = CONCERNS[number % len(CONCERNS)]
        status = [
            Concern.Status.OPEN,
            Concern.Status.OPEN,
            Concern.Status.MONITOR,
            Concern.Status.NO_FURTHER_ACTION,
        ][number % 4]
        concerns.append(
            Concern(
                pupil=pupil,
                raised_by=teacher.user,
                what_seen=what,
                evidence=evidence,
                tried=tried,
                status=status,
                triage_note=""
                if status == Concern.Status.OPEN
                else (
                    "Monitor for half a term with the strategies tried; review at the next pupil progress meeting."
                    if status == Concern.Status.MONITOR
                    else "Progress since the concern was raised is good; no SEN."
                ),
                triaged_at=None if status == Concern.Status.OPEN else timezone.now(),
            )
        )
    Concern.objects.bulk_create(concerns)
    days_ago = [rng.randrange(1, 40) for _ in concerns]
    for concern, ago in zip(concerns, days_ago, strict=True):
        Concern.objects.filter(pk=concern.pk).update(raised_at=timezone.now() - dt.timedelta(days=ago))
