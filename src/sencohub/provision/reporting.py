"""The impact comparison: per intervention and measure, progress beside cost and attendance."""

from dataclasses import dataclass

from sencohub.provision.costing import provision_map
from sencohub.provision.impact import Impact, impact
from sencohub.provision.models import AGE_MEASURES, MEASURE_KINDS, Enrolment, Provision
from sencohub.provision.selectors import attendance_by_provision
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.permissions import Action

MEASURE_LABELS = dict(MEASURE_KINDS)
NO_MEASURE = "No measure chosen"


@dataclass
class ImpactRow:
    intervention: str
    measure: str
    pupils: int
    result: Impact
    attendance: float | None
    cost_per_pupil_pence: int | None

    @property
    def cost_per_point_pence(self) -> int | None:
        change = self.result.average_change
        if not self.cost_per_pupil_pence or not change or change <= 0:
            return None
        return round(self.cost_per_pupil_pence / change)


def impact_rows(school, user, on) -> list[ImpactRow]:
    pupils = pupils_for_user(user, action=Action.VIEW_PROVISION).filter(school=school)
    pmap = provision_map(school, pupils=pupils, on=on)
    cost = {
        (item.provision.pk, row.pupil.pk): item.cost_pence for row in pmap.rows for item in row.provisions
    }
    enrolments = Enrolment.objects.filter(provision__school=school, pupil__in=pupils).select_related(
        "provision__intervention"
    )
    attendance = {
        pk: (figures.present, figures.marked)
        for pk, figures in attendance_by_provision(Provision.objects.filter(school=school)).items()
    }
    groups: dict[tuple[str, str], list[Enrolment]] = {}
    for e in enrolments:
        groups.setdefault((e.provision.intervention.name, e.measure or ""), []).append(e)
    rows = []
    for (name, measure), members in groups.items():
        measured = [e for e in members if e.entry_value is not None and e.exit_value is not None]
        pairs = [(float(e.entry_value), float(e.exit_value)) for e in measured]
        elapsed = None
        if measure in AGE_MEASURES:
            elapsed = [
                max(0, (e.exit_on - e.entry_on).days) / 30.44 for e in measured if e.entry_on and e.exit_on
            ]
            elapsed = elapsed if len(elapsed) == len(measured) else None
        provisions = {e.provision_id for e in members}
        present = sum(attendance[p][0] for p in provisions)
        marked = sum(attendance[p][1] for p in provisions)
        costs = [cost[(e.provision_id, e.pupil_id)] for e in members if (e.provision_id, e.pupil_id) in cost]
        rows.append(
            ImpactRow(
                intervention=name,
                measure=MEASURE_LABELS.get(measure, NO_MEASURE),
                pupils=len({e.pupil_id for e in members}),
                result=impact(pairs, elapsed),
                attendance=present / marked if marked else None,
                cost_per_pupil_pence=round(sum(costs) / len(costs)) if costs else None,
            )
        )
    # Ranked by effect size (those without one last), then by cost per pupil.
    return sorted(
        rows,
        key=lambda r: (
            r.result.effect_size is None,
            -(r.result.effect_size or 0),
            r.cost_per_pupil_pence or 0,
        ),
    )


@dataclass
class Scale:
    """The interventions measured on one scale, ranked as impact_rows ranks them."""

    name: str
    rows: list[ImpactRow]

    @property
    def by_age(self) -> bool:
        """Reading or spelling ages, the scales a ratio gain is worked out for."""
        return self.name in {MEASURE_LABELS[kind] for kind in AGE_MEASURES}

    @property
    def chart(self) -> dict:
        return impact_chart(self.rows)


def by_scale(rows: list[ImpactRow]) -> list[Scale]:
    """The rows grouped by the scale they were measured on, in the order of MEASURE_KINDS (those with no measure
    last): 5 months of reading age and 5 points of a standardised score are not the same progress, so each scale's
    figures are read against their own."""
    order = [label for _, label in MEASURE_KINDS] + [NO_MEASURE]
    groups: dict[str, list[ImpactRow]] = {}
    for row in rows:
        groups.setdefault(row.measure, []).append(row)
    return [Scale(name, found) for name, found in sorted(groups.items(), key=lambda kv: order.index(kv[0]))]


def impact_chart(rows: list[ImpactRow]) -> dict:
    """Bars of effect size with their intervals, as numbers for an SVG drawn in the template."""
    shown = [r for r in rows if r.result.effect_size is not None]
    if not shown:
        return {"bars": [], "height": 0}
    values = [r.result.effect_size for r in shown] + [
        v for r in shown if r.result.interval for v in r.result.interval
    ]
    low, high = min(0.0, min(values)), max(0.5, max(values))
    width, left = 420, 10

    def x(v: float) -> float:
        return round(left + (v - low) / (high - low) * width, 1)

    bars = []
    for index, r in enumerate(shown):
        d = r.result.effect_size
        interval = r.result.interval
        bars.append(
            {
                "label": r.intervention,
                "y": 8 + index * 44,
                "x0": min(x(0), x(d)),
                "w": abs(x(d) - x(0)),
                "value": f"{d:.2f}",
                "lo": x(interval[0]) if interval else None,
                "hi": x(interval[1]) if interval else None,
            }
        )
    return {"bars": bars, "height": 16 + len(shown) * 44, "zero": x(0), "width": width + 2 * left + 60}


def measure_for(description: str) -> str:
    """The measure kind a catalogue entry's "how progress is measured" most likely means."""
    text = description.lower()
    if "reading age" in text:
        return "reading_age"
    if "spelling age" in text:
        return "spelling_age"
    if "standardised" in text:
        return "standardised"
    return "school"
