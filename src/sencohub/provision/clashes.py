"""Clashes in the provision timetable: a member of staff in two places at once, a pupil in two groups at once,
and a pupil taken out at the same time every week (so missing the same lesson week after week).

sencohub does not hold the school's lesson timetable, so the last is judged from the provision alone: a group
that meets on the same day at the same time for more than six weeks takes its pupils out of the same lesson.
"""

import datetime as dt
from dataclasses import dataclass

SAME_SLOT_WEEKS = 6
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@dataclass(frozen=True)
class Clash:
    kind: str  # "staff", "pupil" or "same lesson"
    message: str


# Each kind of clash as the summary above the provisions counts it: (kind, one, more than one, what it means).
KINDS = [
    ("staff", "staff clash", "staff clashes", "someone is down for two groups at the same time"),
    ("pupil", "pupil clash", "pupil clashes", "a pupil is down for two groups at the same time"),
    (
        "same lesson",
        "group missing the same lesson",
        "groups missing the same lesson",
        f"a group meets at the same time every week for more than {SAME_SLOT_WEEKS} weeks",
    ),
]


@dataclass(frozen=True)
class ClashKind:
    kind: str
    count: int
    label: str  # "2 pupil clashes"
    meaning: str
    clashes: list[Clash]


def clash_summary(clashes: list[Clash]) -> list[ClashKind]:
    """The clashes counted by kind, in the order of KINDS, leaving out kinds with none."""
    summary = []
    for kind, one, more, meaning in KINDS:
        found = [c for c in clashes if c.kind == kind]
        if found:
            label = f"{len(found)} {one if len(found) == 1 else more}"
            summary.append(ClashKind(kind, len(found), label, meaning, found))
    return summary


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _overlap(a, b) -> list[int]:
    """Weekdays on which provisions `a` and `b` meet at overlapping times during overlapping periods."""
    if not (a.starts_at and b.starts_at and a.days and b.days):
        return []
    if a.ends_on < b.starts_on or b.ends_on < a.starts_on:
        return []
    a_start, b_start = _minutes(a.starts_at), _minutes(b.starts_at)
    if a_start + a.minutes <= b_start or b_start + b.minutes <= a_start:
        return []
    return sorted(set(int(d) for d in a.days) & set(int(d) for d in b.days))


def _staff(provision) -> dict:
    """The people delivering a provision: the accounts that run it (`runners`: id and name, when known) and the name
    written in without an account."""
    people = {("user", pk): name for pk, name in getattr(provision, "runners", ())}
    if provision.staff.strip():
        people[("name", provision.staff.strip().lower())] = provision.staff.strip()
    return people


def find_clashes(provisions, pupils_of) -> list[Clash]:
    """`provisions` with days, starts_at, minutes and dates; `pupils_of(provision)` the pupils in each."""
    found = []
    provisions = list(provisions)
    for i, a in enumerate(provisions):
        for b in provisions[i + 1 :]:
            days = _overlap(a, b)
            if not days:
                continue
            when = ", ".join(DAY_NAMES[d] for d in days) + f" at {min(a.starts_at, b.starts_at):%H:%M}"
            for person in _staff(a).keys() & _staff(b).keys():
                found.append(
                    Clash("staff", f"{_staff(a)[person]} is down for {a.name} and {b.name} on {when}.")
                )
            shared = {p.pk: p for p in pupils_of(a)}.keys() & {p.pk: p for p in pupils_of(b)}.keys()
            for pupil in [p for p in pupils_of(a) if p.pk in shared]:
                found.append(Clash("pupil", f"{pupil.full_name} is in {a.name} and {b.name} on {when}."))
    for p in provisions:
        if p.days and p.starts_at and (p.ends_on - p.starts_on).days > SAME_SLOT_WEEKS * 7:
            days = ", ".join(DAY_NAMES[int(d)] for d in p.days)
            found.append(
                Clash(
                    "same lesson",
                    f"{p.name} meets on {days} at {p.starts_at:%H:%M} every week for more than "
                    f"{SAME_SLOT_WEEKS} weeks: its pupils miss the same lesson each time. Consider rotating the time.",
                )
            )
    return found
