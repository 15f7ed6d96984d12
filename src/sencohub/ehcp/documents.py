"""The EHC documents: the annual review report, and the parts every EHC document shares.

Each is assembled from what sencohub holds, as one context of plain text used for both the Word and the
PDF copy, so the two always say the same thing.
"""

import datetime as dt

from django.utils import timezone

from sencohub.documents.rendering import Kind, WordBuilder, register
from sencohub.ehcp.models import SECTIONS, AnnualReview
from sencohub.register.models import Need
from sencohub.statutory import census
from sencohub.statutory import timelines as t

FROM_YEAR_9 = 9


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
    return {
        **pupil_part(pupil),
        "document_title": "Annual review report",
        "local_authority": plan.local_authority.name,
        "plan_issued": day_text(plan.issued_on),
        "placement": plan.placement,
        "review_number": str(reviews.index(review.pk) + 1) if review.pk in reviews else "",
        "meeting_date": day_text(review.meeting_on),
        "attendees": review.attendees,
        "pupil_views": review.pupil_views,
        "parent_views": review.parent_views,
        "show_pfa": from_year_9(pupil),
        "preparing_for_adulthood": review.preparing_for_adulthood,
        "recommendation": review.get_recommendation_display() if review.recommendation else "",
        "sections": [
            {"letter": letter, "title": title, "current": current, "proposed": proposed}
            for letter, title, current, proposed in review.proposed_amendments()
        ],
        "report_due": dates.get("report_due", ""),
        "la_decision_due": dates.get("la_decision_due", ""),
    }


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
        "sections": [
            {"letter": letter, "title": title, "current": "Current text.", "proposed": ""}
            for _, letter, title in SECTIONS
        ],
        "report_due": "6 March 2026",
        "la_decision_due": "20 March 2026",
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
            ("sections", "a list; each has letter, title, current and proposed"),
            ("report_due", "when this report is due"),
            ("la_decision_due", "when the LA must decide"),
        ],
    )
)
