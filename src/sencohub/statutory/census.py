"""School census SEN codes and the rules that bind them (DfE school census guide; STATUTORY.md section 5).

SEN provision: E EHC plan, K SEN support, N no SEN. The historic codes S (statement), A (School Action)
and P (School Action Plus) are accepted from old records and mapped to today's codes; we never produce them.
SEN type: a primary need (rank 1) for every pupil with E or K, optionally a secondary need (rank 2); N has
none. NSA (SEN support, no specialist assessment of type) only with K. DS (Down syndrome) exists from the
January 2025 census.
"""

import datetime as dt
from dataclasses import dataclass

EHC_PLAN = "E"
SEN_SUPPORT = "K"
NO_SEN = "N"

PROVISIONS = {EHC_PLAN: "EHC plan", SEN_SUPPORT: "SEN support", NO_SEN: "No SEN"}
HISTORIC_PROVISIONS = {
    "S": (EHC_PLAN, "statement of SEN, replaced by EHC plans"),
    "A": (SEN_SUPPORT, "School Action, replaced by SEN support"),
    "P": (SEN_SUPPORT, "School Action Plus, replaced by SEN support"),
}

COMMUNICATION = "communication and interaction"
COGNITION = "cognition and learning"
SEMH = "social, emotional and mental health"
SENSORY = "sensory and/or physical"
OTHER = "other"

AREAS_OF_NEED = (COMMUNICATION, COGNITION, SEMH, SENSORY, OTHER)


@dataclass(frozen=True)
class SenType:
    code: str
    name: str
    area: str
    valid_from: dt.date | None = None
    support_only: bool = False


SEN_TYPES: dict[str, SenType] = {
    t.code: t
    for t in (
        SenType("SLCN", "Speech, language and communication needs", COMMUNICATION),
        SenType("ASD", "Autistic spectrum disorder", COMMUNICATION),
        SenType("SPLD", "Specific learning difficulty", COGNITION),
        SenType("MLD", "Moderate learning difficulty", COGNITION),
        SenType("SLD", "Severe learning difficulty", COGNITION),
        SenType("PMLD", "Profound and multiple learning difficulty", COGNITION),
        SenType("DS", "Down syndrome", COGNITION, valid_from=dt.date(2025, 1, 1)),
        SenType("SEMH", "Social, emotional and mental health", SEMH),
        SenType("HI", "Hearing impairment", SENSORY),
        SenType("VI", "Visual impairment", SENSORY),
        SenType("MSI", "Multi-sensory impairment", SENSORY),
        SenType("PD", "Physical disability", SENSORY),
        SenType("OTH", "Other difficulty or disability", OTHER),
        SenType("NSA", "SEN support but no specialist assessment of type of need", OTHER, support_only=True),
    )
}

MESSAGE_UNKNOWN_PROVISION = (
    "SEN provision must be E (EHC plan), K (SEN support) or N (no SEN); it is {value!r}."
)
MESSAGE_UNKNOWN_TYPE = "{value!r} is not a census SEN type; use one of " + ", ".join(SEN_TYPES) + "."
MESSAGE_NEEDS_PRIMARY = "A pupil with {provision} must have a primary need (rank 1)."
MESSAGE_NO_SEN_NO_NEEDS = (
    "A pupil with no SEN (N) has no recorded need; remove the need or change the provision."
)
MESSAGE_NSA_ONLY_SUPPORT = "NSA (no specialist assessment) is only for pupils on SEN support (K)."
MESSAGE_NSA_NOT_SECONDARY = "NSA can only be a primary need, with no secondary need beside it."
MESSAGE_SECONDARY_WITHOUT_PRIMARY = "A secondary need needs a primary need first."
MESSAGE_SAME_NEED_TWICE = "The secondary need must differ from the primary need."
MESSAGE_TYPE_NOT_YET_VALID = (
    "{code} ({name}) is a census code only from {valid_from:%B %Y}; this record is dated {on:%d/%m/%Y}."
)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def normalise_provision(raw: str) -> tuple[str | None, str | None]:
    """Return (current code, note about a historic code) or (None, None) when the code is not known."""
    code = (raw or "").strip().upper()
    if code in PROVISIONS:
        return code, None
    if code in HISTORIC_PROVISIONS:
        current, meaning = HISTORIC_PROVISIONS[code]
        return current, f"Recorded as historic code {code} ({meaning})."
    return None, None


def area_of_need(code: str) -> str:
    return SEN_TYPES[code].area


def check_sen_record(
    provision: str, primary: str | None, secondary: str | None, on: dt.date
) -> list[Problem]:
    """Every census rule that a pupil's provision and ranked needs break, on the date they apply from.

    `provision` must already be a current code (E, K or N).
    """
    problems: list[Problem] = []
    primary = primary or None
    secondary = secondary or None
    for field, code in (("primary_need", primary), ("secondary_need", secondary)):
        if code is None:
            continue
        sen_type = SEN_TYPES.get(code)
        if sen_type is None:
            problems.append(Problem(field, MESSAGE_UNKNOWN_TYPE.format(value=code)))
        elif sen_type.valid_from is not None and on < sen_type.valid_from:
            problems.append(
                Problem(
                    field,
                    MESSAGE_TYPE_NOT_YET_VALID.format(
                        code=code, name=sen_type.name, valid_from=sen_type.valid_from, on=on
                    ),
                )
            )
    if provision == NO_SEN:
        if primary or secondary:
            problems.append(Problem("primary_need" if primary else "secondary_need", MESSAGE_NO_SEN_NO_NEEDS))
        return problems
    if primary is None:
        if secondary is not None:
            problems.append(Problem("secondary_need", MESSAGE_SECONDARY_WITHOUT_PRIMARY))
        problems.append(
            Problem("primary_need", MESSAGE_NEEDS_PRIMARY.format(provision=PROVISIONS[provision]))
        )
        return problems
    if primary == "NSA" and provision != SEN_SUPPORT:
        problems.append(Problem("primary_need", MESSAGE_NSA_ONLY_SUPPORT))
    if secondary == "NSA":
        problems.append(Problem("secondary_need", MESSAGE_NSA_NOT_SECONDARY))
    elif primary == "NSA" and secondary is not None:
        problems.append(Problem("secondary_need", MESSAGE_NSA_NOT_SECONDARY))
    if secondary is not None and secondary == primary:
        problems.append(Problem("secondary_need", MESSAGE_SAME_NEED_TWICE))
    return problems
