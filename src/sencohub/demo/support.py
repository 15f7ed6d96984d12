"""The demo's graduated approach: support plans cycle by cycle, their outcomes, strategies, evidence and passports."""

import datetime as dt

from sencohub.ehcp.models import EhcPlan
from sencohub.ehcp.services import plan_outcome_add
from sencohub.schools.models import Term
from sencohub.statutory.school_year import school_year_start
from sencohub.support.models import Outcome, ParentMeeting, PlannedProvision, Strategy, SupportPlan
from sencohub.support.services import (
    SupportCycle,
    SupportHistory,
    evidence_add,
    parent_meeting_record,
    passport_save,
    support_histories_record,
)

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


def populate_support(school, pupils, sen_starts, areas, rng, today) -> None:
    """Support plans over the terms each pupil has had SEN.

    Reviewed cycles with results and voices, and a current one."""
    terms = [t for t in _demo_terms(school, today) if t.starts_on <= today]
    results = [Outcome.Result.ACHIEVED, Outcome.Result.PARTLY, Outcome.Result.PARTLY, Outcome.Result.NOT]
    histories, evidence, meetings = [], [], []
    for pupil in pupils:
        started = sen_starts.get(pupil.pk)
        if started is None:
            continue
        pool = OUTCOMES.get(areas.get(pupil.pk, ""), OUTCOMES["cognition and learning"])
        ehc = EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).first()
        ehc_outcomes = (
            [
                plan_outcome_add(plan=ehc, text=text, by_when="the end of the key stage")
                for text in (
                    f"{pupil.forename} communicates needs and ideas to adults and friends",
                    f"{pupil.forename} reads and writes well enough to learn across the curriculum",
                )
            ]
            if ehc
            else []
        )
        cycle_terms = [t for t in terms if t.ends_on > started][-4:]
        history = SupportHistory(pupil=pupil, cycles=[])
        for term in cycle_terms:
            current = term.ends_on >= today
            plan = SupportPlan(
                pupil=pupil,
                school=school,
                starts_on=max(term.starts_on, started),
                review_on=term.ends_on,
                status=SupportPlan.Status.CURRENT if current else SupportPlan.Status.REVIEWED,
                assessment=(
                    "Assessed by the SENCo with the class teacher; "
                    f"{areas.get(pupil.pk, 'needs')} the main area of need."
                ),
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
            strategies = [
                Strategy(plan=plan, text=s, owner=o if rng.random() < 0.85 else "")
                for s, o in rng.sample(STRATEGIES, 3)
            ]
            provisions = [
                PlannedProvision(
                    plan=plan, description=d, sessions_per_week=f, minutes=m, group_size=g, staff=st
                )
                for d, f, m, g, st in rng.sample(PROVISIONS, 1)
            ]
            if current:
                if rng.random() < 0.6:
                    plan.parents_invited_on = today - dt.timedelta(days=rng.randrange(1, 10))
                evidence += [(o, today - dt.timedelta(days=rng.randrange(1, 30))) for o in outcomes[:2]]
            else:
                # The review meeting, in the last week of term (never before the cycle began).
                plan.reviewed_on = max(plan.starts_on, term.ends_on - dt.timedelta(days=rng.randrange(0, 5)))
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
                meetings.append(
                    ParentMeeting(
                        pupil=pupil,
                        held_on=plan.reviewed_on,
                        kind=ParentMeeting.Kind.REVIEW,
                        attendees="Parent, class teacher, SENCo",
                        notes="Reviewed the plan together and agreed the next outcomes.",
                    )
                )
            history.cycles.append(SupportCycle(plan, outcomes, strategies, provisions))
        histories.append(history)
        if rng.random() < 0.75:
            passport_save(
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
    support_histories_record(histories=histories, today=today)
    for outcome, noted_on in evidence:
        evidence_add(
            outcome=outcome,
            noted_on=noted_on,
            note="Seen in class today: steady progress towards the target.",
            today=today,
        )
    for meeting in meetings:
        parent_meeting_record(
            pupil=meeting.pupil,
            by=None,
            today=today,
            held_on=meeting.held_on,
            kind=meeting.kind,
            attendees=meeting.attendees,
            notes=meeting.notes,
        )
