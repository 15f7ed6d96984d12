"""The school year: 1 September to 31 August. Pure functions, no Django.

The Education Act 1996 (section 579) counts a school year from the first term to begin after July; in England that
is the autumn term, and the DfE counts year groups (a pupil's age on 31 August), budgets and the census by the year
from 1 September to 31 August. So do the notional SEN budget, the provision map's costs and the SENCo's time log.
"""

import datetime as dt

START_MONTH = 9  # September


def school_year_start(day: dt.date) -> dt.date:
    """1 September of the school year `day` falls in (31 August 2027 is in the year from 1 September 2026)."""
    return dt.date(day.year if day.month >= START_MONTH else day.year - 1, START_MONTH, 1)


def school_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last days (1 September, 31 August) of the school year `day` falls in."""
    start = school_year_start(day)
    return start, dt.date(start.year + 1, 8, 31)
