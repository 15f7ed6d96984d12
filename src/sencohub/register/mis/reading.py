"""The first stage of an MIS import: an uploaded CSV or XLSX file turned into a header and rows of text.

Bounded before it is parsed: the file's size first, then (for Excel) what it would unpack to, then its rows
and columns as they are read. A file that cannot be read is refused whole (FileRejected), with a reason a
school office can act on. Reading knows nothing of what the cells mean; checking.py does.
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sencohub.kernel.files import MB, UploadRefused, ZipLimits, check_zip
from sencohub.register.mis.columns import LOOKUP, REQUIRED, header_key

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
MESSAGE_TOO_MANY_COLUMNS = (
    f"Line {{line}} has more than {MAX_COLUMNS} columns. "
    "Remove the columns you do not need and upload it again."
)
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
MESSAGE_TOO_MANY = f"The file has more than {MAX_ROWS:,} pupils; split it into smaller files."
MESSAGE_NOT_READABLE = "The file could not be read as CSV or Excel (.xlsx): {detail}"
MESSAGE_ENCODING = (
    "The file's text is not valid {encoding} (line {line}), so it was not read: names would be stored wrongly. "
    'Save it from your MIS or spreadsheet as "CSV UTF-8" and upload it again.'
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
NOTE_TITLE_ROWS = "The first {n} row{s} above the header were skipped (a title, not pupils)."


# One problem with a file, whichever stage finds it: reading, checking or applying.
@dataclass
class ImportError_:
    line: int
    column: str
    message: str
    # The pupil the line is about, as the file gives them (blank for a problem with the whole file).
    upn: str = ""
    name: str = ""

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "upn": self.upn,
            "name": self.name,
        }


class FileRejected(Exception):
    def __init__(self, errors: list[ImportError_]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


@dataclass
class Table:
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    guessed_encoding: str = ""  # set when the text was not UTF-8 and had to be read as Windows-1252
    header_line: int = 1


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


def plural(n: int) -> str:
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
        # Blank lines are left out of the sample: a line with no delimiter at all defeats the guess.
        sample = "\n".join(line for line in text[:4096].splitlines() if line.strip())
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        pass
    rows = _bounded_rows(csv.reader(io.StringIO(text), dialect), text=str.strip)
    return Table(rows, guessed_encoding=guessed)


def _has_pupil_header(row: list[str]) -> bool:
    found = {LOOKUP.get(header_key(cell)) for cell in row}
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
        table.notes.append(NOTE_TITLE_ROWS.format(n=start, s=plural(start)))
    table.header_line = start + 1
    table.rows = rows[start:]
    return table
