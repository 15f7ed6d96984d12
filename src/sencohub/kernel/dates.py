"""One window of plausible dates for every date a person types into sencohub.

A date far outside any school's life (9999-12-31, 0001-01-01) is almost always a slip of the keyboard, and every
statutory date worked out from it lands outside the calendar. So every date field in every form refuses a date
outside its window with a message saying what the window is. The default window fits the dates records hold
(meetings, reviews, plan and status dates, training, SENCo appointments); a field whose meaning allows less says so
with its own window (an EHC plan is issued on or after 1 September 2014, when EHC plans began).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
@dataclass
class DateWindow:
    """A validator: the date must fall between `earliest` (or `years_back` before today) and `years_ahead` after."""

    earliest: dt.date | None = None
    years_back: int | None = None
    years_ahead: int = 5

    def bounds(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or timezone.localdate()
        lowest = self.earliest or _years_from(today, -(self.years_back or 0))
        return lowest, _years_from(today, self.years_ahead)

    def __call__(self, value) -> None:
        if value is None:
            return
        if isinstance(value, dt.datetime):
            value = value.date()
        lowest, highest = self.bounds()
        if not lowest <= value <= highest:
            raise ValidationError(
                "Enter a date between %(lowest)s and %(highest)s.",
                code="date_out_of_window",
                params={"lowest": f"{lowest:%-d %B %Y}", "highest": f"{highest:%-d %B %Y}"},
            )


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


# Every date field's window unless it has a narrower one of its own.
RECORD_DATES = DateWindow(earliest=dt.date(1990, 1, 1), years_ahead=5)
# EHC plans began on 1 September 2014 (Children and Families Act 2014).
EHC_PLAN_ISSUED = DateWindow(earliest=dt.date(2014, 9, 1), years_ahead=1)
# A pupil's leaving date, recorded when the MIS file no longer lists them: within the last two years.
LEFT_THE_SCHOOL = DateWindow(years_back=2, years_ahead=0)
# A session's register, taken on the day or caught up later in the school year: within the last year (the
# register form itself refuses a day still to come, saying so).
REGISTER_TAKEN = DateWindow(years_back=1)
# Pupils are of school age or in further education: born within the last 25 years.
DATE_OF_BIRTH = DateWindow(years_back=25, years_ahead=0)


def in_window(value: dt.date | None, window: DateWindow = RECORD_DATES) -> bool:
    """Whether a stored date is one the pages can work with (dates stored before the windows existed may not be)."""
    if value is None:
        return False
    lowest, highest = window.bounds()
    return lowest <= value <= highest
