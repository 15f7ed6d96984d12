"""The one CSV and Excel writer: text never runs as a formula, and everything else is written as it was."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from sencohub.kernel.tables import Sheet, table_csv, table_xlsx
from sencohub.reports.census import census_csv


def test_the_census_csv_is_unchanged_for_ordinary_data():
    rows = [{"upn": "A801200010001", "sen_provision": "E", "primary_sen_type": "ASD", "secondary_sen_type": "SLCN"},
            {"upn": "B801200010002", "sen_provision": "N", "primary_sen_type": None, "secondary_sen_type": None}]  # fmt: skip
    assert census_csv(rows) == (
        "upn,sen_provision,primary_sen_type,secondary_sen_type\nA801200010001,E,ASD,SLCN\nB801200010002,N,,\n"
    )


def test_only_text_is_prefixed():
    text = table_csv(
        ["Name", "Change", "Cost", "On"], [["-3 days", -3, Decimal("-1.50"), dt.date(2026, 9, 1)]]
    )
    assert text == "Name,Change,Cost,On\n'-3 days,-3,-1.50,2026-09-01\n"
    assert table_csv(["A"], [["\x00=1+1"], ["\r=1+1"], ["\t=1"]]) == "A\n'\x00=1+1\n\"'\n=1+1\"\n'\t=1\n"


def test_excel_cells_keep_their_types_and_never_hold_a_formula():
    body = table_xlsx(Sheet("Sheet", ["Name", "Count", "On"], [["=HYPERLINK(\"http://x.test\")", -4, dt.date(2026, 9, 1)],
                                                               ["@SUM(A1)\x00", 2.5, None]]))  # fmt: skip
    sheet = load_workbook(io.BytesIO(body))["Sheet"]
    assert [c.data_type for c in sheet[2]] == ["s", "n", "d"]
    assert sheet["A2"].value == '\'=HYPERLINK("http://x.test")' and sheet["B2"].value == -4
    assert sheet["A3"].value == "'@SUM(A1)" and sheet["B3"].value == 2.5
