"""The provision map for a school year: each pupil's share of each provision, in pence, from `statutory.money`."""

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from sencohub.provision.models import Provision
from sencohub.schools.models import Term
from sencohub.statutory import money
from sencohub.statutory.school_year import school_year


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
            "name": self.provision.name,
            "intervention": self.provision.intervention.name,
            "wave": self.provision.wave,
            "sessions": self.sessions,
            "hours": round(float(self.hours), 4),
            "group_size": self.group_size,
            "hourly_cost_pence": self.hourly_pence,
            "other_costs_pence": self.other_costs_pence,
            "cost_pence": self.cost_pence,
        }


@dataclass
class PupilRow:
    pupil: object
    provisions: list[PupilProvision] = field(default_factory=list)
    by_term: dict[str, int] = field(default_factory=dict)  # cost in each term, pence: adds up to total_pence

    @property
    def total_pence(self) -> int:
        return sum(p.cost_pence for p in self.provisions)

    @property
    def additional_pence(self) -> int:
        """Additional support: every provision but universal (wave 1), which is not counted against any budget."""
        return sum(p.cost_pence for p in self.provisions if money.is_additional_support(p.provision.wave))

    @property
    def universal_pence(self) -> int:
        return self.total_pence - self.additional_pence

    @property
    def funding(self) -> money.Funding:
        return money.funding(self.additional_pence)

    @property
    def above_threshold_pence(self) -> int:
        return self.funding.top_up_pence


@dataclass
class ProvisionMap:
    year_start: dt.date
    year_end: dt.date
    rows: list[PupilRow]
    terms: list[str] = field(default_factory=list)  # the school's terms in this school year, in order

    @property
    def term_columns(self) -> list[str]:
        """The terms a download gives each pupil's cost in.

        Every term, then days outside them if any cost falls there.
        """
        return self.terms + ([OUTSIDE_TERMS] if any(OUTSIDE_TERMS in r.by_term for r in self.rows) else [])

    @property
    def total_pence(self) -> int:
        return sum(r.total_pence for r in self.rows)

    @property
    def element2_pence(self) -> int:
        """What the map commits against the notional SEN budget: each pupil's additional support, at most £6,000."""
        return sum(r.funding.element2_pence for r in self.rows)

    @property
    def top_up_pence(self) -> int:
        return sum(r.funding.top_up_pence for r in self.rows)

    @property
    def universal_pence(self) -> int:
        return sum(r.universal_pence for r in self.rows)

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


def spell_weights(spells, first: dt.date, last: dt.date, sessions_per_week: int, terms) -> list[Fraction]:
    """Each spell's part of the group from `first` to `last`: the sessions in each stretch between joinings and
    leavings, shared equally by the pupils in the group during that stretch."""
    cuts = sorted(
        {first, last + dt.timedelta(days=1)}
        | {day for a, b in spells for day in (a, b + dt.timedelta(days=1)) if first <= day <= last}
    )
    weights = [Fraction(0)] * len(spells)
    for begin, after in zip(cuts, cuts[1:], strict=False):
        end = after - dt.timedelta(days=1)
        present = [i for i, (a, b) in enumerate(spells) if a <= begin and end <= b]
        if not present:
            continue
        sessions = money.sessions_exactly(begin, end, sessions_per_week, terms)
        for i in present:
            weights[i] += Fraction(sessions, len(present))
    return weights


def shares_by_weight(total_pence: int, weights: list[Fraction]) -> list[int]:
    """`total_pence` split by `weights` to the penny; equal weights give equal shares, the spare pence to the first."""
    if not any(weights):
        weights = [Fraction(1)] * len(weights)
    scale = math.lcm(*(w.denominator for w in weights))
    return money.apportion(total_pence, [int(w * scale) for w in weights])


OUTSIDE_TERMS = "Outside term dates"


@dataclass
class CostedGroup:
    """One provision's part of a school year: its sessions and cost, and each spell's share, in all and by term."""

    sessions: int
    cost: money.ProvisionCost
    shares: list[int]
    by_term: list[dict[str, int]]


def group_cost(
    *,
    first: dt.date,
    last: dt.date,
    spells: list[tuple[dt.date, dt.date]],
    sessions_per_week: int,
    minutes: int,
    hourly_pence: int,
    other_pence: int,
    group_size: int,
    terms: list[tuple[str, dt.date, dt.date]],
) -> CostedGroup:
    """The cost of a provision from `first` to `last`, shared by its spells of enrolment, each share then split over
    the terms in proportion to that spell's sessions in each: the share is worked out once, for the year, so a
    pupil's term costs always add up to their year's cost exactly. Days outside every term (when term dates are
    known) carry no sessions; a share with none in any term is shown as outside term dates."""
    bounds = [(start, end) for _, start, end in terms]
    sessions = money.planned_sessions(first, last, sessions_per_week, bounds)
    cost = money.provision_cost(
        sessions=sessions,
        minutes_per_session=minutes,
        hourly_pence=hourly_pence,
        other_pence=other_pence,
        group_size=group_size,
    )
    shares = shares_by_weight(cost.total_pence, spell_weights(spells, first, last, sessions_per_week, bounds))
    in_term: dict[str, list[Fraction]] = {}
    for name, start, end in terms:
        t_first, t_last = max(start, first), min(end, last)
        if t_last >= t_first:
            in_spell = [(max(a, t_first), min(b, t_last)) for a, b in spells]
            in_term[name] = spell_weights(in_spell, t_first, t_last, sessions_per_week, [(start, end)])
    by_term: list[dict[str, int]] = []
    for index, share in enumerate(shares):
        weights = [w[index] for w in in_term.values()]
        if any(weights):
            by_term.append(dict(zip(in_term, shares_by_weight(share, weights), strict=True)))
        elif terms:
            by_term.append(dict.fromkeys(in_term, 0) | ({OUTSIDE_TERMS: share} if share else {}))
        else:
            by_term.append({})
    return CostedGroup(sessions, cost, shares, by_term)


def provision_map(school, *, pupils=None, on: dt.date) -> ProvisionMap:
    """Every pupil with provision in the school year containing `on`, with their share of each provision.

    A pupil's share counts only the days their enrolment was open: each stretch of the provision is shared by the
    pupils in the group at the time, so a pupil who left in October bears part of the autumn's cost and none after.
    """
    start, end = school_year(on)
    term_rows = list(
        Term.objects.filter(school=school, starts_on__lte=end, ends_on__gte=start).order_by("starts_on")
    )
    terms = [(t.name, t.starts_on, t.ends_on) for t in term_rows]
    provisions = (
        Provision.objects.filter(school=school, starts_on__lte=end, ends_on__gte=start)
        .select_related("intervention", "pay_band")
        .prefetch_related("enrolments__pupil__class_group")
    )
    allowed = None if pupils is None else set(pupils.values_list("pk", flat=True))
    rows: dict[int, PupilRow] = {}
    for provision in provisions:
        first, last = max(start, provision.starts_on), min(end, provision.ends_on)
        # Spells of enrolment that overlap this school year's part of the provision, in surname order.
        enrolled = sorted(
            (
                e
                for e in provision.enrolments.all()
                if e.first_day <= last and e.last_day >= first and e.first_day <= e.last_day
            ),
            key=lambda e: (e.pupil.surname, e.pupil.forename, e.pupil.pk, e.first_day),
        )
        if not enrolled:
            continue
        group = group_cost(
            first=first,
            last=last,
            spells=[(max(first, e.first_day), min(last, e.last_day)) for e in enrolled],
            sessions_per_week=provision.sessions_per_week,
            minutes=provision.minutes,
            hourly_pence=provision.pay_band.hourly_pence,
            other_pence=provision.other_costs_pence,
            group_size=len({e.pupil_id for e in enrolled}),
            terms=terms,
        )
        for enrolment, share, by_term in zip(enrolled, group.shares, group.by_term, strict=True):
            pupil = enrolment.pupil
            if allowed is not None and pupil.pk not in allowed:
                continue
            row = rows.setdefault(pupil.pk, PupilRow(pupil))
            item = next((i for i in row.provisions if i.provision.pk == provision.pk), None)
            if item is None:
                row.provisions.append(
                    PupilProvision(
                        provision,
                        group.sessions,
                        group.cost.hours,
                        group.cost.group_size,
                        provision.pay_band.hourly_pence,
                        provision.other_costs_pence,
                        share,
                    )
                )
            else:  # a second spell in the same group: one line, both shares
                item.cost_pence += share
            for name, pence in by_term.items():
                row.by_term[name] = row.by_term.get(name, 0) + pence
    ordered = sorted(rows.values(), key=lambda r: (r.pupil.surname, r.pupil.forename))
    return ProvisionMap(start, end, ordered, [t.name for t in term_rows])
