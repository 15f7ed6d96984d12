"""The evidence pack for an EHC needs assessment request, as Word and PDF.

It gathers what sencohub holds across domains: the SEN history and concerns (register), the advice asked for
(ehcp), the graduated approach cycle by cycle (support) and this school year's costed provision (provision).
Like the EHC documents it is one context of plain text used for both the Word and the PDF copy.
"""

from django.utils import timezone

from sencohub.documents.rendering import Kind, WordBuilder, register
from sencohub.ehcp.documents import COMMON_FIELDS, EXAMPLE_PUPIL, day_text, pupil_block, pupil_part
from sencohub.ehcp.models import AssessmentRequest
from sencohub.provision.costing import provision_map
from sencohub.provision.models import Enrolment
from sencohub.provision.selectors import attendance_by_provision
from sencohub.register.models import Concern, SenStatus
from sencohub.statutory.numbers import plain_number
from sencohub.support.models import SupportPlan


def evidence_pack_context(request: AssessmentRequest) -> dict:
    pupil = request.pupil
    statuses = SenStatus.objects.filter(pupil=pupil).order_by("start_date", "id")
    concerns = Concern.objects.filter(pupil=pupil).select_related("raised_by").order_by("raised_at")
    return {
        **pupil_part(pupil),
        "document_title": "Request for an EHC needs assessment: evidence",
        "kind": request.get_kind_display(),
        "local_authority": request.local_authority.name,
        "sent": day_text(request.sent_on),
        "received": day_text(request.received_on),
        "summary": request.summary,
        "tried": request.tried,
        "outcomes_sought": request.outcomes_sought,
        "pupil_views": request.pupil_views,
        "parent_views": request.parent_views,
        "sen_history": [
            {
                "provision": s.get_provision_display(),
                "start": day_text(s.start_date),
                "end": day_text(s.end_date) or "to date",
                "reason": s.reason,
            }
            for s in statuses
        ],
        "concerns": [
            {
                "raised": day_text(c.raised_at.date()),
                "what_seen": c.what_seen,
                "evidence": c.evidence,
                "tried": c.tried,
                "decision": c.get_status_display(),
            }
            for c in concerns
        ],
        "advice": [
            {
                "adviser": a.adviser,
                "requested": day_text(a.requested_on),
                "returned": day_text(a.returned_on) or "not yet returned",
            }
            for a in request.advice.all()
        ],
        "support_cycles": _support_cycles(pupil),
        "provision": _costed_provision(pupil),
    }


def _costed_provision(pupil) -> list[dict]:
    """This school year's provision from the map: cost to the school, attendance and measures."""
    pmap = provision_map(
        pupil.school, pupils=type(pupil).objects.filter(pk=pupil.pk), on=timezone.localdate()
    )
    items = pmap.rows[0].provisions if pmap.rows else []
    enrolments = {e.provision_id: e for e in Enrolment.objects.filter(pupil=pupil)}
    attendance = attendance_by_provision(enrolments.keys(), pupil=pupil)
    out = []
    for item in items:
        e = enrolments.get(item.provision.pk)
        marks = attendance.get(item.provision.pk)
        measures = ""
        if e and e.entry_value is not None:
            measures = f"{e.get_measure_display()}: {e.entry_value} on entry" + (
                f", {e.exit_value} on exit" if e.exit_value is not None else ""
            )
        out.append(
            {
                "name": item.provision.name,
                "intervention": item.provision.intervention.name,
                "how_often": f"{plain_number(item.provision.sessions_per_week)} a week, "
                f"{item.provision.minutes} minutes, group of {item.group_size}",
                "cost": f"£{item.cost_pence / 100:,.2f}",
                "attendance": f"{marks.present} of {marks.marked} sessions"
                if e and marks and marks.marked
                else "no registers taken",
                "measures": measures,
            }
        )
    return out


def _support_cycles(pupil) -> list[dict]:
    """The graduated approach so far, cycle by cycle, oldest first: the evidence an LA asks for first."""
    cycles = []
    for plan in (
        SupportPlan.objects.filter(pupil=pupil).prefetch_related("outcomes", "provisions").order_by("cycle")
    ):
        cycles.append(
            {
                "cycle": str(plan.cycle),
                "dates": f"{day_text(plan.starts_on)} to {day_text(plan.reviewed_on or plan.review_on)}",
                "status": "reviewed" if plan.reviewed_on else "current",
                "outcomes": [
                    {"what": o.what, "result": o.get_result_display() or "not yet reviewed"}
                    for o in plan.outcomes.all()
                ],
                "provision": "; ".join(p.description for p in plan.provisions.all()),
                "pupil_voice": plan.pupil_voice,
                "parent_voice": plan.parent_voice,
                "decision": plan.get_decision_display(),
            }
        )
    return cycles


# The standard Word template ---------------------------------------------------------------------------


def build_evidence_pack() -> bytes:
    w = WordBuilder("Request for an EHC needs assessment: evidence")
    pupil_block(w)
    w.heading("The request", 1)
    w.para("{{ kind }}", "Kind:").para("{{ local_authority }}", "To:").para("{{ sent }}", "Sent:").para(
        "{{ received }}", "Received:"
    )
    w.heading("Summary of the pupil's needs", 1).para("{{ summary }}")
    w.heading("What the school has tried, and with what effect", 1).para("{{ tried }}")
    w.heading("Outcomes sought", 1).para("{{ outcomes_sought }}")
    w.heading("The pupil's views", 1).para("{{ pupil_views }}")
    w.heading("The parents' views", 1).para("{{ parent_views }}")
    w.heading("SEN history", 1).tag("{%p for s in sen_history %}")
    w.para("{{ s.provision }} from {{ s.start }} to {{ s.end }}. {{ s.reason }}").tag("{%p endfor %}")
    w.heading("Concerns raised", 1).tag("{%p for c in concerns %}")
    w.para("{{ c.what_seen }}", "{{ c.raised }}:").para("{{ c.evidence }}", "Evidence:").para(
        "{{ c.tried }}", "Tried:"
    )
    w.para("{{ c.decision }}", "Outcome:").tag("{%p endfor %}")
    w.heading("The graduated approach so far", 1).tag("{%p for c in support_cycles %}")
    w.heading("Support plan {{ c.cycle }}, {{ c.dates }}", 2).para("{{ c.provision }}", "Provision:")
    w.tag("{%p for o in c.outcomes %}").para("{{ o.what }}: {{ o.result }}").tag("{%p endfor %}")
    w.para("{{ c.pupil_voice }}", "The pupil said:").para("{{ c.parent_voice }}", "The parents said:").tag(
        "{%p endfor %}"
    )
    w.heading("Provision this school year", 1).tag("{%p for p in provision %}")
    w.para(
        "{{ p.intervention }}, {{ p.how_often }}; cost to the school {{ p.cost }}; "
        "attended {{ p.attendance }}. {{ p.measures }}",
        "{{ p.name }}:",
    ).tag("{%p endfor %}")
    w.heading("Advice", 1).tag("{%p for a in advice %}")
    w.para("requested {{ a.requested }}, returned {{ a.returned }}", "{{ a.adviser }}:").tag("{%p endfor %}")
    w.para("Prepared on {{ prepared_on }}.")
    return w.bytes()


def _evidence_example() -> dict:
    return {
        **EXAMPLE_PUPIL,
        "document_title": "Request for an EHC needs assessment: evidence",
        "kind": "EHC needs assessment",
        "local_authority": "Example Council",
        "sent": "1 June 2026",
        "received": "3 June 2026",
        "summary": "Needs.",
        "tried": "Small group work.",
        "outcomes_sought": "Reading.",
        "pupil_views": "I like maths.",
        "parent_views": "Worried.",
        "sen_history": [
            {"provision": "SEN support", "start": "1 September 2024", "end": "to date", "reason": "Concern."}
        ],
        "concerns": [
            {
                "raised": "1 May 2024",
                "what_seen": "Slow reading.",
                "evidence": "Tests.",
                "tried": "Phonics.",
                "decision": "Assess",
            }
        ],
        "advice": [
            {
                "adviser": "Educational psychologist",
                "requested": "20 July 2026",
                "returned": "not yet returned",
            }
        ],
        "support_cycles": [
            {
                "cycle": "1",
                "dates": "1 September 2025 to 19 December 2025",
                "status": "reviewed",
                "outcomes": [{"what": "Reads 40 wpm", "result": "Partly achieved"}],
                "provision": "Reading group",
                "pupil_voice": "Better.",
                "parent_voice": "Pleased.",
                "decision": "Continue with a new cycle",
            }
        ],
        "provision": [
            {
                "name": "Reading group",
                "intervention": "Reading fluency",
                "how_often": "3 a week, 20 minutes, group of 4",
                "cost": "£241.00",
                "attendance": "40 of 45 sessions",
                "measures": "Standardised score: 85 on entry",
            }
        ],
    }


EVIDENCE_PACK = register(
    Kind(
        key="evidence_pack",
        title="Evidence for an EHC needs assessment request",
        description="What the school holds about the pupil, gathered for the local authority.",
        pdf_template="documents/evidence_pack.html",
        build_default=build_evidence_pack,
        example=_evidence_example,
        fields=COMMON_FIELDS
        + [
            ("kind", "assessment or re-assessment"),
            ("local_authority", "the authority asked"),
            ("sent", "when sent"),
            ("received", "when received"),
            ("summary", "summary of needs"),
            ("tried", "what has been tried"),
            ("outcomes_sought", "outcomes sought"),
            ("pupil_views", "the pupil's views"),
            ("parent_views", "the parents' views"),
            ("sen_history", "a list; each has provision, start, end and reason"),
            ("concerns", "a list; each has raised, what_seen, evidence, tried and decision"),
            ("advice", "a list; each has adviser, requested and returned"),
            (
                "support_cycles",
                "a list; each has cycle, dates, status, outcomes (what, result), provision, pupil_voice, "
                "parent_voice, decision",
            ),
            ("provision", "a list; each has name, intervention, how_often, cost, attendance and measures"),
        ],
    )
)
