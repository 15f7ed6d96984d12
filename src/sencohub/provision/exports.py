"""The provision map as JSON, CSV and Excel rows: one shape for the pages and `sencohub export provision-map`."""

from sencohub.provision.costing import ProvisionMap

MAP_COLUMNS = [
    "UPN", "Surname", "Forename", "Year group", "Provision", "Intervention", "Wave", "Sessions", "Hours", "Group size",
    "Hourly cost (pence)", "Other costs (pence)", "Cost to this pupil (pence)", "Pupil's total (pence)",
]  # fmt: skip


def map_json(pmap: ProvisionMap) -> list[dict]:
    """Each pupil: `upn`, `total_cost_pence` and `provisions`, each with what its cost is worked out from."""
    return [
        {"upn": row.pupil.upn, "total_cost_pence": row.total_pence, "provisions": [p.as_json() for p in row.provisions]}
        for row in pmap.rows
    ]


def map_rows(pmap: ProvisionMap) -> list[list]:
    out = []
    for row in pmap.rows:
        p = row.pupil
        for item in row.provisions:
            out.append([p.upn, p.surname, p.forename, p.year_group, item.provision.name, item.provision.intervention.name,
                        item.provision.wave, item.sessions, round(float(item.hours), 2), item.group_size, item.hourly_pence,
                        item.other_costs_pence, item.cost_pence, row.total_pence])  # fmt: skip
    return out
