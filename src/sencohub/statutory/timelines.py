"""Statutory dates for EHC needs assessments, EHC plans, annual reviews, appeals and the SENCo qualification.

Pure functions, no Django (STATUTORY.md sections 1 to 4 and 6, and the `sencohub timeline` contract in
section 12). Conventions (section 1): "N weeks" is N x 7 calendar days; "N days" calendar days; "N months"
the same day N months later, falling back to the last day of a shorter month (29 February 2024 + 12
months = 28 February 2025); a due date is the last day on which the act is in time; a working day is
Monday to Friday and not a bank holiday in England.

Each calculation returns its fields in the order of the contract, as a dict of name to date, holding only
the fields whose inputs were given. Impossible input (a meeting before the plan was issued) raises
`ImpossibleDates` with a message a person can act on.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays


class ImpossibleDates(ValueError):
    """Dates that cannot all be true of one case. str() is the `sencohub timeline` command's message (ISO dates);
    `in_words` is the same message for a page, with the dates written as a person reads them."""

    def __init__(
        self,
        message: str,
        *,
        later: tuple[str, dt.date] | None = None,
        earlier: tuple[str, dt.date] | None = None,
    ):
        super().__init__(message)
        self.later, self.earlier = later, earlier

    def in_words(self) -> str:
        if self.later is None or self.earlier is None:
            return str(self)
        (later_name, later), (earlier_name, earlier) = self.later, self.earlier
        return (
            f"The {later_name} ({later:%-d %B %Y}) is before the {earlier_name} ({earlier:%-d %B %Y}). "
            "Check both dates."
        )


@dataclass(frozen=True)
class Rule:
    label: str  # what is due, in the words a SENCo uses
    rule: str  # how the date is worked out
    source: str
    confidence: str  # H read in the primary text; M secondary source (STATUTORY.md)


RULES: dict[str, Rule] = {
    # EHC needs assessment (limits run from the day the LA receives the request)
    "decision_to_assess_due": Rule(
        "LA decides whether to assess", "request received + 6 weeks", "SEND Regulations 2014, reg. 5(1)", "H"
    ),
    "decision_not_to_issue_due": Rule(
        "LA tells the family if it will not issue a plan",
        "request received + 16 weeks",
        "SEND Regulations 2014, reg. 10(1)",
        "H",
    ),
    "final_plan_due": Rule(
        "Final EHC plan issued", "request received + 20 weeks", "SEND Regulations 2014, reg. 13(2)", "H"
    ),
    "advice_due": Rule(
        "Advice returned", "advice requested + 6 weeks", "SEND Regulations 2014, reg. 8(1)", "H"
    ),
    "draft_comments_due": Rule(
        "Parent or young person comments on the draft plan",
        "draft sent + 15 days",
        "SEND Regulations 2014, reg. 13(1)",
        "H",
    ),
    # Re-assessment
    "reassessment_decision_due": Rule(
        "LA decides whether to re-assess", "request + 15 days", "SEND Regulations 2014, reg. 25", "M"
    ),
    "reassessment_final_plan_due": Rule(
        "Final plan after re-assessment", "request + 14 weeks", "SEND Regulations 2014, reg. 27", "H"
    ),
    # Annual review
    "review_due": Rule(
        "Annual review meeting held",
        "plan issued, or the last review meeting, + 12 months",
        "Children and Families Act 2014, s.44(1)",
        "H",
    ),
    "invitations_due": Rule("Invitations sent", "meeting - 14 days", "SEND Regulations 2014, reg. 20", "H"),
    "advice_circulated_due": Rule(
        "Advice gathered and circulated", "meeting - 14 days", "SEND Regulations 2014, reg. 20", "H"
    ),
    "school_report_due": Rule(
        "School's review report sent to the LA and everyone invited",
        "meeting + 14 days",
        "SEND Regulations 2014, reg. 20",
        "M",
    ),
    "la_decision_due": Rule(
        "LA decides to maintain, amend or cease the plan",
        "meeting + 28 days",
        "SEND Regulations 2014, reg. 20",
        "M",
    ),
    "amendment_comments_due": Rule(
        "Comments on the proposed amendments",
        "amendments sent + 15 days",
        "SEND Regulations 2014, reg. 22",
        "H",
    ),
    "final_amended_plan_due": Rule(
        "Final amended plan issued",
        "amendments sent + 8 weeks, and never later than meeting + 12 weeks",
        "SEND Regulations 2014, reg. 22; R (L) v Devon CC [2022]",
        "H",
    ),
    # Phase transfer
    "amended_plan_due": Rule(
        "Amended plan naming the new placement",
        "15 February (school) or 31 March (post-16) of the calendar year of transfer",
        "SEND Regulations 2014, reg. 18",
        "H",
    ),
    # Disagreement
    "appeal_due": Rule(
        "Appeal to the First-tier Tribunal (SEND)",
        "the later of decision + 2 months and mediation certificate + 1 month; a day from 25 December to "
        "1 January, or in August, moves to the first working day after 1 January or 31 August (r.12(3)); "
        "then a weekend or bank holiday moves to the next working day (r.12(2))",
        "SEND Regulations 2014, reg. 33; Tribunal Procedure (HESC) Rules 2008, r.20, r.12(3) then r.12(2)",
        "M",
    ),
    # SENCo
    "complete_by": Rule(
        "SENCo holds the mandatory qualification",
        "3rd anniversary of appointment (a NASENCo course started before 1 September 2024: also by 31 August 2027)",
        "SEND Regulations 2014, reg. 49(4); SI 2024/535",
        "H",
    ),
}

# Re-assessment fields carry their contract names in the command's output.
REASSESSMENT_FIELDS = {
    "reassessment_decision_due": "decision_due",
    "reassessment_final_plan_due": "final_plan_due",
}

TRANSFER_DEADLINES = {"school": (2, 15), "post16": (3, 31)}

NPQ = "NPQ for SENCOs"
NASENCO = "NASENCo"
QUALIFICATION_DUTY_FROM = dt.date(2009, 9, 1)
NPQ_FROM = dt.date(2024, 9, 1)  # NASENCo courses started from this day no longer count
NASENCO_LAST_COMPLETION = dt.date(2027, 8, 31)
PREVIOUS_SENCO_MONTHS_LIMIT = 12


# Date arithmetic (STATUTORY.md section 1) ---------------------------------------------------------


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def add_weeks(day: dt.date, weeks: int) -> dt.date:
    return day + dt.timedelta(weeks=weeks)


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the month lacks falls to its last day (29 Feb + 12 months = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError("date value out of range")  # as adding days past 9999-12-31 does
    return dt.date(year, month, min(day.day, _days_in_month(year, month)))


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def first_working_day_after(day: dt.date) -> dt.date:
    day = add_days(day, 1)
    while not is_working_day(day):
        day = add_days(day, 1)
    return day


def _not_before(later: dt.date, later_name: str, earlier: dt.date, earlier_name: str) -> None:
    if later < earlier:
        raise ImpossibleDates(
            f"The {later_name} ({later.isoformat()}) is before the {earlier_name} ({earlier.isoformat()}). "
            "Check both dates.",
            later=(later_name, later),
            earlier=(earlier_name, earlier),
        )


# EHC needs assessment (section 2) ------------------------------------------------------------------


def ehc_assessment(
    received: dt.date, advice_requested: dt.date | None = None, draft_sent: dt.date | None = None
) -> dict[str, dt.date]:
    dates = {
        "decision_to_assess_due": add_weeks(received, 6),
        "decision_not_to_issue_due": add_weeks(received, 16),
        "final_plan_due": add_weeks(received, 20),
    }
    if advice_requested is not None:
        _not_before(advice_requested, "date advice was requested", received, "date the request was received")
        dates["advice_due"] = add_weeks(advice_requested, 6)
    if draft_sent is not None:
        _not_before(draft_sent, "date the draft plan was sent", received, "date the request was received")
        dates["draft_comments_due"] = add_days(draft_sent, 15)
    return dates


def reassessment(requested: dt.date) -> dict[str, dt.date]:
    return {
        "reassessment_decision_due": add_days(requested, 15),
        "reassessment_final_plan_due": add_weeks(requested, 14),
    }


# Annual reviews and phase transfer (section 3) -------------------------------------------------------


def annual_review(
    *,
    plan_issued: dt.date | None = None,
    last_review: dt.date | None = None,
    meeting: dt.date | None = None,
    amendments_sent: dt.date | None = None,
) -> dict[str, dt.date]:
    """`review_due` from the plan (first review) or the last review meeting; the rest from this meeting."""
    if (plan_issued is None) == (last_review is None):
        raise ValueError("give exactly one of plan_issued and last_review")
    if plan_issued is not None:
        start, start_name = plan_issued, "date the plan was issued"
    else:
        start, start_name = last_review, "last review meeting"
    dates = {"review_due": add_months(start, 12)}
    if meeting is not None:
        _not_before(meeting, "review meeting", start, start_name)
        dates.update(review_papers(meeting))
        dates["la_decision_due"] = add_days(meeting, 28)
    if amendments_sent is not None:
        if meeting is not None:
            _not_before(amendments_sent, "date the amendments were sent", meeting, "review meeting")
        else:
            _not_before(amendments_sent, "date the amendments were sent", start, start_name)
        dates["amendment_comments_due"] = add_days(amendments_sent, 15)
    if meeting is not None:
        latest = add_weeks(meeting, 12)
        dates["final_amended_plan_due"] = (
            min(latest, add_weeks(amendments_sent, 8)) if amendments_sent is not None else latest
        )
    return dates


PAPERS_BEFORE_MEETING_DAYS = 14
REPORT_AFTER_MEETING_DAYS = 14


def review_papers(meeting: dt.date) -> dict[str, dt.date]:
    """When the papers for an annual review meeting go round (SEND Regulations 2014, reg. 20; STATUTORY.md
    section 3): the invitations, and the advice gathered for the meeting, reach everyone invited at least 2 weeks
    (14 days) before it; the school's review report reaches the LA and everyone invited within 2 weeks after it.
    Each is the last day on which the step is in time: 10 March 2027's meeting needs the invitations and advice
    out by 24 February 2027 and the report by 24 March 2027."""
    before = add_days(meeting, -PAPERS_BEFORE_MEETING_DAYS)
    return {
        "invitations_due": before,
        "advice_circulated_due": before,
        "school_report_due": add_days(meeting, REPORT_AFTER_MEETING_DAYS),
    }


def phase_transfer(transfer: dt.date, to: str) -> dict[str, dt.date]:
    """`to` is "school" (15 February) or "post16" (31 March) of the calendar year of the transfer."""
    month, day = TRANSFER_DEADLINES[to]
    return {"amended_plan_due": dt.date(transfer.year, month, day)}


# Disagreement (section 4) ----------------------------------------------------------------------------


def appeal(decision: dt.date, mediation_certificate: dt.date | None = None) -> dict[str, dt.date]:
    """HESC Tribunal Rules 2008 r.20: the later of decision + 2 months and mediation certificate + 1 month,
    then moved as rule 12 says (`tribunal_deadline`)."""
    due = add_months(decision, 2)
    if mediation_certificate is not None:
        _not_before(
            mediation_certificate, "date of the mediation certificate", decision, "date of the decision"
        )
        due = max(due, add_months(mediation_certificate, 1))
    return {"appeal_due": tribunal_deadline(due)}


def tribunal_deadline(day: dt.date) -> dt.date:
    """Rule 12 of the HESC Tribunal Rules 2008, both parts, (3) first: a day from 25 December to 1 January or in
    August moves to the first working day after 1 January or 31 August (r.12(3)); then a day that is not a working
    day moves to the next working day (r.12(2))."""
    # Each part is applied once, in that order (shared rules, section 4): r.12(2) can carry a Saturday 30 July to
    # Monday 1 August, which stands, because the time specified ended in July.
    return on_or_next_working_day(tribunal_closed_period_moved(day))


def on_or_next_working_day(day: dt.date) -> dt.date:
    """HESC Tribunal Rules 2008 r.12(2): an act due on a day that is not a working day is in time on the next one."""
    return day if is_working_day(day) else first_working_day_after(day)


def tribunal_closed_period_moved(day: dt.date) -> dt.date:
    """HESC Tribunal Rules 2008 r.12(3): a day from 25 December to 1 January moves to the first working day after
    1 January; a day in August, to the first working day after 31 August."""
    if day.month == 12 and day.day >= 25:
        return first_working_day_after(dt.date(day.year + 1, 1, 1))
    if day.month == 1 and day.day == 1:
        return first_working_day_after(day)
    if day.month == 8:
        return first_working_day_after(dt.date(day.year, 8, 31))
    return day


# The SENCo qualification (section 6) -----------------------------------------------------------------


@dataclass(frozen=True)
class QualificationDuty:
    required: bool
    reason: str
    accepted: tuple[str, ...]
    complete_by: dt.date | None = None

    def as_dict(self) -> dict:
        data: dict = {"required": self.required, "reason": self.reason}
        if self.complete_by is not None:
            data["complete_by"] = self.complete_by
        data["accepted"] = list(self.accepted)
        return data


def senco_qualification(
    appointed: dt.date,
    previous_senco_months: int = 0,
    course: str | None = None,
    course_start: dt.date | None = None,
) -> QualificationDuty:
    """Whether the SENCo must gain the qualification, by when, and which qualifications count.

    Regs 49(4) covers a SENCo appointed after 1 September 2009 (an appointment on that day is not covered) who
    had not been a SENCo for more than 12 months before. `course` ("nasenco" or "npq") and `course_start` go
    together: a NASENCo course counts only if it started before 1 September 2024, and then must be complete by
    31 August 2027 at the latest (SI 2024/535).
    """
    if previous_senco_months < 0:
        raise ImpossibleDates("Months as a SENCo before this appointment cannot be negative.")
    if (course is None) != (course_start is None):
        raise ValueError("course and course_start go together")
    nasenco_counts = course == "nasenco" and course_start is not None and course_start < NPQ_FROM
    accepted = (NPQ, NASENCO) if nasenco_counts else (NPQ,)
    if appointed <= QUALIFICATION_DUTY_FROM:
        return QualificationDuty(
            False,
            "Appointed on or before 1 September 2009: the duty to gain the qualification covers only a SENCo "
            "appointed after that day (SEND Regulations 2014, reg. 49(4)).",
            accepted,
        )
    if previous_senco_months > PREVIOUS_SENCO_MONTHS_LIMIT:
        return QualificationDuty(
            False,
            f"{previous_senco_months} months as a SENCo before this appointment (more than 12), so the duty "
            "to gain the qualification does not apply (SEND Regulations 2014, reg. 49(4)).",
            accepted,
        )
    third_anniversary = add_months(appointed, 36)
    reason = (
        "Appointed after 1 September 2009 with no more than 12 months as a SENCo before, so the "
        "qualification must be held by the third anniversary of appointment (SEND Regulations 2014, reg. 49(4))."
    )
    if nasenco_counts:
        complete_by = min(third_anniversary, NASENCO_LAST_COMPLETION)
        reason += (
            " The NASENCo course started before 1 September 2024, so it counts if completed by 31 August 2027 "
            "(SI 2024/535)."
        )
    else:
        complete_by = third_anniversary
        if course == "nasenco":
            reason += (
                " A NASENCo course started on or after 1 September 2024 does not count: the NPQ for SENCOs "
                "is needed (SI 2024/535)."
            )
    return QualificationDuty(True, reason, accepted, complete_by)


def relevant_qualification(course: str, course_start: dt.date, completed: dt.date | None) -> bool:
    """Whether a completed course is a relevant qualification (SI 2024/535): the NPQ for SENCOs always; a NASENCo
    only if begun before 1 September 2024 and completed before 1 September 2027. Once held it is held for good,
    whenever it was completed against the third anniversary. A completion with no date recorded is taken as in time."""
    if course == "npq":
        return True
    return (
        course == "nasenco"
        and course_start < NPQ_FROM
        and (completed is None or completed <= NASENCO_LAST_COMPLETION)
    )


# Whether a step was in time (for compliance pages) ------------------------------------------------------

MET = "met"
MET_LATE = "met late"
OVERDUE = "overdue"
DUE_SOON = "due soon"
UPCOMING = "upcoming"
DUE_SOON_DAYS = 14


def milestone_state(
    due: dt.date, done_on: dt.date | None, today: dt.date, soon_days: int = DUE_SOON_DAYS
) -> str:
    """met, met late, overdue, due soon (within `soon_days`, today included) or upcoming."""
    if done_on is not None:
        return MET if done_on <= due else MET_LATE
    if due < today:
        return OVERDUE
    if due <= add_days(today, soon_days):
        return DUE_SOON
    return UPCOMING
