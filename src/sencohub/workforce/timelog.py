"""Where a SENCo's time goes: the weekly log summed, shared out by category, set against protected time.

Plain arithmetic on Decimals, so the page, the governors' summary and the tests agree to the tenth of an hour.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sencohub.workforce.models import TIME_CATEGORIES, WeekLog

ZERO = Decimal(0)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """A share to one decimal place, or None when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Share:
    field: str
    label: str
    short: str
    hours: Decimal
    percent: Decimal | None


@dataclass
class TimeSummary:
    weeks: list[WeekLog]
    protected_hours: Decimal | None  # allocated each week
    shares: list[Share] = field(default_factory=list)
    total: Decimal = ZERO
    protected_used: Decimal = ZERO

    @property
    def weeks_logged(self) -> int:
        return len(self.weeks)

    @property
    def average_week(self) -> Decimal | None:
        return (
            (self.total / len(self.weeks)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if self.weeks
            else None
        )

    @property
    def administration_percent(self) -> Decimal | None:
        return self._share("administration").percent

    @property
    def paperwork_percent(self) -> Decimal | None:
        """Administration and EHC paperwork together."""
        return percent(self._share("administration").hours + self._share("ehc_paperwork").hours, self.total)

    @property
    def protected_allocated(self) -> Decimal | None:
        """Protected hours the school allocated over the weeks logged."""
        return None if self.protected_hours is None else self.protected_hours * len(self.weeks)

    @property
    def protected_kept_percent(self) -> Decimal | None:
        """How much of the allocated protected time was actually spent on SENCo work."""
        return percent(self.protected_used, self.protected_allocated) if self.protected_allocated else None

    def _share(self, name: str) -> Share:
        return next(s for s in self.shares if s.field == name)


def summarise(weeks: list[WeekLog], protected_hours: Decimal | None) -> TimeSummary:
    summary = TimeSummary(weeks=list(weeks), protected_hours=protected_hours)
    totals = {name: sum((getattr(w, name) for w in weeks), ZERO) for name, _, _ in TIME_CATEGORIES}
    summary.total = sum(totals.values(), ZERO)
    summary.protected_used = sum((w.protected_used for w in weeks), ZERO)
    summary.shares = [
        Share(name, label, short, totals[name], percent(totals[name], summary.total))
        for name, label, short in TIME_CATEGORIES
    ]
    return summary


# Charts: SVG geometry worked out here, drawn by the template; the same figures are always in a table beside.

BAR_WIDTH = 560


def split_chart(summary: TimeSummary) -> list[dict]:
    """One horizontal bar per category, its length its share of all the time logged."""
    biggest = max((s.hours for s in summary.shares), default=ZERO)
    rows = []
    for index, share in enumerate(summary.shares):
        length = int(BAR_WIDTH * share.hours / biggest) if biggest else 0
        rows.append(
            {
                "y": index * 30,
                "length": max(length, 1 if share.hours else 0),
                "label": share.label,
                "value": f"{share.hours} h ({share.percent or 0}%)",
                "admin": share.field in ("administration", "ehc_paperwork"),
            }
        )
    return rows


def unlogged_weeks(logged: list[dt.date], first: dt.date, before: dt.date) -> list[dt.date]:
    """The Mondays from the week of `first` up to (not including) the week of `before` with no week logged."""
    have = {monday(d) for d in logged}
    weeks, week = [], monday(first)
    while week < monday(before):
        if week not in have:
            weeks.append(week)
        week += dt.timedelta(days=7)
    return weeks


def _nice_step(top: Decimal) -> int:
    """A round number of hours between gridlines: at most five lines up to `top`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if top <= step * 5:
            return step
    return int(top / 5) + 1


AXIS_LEFT, AXIS_BOTTOM, AXIS_TOP = 48, 40, 10


def trend_chart(summary: TimeSummary, height: int = 160) -> dict:
    """Each week's total as a column, with paperwork (administration and EHC) shaded and protected hours as a line,
    drawn at its own size (labels never shrink below 12 px) with an hours axis and a week-beginning axis."""
    weeks = summary.weeks
    if not weeks:
        return {"columns": [], "height": height}
    highest = max([w.total for w in weeks] + [summary.protected_hours or ZERO]) or Decimal(1)
    tick = _nice_step(highest)
    top = Decimal(tick * -(-int(highest.to_integral_value(rounding="ROUND_CEILING")) // tick))
    step = max(14, min(40, 640 // len(weeks)))
    scale = lambda hours: int(height * hours / top)  # noqa: E731
    every = -(-52 // step)  # label every nth week so the dates never overlap
    columns = []
    for index, week in enumerate(weeks):
        total, paper = scale(week.total), scale(week.paperwork)
        columns.append(
            {
                "x": AXIS_LEFT + index * step,
                "width": step - 4,
                "total": total,
                "paper": paper,
                "y": AXIS_TOP + height - total,
                "paper_y": AXIS_TOP + height - paper,
                "label": f"Week of {week.week_of:%-d %b}: {week.total} h, {week.paperwork} h paperwork",
                "axis_label": f"{week.week_of:%-d %b}" if index % every == 0 else "",
                "axis_x": AXIS_LEFT + index * step + (step - 4) // 2,
            }
        )
    ticks = [
        {"value": value, "y": AXIS_TOP + height - scale(Decimal(value))}
        for value in range(0, int(top) + 1, tick)
    ]
    plot_width = len(weeks) * step
    protected_y = AXIS_TOP + height - scale(summary.protected_hours) if summary.protected_hours else None
    return {
        "columns": columns,
        "ticks": ticks,
        "height": height,
        "left": AXIS_LEFT,
        "base": AXIS_TOP + height,
        "right": AXIS_LEFT + plot_width,
        "width": AXIS_LEFT + plot_width + 16,
        "full_height": AXIS_TOP + height + AXIS_BOTTOM,
        "middle": AXIS_TOP + height // 2,
        "protected_y": protected_y,
    }
