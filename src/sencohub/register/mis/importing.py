"""Import pupils from a school MIS export (CSV or XLSX): read, check every row, then change all or nothing.

The columns are those of the platform issue; headers are matched case-insensitively and the usual MIS
spellings ("Legal Surname", "DOB", "Reg") are accepted. A file with any bad row changes nothing and every
bad row is reported. Re-importing the same file changes nothing.

An import changes only what the file says: a column the file does not have changes nothing for any pupil,
a header that is not recognised is reported as ignored (never read as blank), and a file that would take
pupils off the SEN register, move them from E to K, or remove needs is applied only when that is confirmed.
SEN status and needs are written through register.services, the one writer of the register.
"""

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone

from sencohub.kernel import audit
from sencohub.kernel.dates import LEFT_THE_SCHOOL
from sencohub.kernel.files import MB, UploadRefused, ZipLimits, check_zip
from sencohub.pupils.models import YEAR_GROUPS, Pupil
from sencohub.register import services as register
from sencohub.register.models import Need, SenStatus
from sencohub.schools.models import ClassGroup, School
from sencohub.statutory import census
from sencohub.statutory import upn as upn_rules

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

MAX_ROWS = 20_000
# Bounds on what is read, checked before and while a file is parsed (docs/import.md, docs/performance.md).
MAX_FILE_BYTES = 10 * MB
MAX_COLUMNS = 200
MAX_LINES = 1_048_576  # the most rows an Excel sheet can have
MAX_SHARED_STRINGS = 250_000  # distinct texts in a workbook: a dozen for each of 20,000 pupils
MAX_MERGED_CELLS = 1_000_000  # cells that merged ranges may fill in, all told
MAX_MERGED_RANGES = 10_000
HEADER_SEARCH = 10  # the header is looked for in this many rows at the top
XLSX_LIMITS = ZipLimits(
    purpose=f"a list of {MAX_ROWS:,} pupils",
    # Shared strings and styles are read whole; a sheet is read a row at a time, so it costs time, not memory.
    part_bytes=24 * MB,
    streamed_bytes=64 * MB,
    total_bytes=160 * MB,
    streamed=re.compile(r"xl/worksheets/[^/]+\.xml"),
)
MESSAGE_FILE_TOO_LARGE = "The file is larger than 10 MB. Split it into smaller files, or save it as CSV."
MESSAGE_TOO_MANY_COLUMNS = f"Line {{line}} has more than {MAX_COLUMNS} columns. Remove the columns you do not need and upload it again."
MESSAGE_TOO_MANY_MERGED = (
    f"The sheet has more merged cells than a list of pupils needs (over {MAX_MERGED_RANGES:,} ranges, or over "
    f"{MAX_MERGED_CELLS:,} cells). Unmerge them (Home, Merge and Center) "
    "and upload it again."
)
MESSAGE_TOO_MANY_TEXTS = (
    f"The workbook holds more than {MAX_SHARED_STRINGS:,} different texts, far more than a list of {MAX_ROWS:,} "
    "pupils has. Copy the pupils' rows into a new workbook (or save them as CSV) and upload it again."
)
MESSAGE_TOO_MANY_LINES = (
    f"The file has more than {MAX_LINES:,} lines. Remove the empty rows and upload it again."
)
MESSAGE_EMPTY = "The file has no rows of pupils under its header."
MESSAGE_TOO_MANY = f"The file has more than {MAX_ROWS:,} pupils; split it into smaller files."
MESSAGE_MISSING_COLUMN = "The file has no {column} column (looked for: {names})."
MESSAGE_TWO_COLUMNS = (
    "The file has more than one column for {column}: {headers}. Keep one of them and upload it again."
)
MESSAGE_NOT_READABLE = "The file could not be read as CSV or Excel (.xlsx): {detail}"
MESSAGE_ENCODING = (
    "The file's text is not valid {encoding} (line {line}), so it was not read: names would be stored wrongly. "
    'Save it from your MIS or spreadsheet as "CSV UTF-8" and upload it again.'
)
MESSAGE_NAME_CHARACTER = (
    "{value!r} has {character!r}, which is not part of a name. The file is not UTF-8, so it was read as "
    'Windows-1252: if it was saved in another encoding, save it as "CSV UTF-8" and upload it again.'
)
MESSAGE_OLD_EXCEL = (
    "This is an old Excel file (.xls). Save it as Excel Workbook (.xlsx) or CSV and upload it again."
)
MESSAGE_FORMULA = (
    "Cell {cells} holds a formula whose value was never saved, so it cannot be read. Open the file in Excel, "
    "save it, and upload it again (or paste the values in place of the formulas)."
)
MESSAGE_NO_SHEET = "No sheet of the workbook has a header row with UPN, surname, forename and date of birth."
NOTE_OTHER_SHEET = 'The pupils were read from the sheet "{sheet}" (the first sheet has no pupil header).'
NOTE_SHEETS_NOT_READ = "The workbook has other sheets with data that were not read: {sheets}."
NOTE_MERGED = "Merged cells ({ranges}) were read as their value repeated in every cell they cover."
NOTE_BLANK_ROWS = "{n} blank row{s} between pupils were skipped."
NOTE_TITLE_ROWS = "The first {n} row{s} above the header were skipped (a title, not pupils)."
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
MESSAGE_LEAVING_NOT_CONFIRMED = (
    "{n} pupil{s} would leave the SEN register, move from an EHC plan to SEN support, or lose recorded needs; "
    "nothing has changed. Confirm that this is right to import the file."
)
MESSAGE_CHANGED_WHILE_IMPORTING = (
    "{name}'s SEN record was changed by someone else while the file was being imported, so nothing has "
    "changed. Check the file again."
)
MESSAGE_ADDED_WHILE_IMPORTING = "{name} was added by someone else while the file was being imported, so nothing has changed. Check the file again."
MESSAGE_LEFT_ON_RANGE = (
    "The leaving date must be today or in the last two years ({lowest:%-d %B %Y} or later)."
)

_TRUE = {"y", "yes", "true", "t", "1"}
_FALSE = {"n", "no", "false", "f", "0", ""}
# Letters, combining marks, digits, spaces and the punctuation names use; anything else in a name is refused
# (symbols such as £ ³ ¹ ¿ are what a file in another encoding turns letters into).
_NAME_PUNCTUATION = set(" -'’.(),/")
EXCEL_EPOCH = dt.date(1899, 12, 30)


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
    present: frozenset[str] = frozenset(COLUMNS)


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
    ignored_columns: list[str] = field(default_factory=list)
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
            "notes": self.notes,
            "leaving_register": self.leaving_register,
            "needs_confirmation": self.needs_confirmation,
            "not_in_file": self.not_in_file,
            "recorded_as_left_on": self.left_on.isoformat() if self.left_on and self.applied else None,
        }


class FileRejected(Exception):
    def __init__(self, errors: list[ImportError_]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


class RegisterChanged(Exception):
    """The register changed between the comparison and the write: nothing is written."""


@dataclass
class Table:
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    guessed_encoding: str = ""  # set when the text was not UTF-8 and had to be read as Windows-1252
    header_line: int = 1


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


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


def _rejected(message: str) -> FileRejected:
    return FileRejected([ImportError_(1, "", message)])


def _looks_utf16(content: bytes) -> str | None:
    """Excel's "Unicode text" is UTF-16 (usually with a byte order mark); without one, ASCII shows as NUL pairs."""
    sample = content[:200]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) // 2 * 2]
    if not sample:
        return None
    high, low = sample[1::2], sample[0::2]
    if high.count(0) >= 0.9 * len(high) and low.count(0) == 0:
        return "utf-16-le"
    if low.count(0) >= 0.9 * len(low) and high.count(0) == 0:
        return "utf-16-be"
    return None


def _decode(content: bytes) -> tuple[str, str]:
    """The file's text and, when it was not UTF-8 or UTF-16, the encoding it was read as (else "")."""
    guessed = ""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, name = "utf-16", "UTF-16"
    elif content.startswith(codecs.BOM_UTF8):
        codec, name = "utf-8-sig", "UTF-8"
    elif (utf16 := _looks_utf16(content)) is not None:
        codec, name = utf16, "UTF-16"
    else:
        try:
            return content.decode("utf-8"), ""
        except UnicodeDecodeError:
            # Older MIS exports are Windows-1252; accented names must survive.
            codec, name = "cp1252", "UTF-8 or Windows-1252"
            guessed = "Windows-1252"
    try:
        return content.decode(codec), guessed
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise _rejected(MESSAGE_ENCODING.format(encoding=name, line=line)) from None


def _read_csv(content: bytes) -> Table:
    text, guessed = _decode(content)
    if "\x00" in text:
        raise _rejected(MESSAGE_NOT_READABLE.format(detail="it contains binary data"))
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    rows = _bounded_rows(csv.reader(io.StringIO(text), dialect), text=str.strip)
    return Table(rows, guessed_encoding=guessed)


def _has_pupil_header(row: list[str]) -> bool:
    found = {_LOOKUP.get(_header_key(cell)) for cell in row}
    return all(column in found for column in REQUIRED)


def _header_index(rows: list[list[str]]) -> int | None:
    """Where the header row is: the first of the top HEADER_SEARCH rows naming the required columns."""
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        if _has_pupil_header(row):
            return index
    return None


_BLANK: list[str] = []  # every blank row is this one list: a sheet can declare a million of them


def _bounded_rows(
    source: Iterable, *, lines: int | None = None, text: Callable | None = None
) -> list[list[str]]:
    """The rows of a file as lists of text, read one at a time and never more than the limits allow.

    Reading stops at the first pupil beyond MAX_ROWS (counted under the header, blank rows aside), at a row
    with more than MAX_COLUMNS cells, or after `lines` rows (when only the top of a sheet is wanted).
    """
    rows: list[list[str]] = []
    header = None  # where the header is, once the top rows have been read
    pupils = 0
    for number, raw in enumerate(source, 1):
        if lines is not None and number > lines:
            break
        if number > MAX_LINES:
            raise _rejected(MESSAGE_TOO_MANY_LINES)
        cells = [text(value) for value in raw] if text else [_cell_text(value) for value in raw]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise _rejected(MESSAGE_TOO_MANY_COLUMNS.format(line=number))
        rows.append(cells or _BLANK)
        if header is None and number == HEADER_SEARCH:
            header = _header_index(rows) or 0
            pupils = sum(1 for row in rows[header + 1 :] if row)
        elif header is not None and cells:
            pupils += 1
        if pupils > MAX_ROWS:
            raise _rejected(MESSAGE_TOO_MANY)
    return rows


def _sheet_rows(sheet, *, lines: int | None = None) -> list[list[str]]:
    # A read-only sheet trusts the range the file declares, which some exporters write too small.
    sheet.reset_dimensions()
    # One column more than allowed is read, so that a wider sheet is refused rather than cut short.
    return _bounded_rows(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), lines=lines)


def _has_data(sheet) -> bool:
    """Whether a sheet has any cell with a value, reading only as far as the first one."""
    sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), 1):
        if any(_cell_text(value) for value in row):
            return True
        if number >= MAX_LINES:
            return False
    return False


_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _count_shared_strings(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook with more distinct texts than a list of pupils has, before openpyxl reads them all.

    openpyxl reads every shared string into memory when it opens a workbook, at some tens of microseconds each,
    so a few megabytes of tiny distinct texts would hold the worker for minutes. Counted a chunk at a time in
    every part other than the sheets (wherever the workbook keeps them).
    """
    found = 0
    for member in archive.infolist():
        if XLSX_LIMITS.streamed.fullmatch(member.filename) or member.file_size < 1024:
            continue
        for text in _xml_chunks(archive, member.filename):
            found += len(_SHARED_STRING.findall(text))
            if found > MAX_SHARED_STRINGS:
                raise _rejected(MESSAGE_TOO_MANY_TEXTS)


_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")
_CHUNK = 1024 * 1024


def _xml_chunks(archive: zipfile.ZipFile, part: str):
    """A part's XML a chunk at a time, each cut just before a "<", so that no tag is split between two chunks."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            cut = text.rfind(b"<")
            cut = len(text) if cut == -1 or len(text) - cut > 4096 else cut
            yield text[:cut]
            tail = text[cut:]
    yield tail


def _merged_ranges(archive: zipfile.ZipFile, part: str) -> list[str]:
    """A sheet's merged ranges, read from its XML a chunk at a time (a read-only workbook does not load them)."""
    found: list[str] = []
    for text in _xml_chunks(archive, part.lstrip("/")):
        found.extend(m.group(1).decode() for m in _MERGE_CELL.finditer(text))
        if len(found) > MAX_MERGED_RANGES:
            raise _rejected(MESSAGE_TOO_MANY_MERGED)
    return found


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils import range_boundaries

    # What the workbook would unpack to is checked before any part of it is read.
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise _rejected(MESSAGE_NOT_READABLE.format(detail=error)) from None
    with archive:
        try:
            check_zip(archive, XLSX_LIMITS)
        except UploadRefused as refused:
            raise _rejected(str(refused)) from None
        _count_shared_strings(archive)

        formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            tops = {ws.title: _sheet_rows(ws, lines=HEADER_SEARCH) for ws in formulas.worksheets}
            titles = list(tops)
            chosen = next(
                (t for t in titles if _header_index(tops[t]) is not None), titles[0] if titles else None
            )
            if chosen is None:
                raise _rejected(MESSAGE_NO_SHEET)
            notes = []
            if chosen != titles[0]:
                notes.append(NOTE_OTHER_SHEET.format(sheet=chosen))
            others = [t for t in titles if t != chosen and _has_data(formulas[t])]
            if others and chosen == titles[0] and _header_index(tops[chosen]) is None:
                raise _rejected(MESSAGE_NO_SHEET)
            if others:
                notes.append(NOTE_SHEETS_NOT_READ.format(sheets=", ".join(f'"{t}"' for t in others)))
            part = formulas[chosen]._worksheet_path
            rows = _sheet_rows(formulas[chosen])
        finally:
            formulas.close()

        # Formula cells read as their formula text here; their saved values come from a second reading.
        formula_cells = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v.startswith("=")]
        if formula_cells:
            values = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                value_rows = _sheet_rows(values[chosen])
            finally:
                values.close()
            from openpyxl.utils import get_column_letter

            missing = []
            for r, c in formula_cells:
                value = value_rows[r][c] if r < len(value_rows) and c < len(value_rows[r]) else ""
                if value == "":
                    missing.append(f"{get_column_letter(c + 1)}{r + 1}")
                rows[r][c] = value
            if missing:
                shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                raise _rejected(MESSAGE_FORMULA.format(cells=shown))

        merged = _merged_ranges(archive, part)
    covered = 0
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        max_col, max_row = min(max_col, MAX_COLUMNS), min(max_row, len(rows))
        covered += max(0, max_col - min_col + 1) * max(0, max_row - min_row + 1)
        if covered > MAX_MERGED_CELLS:
            raise _rejected(MESSAGE_TOO_MANY_MERGED)
        value = (
            rows[min_row - 1][min_col - 1]
            if min_row - 1 < len(rows) and min_col - 1 < len(rows[min_row - 1])
            else ""
        )
        for r in range(min_row - 1, max_row):
            # A new list: blank rows share one (see _bounded_rows).
            row = rows[r] = rows[r] + [""] * max(0, max_col - len(rows[r]))
            for c in range(min_col - 1, max_col):
                row[c] = value
    if merged:
        notes.append(NOTE_MERGED.format(ranges=", ".join(merged[:5]) + (" …" if len(merged) > 5 else "")))
    return Table(rows, notes)


def read_table(filename: str, content: bytes) -> Table:
    """The file's rows as lists of text, header first. Excel by its zip signature (whatever its name), else CSV.

    Bounded before it is parsed: the file's size first, then (for Excel) what it would unpack to, then its
    rows and columns as they are read (see _bounded_rows).
    """
    if len(content) > MAX_FILE_BYTES:
        raise _rejected(MESSAGE_FILE_TOO_LARGE)
    if content[:4] == b"\xd0\xcf\x11\xe0":
        raise _rejected(MESSAGE_OLD_EXCEL)
    try:
        table = _read_xlsx(content) if content[:4] == b"PK\x03\x04" else _read_csv(content)
    except FileRejected:
        raise
    except Exception as exc:  # any reader failure is the file's fault, not a server error
        raise _rejected(MESSAGE_NOT_READABLE.format(detail=exc)) from None
    rows = table.rows
    # Trailing blank rows (common in spreadsheets) are not pupils.
    while rows and not any(rows[-1]):
        rows.pop()
    # A title above the header ("Pupil list, exported ...") is skipped, and said so.
    start = _header_index(rows) or 0
    if start:
        table.notes.append(NOTE_TITLE_ROWS.format(n=start, s=_plural(start)))
    table.header_line = start + 1
    table.rows = rows[start:]
    return table


# --- Checking rows ---------------------------------------------------------------------------------------


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
        canonical = _LOOKUP.get(_header_key(raw))
        if canonical:
            candidates.setdefault(canonical, []).append(index)
        elif str(raw).strip():
            ignored.append(str(raw).strip())
        elif body is not None and any(index < len(r) and r[index] for r in body):
            ignored.append(f"(column {index + 1}, no heading)")
    positions: dict[str, int] = {}
    errors: list[ImportError_] = []
    for canonical, indexes in candidates.items():
        preferred = [i for i in indexes if _header_key(header[i]) not in GIVES_WAY] or indexes
        if len(preferred) > 1:
            headers = " and ".join(f'"{str(header[i]).strip()}"' for i in preferred)
            errors.append(
                ImportError_(1, canonical, MESSAGE_TWO_COLUMNS.format(column=canonical, headers=headers))
            )
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
            names = ", ".join([column] + ALIASES.get(column, []))
            errors.append(
                ImportError_(first_line, column, MESSAGE_MISSING_COLUMN.format(column=column, names=names))
            )
    if errors:
        return [], errors
    present = frozenset(positions)
    body = table[1:]
    if not any(any(r) for r in body):
        return [], [ImportError_(first_line, "", MESSAGE_EMPTY)]
    if sum(1 for r in body if any(r)) > MAX_ROWS:
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
            notes.append(NOTE_BLANK_ROWS.format(n=blank, s=_plural(blank)))
    return rows, errors


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- Comparing with what the school holds and applying ----------------------------------------------------

_FIELDS = (
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


def _sen_wanted(row: Row, provision: str, needs: dict[int, str]) -> tuple[str, str | None, str | None]:
    return _wanted(row.present, row.sen_provision, row.primary_need, row.secondary_need, provision, needs)


def _differences(pupil: Pupil, row: Row, needs: dict[int, str]) -> dict[str, tuple[str, str]]:
    diff = {}
    for name in _FIELDS:
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
    provision, primary, secondary = _sen_wanted(row, pupil.sen_provision, needs)
    if pupil.sen_provision != provision:
        diff["sen_provision"] = (pupil.sen_provision, provision)
    for rank, column, new in ((1, "primary_need", primary), (2, "secondary_need", secondary)):
        if needs.get(rank) != new:
            diff[column] = (_show(needs.get(rank)), _show(new))
    return diff


def _losses(pupil: Pupil, row: Row, needs: dict[int, str]) -> dict | None:
    """What the register loses for this pupil, if anything: leaving it, E to K, or needs removed."""
    provision, primary, secondary = _sen_wanted(row, pupil.sen_provision, needs)
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


def pupils_import(
    *,
    school: School,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    by=None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    allow_leaving_register: bool | Collection[str] = False,
    record_missing_as_left_on: dt.date | None = None,
) -> ImportResult:
    """Check a whole file, then (unless `dry_run` or any row is bad) apply it in one transaction.

    A file that takes pupils off the SEN register, moves them from E to K, or removes needs is applied only
    with `allow_leaving_register`: True for all, or the UPNs that were confirmed (a pupil who would leave
    but was not confirmed stops the import). Pupils on roll but not in the file are listed; with
    `record_missing_as_left_on` they are recorded as having left on that date.

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
    result.notes = list(table.notes)
    if table.rows:
        result.ignored_columns = map_header(table.rows[0], table.rows[1:]).ignored
    rows, errors = check_rows(
        table, today=today, progress=progress, notes=result.notes, known=_register_of(school, table)
    )
    if errors:
        result.errors = errors
        return result
    lowest, highest = LEFT_THE_SCHOOL.bounds(today)
    if record_missing_as_left_on is not None and not lowest <= record_missing_as_left_on <= highest:
        result.errors = [ImportError_(0, "left_on", MESSAGE_LEFT_ON_RANGE.format(lowest=lowest))]
        return result
    if progress:
        progress(STAGE_COMPARING, len(rows), len(rows))

    existing = {
        p.upn: p
        for p in Pupil.objects.filter(school=school, upn__in=[r.upn for r in rows]).select_related(
            "class_group"
        )
    }
    needs_by_pupil = _needs_of(existing.values())
    current_status = {
        s.pupil_id: s for s in SenStatus.objects.filter(pupil__in=existing.values(), end_date__isnull=True)
    }
    current_plans = register.current_ehc_plans(p.pk for p in existing.values())

    to_create: list[Row] = []
    to_update: list[tuple[Pupil, Row, dict]] = []
    losses: list[dict] = []
    for row in rows:
        pupil = existing.get(row.upn)
        if pupil is None:
            to_create.append(row)
            result.changes.append(Change(row.line, row.upn, f"{row.forename} {row.surname}", "created"))
            continue
        needs = needs_by_pupil.get(pupil.pk, {})
        diff = _differences(pupil, row, needs)
        if not diff:
            result.unchanged += 1
            continue
        if "sen_provision" in diff:
            if diff["sen_provision"][1] != census.EHC_PLAN and pupil.pk in current_plans:
                result.errors.append(
                    ImportError_(
                        row.line,
                        "sen_provision",
                        register.plan_current_message(pupil, current_plans[pupil.pk]),
                    )
                )
                continue
            status = current_status.get(pupil.pk)
            start = row.sen_start_date or today
            if status is not None and start < status.start_date:
                result.errors.append(
                    ImportError_(
                        row.line,
                        "sen_start_date",
                        MESSAGE_SEN_START_BEFORE_CURRENT.format(start=status.start_date),
                    )
                )
                continue
        loss = _losses(pupil, row, needs)
        if loss is not None:
            losses.append(loss)
        to_update.append((pupil, row, diff))
        result.changes.append(Change(row.line, row.upn, f"{row.forename} {row.surname}", "updated", diff))
    if result.errors:
        result.changes = []
        result.unchanged = 0
        return result
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
    if dry_run:
        return result
    confirmed = allow_leaving_register
    if losses and not (confirmed is True or (confirmed and {e["upn"] for e in losses} <= set(confirmed))):
        result.needs_confirmation = True
        return result
    leavers = [entry["upn"] for entry in result.not_in_file] if record_missing_as_left_on else []
    if not (to_create or to_update or leavers):
        return result

    if progress:
        progress(STAGE_SAVING, 0, len(to_create) + len(to_update) + len(leavers))
    try:
        with set_actor(by) if by is not None else nullcontext():
            _apply(
                school,
                to_create,
                to_update,
                needs_by_pupil,
                leavers,
                by=by,
                today=today,
                left_on=record_missing_as_left_on,
            )
    except (RegisterChanged, ValidationError) as changed:
        message = str(changed) if isinstance(changed, RegisterChanged) else "; ".join(changed.messages)
        result.errors = [ImportError_(0, "", message)]
        result.changes = []
        return result
    result.applied = True
    result.left_on = record_missing_as_left_on if leavers else None
    return result


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


def _needs_of(pupils) -> dict[int, dict[int, str]]:
    needs: dict[int, dict[int, str]] = {}
    for pupil_id, rank, sen_type in Need.objects.filter(pupil__in=list(pupils)).values_list(
        "pupil_id", "rank", "sen_type"
    ):
        needs.setdefault(pupil_id, {})[rank] = sen_type
    return needs


@dataclass
class _Prepared:
    """The new rows of an import, built and turned into SQL before the write lock is taken."""

    statements: list[tuple[str, tuple]]
    groups: dict[str, int]  # class name -> id, new ones included
    new_group_names: list[str]
    reserved: dict[type, int]  # model -> the first id reserved for it


def _reserve_ids(model, n: int) -> list[int]:
    """Ids for `n` new rows. PostgreSQL hands them out from the sequence; on SQLite they follow the highest id,
    which `_still_free` checks again once the write lock is held (a clash means preparing again)."""
    if not n:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [i for (i,) in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a model's table)
        first = (cursor.fetchone()[0] or 0) + 1
    return list(range(first, first + n))


def _still_free(reserved: dict[type, int]) -> bool:
    if connection.vendor == "postgresql":
        return True
    with connection.cursor() as cursor:
        for model, first in reserved.items():
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            if (cursor.fetchone()[0] or 0) >= first:
                return False
    return True


def _insert_statements(model, objs: list) -> list[tuple[str, tuple]]:
    """The INSERT statements bulk_create would run for `objs` (whose ids are set), compiled now."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    if objs and objs[0].pk is None:
        fields = [f for f in fields if not f.primary_key]
    size = min(500, connection.ops.bulk_batch_size(fields, objs) or 500)
    statements = []
    for start in range(0, len(objs), size):
        query = InsertQuery(model)
        query.insert_values(fields, objs[start : start + size])
        # The connection itself, not the thread-local proxy: its lookups cost a third of the compiling.
        statements += query.get_compiler(connection=connections[DEFAULT_DB_ALIAS]).as_sql()
    return statements


def _prepare(school, to_create, to_update, *, by, today) -> _Prepared:
    groups = dict(ClassGroup.objects.filter(school=school).values_list("name", "pk"))
    names = {r.class_name for r in to_create if "class" in r.present} | {
        r.class_name for _, r, d in to_update if "class" in d
    }
    new_names = sorted(names - set(groups) - {""})
    new_groups = [
        ClassGroup(pk=pk, school=school, name=name)
        for pk, name in zip(_reserve_ids(ClassGroup, len(new_names)), new_names, strict=True)
    ]
    groups.update({g.name: g.pk for g in new_groups})

    pupils, starts, log = [], [], []
    for pk, row in zip(_reserve_ids(Pupil, len(to_create)), to_create, strict=True):
        provision, primary, secondary = _sen_wanted(row, census.NO_SEN, {})
        pupil = Pupil(
            pk=pk,
            school=school,
            upn=row.upn,
            surname=row.surname,
            forename=row.forename,
            date_of_birth=row.date_of_birth,
            gender=row.gender,
            year_group=row.year_group,
            class_group_id=groups.get(row.class_name),
            eal=row.eal,
            fsm=row.fsm,
            pupil_premium=row.pupil_premium,
            looked_after=row.looked_after,
        )
        pupils.append(pupil)
        log.append(
            audit.entry(
                pupil,
                LogEntry.Action.CREATE,
                actor=by,
                via="import",
                pupil_id=pupil.pk,
                changes={"upn": ["None", pupil.upn], "name": ["None", pupil.full_name]},
            )
        )
        starts.append(
            register.ImportedStart(
                pupil=pupil,
                provision=provision,
                start_date=row.sen_start_date or today,
                primary_need=primary,
                secondary_need=secondary,
                reason=_reason("Imported from the school's MIS.", row),
            )
        )
    first = register.sen_register_for_new_pupils(starts=starts, by=by, reserve_ids=_reserve_ids)
    log += first.log
    statements = (
        _insert_statements(ClassGroup, new_groups)
        + _insert_statements(Pupil, pupils)
        + _insert_statements(SenStatus, first.statuses)
        + _insert_statements(Need, first.needs)
        + _insert_statements(LogEntry, log)
    )
    reserved = {
        model: objs[0].pk
        for model, objs in (
            (ClassGroup, new_groups),
            (Pupil, pupils),
            (SenStatus, first.statuses),
            (Need, first.needs),
        )
        if objs
    }
    return _Prepared(statements, groups, new_names, reserved)


def _apply(school, to_create, to_update, needs_seen, leavers, *, by, today, left_on) -> None:
    """Write the import all or nothing. The new rows are built and compiled first, so that the transaction
    (which on SQLite holds the database's one write lock) only runs ready statements and the few updates."""
    for _attempt in range(3):
        prepared = _prepare(school, to_create, to_update, by=by, today=today)
        with transaction.atomic():
            if _still_free(prepared.reserved):
                _write(
                    school,
                    prepared,
                    to_create,
                    to_update,
                    needs_seen,
                    leavers,
                    by=by,
                    today=today,
                    left_on=left_on,
                )
                return
    raise RegisterChanged("The register was busy with other changes; try the import again.")


def _write(
    school, prepared: _Prepared, to_create, to_update, needs_seen, leavers, *, by, today, left_on
) -> None:
    # Whatever the register said when the file was compared must still hold: a status or need changed by
    # someone else since then is never overwritten by the file (the rows are locked until the end).
    sen_changes = [
        (p, r, d) for p, r, d in to_update if {"sen_provision", "primary_need", "secondary_need"} & set(d)
    ]
    if sen_changes:
        ids = [p.pk for p, _, _ in sen_changes]
        locked = dict(Pupil.objects.select_for_update().filter(pk__in=ids).values_list("pk", "sen_provision"))
        needs_now = _needs_of(ids)
        for pupil, _, _ in sen_changes:
            if locked.get(pupil.pk) != pupil.sen_provision or needs_now.get(pupil.pk, {}) != needs_seen.get(
                pupil.pk, {}
            ):
                raise RegisterChanged(MESSAGE_CHANGED_WHILE_IMPORTING.format(name=pupil.full_name))
    added = Pupil.objects.filter(school=school, upn__in=[r.upn for r in to_create]).first()
    if added is not None:
        raise RegisterChanged(MESSAGE_ADDED_WHILE_IMPORTING.format(name=added.full_name))
    if ClassGroup.objects.filter(school=school, name__in=prepared.new_group_names).exists():
        raise RegisterChanged(
            "A class in the file was added by someone else while importing; try the import again."
        )
    with connection.cursor() as cursor:
        for sql, params in prepared.statements:
            cursor.execute(sql, params)

    log: list[LogEntry] = []
    updated_pupils = []
    fields = {"updated_at"}
    for pupil, row, diff in to_update:
        for name in _FIELDS:
            if name in diff:
                setattr(pupil, name, getattr(row, name))
                fields.add(name)
        if "class" in diff:
            pupil.class_group_id = prepared.groups.get(row.class_name)
            fields.add("class_group")
        if "left_on" in diff:
            pupil.left_on = None
            fields.add("left_on")
        pupil.updated_at = timezone.now()
        updated_pupils.append(pupil)
        log.append(
            audit.entry(
                pupil,
                LogEntry.Action.UPDATE,
                actor=by,
                via="import",
                pupil_id=pupil.pk,
                changes={k: list(v) for k, v in diff.items()},
            )
        )
    # sen_provision is not among the fields: register.services writes it, below.
    Pupil.objects.bulk_update(updated_pupils, sorted(fields), batch_size=500)
    for pupil, row, diff in sen_changes:
        provision, primary, secondary = _sen_wanted(row, pupil.sen_provision, needs_seen.get(pupil.pk, {}))
        if "sen_provision" in diff:
            register.sen_status_change(
                pupil=pupil,
                provision=provision,
                start_date=row.sen_start_date or today,
                primary_need=primary,
                secondary_need=secondary,
                by=by,
                today=today,
                reason=_reason("Changed by an import from the school's MIS.", row),
            )
        else:
            register.needs_replace(pupil=pupil, primary_need=primary, secondary_need=secondary)

    if leavers:
        left = list(Pupil.objects.filter(school=school, upn__in=leavers, left_on__isnull=True))
        for pupil in left:
            pupil.left_on = left_on
            pupil.updated_at = timezone.now()
            log.append(
                audit.entry(
                    pupil,
                    LogEntry.Action.UPDATE,
                    actor=by,
                    via="import",
                    pupil_id=pupil.pk,
                    changes={"left_on": ["None", left_on.isoformat()]},
                )
            )
        Pupil.objects.bulk_update(left, ["left_on", "updated_at"], batch_size=500)
    audit.log_bulk(log)


def _reason(reason: str, row: Row) -> str:
    if row.historic_note:
        reason = f"{reason} {row.historic_note}"
    if row.sen_start_date is None:
        reason = f"{reason} No SEN start date in the file, so the import date is used."
    return reason
