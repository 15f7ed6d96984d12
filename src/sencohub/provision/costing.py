"""The provision map for a school year: each pupil's share of each provision, in pence, from `statutory.money`."""

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from sencohub.provision.models import Provision
from sencohub.schools.models import Term
from sencohub.statutory import money


def school_year(day: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return start, dt.date(start.year + 1, 8, 31)


@dataclass
class PupilProvision:
    provision: Provision
    sessions: int
    hours: Fraction
    group_size: int
    hourly_pence: int
    other_costs_pence: int
    cost_pence: int

    def as_json(self) -> dict:
        return {
            "name": self.provision.name, "intervention": self.provision.intervention.name, "wave": self.provision.wave,
            "sessions": self.sessions, "hours": round(float(self.hours), 4), "group_size": self.group_size,
            "hourly_cost_pence": self.hourly_pence, "other_costs_pence": self.other_costs_pence, "cost_pence": self.cost_pence,
        }  # fmt: skip


@dataclass
class PupilRow:
    pupil: object
    provisions: list[PupilProvision] = field(default_factory=list)
    by_term: dict[str, int] = field(default_factory=dict)  # cost in each term, pence

    @property
    def total_pence(self) -> int:
        return sum(p.cost_pence for p in self.provisions)

    @property
    def above_threshold_pence(self) -> int:
        return money.above_threshold(self.total_pence)


@dataclass
class ProvisionMap:
    year_start: dt.date
    year_end: dt.date
    rows: list[PupilRow]

    @property
    def total_pence(self) -> int:
        return sum(r.total_pence for r in self.rows)

    @property
    def above_threshold(self) -> list[PupilRow]:
        return [r for r in self.rows if r.above_threshold_pence > 0]

    def term_totals(self) -> list[tuple[str, int]]:
        """The whole school's cost in each term, in term order (the rows' term costs added up)."""
        found: dict[str, int] = {}
        for row in self.rows:
            for name, pence in row.by_term.items():
                found[name] = found.get(name, 0) + pence
        return list(found.items())

    def totals_by(self, key) -> list[tuple[str, int]]:
        found: dict[str, int] = {}
        for row in self.rows:
            for item in row.provisions:
                label = key(row, item)
                found[label] = found.get(label, 0) + item.cost_pence
        return sorted(found.items(), key=lambda kv: -kv[1])


def provision_map(school, *, pupils=None, on: dt.date) -> ProvisionMap:
    """Every pupil with provision in the school year containing `on`, with their share of each provision."""
    start, end = school_year(on)
    term_rows = list(Term.objects.filter(school=school, starts_on__lte=end, ends_on__gte=start).order_by("starts_on"))
    terms = [(t.starts_on, t.ends_on) for t in term_rows]
    provisions = (
        Provision.objects.filter(school=school, starts_on__lte=end, ends_on__gte=start)
        .select_related("intervention", "pay_band")
        .prefetch_related("enrolments__pupil__class_group")
    )
    allowed = None if pupils is None else set(pupils.values_list("pk", flat=True))
    rows: dict[int, PupilRow] = {}
    for provision in provisions:
        enrolled = sorted((e.pupil for e in provision.enrolments.all()), key=lambda p: (p.surname, p.forename, p.pk))
        if not enrolled:
            continue
        sessions = money.planned_sessions(max(start, provision.starts_on), min(end, provision.ends_on),
                                          provision.sessions_per_week, terms)  # fmt: skip
        cost = money.provision_cost(sessions=sessions, minutes_per_session=provision.minutes,
                                    hourly_pence=provision.pay_band.hourly_pence, other_pence=provision.other_costs_pence,
                                    group_size=len(enrolled))  # fmt: skip
        # Each term: its staff time, and the other costs shared between terms by their sessions.
        term_sessions = {}
        for term in term_rows:
            first, last = max(term.starts_on, provision.starts_on), min(term.ends_on, provision.ends_on)
            if last >= first:
                term_sessions[term.name] = money.planned_sessions(first, last, provision.sessions_per_week,
                                                                  [(term.starts_on, term.ends_on)])  # fmt: skip
        other_by_term = dict(zip(term_sessions, money.apportion(provision.other_costs_pence, list(term_sessions.values())), strict=True))
        in_term = {
            name: money.provision_cost(
                sessions=count, minutes_per_session=provision.minutes, hourly_pence=provision.pay_band.hourly_pence,
                other_pence=other_by_term[name], group_size=len(enrolled),
            ).pupil_shares()
            for name, count in term_sessions.items()
        }  # fmt: skip
        for index, (pupil, share) in enumerate(zip(enrolled, cost.pupil_shares(), strict=True)):
            if allowed is not None and pupil.pk not in allowed:
                continue
            row = rows.setdefault(pupil.pk, PupilRow(pupil))
            row.provisions.append(
                PupilProvision(provision, sessions, cost.hours, len(enrolled), provision.pay_band.hourly_pence,
                               provision.other_costs_pence, share)  # fmt: skip
            )
            for name, shares_in_term in in_term.items():
                row.by_term[name] = row.by_term.get(name, 0) + shares_in_term[index]
    ordered = sorted(rows.values(), key=lambda r: (r.pupil.surname, r.pupil.forename))
    return ProvisionMap(start, end, ordered)
