"""Tables as CSV and Excel: the one writer behind every download and `sencohub export`, so that no cell a
spreadsheet opens ever carries a live formula.

Text starting with `=`, `+`, `-`, `@`, a tab, a carriage return (or a NUL) is what Excel, LibreOffice and Google Sheets
read as a formula (`=HYPERLINK(...)` in a surname becomes a link that sends the sheet's data elsewhere), so such
text is prefixed with an apostrophe, as OWASP's CSV injection guidance says. In Excel files every text cell is
also written as a string, never a formula. Numbers, dates and empty cells are written as they are: only text is
ever prefixed, so a negative number given as a number stays a number.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sencohub.kernel.files import attachment

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP's list, and NUL, which OWASP ASVS 5.0's requirement on formula injection adds.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")
PLAIN = (int, float, Decimal, dt.date, dt.datetime, dt.time, bool, type(None))


def safe_text(value: str) -> str:
    """Text as a spreadsheet will show it, never run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _safe(value):
    if isinstance(value, PLAIN):
        return value
    return safe_text(str(value))


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    header: Sequence[str]
    rows: Iterable[Sequence]


def table_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A header and rows as CSV, one line each ending "\\n"; an empty cell for None."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_csv_cell(v) for v in header])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _csv_cell(value):
    value = _safe(value)
    if isinstance(value, str) and "\r" in value:
        # The writer quotes a cell holding "\n" but not a bare "\r", which a spreadsheet reads as the end of the row:
        # the rest of the cell would start a row of its own, formula and all. A line break in a cell is "\n".
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def table_xlsx(*sheets: Sheet) -> bytes:
    """One worksheet per Sheet, in order, written row by row (a large register is never all in memory twice)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        ws.append([_xlsx_cell(ws, v) for v in sheet.header])
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(ws, value):
    value = _safe(value)
    if not isinstance(value, str):
        return WriteOnlyCell(ws, value=value)
    # Characters Excel refuses in a cell (NUL and other control characters) are dropped rather than failing the file.
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # a string whatever it starts with: openpyxl reads a str starting "=" as a formula
    return cell


def table_download(
    fmt: str, *, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """One table as `filename.csv` or `filename.xlsx` (a sheet called `title`); any other format is not found."""
    if fmt == "csv":
        return attachment(table_csv(header, rows), content_type=CSV_TYPE, filename=f"{filename}.csv")
    if fmt == "xlsx":
        return attachment(
            table_xlsx(Sheet(title, header, rows)), content_type=XLSX_TYPE, filename=f"{filename}.xlsx"
        )
    raise Http404
