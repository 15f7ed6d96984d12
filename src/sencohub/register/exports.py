"""The register's download columns (the census fields are in `reports.census`)."""

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
