"""Support plans and pupil passports as Word and PDF, one at a time or many in one file."""

import io
import zipfile

from django.template.loader import render_to_string

from sencohub.documents.pdfworker import CHUNK, many_to_pdf
from sencohub.documents.rendering import Kind, WordBuilder, register, render_docx
from sencohub.ehcp.documents import COMMON_FIELDS, day_text, pupil_part
from sencohub.statutory.numbers import plain_number
from sencohub.support.models import Passport, SupportPlan


def plan_context(plan: SupportPlan) -> dict:
    return {
        **pupil_part(plan.pupil),
        "document_title": f"Support plan {plan.cycle}",
        "cycle": str(plan.cycle),
        "starts_on": day_text(plan.starts_on),
        "review_on": day_text(plan.review_on),
        "assessment": plan.assessment,
        "outcomes": [
            {
                "what": o.what,
                "success_criteria": o.success_criteria,
                "baseline": o.baseline,
                "target": o.target,
                "by_when": day_text(o.by_when),
                "responsible": o.responsible,
                "result": o.get_result_display(),
                "result_note": o.result_note,
                "evidence": [
                    {"noted_on": day_text(e.noted_on), "note": e.note, "by": str(e.by) if e.by else ""}
                    for e in o.evidence.all()
                ],
            }
            for o in plan.outcomes.all()
        ],
        "strategies": [{"text": s.text, "owner": s.owner} for s in plan.strategies.all()],
        "provisions": [
            {
                "description": p.description,
                "how_often": ", ".join(
                    x
                    for x in [
                        f"{plain_number(p.sessions_per_week)} a week" if p.sessions_per_week else "",
                        f"{p.minutes} minutes" if p.minutes else "",
                        f"group of {p.group_size}" if p.group_size else "",
                    ]
                    if x
                ),
                "staff": p.staff,
            }
            for p in plan.provisions.all()
        ],
        "reviewed": bool(plan.reviewed_on),
        "reviewed_on": day_text(plan.reviewed_on),
        "pupil_voice": plan.pupil_voice,
        "parent_voice": plan.parent_voice,
        "decision": plan.get_decision_display(),
        "decision_note": plan.decision_note,
    }


def passport_context(passport: Passport) -> dict:
    return {
        **pupil_part(passport.pupil),
        "document_title": f"All about {passport.pupil.forename}",
        "like_and_admire": passport.like_and_admire,
        "important": passport.important,
        "support_best": passport.support_best,
        "find_hard": passport.find_hard,
        "written_with": passport.written_with,
        "version": str(passport.version),
    }


def build_plan() -> bytes:
    w = WordBuilder("Support plan {{ cycle }}")
    w.para("{{ pupil_name }}", "Pupil:").para("{{ year_group }}", "Year group:").para(
        "{{ school_name }}", "School:"
    )
    w.para("{{ starts_on }} to {{ review_on }}", "Cycle:")
    w.heading("Needs", 2).tag("{%p for n in needs %}").para(
        "{{ n.type }} ({{ n.area }})", "{{ n.rank }}:"
    ).tag("{%p endfor %}")
    w.heading("What the assessment found", 1).para("{{ assessment }}")
    w.heading("Outcomes", 1).tag("{%p for o in outcomes %}").heading("{{ o.what }}", 2)
    w.para("{{ o.success_criteria }}", "How we will know:").para(
        "{{ o.baseline }} → {{ o.target }}", "From and to:"
    )
    w.para("{{ o.by_when }}, {{ o.responsible }}", "By when, who:")
    w.tag("{%p for e in o.evidence %}").para("{{ e.note }} ({{ e.by }})", "Evidence, {{ e.noted_on }}:").tag(
        "{%p endfor %}"
    )
    w.tag("{%p if reviewed %}").para("{{ o.result }}. {{ o.result_note }}", "Result:").tag(
        "{%p endif %}"
    ).tag("{%p endfor %}")
    w.heading("Strategies", 1).tag("{%p for s in strategies %}").para("{{ s.text }} ({{ s.owner }})").tag(
        "{%p endfor %}"
    )
    w.heading("Provision", 1).tag("{%p for p in provisions %}").para(
        "{{ p.description }}: {{ p.how_often }}, {{ p.staff }}"
    ).tag("{%p endfor %}")
    w.tag("{%p if reviewed %}").heading("Review, {{ reviewed_on }}", 1)
    w.para("{{ pupil_voice }}", "The pupil said:").para("{{ parent_voice }}", "The parents said:").para(
        "{{ decision }}", "Next:"
    ).para("{{ decision_note }}", "About the decision:")
    w.tag("{%p endif %}")
    return w.bytes()


def build_passport() -> bytes:
    w = WordBuilder("All about {{ pupil_name }}")
    w.heading("What people like and admire about me", 1).para("{{ like_and_admire }}")
    w.heading("What is important to me", 1).para("{{ important }}")
    w.heading("How best to support me", 1).para("{{ support_best }}")
    w.heading("What I find hard", 1).para("{{ find_hard }}")
    w.para("Written with {{ written_with }}. Version {{ version }}, {{ prepared_on }}.")
    return w.bytes()


_EXAMPLE = {
    "pupil_name": "Sam Example",
    "date_of_birth": "3 April 2015",
    "year_group": "Year 6",
    "upn": "A801200110001",
    "school_name": "Example Primary",
    "needs": [],
    "prepared_on": "23 November 2026",
}

SUPPORT_PLAN = register(
    Kind(
        key="support_plan",
        title="Support plan",
        description="One cycle of the graduated approach, with its review once held.",
        pdf_template="documents/support_plan.html",
        build_default=build_plan,
        example=lambda: {
            **_EXAMPLE,
            "document_title": "Support plan 1",
            "cycle": "1",
            "starts_on": "1 September 2026",
            "review_on": "18 December 2026",
            "assessment": "Reading.",
            "reviewed": True,
            "reviewed_on": "18 December 2026",
            "outcomes": [
                {
                    "what": "Reads 40 wpm",
                    "success_criteria": "3 timed reads",
                    "baseline": "28",
                    "target": "40",
                    "by_when": "18 December 2026",
                    "responsible": "Teacher",
                    "result": "Achieved",
                    "result_note": "",
                    "evidence": [
                        {"noted_on": "4 December 2026", "note": "Read 41 wpm.", "by": "Class teacher"}
                    ],
                }
            ],
            "strategies": [{"text": "Pre-teach", "owner": "Teacher"}],
            "provisions": [{"description": "Reading group", "how_often": "3 a week", "staff": "TA"}],
            "pupil_voice": "Good.",
            "parent_voice": "Happy.",
            "decision": "Continue with a new cycle",
            "decision_note": "Keep the reading group.",
        },
        fields=COMMON_FIELDS
        + [
            ("cycle", "which cycle"),
            ("starts_on", "start"),
            ("review_on", "review date"),
            ("assessment", "what the assessment found"),
            (
                "outcomes",
                "a list; each has what, success_criteria, baseline, target, by_when, responsible, "
                "result, result_note and evidence (a list; each has noted_on, note and by)",
            ),
            ("strategies", "a list; each has text and owner"),
            ("provisions", "a list; each has description, how_often and staff"),
            ("reviewed", "true once reviewed"),
            ("reviewed_on", "the review date"),
            ("pupil_voice", "the pupil's views"),
            ("parent_voice", "the parents' views"),
            ("decision", "what happens next"),
            ("decision_note", "about the decision"),
        ],
    )
)

PUPIL_PASSPORT = register(
    Kind(
        key="pupil_passport",
        title="Pupil passport",
        description="A one-page profile in the pupil's words.",
        pdf_template="documents/passport.html",
        build_default=build_passport,
        example=lambda: {
            **_EXAMPLE,
            "document_title": "All about Sam",
            "like_and_admire": "Kind.",
            "important": "My dog.",
            "support_best": "Give me time.",
            "find_hard": "Noise.",
            "written_with": "Sam",
            "version": "1",
        },
        fields=COMMON_FIELDS
        + [
            ("like_and_admire", "what people like and admire"),
            ("important", "what is important"),
            ("support_best", "how best to support"),
            ("find_hard", "what is hard"),
            ("written_with", "who wrote it with the pupil"),
            ("version", "which version"),
        ],
    )
)


def bundle_pdf(kind: Kind, contexts: list[dict], progress=None) -> bytes:
    """Many documents in one PDF, each starting on a new page; laid out in parallel chunks on every core."""
    if not contexts:
        return b""
    head, bodies = "", []
    for context in contexts:
        html = render_to_string(kind.pdf_template, context)
        start, end = html.index("<body>"), html.rindex("</body>")
        head = head or html[:start]
        bodies.append(f'<section style="break-before: page">{html[start + len("<body>") : end]}</section>')
    chunks = [
        head + "<body>" + "".join(bodies[i : i + CHUNK]) + "</body></html>"
        for i in range(0, len(bodies), CHUNK)
    ]
    done_per_chunk = [min(CHUNK, len(bodies) - i) for i in range(0, len(bodies), CHUNK)]

    def chunk_progress(chunks_done: int, _total: int) -> None:
        if progress:
            progress(sum(done_per_chunk[:chunks_done]), len(contexts))

    return many_to_pdf(chunks, progress=chunk_progress)


def bundle_docx(template: bytes, contexts: list[tuple[str, dict]], progress=None) -> bytes:
    """Many Word documents in one ZIP file, each named by the pupil's UPN."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, context) in enumerate(contexts):
            archive.writestr(f"{name}.docx", render_docx(template, context))
            if progress:
                progress(index + 1, len(contexts))
    return out.getvalue()


def letter_context(pupil, *, sender, about_date, kind: str) -> dict:
    from sencohub.pupils.models import ParentCarer

    carers = [c.name for c in ParentCarer.objects.filter(pupil=pupil)]
    return {
        **pupil_part(pupil),
        "document_title": "Letter to parents",
        "parents": " and ".join(carers) if carers else "Parent or carer",
        "forename": pupil.forename,
        "sender": sender.display_name if hasattr(sender, "display_name") else str(sender),
        "about_date": day_text(about_date),
        "kind": kind,
    }


def build_support_letter() -> bytes:
    w = WordBuilder("{{ school_name }}")
    w.para("{{ prepared_on }}").para("Dear {{ parents }},")
    w.para(
        "We are writing to let you know that from {{ about_date }} {{ forename }} is receiving SEN support at school. "
        "This means we will give {{ forename }} help that is extra to, or different from, "
        "what most children of the same age receive, so that {{ forename }} can make good progress."
    )
    w.para(
        "We will agree with you what we hope {{ forename }} will achieve, what we will do to help, and when we will "
        "look at how it is going together. We would like to meet you to plan this, and we will ask for your views and "
        "{{ forename }}'s at every review."
    )
    w.para("If you have any questions, please contact me at school.").para("Yours sincerely,").para(
        "{{ sender }}"
    )
    w.para("Special educational needs co-ordinator (SENCo)")
    return w.bytes()


def build_review_invitation() -> bytes:
    w = WordBuilder("{{ school_name }}")
    w.para("{{ prepared_on }}").para("Dear {{ parents }},")
    w.para(
        "We would like to invite you to review {{ forename }}'s support plan with us on or before {{ about_date }}. "
        "We will look together at what {{ forename }} has achieved, what has helped, and what should happen next."
    )
    w.para(
        "Please think about what is going well for {{ forename }}, what is hard, and what you would like to change. "
        "We will also ask {{ forename }} for their views. "
        "If the date does not suit you, please let us know and we will find another time."
    )
    w.para("Yours sincerely,").para("{{ sender }}").para("Special educational needs co-ordinator (SENCo)")
    return w.bytes()


_LETTER_FIELDS = COMMON_FIELDS + [
    ("parents", "the parent carers' names"),
    ("forename", "the pupil's first name"),
    ("sender", "who sends it"),
    ("about_date", "the date the letter is about"),
]
_LETTER_EXAMPLE = {
    **_EXAMPLE,
    "document_title": "Letter to parents",
    "parents": "Alex Example",
    "forename": "Sam",
    "sender": "Jo Smith",
    "about_date": "1 December 2026",
    "kind": "support",
}

SUPPORT_LETTER = register(
    Kind(
        key="letter_sen_support",
        title="Letter: SEN support has begun",
        description="Tells parents that SEN support has begun (SEND Code of Practice 6.43).",
        pdf_template="documents/letter.html",
        build_default=build_support_letter,
        example=lambda: dict(_LETTER_EXAMPLE),
        fields=_LETTER_FIELDS,
    )
)
REVIEW_INVITATION = register(
    Kind(
        key="letter_review_invitation",
        title="Letter: invitation to a review",
        description="Invites parents to review their child's support plan.",
        pdf_template="documents/letter.html",
        build_default=build_review_invitation,
        example=lambda: {**_LETTER_EXAMPLE, "kind": "review"},
        fields=_LETTER_FIELDS,
    )
)
