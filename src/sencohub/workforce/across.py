"""The SENCo workforce across many schools: one row per school, the counts a trust or LA asks about, and an
anonymised aggregate export in which no count from 1 to 4 can be read or worked out."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sencohub.kernel.tables import Sheet, table_xlsx
from sencohub.statutory import disclosure
from sencohub.workforce import status
from sencohub.workforce.models import Appointment, Qualification
from sencohub.workforce.status import Standing, standing

TENURE_BANDS = [
    (0, "Under 1 year"),
    (1, "1 to 3 years"),
    (3, "3 to 5 years"),
    (5, "5 to 10 years"),
    (10, "10 years or more"),
]
STATE_ORDER = [
    status.QUALIFIED,
    status.QUALIFIED_LATE,
    status.IN_PROGRESS,
    status.DUE_SOON,
    status.OVERDUE,
    status.NOT_STARTED,
    status.NOT_REQUIRED,
]


@dataclass
class SchoolRow:
    school: object
    senco: Appointment | None
    standing: Standing | None
    held: list[str]  # qualifications completed, by kind label
    tenure_years: int | None  # whole years in post (0 for a SENCo whose appointment starts later)


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from start to end; 0 when start is still ahead (an appointment that starts later)."""
    return max(0, end.year - start.year - ((end.month, end.day) < (start.month, start.day)))


def tenure_band(years: int) -> str:
    return [label for low, label in TENURE_BANDS if years >= low][-1]


def school_rows(schools, today: dt.date) -> tuple[list[SchoolRow], list[Appointment]]:
    """A row for each current SENCo (a school that shares the role has one for each, the first appointed first; a
    school with none has one row, a vacancy) and everyone who has left the post.

    Two queries whatever the number of schools: appointments, and their qualifications."""
    appointments = (
        Appointment.objects.filter(school__in=schools, post=Appointment.Post.SENCO)
        .select_related("school")
        .prefetch_related("qualifications")
        .order_by("starts_on", "id")
    )
    current, leavers = {}, []
    for a in appointments:
        if a.ends_on is None or a.ends_on > today:  # as Appointment.in_post
            current.setdefault(a.school_id, []).append(a)
        else:
            leavers.append(a)
    rows = []
    for school in schools:
        if school.pk not in current:
            rows.append(SchoolRow(school, None, None, [], None))
        for senco in current.get(school.pk, []):
            held = sorted(
                {
                    q.get_kind_display()
                    for q in senco.qualifications.all()
                    if q.status == Qualification.Status.COMPLETED
                }
            )
            rows.append(
                SchoolRow(school, senco, standing(senco, today), held, years_between(senco.starts_on, today))
            )
    leavers.sort(key=lambda a: (a.ends_on, a.school.name), reverse=True)
    return rows, leavers


def _hours(values) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"n": 0, "mean": None, "total": None}
    total = sum(values, Decimal(0))
    return {
        "n": len(values),
        "mean": (total / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        "total": total,
    }


def aggregates(rows: list[SchoolRow], leavers: list[Appointment]) -> dict:
    """The counts the issue's questions need, as (label, count) lists in a fixed order."""
    sencos = [r for r in rows if r.senco]
    states = Counter(r.standing.state for r in sencos)
    held = Counter()
    for r in sencos:
        for label in r.held or ["No SEND qualification completed"]:
            held[label] += 1
    tenure = Counter(tenure_band(r.tenure_years) for r in sencos)
    reasons = Counter(a.get_leaving_reason_display() or "Not recorded" for a in leavers)
    vacancies = sum(1 for r in rows if not r.senco)
    schools = len({r.school.pk for r in rows})
    return {
        "schools": schools,
        "with_senco": schools - vacancies,
        "sencos": len(sencos),
        "vacancies": vacancies,
        "standing": [(status.LABELS[s], states.get(s, 0)) for s in STATE_ORDER],
        "held": sorted(held.items()),
        "time": [
            ("Full-time (1.0 FTE)", sum(1 for r in sencos if r.senco.fte >= 1)),
            ("Part-time", sum(1 for r in sencos if r.senco.fte < 1)),
        ],
        "slt": [
            ("On the senior leadership team", sum(1 for r in sencos if r.senco.on_slt)),
            ("Not on the senior leadership team", sum(1 for r in sencos if not r.senco.on_slt)),
        ],
        "tenure": [(label, tenure.get(label, 0)) for _, label in TENURE_BANDS],
        "allocated": _hours(r.senco.hours_per_week for r in sencos),
        "protected": _hours(r.senco.protected_hours for r in sencos),
        "admin": _hours(r.senco.admin_hours for r in sencos),
        "leavers": [(c.label, reasons.get(c.label, 0)) for c in Appointment.Leaving]
        + ([("Not recorded", reasons["Not recorded"])] if "Not recorded" in reasons else []),
    }


EXPORT_COLUMNS = [
    "URN",
    "School",
    "Local authority",
    "SENCo",
    "Appointed on",
    "Years in post",
    "Qualification standing",
    "Due by",
    "Qualifications completed",
    "FTE",
    "Hours a week for the role",
    "Protected hours a week",
    "Admin support hours a week",
    "Senior leadership team",
    "Qualified teacher or headteacher",
]


def export_rows(rows: list[SchoolRow]) -> list[list]:
    out = []
    for r in rows:
        s, a = r.school, r.senco
        if a is None:
            out.append(
                [s.urn, s.name, s.local_authority.name if s.local_authority else "", "Vacancy"] + [""] * 11
            )
            continue
        out.append(
            [
                s.urn,
                s.name,
                s.local_authority.name if s.local_authority else "",
                a.name,
                a.starts_on.isoformat(),
                r.tenure_years,
                r.standing.label,
                r.standing.complete_by.isoformat() if r.standing.complete_by else "",
                "; ".join(r.held),
                float(a.fte),
                _num(a.hours_per_week),
                _num(a.protected_hours),
                _num(a.admin_hours),
                "Yes" if a.on_slt else "No",
                "Not recorded" if r.standing.no_qts else "Yes",
            ]
        )
    return out


LEAVER_COLUMNS = ["URN", "School", "Former SENCo", "Appointed on", "Left on", "Why they left"]


def leaver_rows(leavers: list[Appointment]) -> list[list]:
    return [
        [
            a.school.urn,
            a.school.name,
            a.name,
            a.starts_on.isoformat(),
            a.ends_on.isoformat(),
            a.get_leaving_reason_display() or "Not recorded",
        ]
        for a in leavers
    ]


def export_xlsx(rows: list[SchoolRow], leavers: list[Appointment]) -> bytes:
    """Two sheets: each school's SENCo, and everyone who has left the post."""
    return table_xlsx(
        Sheet("SENCos", EXPORT_COLUMNS, export_rows(rows)),
        Sheet("Leavers", LEAVER_COLUMNS, leaver_rows(leavers)),
    )


def _num(value):
    return "" if value is None else float(value)


# The anonymised aggregate export ----------------------------------------------------------------------

AGGREGATE_COLUMNS = ["Measure", "Category", "Value"]


def aggregate_rows(agg: dict) -> list[list]:
    """Counts and mean hours with nothing identifying: no school, no name, no count from 1 to 4, and none that
    can be worked out from the others (sencohub.statutory.disclosure)."""
    in_post, schools = disclosure.suppress_with_total(
        [("With a SENCo in post", agg["with_senco"]), ("Vacancies", agg["vacancies"])]
    )
    rows = [["Schools", "Schools", schools]] + [["Schools", label, n] for label, n in in_post]
    # SENCos who share the role with another are more than the schools with a SENCo: hidden if the difference is small.
    sencos = disclosure.count(agg["sencos"])
    if disclosure.is_small(agg["sencos"] - agg["with_senco"]):
        sencos = disclosure.SUPPRESSED
    rows.append(["SENCos", "SENCos in post", sencos])
    sencos_hidden = sencos == disclosure.SUPPRESSED
    for measure, key in (
        ("Mandatory qualification", "standing"),
        ("Qualifications completed", "held"),
        ("Working pattern", "time"),
        ("Senior leadership team", "slt"),
        ("Years in post", "tenure"),
    ):
        rows += [
            [measure, label, n] for label, n in disclosure.suppress(agg[key], total_hidden=sencos_hidden)
        ]
    rows += [["Left the role", label, n] for label, n in disclosure.suppress(agg["leavers"])]
    for measure, key in (
        ("Hours a week for the role", "allocated"),
        ("Protected hours a week", "protected"),
        ("Admin support hours a week", "admin"),
    ):
        figures = agg[key]
        n = disclosure.count(figures["n"])
        mean = "" if figures["mean"] is None else float(figures["mean"])
        rows.append([measure, "SENCos with a figure", n])
        rows.append([measure, "Mean", disclosure.SUPPRESSED if n == disclosure.SUPPRESSED else mean])
    return rows
