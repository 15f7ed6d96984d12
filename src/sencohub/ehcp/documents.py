"""The EHC documents: the annual review report, and the parts every EHC document shares.

Each is assembled from what sencohub holds, as one context of plain text used for both the Word and the
PDF copy, so the two always say the same thing.
"""

import datetime as dt

from django.utils import timezone

from sencohub.documents.rendering import Kind, WordBuilder, register
from sencohub.ehcp import preparation
from sencohub.ehcp.models import SECTIONS, AnnualReview
from sencohub.register.models import Need
from sencohub.statutory import census
from sencohub.statutory import timelines as t
from sencohub.workforce.models import Appointment

FROM_YEAR_9 = 9
NOT_ARRANGED = "a date still to be arranged"


def day_text(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def pupil_part(pupil) -> dict:
    needs = Need.objects.filter(pupil=pupil).order_by("rank")
    return {
        "pupil_name": pupil.full_name,
        "date_of_birth": day_text(pupil.date_of_birth),
        "year_group": pupil.year_group_label,
        "upn": pupil.upn,
        "school_name": pupil.school.name,
        "needs": [
            {
                "rank": n.get_rank_display(),
                "type": census.SEN_TYPES[n.sen_type].name,
                "area": census.area_of_need(n.sen_type),
            }
            for n in needs
        ],
        "prepared_on": day_text(timezone.localdate()),
    }


def from_year_9(pupil) -> bool:
    return pupil.year_group.isdigit() and int(pupil.year_group) >= FROM_YEAR_9


def review_report_context(review: AnnualReview) -> dict:
    plan, pupil = review.plan, review.plan.pupil
    reviews = [r.pk for r in plan.reviews_in_meeting_order()]
    dates = {}
    if review.meeting_on and review.meeting_on < dt.date.max - dt.timedelta(
        days=28
    ):  # not a date past the calendar's end
        dates = {
            "report_due": day_text(t.add_days(review.meeting_on, 14)),
            "la_decision_due": day_text(t.add_days(review.meeting_on, 28)),
        }
    edited = review.outcome_progress or {}
    return {
        **pupil_part(pupil),
        "document_title": "Annual review report",
        "local_authority": plan.local_authority.name,
        "plan_issued": day_text(plan.issued_on),
        "placement": plan.placement,
        "review_number": str(reviews.index(review.pk) + 1) if review.pk in reviews else "",
        "meeting_date": day_text(review.meeting_on),
        "attendees": review.who_took_part(),
        "pupil_views": review.pupil_views,
        "parent_views": review.parent_views,
        "show_pfa": from_year_9(pupil),
        "preparing_for_adulthood": review.preparing_for_adulthood,
        "recommendation": review.get_recommendation_display() if review.recommendation else "",
        "outcomes": [
            {
                "text": p.outcome.text,
                "by_when": p.outcome.by_when,
                "progress": edited.get(str(p.outcome.pk), p.held),
            }
            for p in preparation.outcome_progress(plan)
        ],
        "provision": preparation.delivery_rows(plan),
        "sections": [
            {"letter": letter, "title": title, "current": current, "proposed": proposed}
            for letter, title, current, proposed in review.proposed_amendments()
        ],
        "report_due": dates.get("report_due", ""),
        "la_decision_due": dates.get("la_decision_due", ""),
    }


def review_invitation_context(review: AnnualReview) -> dict:
    plan, pupil = review.plan, review.plan.pupil
    papers = preparation.papers_for(review)
    return {
        **pupil_part(pupil),
        "document_title": "Invitation to an annual review",
        "forename": pupil.forename,
        "local_authority": plan.local_authority.name,
        "plan_issued": day_text(plan.issued_on),
        "meeting_date": day_text(review.meeting_on) or NOT_ARRANGED,
        "invitees": [{"name": i.name, "role": i.role} for i in preparation.invitees_for(plan)],
        "invitations_due": papers.get("invitations_due", ""),
        "advice_due": papers.get("advice_due", ""),
        "report_due": papers.get("report_due", ""),
        "senco_name": _senco_name(pupil.school),
    }


def _senco_name(school) -> str:
    """Who signs the letter: the school's SENCo in post today (the longest-serving, when two share the role)."""
    senco = (
        Appointment.objects.filter(Appointment.in_post(timezone.localdate()), school=school, post="senco")
        .order_by("starts_on", "pk")
        .first()
    )
    return senco.name if senco else ""


# Standard Word templates -----------------------------------------------------------------------------


def pupil_block(w: WordBuilder) -> None:
    w.para("{{ pupil_name }}", "Pupil:").para("{{ date_of_birth }}", "Date of birth:").para(
        "{{ year_group }}", "Year group:"
    )
    w.para("{{ upn }}", "UPN:").para("{{ school_name }}", "School:")
    w.heading("Needs", 2).tag("{%p for n in needs %}").para(
        "{{ n.type }} ({{ n.area }})", "{{ n.rank }}:"
    ).tag("{%p endfor %}")


def build_review_report() -> bytes:
    w = WordBuilder("Annual review report")
    pupil_block(w)
    w.heading("The plan", 1)
    w.para("{{ local_authority }}", "Maintained by:").para("{{ plan_issued }}", "Issued:").para(
        "{{ placement }}", "Placement:"
    )
    w.heading("The review", 1)
    w.para("{{ review_number }}", "Review:").para("{{ meeting_date }}", "Meeting:").para(
        "{{ attendees }}", "Who took part:"
    )
    w.heading("The pupil's views", 2).para("{{ pupil_views }}")
    w.heading("The parents' views", 2).para("{{ parent_views }}")
    w.tag("{%p if show_pfa %}").heading("Preparing for adulthood", 2).para(
        "{{ preparing_for_adulthood }}"
    ).tag("{%p endif %}")
    w.heading("Progress towards the outcomes in section E", 1)
    w.tag("{%p for o in outcomes %}").heading("{{ o.text }}", 2).para("{{ o.by_when }}", "By:")
    w.para("{{ o.progress }}").tag("{%p endfor %}")
    w.heading("Section F: delivered against specified", 1)
    w.tag("{%p for p in provision %}").heading("{{ p.description }}", 2)
    w.para("{{ p.specified }}", "Specified:").para("{{ p.delivered }}", "Delivered:")
    w.tag("{%p for s in p.shortfalls %}").para("{{ s }}", "Shortfall:").tag("{%p endfor %}")
    w.tag("{%p endfor %}")
    w.heading("The plan, section by section", 1)
    w.tag("{%p for s in sections %}").heading("Section {{ s.letter }}: {{ s.title }}", 2)
    w.para("{{ s.current }}", "Now:").para("{{ s.proposed or 'No change proposed.' }}", "Proposed:").tag(
        "{%p endfor %}"
    )
    w.heading("Recommendation", 1).para("{{ recommendation }}")
    w.para(
        "This report is due with the local authority by {{ report_due }}; "
        "the local authority decides by {{ la_decision_due }}."
    )
    w.para("Prepared on {{ prepared_on }}.")
    return w.bytes()


def build_review_invitation() -> bytes:
    w = WordBuilder("Invitation to an annual review")
    pupil_block(w)
    w.para("{{ prepared_on }}")
    w.para("Dear parent carers and everyone giving advice,")
    w.para(
        "You are invited to the annual review of {{ forename }}'s EHC plan (issued {{ plan_issued }} and "
        "maintained by {{ local_authority }}). The meeting is on {{ meeting_date }} at {{ school_name }}. We will "
        "look together at {{ forename }}'s progress towards the outcomes in the plan, whether the provision in it "
        "has been delivered, and whether the plan should change."
    )
    w.tag("{%p if advice_due %}").para(
        "Please send your advice or report to the school by {{ advice_due }}, so that everyone invited has every "
        "paper at least two weeks before the meeting. The school will send the review report to the local "
        "authority and everyone invited by {{ report_due }}."
    ).tag("{%p endif %}")
    w.heading("Everyone invited", 2)
    w.tag("{%p for i in invitees %}").para("{{ i.role }}", "{{ i.name }}:").tag("{%p endfor %}")
    w.para("If you cannot attend, please tell the school and send your views in writing.")
    w.para("Yours sincerely,").para("{{ senco_name }}")
    w.para("Special educational needs co-ordinator (SENCo), {{ school_name }}")
    return w.bytes()


EXAMPLE_PUPIL = {
    "pupil_name": "Sam Example",
    "date_of_birth": "3 April 2015",
    "year_group": "Year 6",
    "upn": "A801200110001",
    "school_name": "Example Primary",
    "needs": [
        {"rank": "Primary", "type": "Autistic spectrum disorder", "area": "Communication and interaction"}
    ],
    "prepared_on": "23 November 2026",
}


def _review_example() -> dict:
    return {
        **EXAMPLE_PUPIL,
        "document_title": "Annual review report",
        "local_authority": "Example Council",
        "plan_issued": "1 March 2025",
        "placement": "Example Primary",
        "review_number": "1",
        "meeting_date": "20 February 2026",
        "attendees": "Parent, SENCo, class teacher",
        "pupil_views": "I like art.",
        "parent_views": "Reading has improved.\nWe would like more help at lunchtime.",
        "show_pfa": True,
        "preparing_for_adulthood": "Thinking about college.",
        "recommendation": "Amend the plan",
        "outcomes": [
            {
                "text": "Sam will read a short book aloud with confidence.",
                "by_when": "the end of key stage 2",
                "progress": "Support plan 2 (1 September 2025 to 12 December 2025): read 20 CVC words: Achieved.",
            }
        ],
        "provision": [
            {
                "description": "Small-group phonics three times a week",
                "specified": "1.5 hours a week, a group of at most 4",
                "delivered": "Phonics group: 1.5 hours a week, a group of 4; attended 30 of 32 sessions held.",
                "shortfalls": [],
            }
        ],
        "sections": [
            {"letter": letter, "title": title, "current": "Current text.", "proposed": ""}
            for _, letter, title in SECTIONS
        ],
        "report_due": "6 March 2026",
        "la_decision_due": "20 March 2026",
    }


def _invitation_example() -> dict:
    return {
        **EXAMPLE_PUPIL,
        "document_title": "Invitation to an annual review",
        "forename": "Sam",
        "local_authority": "Example Council",
        "plan_issued": "1 March 2025",
        "meeting_date": "10 March 2027",
        "invitees": [
            {"name": "Alex Example", "role": "Mother"},
            {"name": "Jo Smith", "role": "Class teacher"},
            {"name": "Educational psychologist", "role": "Gave advice for the plan"},
        ],
        "invitations_due": "24 February 2027",
        "advice_due": "24 February 2027",
        "report_due": "24 March 2027",
        "senco_name": "Sam Senco",
    }


COMMON_FIELDS = [
    ("pupil_name", "the pupil's name"),
    ("date_of_birth", "their date of birth"),
    ("year_group", "their year group"),
    ("upn", "their UPN"),
    ("school_name", "the school"),
    ("needs", "a list; each has rank, type and area"),
    ("prepared_on", "the day the document was made"),
]

REVIEW_REPORT = register(
    Kind(
        key="annual_review_report",
        title="Annual review report",
        description="Sent to the local authority and everyone invited within two weeks of the review meeting.",
        pdf_template="documents/review_report.html",
        build_default=build_review_report,
        example=_review_example,
        fields=COMMON_FIELDS
        + [
            ("local_authority", "the authority that maintains the plan"),
            ("plan_issued", "when the plan was issued"),
            ("placement", "the named placement"),
            ("review_number", "which review this is"),
            ("meeting_date", "the meeting"),
            ("attendees", "who took part"),
            ("pupil_views", "the pupil's views"),
            ("parent_views", "the parents' views"),
            ("show_pfa", "true from Year 9"),
            ("preparing_for_adulthood", "preparing for adulthood"),
            ("recommendation", "the school's recommendation"),
            ("outcomes", "a list; each section E outcome has text, by_when and progress"),
            ("provision", "a list; each section F item has description, specified, delivered and shortfalls"),
            ("sections", "a list; each has letter, title, current and proposed"),
            ("report_due", "when this report is due"),
            ("la_decision_due", "when the LA must decide"),
        ],
    )
)

REVIEW_INVITATION = register(
    Kind(
        key="annual_review_invitation",
        title="Invitation to an EHC annual review",
        description="Sent to the parents and everyone giving advice at least two weeks before the review meeting.",
        pdf_template="documents/review_invitation.html",
        build_default=build_review_invitation,
        example=_invitation_example,
        fields=COMMON_FIELDS
        + [
            ("forename", "the pupil's first name"),
            ("local_authority", "the authority that maintains the plan"),
            ("plan_issued", "when the plan was issued"),
            ("meeting_date", "the meeting"),
            ("invitees", "a list; each has name and role"),
            ("invitations_due", "when the invitations must be sent"),
            ("advice_due", "when advice must be circulated"),
            ("report_due", "when the review report is due"),
            ("senco_name", "the school's SENCo, who signs the letter (blank when the post is vacant)"),
        ],
    )
)
