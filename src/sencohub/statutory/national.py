"""National figures for England, January 2025 (STATUTORY.md section 11).

Two different sources, and they describe different people:
- the share of pupils with SEN, with an EHC plan and on SEN support: DfE "Special educational needs in England"
  (the school census, pupils in schools in England);
- the primary need of EHC plans: DfE "Education, health and care plans", reporting year 2025, from the SEN2 return.
  These cover every EHC plan an LA maintains, ages 0 to 25, wherever the child or young person is (school,
  college, early years, not in education), so they are not school-census figures: say so beside any comparison.

The EHC plan figures are read from `ehc_primary_need_2025.csv`, the England "All EHC plans" row of the release's
`sen_needs_all_plans.csv` kept as published (Open Government Licence v3.0; contains public sector information
licensed under the OGL). A test checks it against the release file itself.

Used to calibrate the demo and to show a school its register beside the national picture.
"""

import csv
import io
from importlib import resources

PERCENT_WITH_SEN = 19.5
PERCENT_EHC_PLAN = 5.3
PERCENT_SEN_SUPPORT = 14.2

EHC_NEEDS_SOURCE = (
    "England: all EHC plans maintained by local authorities, ages 0 to 25, January 2025 "
    "(DfE, Education, health and care plans 2025, from the SEN2 return). These are not school census figures: "
    "they include children and young people in early years, colleges and elsewhere."
)
CENSUS_SOURCE = (
    "England: pupils in schools, January 2025 school census (DfE, Special educational needs in England 2025)."
)
NOT_KNOWN = "Not known"  # the release's "need unknown": plans whose primary need the LA did not record
EHC_PLANS_MAINTAINED = 638_745

# The release's column for each census SEN type. DS was first collected in 2025 and is reported within the
# figures it was split from, so it has no share of its own here.
_COLUMNS = {
    "ASD": "asd_pc",
    "SLCN": "slcn_pc",
    "SEMH": "semh_pc",
    "MLD": "mld_pc",
    "SLD": "sld_pc",
    "PD": "pd_pc",
    "SPLD": "spld_pc",
    "HI": "hi_pc",
    "PMLD": "pmld_pc",
    "OTH": "oth_pc",
    "VI": "vi_pc",
    "MSI": "msi_pc",
    NOT_KNOWN: "unknown_pc",
}


def _ehc_primary_needs() -> dict[str, float]:
    text = resources.files(__package__).joinpath("ehc_primary_need_2025.csv").read_text(encoding="utf-8")
    (row,) = csv.DictReader(io.StringIO(text))
    shares = {code: float(row[column]) for code, column in _COLUMNS.items()}
    return dict(sorted(shares.items(), key=lambda kv: (kv[0] == NOT_KNOWN, -kv[1])))


# Primary need of all EHC plans, percent (January 2025), largest first, "Not known" last.
EHC_PRIMARY_NEED_PERCENT_WITH_NOT_KNOWN = _ehc_primary_needs()
# The same, only the census SEN types (what a school's pupils can be compared with, need by need).
EHC_PRIMARY_NEED_PERCENT = {
    k: v for k, v in EHC_PRIMARY_NEED_PERCENT_WITH_NOT_KNOWN.items() if k != NOT_KNOWN
}

# Weights for the primary need of generated pupils on SEN support. Only the ordering is published fact (SLCN is
# the most common need on SEN support); the shares are our approximation, used to make the demo look like a
# real school and never shown to anyone as national data.
DEMO_SEN_SUPPORT_NEED_WEIGHTS = {
    "SLCN": 26.0,
    "SEMH": 20.0,
    "SPLD": 13.0,
    "MLD": 12.5,
    "ASD": 10.0,
    "NSA": 6.0,
    "PD": 3.0,
    "OTH": 3.5,
    "HI": 1.6,
    "VI": 0.9,
    "DS": 0.3,
    "SLD": 0.3,
    "MSI": 0.1,
    "PMLD": 0.1,
}

# New EHC plans issued within 20 weeks in England, by calendar year of issue, percent: (all plans, leaving out
# plans where an exception applied). DfE "Education, health and care plans" 2025, timeliness_20_week.csv, England
# rows, "All EHC plans issued" (pc_plans_issued_within_20_weeks, PC_plans_issued_20_weeks_ex).
EHC_PLANS_WITHIN_20_WEEKS_PERCENT = {
    2019: (58.7, 60.4),
    2020: (55.6, 58.0),
    2021: (57.9, 59.9),
    2022: (47.7, 49.2),
    2023: (49.1, 50.3),
    2024: (45.9, 46.4),
}
