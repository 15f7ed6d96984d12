"""The preview in the file's own words: its headers for each column, each problem naming the pupil, new pupils' details."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sencohub.register.mis import checking
from sencohub.statutory import upn
from tests.factories import SchoolFactory

TODAY = dt.date(2026, 11, 23)
U1, U2, U3 = upn.make(801, 2001, 21, 1), upn.make(801, 2001, 21, 2), upn.make(801, 2001, 21, 3)
HEADER = "Pupil UPN;Legal Surname;Legal Forename;D.O.B;NC Year;Reg Group;SEN Stage;Main Need"


def cp1252_file(*rows) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252")


@pytest.fixture
def school(db):
    return SchoolFactory(urn="123457")


def check(school, content):
    return checking.pupils_check(school=school, filename="export.csv", content=content, today=TODAY).result


def test_the_result_keeps_each_columns_own_header(school):
    result = check(school, cp1252_file(f"{U1};Dubois;Renée;03/04/2016;5;5R;K;SEMH"))
    assert result.as_json()["headers"] == {
        "upn": "Pupil UPN", "surname": "Legal Surname", "forename": "Legal Forename", "date_of_birth": "D.O.B",
        "year_group": "NC Year", "class": "Reg Group", "sen_provision": "SEN Stage", "primary_need": "Main Need",
    }  # fmt: skip


def test_each_problem_names_the_pupil_as_the_file_gives_them(school):
    result = check(
        school,
        cp1252_file(
            f"{U1};Dubois;Renée;31/02/2016;5;5R;K;SEMH",
            "",
            f"{U2};Ng;Zoë;2019-09-30;R;RB;K;",
            "not-a-upn;Haddad;Omar;07/01/2016;5;5R;N;",
        ),
    )
    found = {(e["line"], e["column"], e["upn"], e["name"]) for e in result.as_json()["errors"]}
    assert (2, "date_of_birth", U1, "Renée Dubois") in found
    assert (4, "primary_need", U2, "Zoë Ng") in found  # the blank line 3 is counted, as the file numbers it
    assert (5, "upn", "not-a-upn", "Omar Haddad") in found


def test_a_problem_with_the_whole_file_names_no_pupil_and_calls_the_column_by_its_name(school):
    content = "Legal Surname,Legal Forename,DOB\nDubois,Renée,03/04/2016\n".encode("cp1252")
    (error,) = check(school, content).as_json()["errors"]
    assert (error["upn"], error["name"]) == ("", "")
    assert error["message"].startswith('The file has no "UPN" column (looked for headers such as: "UPN", ')


def test_new_pupils_carry_what_they_will_be_recorded_with(school):
    result = check(
        school,
        cp1252_file(f"{U1};Dubois;Renée;03/04/2016;Year 5;5R;K;SEMH", f"{U2};Ng;Zoë;2019-09-30;R;RB;;"),
    )
    assert [c.new for c in result.changes] == [
        {"year_group": "5", "class": "5R", "sen_provision": "K", "primary_need": "SEMH"},
        {"year_group": "R", "class": "RB", "sen_provision": "N", "primary_need": ""},
    ]


@pytest.mark.parametrize(
    "text, day",
    [
        ("03/04/2016", dt.date(2016, 4, 3)),
        ("3/4/2016", dt.date(2016, 4, 3)),
        ("03-04-2016", dt.date(2016, 4, 3)),
        ("3.4.2016", dt.date(2016, 4, 3)),
        ("2016-04-03", dt.date(2016, 4, 3)),
        ("2016-04-03 00:00:00", dt.date(2016, 4, 3)),
        ("03/04/2016 09:30", dt.date(2016, 4, 3)),
        ("42463", dt.date(2016, 4, 3)),
        ("03/04/16", None),
        ("2016/04/03", None),
        ("3 April 2016", None),
        ("01/01/1899", None),
        ("80001", None),
    ],
)
def test_the_date_forms_docs_import_md_lists_are_exactly_those_read(text, day):
    assert checking.parse_date(text) == day


@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_documented_date_form_reads_back_the_same_day(day):
    forms = [
        f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day:%Y}", f"{day:%d-%m-%Y}", f"{day:%d.%m.%Y}",
        day.isoformat(), f"{day.isoformat()} 12:00:00", f"{day:%d/%m/%Y} 12:00",
    ]  # fmt: skip
    assert {checking.parse_date(text) for text in forms} == {day}
    serial = (day - checking.EXCEL_EPOCH).days
    if serial <= 80_000:
        assert checking.parse_date(str(serial)) == day
