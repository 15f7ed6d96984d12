"""The one-page summary of the SENCo role for governors: the qualification, where the time goes and staff
training, in figures only (no pupil, and no member of staff, is named).

One context of plain text feeds the page, the PDF and the Word copy, so they always say the same thing.
"""

import datetime as dt

from sencohub.documents.rendering import Kind, WordBuilder, register
from sencohub.register.selectors import anonymised_figures
from sencohub.statutory import disclosure
from sencohub.statutory.school_year import school_year_start
from sencohub.workforce.models import Appointment, TrainingSession, WeekLog
from sencohub.workforce.status import standing
from sencohub.workforce.timelog import summarise
from sencohub.workforce.training import hours, rated, staff_of, training_needs

SUPPRESSED_NOTE = (
    "c: not shown, to protect the people it counts: a number under 5 (other than none), or one from which such a "
    "number could be worked out."
)


def _day(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _count(n: int) -> str:
    """A count of people (or of the sessions and weeks they make up) in a sentence: "fewer than 5" from 1 to 4."""
    return disclosure.IN_WORDS if disclosure.is_small(n) else str(n)


def _flag(need) -> str:
    """Why an area stands out, without a percentage that would give away a hidden number of staff."""
    if need.flagged.startswith("Only ") and disclosure.is_small(need.staff_trained):
        return "Fewer than half of staff have had training in it."
    return need.flagged


def _pattern(senco: Appointment) -> str:
    parts = [f"{senco.fte} FTE"]
    if senco.hours_per_week is not None:
        parts.append(f"{senco.hours_per_week} hours a week for the role")
    if senco.protected_hours is not None:
        parts.append(f"{senco.protected_hours} of them protected")
    text = ", ".join(parts) + "; " + ("on" if senco.on_slt else "not on") + " the senior leadership team"
    if senco.admin_hours:
        text += f"; {senco.admin_hours} hours a week of administrative support"
    return text + "."


def governors_context(school, today: dt.date) -> dict:
    year = school_year_start(today)
    senco = (
        Appointment.objects.filter(Appointment.in_post(today), school=school, post=Appointment.Post.SENCO)
        .prefetch_related("qualifications")
        .first()
    )
    context = {
        "document_title": "The SENCo role: a summary for governors",
        "school_name": school.name,
        "prepared_on": _day(today),
        "school_year": f"{year.year} to {year.year + 1}",
        "senco_in_post": senco is not None,
    }
    if senco is None:
        context |= {
            "qualification": "The SENCo post is vacant. Every mainstream school must have a SENCo.",
            "working_pattern": "",
            "head_confirmation": "",
            "time_logged": False,
            "time": [],
            "time_note": "",
        }
    else:
        found = standing(senco, today)
        qualification = found.label + (f" ({found.held_as})" if found.held_as else "")
        if found.complete_by and found.state != "qualified":
            was = "was " if found.held else ""
            qualification += f"{';' if found.held_as else ':'} {was}due by {_day(found.complete_by)}"
        if found.no_qts:
            qualification += (
                ". No qualified teacher status is recorded for the SENCo, "
                "who must be a qualified teacher or the headteacher"
            )
        confirmation = (
            f"The headteacher confirmed on {_day(senco.head_confirmed_on)} that they are satisfied the SENCo is "
            "working towards it."
            if senco.head_confirmed_on
            else ""
        )
        weeks = list(
            WeekLog.objects.filter(
                appointment=senco, week_of__gte=year, week_of__lt=year.replace(year=year.year + 1)
            )
        )
        summary = summarise(weeks, senco.protected_hours)
        notes = []
        if weeks:
            notes.append(
                f"{_count(summary.weeks_logged)} weeks logged this school year, "
                f"{summary.average_week} hours a week on average."
            )
            notes.append(
                f"Administration took {summary.administration_percent or 0}% of the time; with EHC paperwork, "
                f"{summary.paperwork_percent or 0}%."
            )
            if summary.protected_kept_percent is not None:
                notes.append(
                    f"Of {summary.protected_allocated} protected hours allocated over those weeks, "
                    f"{summary.protected_used} were spent on SENCo work ({summary.protected_kept_percent}%)."
                )
        context |= {
            "qualification": qualification + ".",
            "qualification_reason": found.reason,
            "working_pattern": _pattern(senco),
            "head_confirmation": confirmation,
            "time_logged": bool(weeks),
            "time_note": " ".join(notes),
            "time": [
                {"category": s.label, "hours": str(s.hours), "percent": f"{s.percent or 0}%"}
                for s in summary.shares
            ],
        }
    sessions = list(
        TrainingSession.objects.filter(school=school, held_on__gte=year).prefetch_related("attendance")
    )
    attendance = [a for s in sessions for a in s.attendance.all()]
    confidence = rated(attendance)
    staff = staff_of(school).count()
    # Pupils by area are the figures page's own cells, hidden alike, so the two cannot be set against each other.
    pupils = anonymised_figures(school=school)
    context |= {
        "training_sessions": _count(len(sessions)),
        "training_hours": str(hours(sum(s.minutes for s in sessions))),
        "staff_trained": f"{_count(len({a.user_id for a in attendance}))} of {_count(staff)}",
        "confidence": (
            f"Staff rated their confidence {confidence.before} of 5 before training and {confidence.after} after "
            f"({_count(confidence.pairs)} ratings)."
            if confidence.pairs
            else "No confidence ratings yet."
        ),
        "needs": [
            {
                "area": n.label,
                "pupils": "none" if pupils.area(n.key) == 0 else str(pupils.area(n.key)),
                "staff_trained": str(disclosure.count(n.staff_trained)),
                "flag": _flag(n),
            }
            for n in training_needs(school, year)
            if n.key != "general"
        ],
        "suppressed_note": SUPPRESSED_NOTE,
    }
    return context


def build_governors() -> bytes:
    w = WordBuilder("{{ document_title }}")
    w.para("{{ school_name }}, school year {{ school_year }}. Prepared {{ prepared_on }}.")
    w.heading("The SENCo and the mandatory qualification", 1)
    w.para("{{ qualification }} {{ head_confirmation }}").para("{{ working_pattern }}")
    w.heading("Where the SENCo's time goes", 1)
    w.tag("{%p if time_logged %}").para("{{ time_note }}")
    w.tag("{%p for t in time %}").para("{{ t.hours }} hours ({{ t.percent }})", "{{ t.category }}:").tag(
        "{%p endfor %}"
    )
    w.tag("{%p else %}").para("The SENCo has not logged any time this school year.").tag("{%p endif %}")
    w.heading("Staff training in SEND", 1)
    w.para(
        "{{ training_sessions }} sessions, {{ training_hours }} hours; "
        "{{ staff_trained }} staff attended. {{ confidence }}"
    )
    w.heading("Training needs by area of need", 1)
    w.tag("{%p for n in needs %}").para(
        "pupils: {{ n.pupils }}; staff trained: {{ n.staff_trained }}. {{ n.flag }}", "{{ n.area }}:"
    )
    w.tag("{%p endfor %}")
    w.para("{{ suppressed_note }}")
    return w.bytes()


GOVERNORS_SUMMARY = register(
    Kind(
        key="governors_senco_summary",
        title="SENCo summary for governors",
        description=(
            "One page for governors: the SENCo's qualification, where the SENCo's time goes, "
            "and staff SEND training."
        ),
        pdf_template="documents/governors_senco_summary.html",
        build_default=build_governors,
        example=lambda: {
            "document_title": "The SENCo role: a summary for governors",
            "school_name": "Example Primary",
            "prepared_on": "23 November 2026",
            "school_year": "2026 to 2027",
            "senco_in_post": True,
            "qualification": "In progress: due by 31 August 2027.",
            "qualification_reason": "",
            "head_confirmation": "",
            "working_pattern": "0.8 FTE.",
            "time_logged": True,
            "time_note": "10 weeks logged.",
            "time": [{"category": "Administration", "hours": "20.0", "percent": "25.0%"}],
            "training_sessions": "6",
            "training_hours": "9.0",
            "staff_trained": "12 of 20",
            "confidence": "No confidence ratings yet.",
            "needs": [
                {"area": "Communication and interaction", "pupils": "12", "staff_trained": "c", "flag": ""}
            ],
            "suppressed_note": SUPPRESSED_NOTE,
        },
        fields=[
            ("document_title", "the title"),
            ("school_name", "the school"),
            ("prepared_on", "the day it was made"),
            ("school_year", "for example 2026 to 2027"),
            ("qualification", "the SENCo's standing with the qualification"),
            ("head_confirmation", "the headteacher's confirmation, if given"),
            ("working_pattern", "FTE, hours, SLT, admin support"),
            ("time_logged", "true once any week is logged"),
            ("time_note", "weeks logged, administration share, protected time"),
            ("time", "a list; each has category, hours and percent"),
            ("training_sessions", "sessions this year"),
            ("training_hours", "their hours"),
            ("staff_trained", "for example 12 of 20"),
            ("confidence", "before and after"),
            ("needs", "a list; each has area, pupils, staff_trained and flag"),
            ("suppressed_note", "what c stands for: a number not shown, to protect the people it counts"),
        ],
    )
)
