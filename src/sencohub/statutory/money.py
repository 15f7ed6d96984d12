"""The cost of provision, in whole pence (STATUTORY.md section 7). Pure functions, no Django.

- Staff cost of a provision = hours delivered x the staff member's hourly cost, rounded to the penny once.
- A provision's cost is shared equally by the pupils in its group. Pennies that do not divide go one each to
  the first pupils in the order given, so the shares always add up to the whole, exactly: splitting a group
  never creates or loses money, and no two pupils' shares differ by more than a penny.
- The school meets the first £6,000 a year of a pupil's additional support from its notional SEN budget
  (element 2); cost above that is top-up funding from the LA's high-needs block (element 3). So a school's
  commitment against its notional SEN budget counts at most £6,000 a pupil, and the rest is shown apart
  (DfE, "High needs funding: operational guide"; "Schools operational guide": the notional SEN budget).
- Universal (wave 1) provision, ordinary quality-first teaching for every pupil, is not additional support and is
  counted against neither.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

NOTIONAL_THRESHOLD_PENCE = 600_000  # £6,000 a year
MINUTES_PER_HOUR = 60


def round_pence(value: Fraction | int) -> int:
    """The nearest whole penny, half a penny rounding up (costs are never negative), computed exactly."""
    value = Fraction(value)
    if value < 0:
        raise ValueError("a cost cannot be negative")
    return math.floor(value + Fraction(1, 2))


def pence_from_pounds(pounds: Decimal | int) -> int:
    """Pounds as typed on a page (£15.40, £145,000) in whole pence, to the nearest penny (a half penny to the even
    penny, as Python rounds a Decimal): the one conversion every form and page uses before money is stored."""
    return int(round(pounds * 100))


def hours(sessions: int, minutes_per_session: int) -> Fraction:
    """Hours delivered, kept exact (20 sessions of 25 minutes is 25/3 hours, not 8.33)."""
    if sessions < 0 or minutes_per_session < 0:
        raise ValueError("sessions and minutes cannot be negative")
    return Fraction(sessions * minutes_per_session, MINUTES_PER_HOUR)


def staff_cost_pence(sessions: int, minutes_per_session: int, hourly_pence: int) -> int:
    if hourly_pence < 0:
        raise ValueError("an hourly cost cannot be negative")
    return round_pence(hours(sessions, minutes_per_session) * hourly_pence)


def shares(total_pence: int, parts: int) -> list[int]:
    """Split a whole number of pence into `parts` shares that add up to it exactly.

    The first shares take the spare pence.
    """
    if parts <= 0:
        raise ValueError("there must be at least one share")
    if total_pence < 0:
        raise ValueError("a cost cannot be negative")
    base, spare = divmod(total_pence, parts)
    return [base + 1 if i < spare else base for i in range(parts)]


@dataclass(frozen=True)
class ProvisionCost:
    hours: Fraction
    hourly_pence: int
    staff_pence: int
    other_pence: int
    group_size: int

    @property
    def total_pence(self) -> int:
        return self.staff_pence + self.other_pence

    def pupil_shares(self) -> list[int]:
        return shares(self.total_pence, self.group_size)


def provision_cost(
    *, sessions: int, minutes_per_session: int, hourly_pence: int, other_pence: int, group_size: int
) -> ProvisionCost:
    if other_pence < 0:
        raise ValueError("other costs cannot be negative")
    if group_size <= 0:
        raise ValueError("a group has at least one pupil")
    return ProvisionCost(
        hours=hours(sessions, minutes_per_session),
        hourly_pence=hourly_pence,
        staff_pence=staff_cost_pence(sessions, minutes_per_session, hourly_pence),
        other_pence=other_pence,
        group_size=group_size,
    )


UNIVERSAL_WAVE = 1  # wave 1: universal, quality-first teaching for every pupil


def is_additional_support(wave: int) -> bool:
    """Waves 2 (targeted) and 3 (specialist) are additional support; wave 1 is what every pupil has."""
    return wave != UNIVERSAL_WAVE


def above_threshold(yearly_pence: int) -> int:
    """How much of a pupil's yearly additional cost is above the £6,000 the school meets (0 if none)."""
    return max(0, yearly_pence - NOTIONAL_THRESHOLD_PENCE)


@dataclass(frozen=True)
class Funding:
    """A pupil's additional support for a year as it is funded: the part the school's notional SEN budget meets
    (element 2, at most £6,000) and the part above it, top-up from the LA (element 3)."""

    element2_pence: int
    top_up_pence: int

    @property
    def total_pence(self) -> int:
        return self.element2_pence + self.top_up_pence


def funding(yearly_additional_pence: int) -> Funding:
    """Split a pupil's yearly cost of additional support into element 2 (up to £6,000) and top-up (the rest)."""
    if yearly_additional_pence < 0:
        raise ValueError("a cost cannot be negative")
    element2 = min(yearly_additional_pence, NOTIONAL_THRESHOLD_PENCE)
    return Funding(element2, yearly_additional_pence - element2)


def weekdays(start, end) -> int:
    """Monday to Friday from `start` to `end`, both included."""
    if end < start:
        return 0
    days = (end - start).days + 1
    full, rest = divmod(days, 7)
    count = full * 5
    for offset in range(rest):
        if (start.weekday() + offset) % 7 < 5:
            count += 1
    return count


SCHOOL_WEEKS_A_YEAR = Fraction(39, 52)  # without term dates, a school is open 39 weeks in 52


def planned_sessions(start, end, sessions_per_week: int, terms: list[tuple] | None = None) -> int:
    """Sessions planned from `start` to `end`: whole school weeks (term days / 5, from the term dates when given,
    39 weeks in 52 otherwise) times sessions a week, rounded to the nearest session."""
    return round_pence(sessions_exactly(start, end, sessions_per_week, terms))


def sessions_exactly(start, end, sessions_per_week: int, terms: list[tuple] | None = None) -> Fraction:
    """`planned_sessions` before rounding: parts of a period add up to the whole period exactly, where rounded
    parts (a week split by a pupil joining mid-week) could add up to more sessions than were held."""
    if terms:
        days = sum(weekdays(max(start, t_start), min(end, t_end)) for t_start, t_end in terms)
        weeks = Fraction(days, 5)
    else:
        weeks = Fraction(weekdays(start, end), 5) * SCHOOL_WEEKS_A_YEAR
    return weeks * sessions_per_week


def apportion(total_pence: int, weights: list[int]) -> list[int]:
    """Split `total_pence` in proportion to `weights`, in whole pence that add up exactly (largest remainders
    take the spare pence, earlier ones first on a tie). All-zero weights give nothing to anyone but the first."""
    if total_pence < 0 or any(w < 0 for w in weights):
        raise ValueError("amounts and weights cannot be negative")
    if not weights:
        return []
    whole = sum(weights)
    if whole == 0:
        return [total_pence] + [0] * (len(weights) - 1)
    exact = [Fraction(total_pence * w, whole) for w in weights]
    parts = [math.floor(x) for x in exact]
    spare = total_pence - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:spare]:
        parts[i] += 1
    return parts
