"""The provision map as JSON, CSV and Excel rows: one shape for the pages and `sencohub export provision-map`."""

from sencohub.provision.costing import OUTSIDE_TERMS, ProvisionMap
from sencohub.statutory import money

MAP_COLUMNS = [
    "UPN",
    "Surname",
    "Forename",
    "Year group",
    "Provision",
    "Intervention",
    "Wave",
    "Sessions",
    "Hours",
    "Group size",
    "Hourly cost (pence)",
    "Other costs (pence)",
    "Cost to this pupil (pence)",
    "Pupil's total (pence)",
    "Additional support (Y/N)",
    "Pupil's element 2 (pence)",
    "Pupil's top-up above £6,000 (pence)",
]


def map_columns(pmap: ProvisionMap) -> list[str]:
    """MAP_COLUMNS, then the pupil's cost in each of the map's terms (as on the page).

    The term columns add up to the pupil's total.
    """
    return MAP_COLUMNS + [
        (
            "Pupil's cost outside term dates (pence)"
            if name == OUTSIDE_TERMS
            else f"Pupil's cost in {name} (pence)"
        )
        for name in pmap.term_columns
    ]


def map_json(pmap: ProvisionMap) -> list[dict]:
    """Each pupil: `upn`, `total_cost_pence` and `provisions`, each with what its cost is worked out from; then how
    it is funded: `element2_pence` (at most £6,000 of additional support), `top_up_pence` (the rest) and
    `universal_pence` (wave 1, counted against neither), and `by_term_pence` (adding up to the total)."""
    return [
        {
            "upn": row.pupil.upn,
            "total_cost_pence": row.total_pence,
            "provisions": [p.as_json() for p in row.provisions],
            "element2_pence": row.funding.element2_pence,
            "top_up_pence": row.funding.top_up_pence,
            "universal_pence": row.universal_pence,
            "by_term_pence": dict(row.by_term),
        }
        for row in pmap.rows
    ]


def map_rows(pmap: ProvisionMap) -> list[list]:
    """A line for each pupil's provision, in the columns of `map_columns`."""
    out, terms = [], pmap.term_columns
    for row in pmap.rows:
        p = row.pupil
        by_term = [row.by_term.get(name, 0) for name in terms]
        for item in row.provisions:
            out.append(
                [
                    p.upn,
                    p.surname,
                    p.forename,
                    p.year_group,
                    item.provision.name,
                    item.provision.intervention.name,
                    item.provision.wave,
                    item.sessions,
                    round(float(item.hours), 2),
                    item.group_size,
                    item.hourly_pence,
                    item.other_costs_pence,
                    item.cost_pence,
                    row.total_pence,
                    "Y" if money.is_additional_support(item.provision.wave) else "N",
                    row.funding.element2_pence,
                    row.funding.top_up_pence,
                    *by_term,
                ]
            )
    return out
