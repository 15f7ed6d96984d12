"""When a support plan's cycle is reviewed: a number of weeks on, or the end of a term. Pure functions, no Django.

The SEND Code of Practice (6.52) asks that reviews are on an agreed date, often termly, and that a cycle is long
enough for the support to make a difference. A school chooses its rule: a fixed number of weeks (6 to 12), or the
end of the term. A cycle that would end in under six weeks (a plan started near the end of a term) runs to the end
of the next term instead.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MIN_WEEKS = 6
MAX_WEEKS = 12
FALLBACK_WEEKS = 12  # when the school has no term that fits
SHORTEST_TERM_CYCLE = dt.timedelta(weeks=MIN_WEEKS)
LONGEST_HOLIDAY = dt.timedelta(weeks=8)  # the summer holiday, with room to spare


@dataclass(frozen=True)
class TermSpan:
    name: str
    starts_on: dt.date
    ends_on: dt.date


def weeks_on(starts_on: dt.date, weeks: int) -> dt.date:
    """`weeks` after the start; the last day there is (9999-12-31) for a start too late to add them to."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"A cycle is {MIN_WEEKS} to {MAX_WEEKS} weeks long, not {weeks}.")
    try:
        return starts_on + dt.timedelta(weeks=weeks)
    except OverflowError:
        return dt.date.max


def term_to_review_at(starts_on: dt.date, terms: Iterable[TermSpan]) -> TermSpan | None:
    """The term on whose last day the cycle is reviewed: the term the cycle starts in (starting in a holiday, the
    term after it); if that term ends within six weeks of the start, the next term. None when the school has not
    recorded that term (terms further off than a holiday away are not taken for it)."""
    later = sorted((t for t in terms if t.ends_on > starts_on), key=lambda t: t.ends_on)
    if not later or later[0].starts_on - starts_on > LONGEST_HOLIDAY:
        return None
    first = later[0]
    if first.ends_on - starts_on >= SHORTEST_TERM_CYCLE:
        return first
    if len(later) > 1 and later[1].starts_on - first.ends_on <= LONGEST_HOLIDAY:
        return later[1]
    return None
