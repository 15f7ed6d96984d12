"""Import pupils from a school MIS export (CSV or XLSX): read, check every row, then change all or nothing.

The columns are those of the platform issue; headers are matched case-insensitively and the usual MIS
spellings ("Legal Surname", "DOB", "Reg") are accepted. A file with any bad row changes nothing and every
bad row is reported. Re-importing the same file changes nothing.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db import transaction
from django.utils import timezone

from sencohub.core import audit
from sencohub.pupils.models import YEAR_GROUPS, Pupil
from sencohub.register.models import Need, SenStatus
from sencohub.schools.models import ClassGroup, School
from sencohub.statutory import census
from sencohub.statutory import upn as upn_rules

COLUMNS = [
    "upn", "surname", "forename", "date_of_birth", "gender", "year_group", "class", "eal", "fsm",
    "pupil_premium", "looked_after", "sen_provision", "primary_need", "secondary_need", "sen_start_date",
]  # fmt: skip
REQUIRED = ("upn", "surname", "forename", "date_of_birth")

# What a long import is doing, for the progress shown in the browser: (stage, done, total).
Progress = Callable[[str, int, int], None]
STAGE_CHECKING = "checking"
STAGE_COMPARING = "comparing"
STAGE_SAVING = "saving"
PROGRESS_EVERY = 250  # rows between progress reports

ALIASES = {
    "upn": ["unique pupil number", "pupil upn"],
    "surname": ["legal surname", "last name", "family name", "preferred surname"],
    "forename": ["legal forename", "first name", "given name", "forenames", "preferred forename"],
    "date_of_birth": ["dob", "d o b", "birth date", "date of birth"],
    "gender": ["sex"],
    "year_group": ["year", "ncyear", "nc year", "national curriculum year", "curriculum year", "year taught in"],
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

MAX_ROWS = 20_000
MESSAGE_EMPTY = "The file has no rows of pupils under its header."
MESSAGE_TOO_MANY = f"The file has more than {MAX_ROWS:,} pupils; split it into smaller files."
MESSAGE_MISSING_COLUMN = "The file has no {column} column (looked for: {names})."
MESSAGE_NOT_READABLE = "The file could not be read as CSV or Excel (.xlsx): {detail}"
MESSAGE_DUPLICATE_UPN = "This UPN is also on line {line}; each pupil must appear once."
MESSAGE_REQUIRED = "Enter the pupil's {label}."
MESSAGE_DATE = "{value!r} is not a date; use DD/MM/YYYY or YYYY-MM-DD."
MESSAGE_DOB_RANGE = "A pupil's date of birth must be between 2 and 25 years before today ({value:%d/%m/%Y} is not)."
MESSAGE_BOOL = "{value!r} should be Y or N (or yes/no, true/false, 1/0)."
MESSAGE_YEAR = "{value!r} is not a year group; use N1, N2, R or 1 to 14."
MESSAGE_GENDER = "{value!r} should be F or M (or blank if not recorded)."
MESSAGE_SEN_START_RANGE = "The SEN start date must fall between the date of birth and today."
MESSAGE_SEN_START_BEFORE_CURRENT = (
    "The pupil's SEN provision changes here, but this start date is before their current status began "
    "({start:%d/%m/%Y})."
)
MESSAGE_TEXT_TOO_LONG = "This is longer than {limit} characters."

_TRUE = {"y", "yes", "true", "t", "1"}
_FALSE = {"n", "no", "false", "f", "0", ""}


def _header_key(raw) -> str:
    text = str(raw or "").strip().lower()
    return re.sub(r"[\s_\-\.]+", " ", text).strip()


_LOOKUP: dict[str, str] = {}
for _canonical in COLUMNS:
    _LOOKUP[_header_key(_canonical)] = _canonical
    for _alias in ALIASES.get(_canonical, []):
        _LOOKUP[_header_key(_alias)] = _canonical


@dataclass
class ImportError_:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


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


@dataclass
class Change:
    line: int
    upn: str
    name: str
    kind: str  # "created" or "updated"
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportError_] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


class FileRejected(Exception):
    def __init__(self, errors: list[ImportError_]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


# --- Reading the file ------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The file's rows as lists of text, header first. XLSX by its name or its zip signature, else CSV."""
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04"
    try:
        if is_xlsx:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            workbook.close()
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                # Older MIS exports are Windows-1252; accented names must survive.
                text = content.decode("cp1252")
            if "\x00" in text:
                raise ValueError("it contains binary data")
            dialect = csv.excel
            try:
                dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            except csv.Error:
                pass
            rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except Exception as exc:  # any reader failure is the file's fault, not a server error
        raise FileRejected([ImportError_(1, "", MESSAGE_NOT_READABLE.format(detail=exc))]) from None
    # Trailing blank rows (common in spreadsheets) are not pupils.
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


# --- Checking rows ---------------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
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


def check_rows(
    table: list[list[str]], *, today: dt.date, progress: Progress | None = None
) -> tuple[list[Row], list[ImportError_]]:
    if not table:
        return [], [ImportError_(1, "", MESSAGE_EMPTY)]
    header = table[0]
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        canonical = _LOOKUP.get(_header_key(raw))
        if canonical and canonical not in positions:
            positions[canonical] = index
    errors: list[ImportError_] = []
    for column in REQUIRED:
        if column not in positions:
            names = ", ".join([column] + ALIASES.get(column, []))
            errors.append(ImportError_(1, column, MESSAGE_MISSING_COLUMN.format(column=column, names=names)))
    if errors:
        return [], errors
    body = table[1:]
    if not any(any(r) for r in body):
        return [], [ImportError_(1, "", MESSAGE_EMPTY)]
    if len(body) > MAX_ROWS:
        return [], [ImportError_(1, "", MESSAGE_TOO_MANY)]

    rows: list[Row] = []
    seen: dict[str, int] = {}
    for offset, cells in enumerate(body):
        line = offset + 2
        if progress and offset % PROGRESS_EVERY == 0:
            progress(STAGE_CHECKING, offset, len(body))
        if not any(cells):
            continue
        def get(column: str, cells: list[str] = cells) -> str:
            index = positions.get(column)
            return cells[index] if index is not None and index < len(cells) else ""

        row_errors: list[ImportError_] = []

        upn_check = upn_rules.check(get("upn"))
        if not upn_check.ok:
            row_errors.append(ImportError_(line, "upn", upn_check.error))
        elif upn_check.upn in seen:
            row_errors.append(ImportError_(line, "upn", MESSAGE_DUPLICATE_UPN.format(line=seen[upn_check.upn])))
        else:
            seen[upn_check.upn] = line

        names = {}
        for column, label in (("surname", "surname"), ("forename", "forename")):
            names[column] = " ".join(get(column).split())
            if not names[column]:
                row_errors.append(ImportError_(line, column, MESSAGE_REQUIRED.format(label=label)))
            elif len(names[column]) > 100:
                row_errors.append(ImportError_(line, column, MESSAGE_TEXT_TOO_LONG.format(limit=100)))

        dob = None
        raw_dob = get("date_of_birth")
        if not raw_dob:
            row_errors.append(ImportError_(line, "date_of_birth", MESSAGE_REQUIRED.format(label="date of birth")))
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
                row_errors.append(ImportError_(line, "year_group", MESSAGE_YEAR.format(value=get("year_group"))))

        class_name = " ".join(get("class").split())
        if len(class_name) > 50:
            row_errors.append(ImportError_(line, "class", MESSAGE_TEXT_TOO_LONG.format(limit=50)))

        flags = {c: _bool(get(c), c, line, row_errors) for c in ("eal", "fsm", "pupil_premium", "looked_after")}

        provision_raw = get("sen_provision") or census.NO_SEN
        provision, historic_note = census.normalise_provision(provision_raw)
        if provision is None:
            row_errors.append(
                ImportError_(line, "sen_provision", census.MESSAGE_UNKNOWN_PROVISION.format(value=provision_raw))
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
            for problem in census.check_sen_record(provision, primary, secondary, sen_start or today):
                row_errors.append(ImportError_(line, problem.field, problem.message))

        if row_errors:
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
                **flags,
            )
        )
    return rows, errors


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- Comparing with what the school holds and applying ----------------------------------------------------

_FIELDS = ("surname", "forename", "date_of_birth", "gender", "year_group", "eal", "fsm", "pupil_premium", "looked_after")


def _show(value) -> str:
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _differences(pupil: Pupil, row: Row, needs: dict[int, str]) -> dict[str, tuple[str, str]]:
    diff = {}
    for name in _FIELDS:
        old, new = getattr(pupil, name), getattr(row, name)
        if old != new:
            diff[name] = (_show(old), _show(new))
    old_class = pupil.class_group.name if pupil.class_group_id else ""
    if old_class != row.class_name:
        diff["class"] = (old_class, row.class_name)
    if pupil.sen_provision != row.sen_provision:
        diff["sen_provision"] = (pupil.sen_provision, row.sen_provision)
    for rank, column, new in ((1, "primary_need", row.primary_need), (2, "secondary_need", row.secondary_need)):
        if needs.get(rank) != new:
            diff[column] = (_show(needs.get(rank)), _show(new))
    return diff


def pupils_import(
    *,
    school: School,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    by=None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check a whole file, then (unless `dry_run` or any row is bad) apply it in one transaction.

    `progress`, if given, is told each stage as it goes; it is never called inside the transaction,
    so whatever it writes is visible to others straight away.
    """
    today = today or timezone.localdate()
    result = ImportResult()
    try:
        table = read_table(filename, content)
    except FileRejected as rejected:
        result.errors = rejected.errors
        return result
    rows, errors = check_rows(table, today=today, progress=progress)
    if errors:
        result.errors = errors
        return result
    if progress:
        progress(STAGE_COMPARING, len(rows), len(rows))

    existing = {
        p.upn: p
        for p in Pupil.objects.filter(school=school, upn__in=[r.upn for r in rows]).select_related("class_group")
    }
    needs_by_pupil: dict[int, dict[int, str]] = {}
    for pupil_id, rank, sen_type in Need.objects.filter(pupil__in=existing.values()).values_list(
        "pupil_id", "rank", "sen_type"
    ):
        needs_by_pupil.setdefault(pupil_id, {})[rank] = sen_type
    current_status = {
        s.pupil_id: s for s in SenStatus.objects.filter(pupil__in=existing.values(), end_date__isnull=True)
    }

    to_create: list[Row] = []
    to_update: list[tuple[Pupil, Row, dict]] = []
    for row in rows:
        pupil = existing.get(row.upn)
        if pupil is None:
            to_create.append(row)
            result.changes.append(Change(row.line, row.upn, f"{row.forename} {row.surname}", "created"))
            continue
        diff = _differences(pupil, row, needs_by_pupil.get(pupil.pk, {}))
        if not diff:
            result.unchanged += 1
            continue
        if "sen_provision" in diff:
            status = current_status.get(pupil.pk)
            start = row.sen_start_date or today
            if status is not None and start < status.start_date:
                result.errors.append(
                    ImportError_(
                        row.line, "sen_start_date", MESSAGE_SEN_START_BEFORE_CURRENT.format(start=status.start_date)
                    )
                )
                continue
        to_update.append((pupil, row, diff))
        result.changes.append(Change(row.line, row.upn, f"{row.forename} {row.surname}", "updated", diff))
    if result.errors:
        result.changes = []
        result.unchanged = 0
        return result
    result.created = len(to_create)
    result.updated = len(to_update)
    if dry_run or not (to_create or to_update):
        return result

    if progress:
        progress(STAGE_SAVING, 0, len(to_create) + len(to_update))
    _apply(school, to_create, to_update, current_status, by=by, today=today)
    result.applied = True
    return result


@transaction.atomic
def _apply(school, to_create, to_update, current_status, *, by, today) -> None:
    class_names = {r.class_name for r in to_create} | {r.class_name for _, r, _ in to_update}
    class_names.discard("")
    ClassGroup.objects.bulk_create(
        [ClassGroup(school=school, name=n) for n in class_names], ignore_conflicts=True, batch_size=500
    )
    groups = {g.name: g for g in ClassGroup.objects.filter(school=school, name__in=class_names)}

    log: list[LogEntry] = []
    new_pupils = [
        Pupil(
            school=school,
            upn=r.upn,
            surname=r.surname,
            forename=r.forename,
            date_of_birth=r.date_of_birth,
            gender=r.gender,
            year_group=r.year_group,
            class_group=groups.get(r.class_name),
            eal=r.eal,
            fsm=r.fsm,
            pupil_premium=r.pupil_premium,
            looked_after=r.looked_after,
            sen_provision=r.sen_provision,
        )
        for r in to_create
    ]
    Pupil.objects.bulk_create(new_pupils, batch_size=500)
    statuses: list[SenStatus] = []
    needs: list[Need] = []
    for pupil, row in zip(new_pupils, to_create, strict=True):
        log.append(
            audit.entry(
                pupil, LogEntry.Action.CREATE, actor=by, via="import", pupil_id=pupil.pk,
                changes={"upn": ["None", pupil.upn], "name": ["None", pupil.full_name]},
            )
        )  # fmt: skip
        if row.sen_provision != census.NO_SEN:
            statuses.append(_status_for(pupil, row, today, by, "Imported from the school's MIS."))
        needs.extend(_needs_for(pupil, row))

    updated_pupils = []
    closed: list[SenStatus] = []
    replace_needs_for: list[Pupil] = []
    for pupil, row, diff in to_update:
        for name in _FIELDS:
            setattr(pupil, name, getattr(row, name))
        pupil.class_group = groups.get(row.class_name)
        pupil.updated_at = timezone.now()
        if "sen_provision" in diff:
            start = row.sen_start_date or today
            status = current_status.get(pupil.pk)
            if status is not None:
                status.end_date = start
                closed.append(status)
            pupil.sen_provision = row.sen_provision
            statuses.append(_status_for(pupil, row, today, by, "Changed by an import from the school's MIS."))
        if "primary_need" in diff or "secondary_need" in diff:
            replace_needs_for.append(pupil)
            needs.extend(_needs_for(pupil, row))
        updated_pupils.append(pupil)
        log.append(
            audit.entry(
                pupil, LogEntry.Action.UPDATE, actor=by, via="import", pupil_id=pupil.pk,
                changes={k: list(v) for k, v in diff.items()},
            )
        )  # fmt: skip
    Pupil.objects.bulk_update(
        updated_pupils, [*_FIELDS, "class_group", "sen_provision", "updated_at"], batch_size=500
    )
    SenStatus.objects.bulk_update(closed, ["end_date"], batch_size=500)
    Need.objects.filter(pupil__in=replace_needs_for).delete()
    SenStatus.objects.bulk_create(statuses, batch_size=500)
    Need.objects.bulk_create(needs, batch_size=500)
    for status in statuses:
        log.append(
            audit.entry(
                status, LogEntry.Action.CREATE, actor=by, via="import",
                changes={"provision": ["None", status.provision], "start_date": ["None", status.start_date.isoformat()]},
            )
        )  # fmt: skip
    for need in needs:
        log.append(
            audit.entry(
                need, LogEntry.Action.CREATE, actor=by, via="import",
                changes={"sen_type": ["None", need.sen_type], "rank": ["None", str(need.rank)]},
            )
        )  # fmt: skip
    audit.log_bulk(log)


def _status_for(pupil: Pupil, row: Row, today: dt.date, by, reason: str) -> SenStatus:
    if row.historic_note:
        reason = f"{reason} {row.historic_note}"
    if row.sen_start_date is None:
        reason = f"{reason} No SEN start date in the file, so the import date is used."
    return SenStatus(
        pupil=pupil, provision=row.sen_provision, start_date=row.sen_start_date or today, reason=reason, recorded_by=by
    )


def _needs_for(pupil: Pupil, row: Row) -> list[Need]:
    return [
        Need(pupil=pupil, sen_type=code, rank=rank)
        for rank, code in ((1, row.primary_need), (2, row.secondary_need))
        if code
    ]
