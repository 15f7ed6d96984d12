"""The columns an MIS file may have: their keys, what the pages call them, and the header spellings accepted.

The columns are those of the platform issue; headers are matched case-insensitively and the usual MIS
spellings ("Legal Surname", "DOB", "Reg") are accepted. Reading finds the header row with these, and
checking maps each header to its column.
"""

import re

COLUMNS = [
    "upn",
    "surname",
    "forename",
    "date_of_birth",
    "gender",
    "year_group",
    "class",
    "eal",
    "fsm",
    "pupil_premium",
    "looked_after",
    "sen_provision",
    "primary_need",
    "secondary_need",
    "sen_start_date",
]
REQUIRED = ("upn", "surname", "forename", "date_of_birth")
# What each column is called on the pages (the command's JSON keeps the keys above).
COLUMN_NAMES = {
    "upn": "UPN",
    "surname": "Surname",
    "forename": "Forename",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "year_group": "Year group",
    "class": "Class",
    "eal": "EAL",
    "fsm": "Free school meals",
    "pupil_premium": "Pupil premium",
    "looked_after": "Looked after",
    "sen_provision": "SEN provision",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "sen_start_date": "SEN start date",
    "left_on": "Left the school on",
}
SEN_COLUMNS = {"sen_provision", "primary_need", "secondary_need"}

ALIASES = {
    "upn": ["unique pupil number", "pupil upn"],
    "surname": ["legal surname", "last name", "family name", "preferred surname"],
    "forename": ["legal forename", "first name", "given name", "forenames", "preferred forename"],
    "date_of_birth": ["dob", "d o b", "birth date", "date of birth"],
    "gender": ["sex"],
    "year_group": [
        "year",
        "ncyear",
        "nc year",
        "national curriculum year",
        "curriculum year",
        "year taught in",
    ],
    "class": ["reg", "reg group", "registration group", "form", "tutor group", "class name", "form group"],
    "eal": ["english as an additional language", "english additional language"],
    "fsm": ["free school meals", "fsm eligible", "fsm eligibility"],
    "pupil_premium": ["pp", "pupil premium indicator"],
    "looked_after": ["lac", "cla", "in care", "looked after child", "child looked after"],
    "sen_provision": ["sen", "sen status", "sen stage"],
    "primary_need": ["primary sen type", "sen type 1", "sen need 1", "main need", "primary sen need"],
    "secondary_need": ["secondary sen type", "sen type 2", "sen need 2", "secondary sen need"],
    "sen_start_date": ["sen start", "sen start date", "sen provision start date"],
}
# Headers that give way when the file also has the legal name (docs/import.md: legal names win).
GIVES_WAY = {"preferred surname", "preferred forename"}


def header_key(raw) -> str:
    text = str(raw or "").strip().lower()
    return re.sub(r"[\s_\-\.]+", " ", text).strip()


LOOKUP: dict[str, str] = {}
for _canonical in COLUMNS:
    LOOKUP[header_key(_canonical)] = _canonical
    for _alias in ALIASES.get(_canonical, []):
        LOOKUP[header_key(_alias)] = _canonical
