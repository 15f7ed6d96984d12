"""Exceptions to the EHC needs assessment time limits: which limit a recorded exception may excuse.

SEND Regulations 2014, regs 5(4), 8(2), 10(4) and 13(3) (STATUTORY.md section 2). The LA need not meet a limit
where it is impractical because:
- it asked a head teacher for advice from 1 week before a school closure of 4 or more continuous weeks until
  1 week before the school reopens (regs 5(4)(a), 10(4)(a), 13(3)(a));
- of exceptional personal circumstances of the child, the parent or the young person;
- the child, the parent or the young person is away from the LA's area for 4 or more continuous weeks;
- the child, the parent or the young person missed an appointment for an examination or a test, during the
  6 weeks the advice was running: this excuses that advice only (reg. 8(2)).

An exception excuses a limit only while the limit runs: from the day its clock starts until it is met, stops
applying or falls due. One that overlaps no running limit excuses nothing. Due dates never move; excusing a limit
only takes the case out of the "without exceptions" timeliness figures (DfE).

Pure functions, no Django. Dates are inclusive: an exception from 1 to 28 March lasts 28 days, 4 weeks.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sencohub.statutory.timelines import add_days

CLOSURE = "closure"
PERSONAL = "personal"
AWAY = "away"
MISSED_APPOINTMENT = "appointment"
REASONS = (CLOSURE, PERSONAL, AWAY, MISSED_APPOINTMENT)
FOUR_WEEKS = 28  # days: "a continuous period of not less than 4 weeks"

DECISION_TO_ASSESS = "decision_to_assess_due"
ADVICE = "advice_due"
DECISION_NOT_TO_ISSUE = "decision_not_to_issue_due"
FINAL_PLAN = "final_plan_due"
REASSESSMENT_DECISION = "reassessment_decision_due"
REASSESSMENT_FINAL_PLAN = "reassessment_final_plan_due"

_LA_REASONS = frozenset({CLOSURE, PERSONAL, AWAY})
# Which reasons excuse which limit, and the regulation that says so. STATUTORY.md gives the four exceptions for
# all four limits, the missed appointment for advice only. The re-assessment limits (regs 25 and 27) are not
# among them, so nothing excuses those here.
EXCUSED_BY: dict[str, tuple[frozenset[str], str]] = {
    DECISION_TO_ASSESS: (_LA_REASONS, "reg. 5(4)"),
    ADVICE: (_LA_REASONS | {MISSED_APPOINTMENT}, "reg. 8(2)"),
    DECISION_NOT_TO_ISSUE: (_LA_REASONS, "reg. 10(4)"),
    FINAL_PLAN: (_LA_REASONS, "reg. 13(3)"),
    REASSESSMENT_DECISION: (frozenset(), "regs 5(4), 8(2), 10(4) and 13(3) do not cover it"),
    REASSESSMENT_FINAL_PLAN: (frozenset(), "regs 5(4), 8(2), 10(4) and 13(3) do not cover it"),
}

NAMES = {
    DECISION_TO_ASSESS: "the 6-week decision whether to assess",
    ADVICE: "the 6 weeks for advice",
    DECISION_NOT_TO_ISSUE: "the 16-week decision not to issue a plan",
    FINAL_PLAN: "the 20-week limit for the final plan",
    REASSESSMENT_DECISION: "the 15-day decision whether to re-assess",
    REASSESSMENT_FINAL_PLAN: "the 14-week limit for the final plan after re-assessment",
}


def day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


@dataclass(frozen=True)
class Limit:
    """A time limit of one case, running from `starts` until `due`, or until `ended` if it was met or stopped
    applying (a decision, a withdrawal) before then."""

    key: str
    starts: dt.date
    due: dt.date
    ended: dt.date | None = None
    detail: str = ""  # whose advice

    @property
    def runs_until(self) -> dt.date:
        return min(self.due, self.ended) if self.ended is not None else self.due

    @property
    def name(self) -> str:
        return NAMES[self.key] + (f" from {self.detail}" if self.detail else "")

    def describe(self) -> str:
        return f"{self.name} (due {day(self.due)})"

    def overlaps(self, starts: dt.date, ends: dt.date | None) -> bool:
        return starts <= self.runs_until and (ends is None or self.starts <= ends)


@dataclass(frozen=True)
class Verdict:
    """What a recorded exception excuses; `refused` says why it excuses nothing when `excused` is empty."""

    excused: tuple[Limit, ...] = ()
    not_excused: tuple[tuple[Limit, str], ...] = ()  # limits it overlaps but may not excuse, each with why
    refused: str = ""
    field: str = ""  # the part of the form the refusal is about: "reason", "starts_on" or "ends_on"

    @property
    def valid(self) -> bool:
        return bool(self.excused)

    def excuses(self, key: str) -> bool:
        return any(limit.key == key for limit in self.excused)

    def excused_text(self) -> str:
        return f"It excuses {_listed(limit.describe() for limit in self.excused)}." if self.excused else ""

    def not_excused_text(self) -> str:
        if not self.not_excused:
            return ""
        return (
            "It does not excuse "
            + "; ".join(f"{limit.describe()}: {why}" for limit, why in self.not_excused)
            + "."
        )

    def summary(self) -> str:
        if not self.excused:
            return f"It excuses nothing. {self.refused}"
        return f"{self.excused_text()} {self.not_excused_text()}".strip()


def _listed(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def assessment_limits(
    received: dt.date | None,
    *,
    reassessment: bool = False,
    decision_on: dt.date | None = None,
    decided_to_assess: bool | None = None,
    advice: Iterable[tuple[dt.date, dt.date | None, str]] = (),
    not_issuing_on: dt.date | None = None,
    final_plan_on: dt.date | None = None,
    withdrawn_on: dt.date | None = None,
) -> list[Limit]:
    """Every time limit of a request, each with the days it ran; `advice` holds (requested, returned, from whom)."""
    if received is None:
        return []

    def first(*days: dt.date | None) -> dt.date | None:
        return min((d for d in days if d is not None), default=None)

    refused = decision_on if decided_to_assess is False else None
    limits = []

    def add(key: str, starts: dt.date, days: int, ended: dt.date | None, detail: str = "") -> None:
        try:
            due = add_days(starts, days)
        except (
            OverflowError
        ):  # a date far past any plausible one (9999-12-31): this limit cannot be worked out
            return
        limits.append(Limit(key, starts, due, ended, detail))

    if reassessment:
        add(REASSESSMENT_DECISION, received, 15, first(decision_on, withdrawn_on))
    else:
        add(DECISION_TO_ASSESS, received, 6 * 7, first(decision_on, withdrawn_on))
    for requested, returned, adviser in advice:
        add(ADVICE, requested, 6 * 7, first(returned, withdrawn_on), adviser)
    ended = first(final_plan_on, not_issuing_on, withdrawn_on, refused)
    if reassessment:
        add(REASSESSMENT_FINAL_PLAN, received, 14 * 7, ended)
    else:
        add(DECISION_NOT_TO_ISSUE, received, 16 * 7, ended)
        add(FINAL_PLAN, received, 20 * 7, ended)
    return limits


def closure_window(starts: dt.date, ends: dt.date) -> tuple[dt.date, dt.date]:
    """When asking a head teacher for advice is excused: from 1 week before the school closes until 1 week
    before it reopens (the day after `ends`, its last closed day)."""
    return add_days(starts, -7), add_days(ends, 1 - 7)


def judge(reason: str, starts: dt.date, ends: dt.date | None, limits: Iterable[Limit]) -> Verdict:
    """Which of a case's `limits` an exception for `reason` from `starts` to `ends` (None: still going) excuses."""
    limits = list(limits)
    if reason not in REASONS:
        return Verdict(refused="Choose one of the reasons the regulations allow.", field="reason")
    if ends is not None and ends < starts:
        return Verdict(refused=f"The end ({day(ends)}) is before the start ({day(starts)}).", field="ends_on")
    if reason == MISSED_APPOINTMENT and ends is None:
        ends = starts  # an appointment is one day
    if reason in (CLOSURE, AWAY):
        what = "A school closure" if reason == CLOSURE else "Being away from the local authority's area"
        if ends is None:
            return Verdict(
                refused=f"Enter the last day of it: {what[0].lower() + what[1:]} counts only if it lasts at least 4 "
                "continuous weeks.",
                field="ends_on",
            )
        length = (ends - starts).days + 1
        if length < FOUR_WEEKS:
            return Verdict(
                refused=f"{what} counts only if it lasts at least 4 continuous weeks (28 days): "
                f"{day(starts)} to {day(ends)} is {length} days.",
                field="ends_on",
            )
    if not limits:
        return Verdict(
            refused="No time limit is running yet: record the date the LA received the request first; "
            "every limit runs from it.",
            field="starts_on",
        )
    overlapping = [limit for limit in limits if limit.overlaps(starts, ends)]
    period = (
        day(starts)
        if ends == starts
        else f"{day(starts)} to {day(ends)}"
        if ends is not None
        else f"from {day(starts)}"
    )
    if not overlapping:
        running = "; ".join(
            f"{limit.name}, {day(limit.starts)} to {day(limit.runs_until)}" for limit in limits
        )
        return Verdict(
            refused=f"{period[0].upper()}{period[1:]} overlaps no time limit while it was running, so it "
            f"excuses nothing. The limits ran: {running}.",
            field="starts_on",
        )
    asked_in_window: set[Limit] = set()
    if reason == CLOSURE:
        window_from, window_to = closure_window(
            starts, ends or starts
        )  # a closure always has its last day here
        asked_in_window = {
            limit for limit in overlapping if limit.key == ADVICE and window_from <= limit.starts <= window_to
        }
        if not asked_in_window:
            return Verdict(
                refused="A school closure excuses a limit only where the LA asked a head teacher for advice "
                "from 1 week before the closure until 1 week before the school reopens "
                f"({day(window_from)} to "
                f"{day(window_to)}), and that advice was still running during the closure. No request for "
                "advice recorded here fits: record the request for the head teacher's advice first.",
                field="starts_on",
            )
    excused, not_excused = [], []
    for limit in overlapping:
        reasons, source = EXCUSED_BY[limit.key]
        if reason not in reasons:
            why = (
                "a missed appointment excuses advice only (reg. 8(2))"
                if reason == MISSED_APPOINTMENT
                else f"no exception applies to it ({source})"
            )
            not_excused.append((limit, why))
        elif reason == CLOSURE and limit.key == ADVICE and limit not in asked_in_window:
            not_excused.append(
                (limit, "it was not asked for from 1 week before the closure to 1 week before reopening")
            )
        else:
            excused.append(limit)
    if not excused:
        whys = "; ".join(f"{limit.describe()}: {why}" for limit, why in not_excused)
        return Verdict(
            not_excused=tuple(not_excused),
            refused=f"It excuses none of the limits running then. {whys[0].upper()}{whys[1:]}.",
            field="reason",
        )
    return Verdict(tuple(excused), tuple(not_excused))
