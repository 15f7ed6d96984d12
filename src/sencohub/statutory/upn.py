"""Unique Pupil Numbers (DfE, "Unique pupil numbers (UPNs)" guidance).

A UPN is 13 characters: a check letter, the 3-digit LA number of the issuing school, its 4-digit
establishment number, 2 digits of the year of issue and a 3-character serial (a temporary UPN ends in a
letter). The check letter, format and LA number rules come from python-stdnum's `stdnum.gb.upn`.

stdnum's list of LA numbers predates the local-government reorganisations of 2019-2023, so UPNs issued by
BCP (839), North and West Northamptonshire (940, 941) and Cumberland and Westmorland and Furness (942, 943)
would be refused by it alone; we accept those numbers too.
"""

from dataclasses import dataclass

from stdnum import exceptions as stdnum_exceptions
from stdnum.gb import upn as stdnum_upn

LA_NUMBERS_SINCE_2019 = frozenset({839, 940, 941, 942, 943})

MESSAGE_MISSING = "Enter the pupil's UPN (13 characters, for example A801200005001)."
MESSAGE_LENGTH = "A UPN has 13 characters; this has {length}."
MESSAGE_FORMAT = "A UPN is a letter, 11 digits, then a digit or letter; this is not in that form."
MESSAGE_LA = "The UPN's digits 2-4 ({la}) are not the number of a local authority in England."
MESSAGE_CHECK = (
    "The UPN's check letter is wrong: for these 12 characters it should be {expected}. "
    "Check it was copied exactly."
)


@dataclass(frozen=True)
class UpnCheck:
    upn: str
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


def normalise(raw: str) -> str:
    return stdnum_upn.compact(raw or "")


def check_letter(last_twelve: str) -> str:
    """The check letter for the 12 characters after it."""
    return stdnum_upn.calc_check_digit(last_twelve)


def check(raw: str) -> UpnCheck:
    """Normalise a UPN and say, in words a school office can act on, what is wrong with it (if anything)."""
    upn = normalise(raw)
    if not upn:
        return UpnCheck(upn, MESSAGE_MISSING)
    try:
        stdnum_upn.validate(upn)
    except stdnum_exceptions.InvalidLength:
        return UpnCheck(upn, MESSAGE_LENGTH.format(length=len(upn)))
    except stdnum_exceptions.InvalidFormat:
        return UpnCheck(upn, MESSAGE_FORMAT)
    except stdnum_exceptions.InvalidComponent:
        la = upn[1:4]
        if int(la) not in LA_NUMBERS_SINCE_2019:
            return UpnCheck(upn, MESSAGE_LA.format(la=la))
        expected = check_letter(upn[1:])
        if expected != upn[0]:
            return UpnCheck(upn, MESSAGE_CHECK.format(expected=expected))
    except stdnum_exceptions.InvalidChecksum:
        return UpnCheck(upn, MESSAGE_CHECK.format(expected=check_letter(upn[1:])))
    except stdnum_exceptions.ValidationError:
        return UpnCheck(upn, MESSAGE_FORMAT)
    return UpnCheck(upn, None)


def make(la_number: int, establishment: int, year_of_issue: int, serial: int) -> str:
    """Build a valid permanent UPN from its parts (used to generate synthetic pupils, never real ones)."""
    if not (0 <= establishment <= 9999 and 0 <= year_of_issue <= 99 and 0 <= serial <= 999):
        raise ValueError("establishment 0-9999, year 0-99 and serial 0-999")
    body = f"{la_number:03d}{establishment:04d}{year_of_issue:02d}{serial:03d}"
    return check_letter(body) + body
