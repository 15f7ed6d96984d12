"""The SEN fields of the school census return, shared by the download links and `sencohub export census`.

The codes and the rules that bind them are in `statutory.census`; the pupils on roll, their SEN provision and
ranked needs are read here, with the school's SEN unit and resourced provision."""

from sencohub.kernel.tables import table_csv
from sencohub.pupils.models import Pupil
from sencohub.register.models import Need
from sencohub.statutory import census

CENSUS_FIELDS = ["upn", "sen_provision", "primary_sen_type", "secondary_sen_type"]
# Only from a school with an SEN unit or resourced provision (census_rows).
CENSUS_INDICATORS = ["sen_unit_indicator", "resourced_provision_indicator"]


def census_rows(*, school) -> list[dict]:
    """The SEN fields of the school census, one row per pupil on roll (types are None where there are none).

    The SEN unit and resourced provision indicators are collected only from a school that has such provision (one
    the LA recognises): each is in every row when the school has it, and in none when it has not."""
    needs: dict[int, dict[int, str]] = {}
    for pupil_id, rank, code in Need.objects.filter(pupil__school=school).values_list(
        "pupil_id", "rank", "sen_type"
    ):
        needs.setdefault(pupil_id, {})[rank] = code
    rows = []
    for pupil_id, upn, provision, in_unit, in_resourced in (
        Pupil.objects.filter(school=school, left_on__isnull=True)
        .order_by("upn")
        .values_list("id", "upn", "sen_provision", "in_sen_unit", "in_resourced_provision")
    ):
        ranked = needs.get(pupil_id, {}) if provision != census.NO_SEN else {}
        row = {
            "upn": upn,
            "sen_provision": provision,
            "primary_sen_type": ranked.get(1),
            "secondary_sen_type": ranked.get(2),
        }
        if school.has_sen_unit:
            row["sen_unit_indicator"] = in_unit
        if school.has_resourced_provision:
            row["resourced_provision_indicator"] = in_resourced
        rows.append(row)
    return rows


def census_pupil_ids(*, school) -> list[int]:
    """The pupils `census_rows` is about."""
    return list(Pupil.objects.filter(school=school, left_on__isnull=True).values_list("pk", flat=True))


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # the census's own booleans
    return "" if value is None else value


def census_csv(rows: list[dict]) -> str:
    fields = CENSUS_FIELDS + [field for field in CENSUS_INDICATORS if rows and field in rows[0]]
    return table_csv(fields, [[_cell(row.get(field)) for field in fields] for row in rows])
