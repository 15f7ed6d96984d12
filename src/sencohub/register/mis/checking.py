"""The second stage of an MIS import: every row checked, then the file compared with the register.

A file with any bad row changes nothing and every bad row is reported. An import changes only what the file
says: a column the file does not have changes nothing for any pupil (a file without SEN columns changes no
SEN status), a header that is not recognised is reported as ignored (never read as blank), and the pupils a
file would take off the SEN register, move from E to K, or whose needs it would remove are listed, so that
applying can ask for them to be confirmed. The result is the preview; applying.py writes it.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from sencohub.kernel.dates import LEFT_THE_SCHOOL
from sencohub.pupils.models import YEAR_GROUPS, Pupil
from sencohub.register import services as register
from sencohub.register.mis import reading
from sencohub.register.mis.columns import (
    ALIASES,
    COLUMN_NAMES,
    COLUMNS,
    GIVES_WAY,
    LOOKUP,
    REQUIRED,
    SEN_COLUMNS,
    header_key,
)
from sencohub.register.mis.reading import (
    MESSAGE_TOO_MANY,
    FileRejected,
    ImportError_,
    Table,
    plural,
    read_table,
)
from sencohub.register.models import Need, SenStatus
from sencohub.schools.models import School
from sencohub.statutory import census
from sencohub.statutory import upn as upn_rules

# What a long import is doing, for the progress shown in the browser: (stage, done, total).
Progress = Callable[[str, int, int], None]
STAGE_CHECKING = "checking"
STAGE_COMPARING = "comparing"
STAGE_SAVING = "saving"
PROGRESS_EVERY = 250  # rows between progress reports

MESSAGE_EMPTY = "The file has no rows of pupils under its header."
MESSAGE_MISSING_COLUMN = 'The file has no "{column}" column (looked for headers such as: {names}).'
MESSAGE_TWO_COLUMNS = (
    "The file has more than one column for {column}: {headers}. Keep one of them and upload it again."
)
MESSAGE_NAME_CHARACTER = (
    "{value!r} has {character!r}, which is not part of a name. The file is not UTF-8, so it was read as "
    'Windows-1252: if it was saved in another encoding, save it as "CSV UTF-8" and upload it again.'
)
NOTE_BLANK_ROWS = "{n} blank row{s} between pupils were skipped."
MESSAGE_DUPLICATE_UPN = "This UPN is also on line {line}; each pupil must appear once."
MESSAGE_REQUIRED = "Enter the pupil's {label}."
MESSAGE_DATE = "{value!r} is not a date; use DD/MM/YYYY or YYYY-MM-DD."
MESSAGE_DOB_RANGE = (
    "A pupil's date of birth must be between 2 and 25 years before today ({value:%d/%m/%Y} is not)."
)
MESSAGE_BOOL = "{value!r} should be Y or N (or yes/no, true/false, 1/0)."
MESSAGE_YEAR = "{value!r} is not a year group; use N1, N2, R or 1 to 14."
MESSAGE_GENDER = "{value!r} should be F or M (or blank if not recorded)."
MESSAGE_SEN_START_RANGE = "The SEN start date must fall between the date of birth and today."
MESSAGE_SEN_START_BEFORE_CURRENT = (
    "The pupil's SEN provision changes here, but this start date is before their current status began "
    "({start:%d/%m/%Y})."
)
MESSAGE_TEXT_TOO_LONG = "This is longer than {limit} characters."
MESSAGE_LEFT_ON_RANGE = (
    "The leaving date must be today or in the last two years ({lowest:%-d %B %Y} or later)."
)

_TRUE = {"y", "yes", "true", "t", "1"}
_FALSE = {"n", "no", "false", "f", "0", ""}
# Letters, combining marks, digits, spaces and the punctuation names use; anything else in a name is refused
# (symbols such as £ ³ ¹ ¿ are what a file in another encoding turns letters into).
_NAME_PUNCTUATION = set(" -'’.(),/")
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Row:
    line: int
    upn: str
    surname: str
    forename: str
    date_of_birth: dt.date
    gender: str
    year_group: str
    class_name: str
    eal: bool
    fsm: bool
    pupil_premium: bool
    looked_after: bool
    sen_provision: str
    primary_need: str | None
    secondary_need: str | None
    sen_start_date: dt.date | None
    historic_note: str | None = None
    present: frozenset[str] = frozenset(COLUMNS)


@dataclass
class Change:
    line: int
    upn: str
    name: str
    kind: str  # "created" or "updated"
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    # For a new pupil, what they will be recorded with: year group, class and SEN provision.
    new: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportError_] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    applied: bool = False
    ignored_columns: list[str] = field(default_factory=list)
    # Each column read, by its key, as the file's own header spells it ("Legal Surname", "DOB").
    headers: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Pupils the file takes off the register, moves from E to K or N, or whose needs it removes.
    leaving_register: list[dict] = field(default_factory=list)
    # Pupils on roll whom the file does not list, and whether they were recorded as left.
    not_in_file: list[dict] = field(default_factory=list)
    left_on: dt.date | None = None
    needs_confirmation: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.needs_confirmation

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "ignored_columns": self.ignored_columns,
            "headers": self.headers,
            "notes": self.notes,
            "leaving_register": self.leaving_register,
            "needs_confirmation": self.needs_confirmation,
            "not_in_file": self.not_in_file,
            "recorded_as_left_on": self.left_on.isoformat() if self.left_on and self.applied else None,
        }


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= 80_000:
        # An Excel date serial (a date cell formatted as a number): days since 30/12/1899.
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            parsed = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        if parsed.year < 1900:
            return None
        return parsed.date()
    return None


def parse_year_group(text: str) -> str | None:
    value = re.sub(r"^(year|yr|y)\s*", "", text.strip().lower())
    if value in ("r", "rec", "reception"):
        return "R"
    if value.upper() in YEAR_GROUPS:
        return value.upper()
    return None


def _bool(text: str, column: str, line: int, errors: list[ImportError_]) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    errors.append(ImportError_(line, column, MESSAGE_BOOL.format(value=text)))
    return False


def _not_in_a_name(text: str) -> str | None:
    for character in text:
        category = unicodedata.category(character)
        if not (category[0] in "LM" or category == "Nd" or character in _NAME_PUNCTUATION):
            return character
    return None


@dataclass
class Header:
    positions: dict[str, int]
    ignored: list[str]
    errors: list[ImportError_]


def map_header(header: list[str], body: list[list[str]] | None = None) -> Header:
    """Which column each field is read from; headers not recognised are ignored (and listed), never read as blank."""
    candidates: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        canonical = LOOKUP.get(header_key(raw))
        if canonical:
            candidates.setdefault(canonical, []).append(index)
        elif str(raw).strip():
            ignored.append(str(raw).strip())
        elif body is not None and any(index < len(r) and r[index] for r in body):
            ignored.append(f"(column {index + 1}, no heading)")
    positions: dict[str, int] = {}
    errors: list[ImportError_] = []
    for canonical, indexes in candidates.items():
        preferred = [i for i in indexes if header_key(header[i]) not in GIVES_WAY] or indexes
        if len(preferred) > 1:
            headers = " and ".join(f'"{str(header[i]).strip()}"' for i in preferred)
            message = MESSAGE_TWO_COLUMNS.format(column=COLUMN_NAMES[canonical], headers=headers)
            errors.append(ImportError_(1, canonical, message))
            continue
        positions[canonical] = preferred[0]
        ignored.extend(
            f"{str(header[i]).strip()} (the legal name is used)" for i in indexes if i != preferred[0]
        )
    return Header(positions, ignored, errors)


def check_rows(
    table: list[list[str]] | Table,
    *,
    today: dt.date,
    progress: Progress | None = None,
    notes: list[str] | None = None,
    known: dict[str, tuple[str, dict[int, str]]] | None = None,
) -> tuple[list[Row], list[ImportError_]]:
    """Every row checked on its own; `known` is what the register holds for pupils already there, by UPN."""
    known = known or {}
    if isinstance(table, Table):
        guessed, first_line, table = table.guessed_encoding, table.header_line, table.rows
    else:
        guessed, first_line = "", 1
    if not table:
        return [], [ImportError_(1, "", MESSAGE_EMPTY)]
    header_info = map_header(table[0], table[1:])
    positions = header_info.positions
    errors: list[ImportError_] = [ImportError_(first_line, e.column, e.message) for e in header_info.errors]
    for column in REQUIRED:
        if column not in positions and column not in {e.column for e in errors}:
            names = ", ".join(f'"{name}"' for name in [COLUMN_NAMES[column]] + ALIASES.get(column, []))
            message = MESSAGE_MISSING_COLUMN.format(column=COLUMN_NAMES[column], names=names)
            errors.append(ImportError_(first_line, column, message))
    if errors:
        return [], errors
    present = frozenset(positions)
    body = table[1:]
    if not any(any(r) for r in body):
        return [], [ImportError_(first_line, "", MESSAGE_EMPTY)]
    if sum(1 for r in body if any(r)) > reading.MAX_ROWS:
        return [], [ImportError_(first_line, "", MESSAGE_TOO_MANY)]

    rows: list[Row] = []
    seen: dict[str, int] = {}
    blank = 0
    for offset, cells in enumerate(body):
        line = first_line + offset + 1
        if progress and offset % PROGRESS_EVERY == 0:
            progress(STAGE_CHECKING, offset, len(body))
        if not any(cells):
            blank += 1
            continue

        def get(column: str, cells: list[str] = cells) -> str:
            index = positions.get(column)
            return cells[index] if index is not None and index < len(cells) else ""

        row_errors: list[ImportError_] = []

        upn_check = upn_rules.check(get("upn"))
        if not upn_check.ok:
            row_errors.append(ImportError_(line, "upn", upn_check.error))
        elif upn_check.upn in seen:
            row_errors.append(
                ImportError_(line, "upn", MESSAGE_DUPLICATE_UPN.format(line=seen[upn_check.upn]))
            )
        else:
            seen[upn_check.upn] = line

        names = {}
        for column, label in (("surname", "surname"), ("forename", "forename")):
            names[column] = " ".join(get(column).split())
            odd = _not_in_a_name(names[column])
            if not names[column]:
                row_errors.append(ImportError_(line, column, MESSAGE_REQUIRED.format(label=label)))
            elif len(names[column]) > 100:
                row_errors.append(ImportError_(line, column, MESSAGE_TEXT_TOO_LONG.format(limit=100)))
            elif odd is not None:
                message = MESSAGE_NAME_CHARACTER.format(value=names[column], character=odd)
                if not guessed:
                    message = message.split(". The file", 1)[0] + "."
                row_errors.append(ImportError_(line, column, message))

        dob = None
        raw_dob = get("date_of_birth")
        if not raw_dob:
            row_errors.append(
                ImportError_(line, "date_of_birth", MESSAGE_REQUIRED.format(label="date of birth"))
            )
        else:
            dob = parse_date(raw_dob)
            if dob is None:
                row_errors.append(ImportError_(line, "date_of_birth", MESSAGE_DATE.format(value=raw_dob)))
            elif not (_years_before(today, 25) <= dob <= _years_before(today, 2)):
                row_errors.append(ImportError_(line, "date_of_birth", MESSAGE_DOB_RANGE.format(value=dob)))

        gender_raw = get("gender").strip().upper()
        gender = {"F": "F", "FEMALE": "F", "M": "M", "MALE": "M", "": ""}.get(gender_raw)
        if gender is None:
            row_errors.append(ImportError_(line, "gender", MESSAGE_GENDER.format(value=get("gender"))))

        year_group = ""
        if get("year_group"):
            year_group = parse_year_group(get("year_group")) or ""
            if not year_group:
                row_errors.append(
                    ImportError_(line, "year_group", MESSAGE_YEAR.format(value=get("year_group")))
                )

        class_name = " ".join(get("class").split())
        if len(class_name) > 50:
            row_errors.append(ImportError_(line, "class", MESSAGE_TEXT_TOO_LONG.format(limit=50)))

        flags = {
            c: _bool(get(c), c, line, row_errors) for c in ("eal", "fsm", "pupil_premium", "looked_after")
        }

        provision_raw = get("sen_provision") or census.NO_SEN
        provision, historic_note = census.normalise_provision(provision_raw)
        if provision is None:
            row_errors.append(
                ImportError_(
                    line, "sen_provision", census.MESSAGE_UNKNOWN_PROVISION.format(value=provision_raw)
                )
            )

        sen_start = None
        raw_start = get("sen_start_date")
        if raw_start:
            sen_start = parse_date(raw_start)
            if sen_start is None:
                row_errors.append(ImportError_(line, "sen_start_date", MESSAGE_DATE.format(value=raw_start)))
            elif sen_start > today or (dob is not None and sen_start < dob):
                row_errors.append(ImportError_(line, "sen_start_date", MESSAGE_SEN_START_RANGE))

        primary = get("primary_need").strip().upper() or None
        secondary = get("secondary_need").strip().upper() or None
        if provision is not None:
            # A column the file lacks keeps what the register holds, so the record is checked as it will be.
            held = known.get(upn_check.upn) if upn_check.ok else None
            held_provision, held_needs = held or (census.NO_SEN, {})
            wanted = _wanted(present, provision, primary, secondary, held_provision, held_needs)
            if held is None or wanted != (held_provision, held_needs.get(1), held_needs.get(2)):
                for problem in census.check_sen_record(*wanted, sen_start or today):
                    row_errors.append(ImportError_(line, problem.field, problem.message))

        if row_errors:
            # Each problem names the pupil as the file does, so it can be found in the MIS.
            who = upn_check.upn if upn_check.ok else get("upn").strip()
            for error in row_errors:
                error.upn, error.name = who, f"{names['forename']} {names['surname']}".strip()
            errors.extend(row_errors)
            continue
        rows.append(
            Row(
                line=line,
                upn=upn_check.upn,
                surname=names["surname"],
                forename=names["forename"],
                date_of_birth=dob,
                gender=gender,
                year_group=year_group,
                class_name=class_name,
                sen_provision=provision,
                primary_need=primary,
                secondary_need=secondary,
                sen_start_date=sen_start,
                historic_note=historic_note,
                present=present,
                **flags,
            )
        )
    if notes is not None:
        if blank:
            notes.append(NOTE_BLANK_ROWS.format(n=blank, s=plural(blank)))
    return rows, errors


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- Comparing with what the school holds -------------------------------------------------------------

PUPIL_FIELDS = (
    "surname",
    "forename",
    "date_of_birth",
    "gender",
    "year_group",
    "eal",
    "fsm",
    "pupil_premium",
    "looked_after",
)


def _show(value) -> str:
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _wanted(
    present: Collection[str],
    provision: str,
    primary: str | None,
    secondary: str | None,
    held_provision: str,
    held_needs: dict[int, str],
) -> tuple[str, str | None, str | None]:
    """The provision and needs a pupil will have: a column the file lacks keeps what the register holds."""
    new_provision = provision if "sen_provision" in present else held_provision
    keep = new_provision != census.NO_SEN  # a pupil leaving the register keeps no recorded need
    primary = primary if "primary_need" in present else (held_needs.get(1) if keep else None)
    secondary = secondary if "secondary_need" in present else (held_needs.get(2) if keep else None)
    return new_provision, primary, secondary


def sen_wanted(row: Row, provision: str, needs: dict[int, str]) -> tuple[str, str | None, str | None]:
    return _wanted(row.present, row.sen_provision, row.primary_need, row.secondary_need, provision, needs)


def _differences(pupil: Pupil, row: Row, needs: dict[int, str]) -> dict[str, tuple[str, str]]:
    diff = {}
    for name in PUPIL_FIELDS:
        if name not in row.present:
            continue
        old, new = getattr(pupil, name), getattr(row, name)
        if old != new:
            diff[name] = (_show(old), _show(new))
    if "class" in row.present:
        old_class = pupil.class_group.name if pupil.class_group_id else ""
        if old_class != row.class_name:
            diff["class"] = (old_class, row.class_name)
    if pupil.left_on is not None:
        diff["left_on"] = (_show(pupil.left_on), "")  # back on roll
    provision, primary, secondary = sen_wanted(row, pupil.sen_provision, needs)
    if pupil.sen_provision != provision:
        diff["sen_provision"] = (pupil.sen_provision, provision)
    for rank, column, new in ((1, "primary_need", primary), (2, "secondary_need", secondary)):
        if needs.get(rank) != new:
            diff[column] = (_show(needs.get(rank)), _show(new))
    return diff


def _losses(pupil: Pupil, row: Row, needs: dict[int, str]) -> dict | None:
    """What the register loses for this pupil, if anything: leaving it, E to K, or needs removed."""
    provision, primary, secondary = sen_wanted(row, pupil.sen_provision, needs)
    removed = sorted(set(needs.values()) - {primary, secondary})
    leaves = pupil.sen_provision != census.NO_SEN and provision == census.NO_SEN
    e_to_k = pupil.sen_provision == census.EHC_PLAN and provision == census.SEN_SUPPORT
    if not (leaves or e_to_k or removed):
        return None
    return {
        "line": row.line,
        "upn": pupil.upn,
        "name": pupil.full_name,
        "from": pupil.sen_provision,
        "to": provision,
        "leaves_register": leaves,
        "needs_removed": removed,
    }


def _with_plans(losses: list[dict], school: School) -> list[dict]:
    if not losses:
        return losses
    pupils = Pupil.objects.filter(school=school, upn__in=[entry["upn"] for entry in losses])
    ehc = set(
        pupils.filter(ehc_plans__isnull=False, ehc_plans__ceased_on__isnull=True).values_list(
            "upn", flat=True
        )
    )
    support = set(pupils.filter(support_plans__status="current").values_list("upn", flat=True))
    for entry in losses:
        entry["current_ehc_plan"] = entry["upn"] in ehc
        entry["current_support_plan"] = entry["upn"] in support
    return losses


@dataclass
class Plan:
    """A checked file compared with the register: the preview, and what applying it would write."""

    result: ImportResult
    to_create: list[Row] = field(default_factory=list)
    to_update: list[tuple[Pupil, Row, dict]] = field(default_factory=list)
    # Each pupil's needs as they were compared: applying refuses to write if they have changed since.
    needs_seen: dict[int, dict[int, str]] = field(default_factory=dict)


def pupils_check(
    *,
    school: School,
    filename: str,
    content: bytes,
    today: dt.date,
    progress: Progress | None = None,
    record_missing_as_left_on: dt.date | None = None,
) -> Plan:
    """Read and check a whole file and compare it with what the school holds, changing nothing.

    The plan's result lists every bad row (and then the plan writes nothing), each pupil's changes, the
    pupils the file takes off the SEN register, moves from E to K or whose needs it removes
    (`leaving_register`), and the pupils on roll whom the file does not list (`not_in_file`).
    """
    result = ImportResult()
    try:
        table = read_table(filename, content)
    except FileRejected as rejected:
        result.errors = rejected.errors
        return Plan(result)
    result.notes = list(table.notes)
    if table.rows:
        header = map_header(table.rows[0], table.rows[1:])
        result.ignored_columns = header.ignored
        result.headers = {key: str(table.rows[0][i]).strip() for key, i in header.positions.items()}
    rows, errors = check_rows(
        table, today=today, progress=progress, notes=result.notes, known=_register_of(school, table)
    )
    if errors:
        result.errors = errors
        return Plan(result)
    lowest, highest = LEFT_THE_SCHOOL.bounds(today)
    if record_missing_as_left_on is not None and not lowest <= record_missing_as_left_on <= highest:
        result.errors = [ImportError_(0, "left_on", MESSAGE_LEFT_ON_RANGE.format(lowest=lowest))]
        return Plan(result)
    if progress:
        progress(STAGE_COMPARING, len(rows), len(rows))

    existing = {
        p.upn: p
        for p in Pupil.objects.filter(school=school, upn__in=[r.upn for r in rows]).select_related(
            "class_group"
        )
    }
    needs_by_pupil = needs_of(existing.values())
    current_status = {
        s.pupil_id: s for s in SenStatus.objects.filter(pupil__in=existing.values(), end_date__isnull=True)
    }
    current_plans = register.current_ehc_plans(p.pk for p in existing.values())

    to_create: list[Row] = []
    to_update: list[tuple[Pupil, Row, dict]] = []
    losses: list[dict] = []
    for row in rows:
        pupil = existing.get(row.upn)
        name = f"{row.forename} {row.surname}"
        if pupil is None:
            to_create.append(row)
            result.changes.append(Change(row.line, row.upn, name, "created", new=_recorded_as(row)))
            continue
        needs = needs_by_pupil.get(pupil.pk, {})
        diff = _differences(pupil, row, needs)
        if not diff:
            result.unchanged += 1
            continue
        if "sen_provision" in diff:
            if diff["sen_provision"][1] != census.EHC_PLAN and pupil.pk in current_plans:
                message = register.plan_current_message(pupil, current_plans[pupil.pk])
                result.errors.append(ImportError_(row.line, "sen_provision", message, row.upn, name))
                continue
            status = current_status.get(pupil.pk)
            start = row.sen_start_date or today
            if status is not None and start < status.start_date:
                message = MESSAGE_SEN_START_BEFORE_CURRENT.format(start=status.start_date)
                result.errors.append(ImportError_(row.line, "sen_start_date", message, row.upn, name))
                continue
        loss = _losses(pupil, row, needs)
        if loss is not None:
            losses.append(loss)
        to_update.append((pupil, row, diff))
        result.changes.append(Change(row.line, row.upn, name, "updated", diff))
    if result.errors:
        result.changes = []
        result.unchanged = 0
        return Plan(result)
    result.created = len(to_create)
    result.updated = len(to_update)
    result.leaving_register = _with_plans(losses, school)
    in_file = {r.upn for r in rows}
    result.not_in_file = [
        {"upn": u, "name": f"{f} {s}"}
        for u, f, s in Pupil.objects.filter(school=school, left_on__isnull=True)
        .exclude(upn__in=in_file)
        .order_by("surname", "forename")
        .values_list("upn", "forename", "surname")
    ]
    return Plan(result, to_create, to_update, needs_by_pupil)


def _recorded_as(row: Row) -> dict[str, str]:
    """What a new pupil will be recorded with, as the preview shows it (a column the file lacks stays blank)."""
    provision, primary, _ = sen_wanted(row, census.NO_SEN, {})
    return {
        "year_group": row.year_group,
        "class": row.class_name,
        "sen_provision": provision,
        "primary_need": primary or "",
    }


def _register_of(school: School, table: Table) -> dict[str, tuple[str, dict[int, str]]]:
    """What the register holds for the school's pupils, by UPN, when the file lacks a SEN column."""
    if not table.rows or SEN_COLUMNS <= set(map_header(table.rows[0]).positions):
        return {}
    held = {
        upn: (provision, {})
        for upn, provision in Pupil.objects.filter(school=school).values_list("upn", "sen_provision")
    }
    for upn, rank, sen_type in Need.objects.filter(pupil__school=school).values_list(
        "pupil__upn", "rank", "sen_type"
    ):
        held[upn][1][rank] = sen_type
    return held


def needs_of(pupils) -> dict[int, dict[int, str]]:
    needs: dict[int, dict[int, str]] = {}
    for pupil_id, rank, sen_type in Need.objects.filter(pupil__in=list(pupils)).values_list(
        "pupil_id", "rank", "sen_type"
    ):
        needs.setdefault(pupil_id, {})[rank] = sen_type
    return needs
