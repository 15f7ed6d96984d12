"""National figures for England, January 2025 (DfE "Special educational needs in England" and
"Education, health and care plans", reporting year 2025; STATUTORY.md section 11).

Used to calibrate the demo and to show a school its register beside the national picture.
"""

PERCENT_WITH_SEN = 19.5
PERCENT_EHC_PLAN = 5.3
PERCENT_SEN_SUPPORT = 14.2

# Primary need of pupils with EHC plans, percent (January 2025). DS was first collected in 2025 and is
# reported within the figures it was split from, so it has no share of its own here.
EHC_PRIMARY_NEED_PERCENT = {
    "ASD": 31.5,
    "SLCN": 21.3,
    "SEMH": 20.7,
    "MLD": 10.6,
    "SLD": 3.9,
    "PD": 3.9,
    "SPLD": 2.4,
    "HI": 1.4,
    "PMLD": 1.3,
    "OTH": 1.2,
    "VI": 0.8,
    "MSI": 0.3,
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
