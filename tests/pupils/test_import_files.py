"""Files as MIS and spreadsheets really write them: encodings and Excel's oddities, read right or refused clearly."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from sencohub.pupils.models import Pupil
from sencohub.register.mis import checking, reading
from sencohub.register.mis.applying import pupils_import
from sencohub.statutory import upn
from tests.factories import SchoolFactory

TODAY = dt.date(2026, 11, 23)
U1, U2, U3 = (upn.make(801, 2001, 21, i) for i in (1, 2, 3))


@pytest.fixture
def school(db):
    return SchoolFactory(urn="123457")


def run(school, content: bytes, filename="pupils.csv"):
    return pupils_import(school=school, filename=filename, content=content, today=TODAY)


def text(names=("Łukasz", "Zoë")) -> str:
    return f"UPN\tSurname\tForename\tDOB\r\n{U1}\tWałęsa\t{names[0]}\t14/03/2017\r\n{U2}\tBrontë\t{names[1]}\t2016-09-12\r\n"


def xlsx(build) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def names(school) -> list[tuple[str, str]]:
    return sorted(Pupil.objects.filter(school=school).values_list("forename", "surname"))


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="UTF-8"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="UTF-8 with BOM"),
        pytest.param(lambda t: t.encode("utf-16"), id="UTF-16 (Excel Unicode text)"),
        pytest.param(lambda t: t.encode("utf-16-le"), id="UTF-16 without BOM"),
    ],
)
def test_unicode_files_keep_every_name_exactly(school, encoded):
    result = run(school, encoded(text()))
    assert result.ok, result.errors
    assert names(school) == sorted([("Łukasz", "Wałęsa"), ("Zoë", "Brontë")])


def test_windows_1252_files_keep_accented_names(school):
    content = f"upn,surname,forename,dob\n{U1},Brontë,Zoë,2017-03-14\n{U2},Núñez,Renée,2016-09-12\n".encode("cp1252")
    assert run(school, content).ok
    assert names(school) == sorted([("Zoë", "Brontë"), ("Renée", "Núñez")])


def test_a_central_european_file_is_refused_rather_than_stored_as_mojibake(school):
    # Windows-1250 (Polish) read as Windows-1252 would turn Łukasz into £ukasz.
    content = f"upn,surname,forename,dob\n{U1},Wałęsa,Łukasz,2017-03-14\n".encode("cp1250")
    result = run(school, content)
    assert not result.ok and not Pupil.objects.exists()
    forename = next(e.message for e in result.errors if e.column == "forename")
    assert forename == checking.MESSAGE_NAME_CHARACTER.format(value="£ukasz", character="£")
    assert "Windows-1252" in forename


def test_text_that_does_not_decode_is_refused_naming_the_encoding(school):
    content = b"\xff\xfe" + "upn,surname\n".encode("utf-16-le") + b"\x00\xd8"  # a lone surrogate
    result = run(school, content)
    assert result.errors[0].message == reading.MESSAGE_ENCODING.format(encoding="UTF-16", line=2)
    bad_both = f"upn,surname,forename,dob\n{U1},Okafor,Amara,2017-03-14\n".encode() + b"\x81\x8d\n"
    assert "UTF-8 or Windows-1252" in run(school, bad_both).errors[0].message


def test_merged_cells_are_read_as_their_value_in_every_cell(school):
    def build(book):
        sheet = book.active
        sheet.append(["UPN", "Surname", "Forename", "DOB", "Reg"])
        sheet.append([U1, "Okafor", "Amara", dt.date(2017, 3, 14), "4A"])
        sheet.append([U2, "Nowak", "Jakub", dt.date(2016, 9, 12), None])
        sheet.merge_cells("E2:E3")

    result = run(school, xlsx(build), "export.xlsx")
    assert result.ok, result.errors
    assert list(Pupil.objects.order_by("upn").values_list("class_group__name", flat=True)) == ["4A", "4A"]
    assert any("Merged cells (E2:E3)" in note for note in result.notes)


def test_a_sheet_declaring_a_smaller_range_than_its_data_is_read_whole(school):
    def build(book):
        sheet = book.active
        sheet.append(["UPN", "Surname", "Forename", "DOB"])
        for i, u in enumerate((U1, U2, U3)):
            sheet.append([u, f"Rowe{i}", "Sam", dt.date(2017, 3, 14)])

    content = xlsx(build)
    # Some exporters write a too-small <dimension>; a reader that trusts it would see two pupils, not three.
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:D4"/>', b'<dimension ref="A1:D3"/>')
                assert b'ref="A1:D3"' in data
            target.writestr(item, data)
    result = run(school, out.getvalue(), "export.xlsx")
    assert result.ok and result.created == 3


def test_formula_cells_without_saved_values_are_refused_by_cell(school):
    def build(book):
        sheet = book.active
        sheet.append(["UPN", "Surname", "Forename", "DOB"])
        sheet.append([U1, '=UPPER("okafor")', "Amara", dt.date(2017, 3, 14)])

    result = run(school, xlsx(build), "export.xlsx")
    assert [e.message for e in result.errors] == [reading.MESSAGE_FORMULA.format(cells="B2")]


def test_pupils_on_a_second_sheet_are_read_and_the_preview_says_so(school):
    def build(book):
        book.active.title = "Notes"
        book.active.append(["Exported from the MIS"])
        pupils = book.create_sheet("Pupils")
        pupils.append(["UPN", "Surname", "Forename", "DOB"])
        pupils.append([U1, "Okafor", "Amara", dt.date(2017, 3, 14)])

    result = run(school, xlsx(build), "export.xlsx")
    assert result.ok and result.created == 1
    assert reading.NOTE_OTHER_SHEET.format(sheet="Pupils") in result.notes


def test_a_second_sheet_of_data_that_is_not_read_is_mentioned(school):
    def build(book):
        book.active.append(["UPN", "Surname", "Forename", "DOB"])
        book.active.append([U1, "Okafor", "Amara", dt.date(2017, 3, 14)])
        book.create_sheet("Leavers").append([U2, "Nowak", "Jakub"])

    result = run(school, xlsx(build), "export.xlsx")
    assert result.ok and result.created == 1
    assert reading.NOTE_SHEETS_NOT_READ.format(sheets='"Leavers"') in result.notes


def test_excel_date_serials_are_read_as_dates(school):
    def build(book):
        book.active.append(["UPN", "Surname", "Forename", "DOB"])
        book.active.append([U1, "Okafor", "Amara", 42808])  # 14/03/2017 as a number

    assert run(school, xlsx(build), "export.xlsx").ok
    assert Pupil.objects.get().date_of_birth == dt.date(2017, 3, 14)


def test_a_csv_file_named_xlsx_is_read_as_csv(school):
    result = run(school, f"upn,surname,forename,dob\n{U1},Okafor,Amara,2017-03-14\n".encode(), "export.xlsx")
    assert result.ok and result.created == 1


def test_an_old_excel_file_is_refused_with_what_to_do(school):
    result = run(school, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "export.xls")
    assert [e.message for e in result.errors] == [reading.MESSAGE_OLD_EXCEL]


def test_blank_rows_and_a_title_above_the_header_are_skipped_and_said_so(school):
    content = (f"Pupil list,,,\n\nupn,surname,forename,dob\n{U1},Okafor,Amara,2017-03-14\n,,,\n"
               f"{U2},Nowak,Jakub,2016-09-12\n").encode()  # fmt: skip
    result = run(school, content)
    assert result.ok and result.created == 2
    assert result.notes == [reading.NOTE_TITLE_ROWS.format(n=2, s="s"), checking.NOTE_BLANK_ROWS.format(n=1, s="")]
    bad = run(school, content.replace(b"2016-09-12", b"2016-13-12"))
    assert [(e.line, e.column) for e in bad.errors] == [(6, "date_of_birth")]  # lines as the file numbers them
