"""File formats of the register's exports, shared by the pages and the `sencohub export` command."""

from sencohub.kernel.tables import table_csv

CENSUS_FIELDS = ["upn", "sen_provision", "primary_sen_type", "secondary_sen_type"]
# Only from a school with an SEN unit or resourced provision (register.selectors.census_rows).
CENSUS_INDICATORS = ["sen_unit_indicator", "resourced_provision_indicator"]
REGISTER_COLUMNS = [
    "UPN",
    "Surname",
    "Forename",
    "Date of birth",
    "Year group",
    "Class",
    "SEN provision",
    "Primary need",
    "Secondary need",
    "Area of need",
    "Pupil premium",
    "EAL",
    "Looked after",
]


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # the census's own booleans
    return "" if value is None else value


def census_csv(rows: list[dict]) -> str:
    fields = CENSUS_FIELDS + [field for field in CENSUS_INDICATORS if rows and field in rows[0]]
    return table_csv(fields, [[_cell(row.get(field)) for field in fields] for row in rows])


def register_row(pupil) -> list[str]:
    """One pupil as a row of REGISTER_COLUMNS (needs must be prefetched)."""
    ranked = {n.rank: n for n in pupil.needs.all()}
    primary, secondary = ranked.get(1), ranked.get(2)
    yes_no = lambda flag: "Y" if flag else "N"  # noqa: E731
    return [
        pupil.upn,
        pupil.surname,
        pupil.forename,
        pupil.date_of_birth.isoformat(),
        pupil.year_group,
        pupil.class_group.name if pupil.class_group_id else "",
        pupil.sen_provision,
        primary.sen_type if primary else "",
        secondary.sen_type if secondary else "",
        primary.area_of_need if primary else "",
        yes_no(pupil.pupil_premium),
        yes_no(pupil.eal),
        yes_no(pupil.looked_after),
    ]
