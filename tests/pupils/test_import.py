import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from openpyxl import Workbook

from sencohub.pupils.models import Pupil
from sencohub.register.mis import checking
from sencohub.register.mis.applying import pupils_import
from sencohub.register.models import Need, SenStatus
from sencohub.statutory import census, upn
from tests.factories import SchoolFactory

TODAY = dt.date(2026, 11, 23)
HEADER = "upn,surname,forename,date_of_birth,gender,year_group,class,eal,fsm,pupil_premium,looked_after,sen_provision,primary_need,secondary_need,sen_start_date"
U1, U2, U3 = upn.make(801, 2001, 20, 1), upn.make(801, 2001, 20, 2), upn.make(801, 2001, 20, 3)
WRONG_U2 = ("Z" if U2[0] != "Z" else "Y") + U2[1:]


def csv_file(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD = csv_file(
    f"{U1},Okafor,Amara,2017-03-14,F,4,4A,N,Y,Y,N,K,SLCN,,2025-10-01",
    f"{U2},Nowak,Jakub,12/09/2016,M,5,5B,Y,N,N,N,E,ASD,SLCN,01/02/2024",
    f"{U3},Hughes,Ellie,2018-01-30,F,3,3A,N,N,N,N,N,,,",
)


@pytest.fixture
def school(db):
    return SchoolFactory(urn="123456")


def counts(result) -> dict:
    """The counts and errors of the --json report (its other keys are tested on their own)."""
    return {key: result.as_json()[key] for key in ("created", "updated", "unchanged", "errors")}


def run(school, content, **kwargs):
    return pupils_import(school=school, filename="pupils.csv", content=content, today=TODAY, **kwargs)


def test_a_good_file_creates_pupils_their_status_and_needs(school):
    result = run(school, GOOD)
    assert counts(result) == {"created": 3, "updated": 0, "unchanged": 0, "errors": []}
    amara = Pupil.objects.get(upn=U1)
    assert (amara.sen_provision, amara.class_group.name, amara.fsm, amara.year_group) == ("K", "4A", True, "4")
    assert SenStatus.objects.get(pupil=amara).start_date == dt.date(2025, 10, 1)
    assert list(Need.objects.filter(pupil__upn=U2).values_list("rank", "sen_type")) == [(1, "ASD"), (2, "SLCN")]
    assert not SenStatus.objects.filter(pupil__upn=U3).exists()


def test_importing_the_same_file_again_changes_nothing(school):
    run(school, GOOD)
    log_count = LogEntry.objects.count()
    again = run(school, GOOD)
    assert counts(again) == {"created": 0, "updated": 0, "unchanged": 3, "errors": []}
    assert LogEntry.objects.count() == log_count


def test_a_changed_row_updates_the_pupil_and_records_the_status_change(school):
    run(school, GOOD)
    changed = csv_file(
        f"{U1},Okafor,Amara,2017-03-14,F,4,4A,N,Y,Y,N,E,SLCN,SEMH,2026-06-01",
        f"{U2},Nowak,Jakub,12/09/2016,M,5,5B,Y,N,N,N,E,ASD,SLCN,01/02/2024",
        f"{U3},Hughes,Ellie,2018-01-30,F,3,3A,N,N,N,N,N,,,",
    )
    result = run(school, changed)
    assert result.as_json()["updated"] == 1 and result.as_json()["unchanged"] == 2
    history = list(SenStatus.objects.filter(pupil__upn=U1).order_by("start_date").values_list("provision", "start_date", "end_date"))
    assert history == [("K", dt.date(2025, 10, 1), dt.date(2026, 6, 1)), ("E", dt.date(2026, 6, 1), None)]
    assert list(Need.objects.filter(pupil__upn=U1).values_list("sen_type", flat=True)) == ["SLCN", "SEMH"]


def test_a_file_with_any_bad_row_changes_nothing_and_reports_every_bad_row(school):
    bad = csv_file(
        f"{U1},Okafor,Amara,2017-03-14,F,4,4A,N,Y,Y,N,K,SLCN,,2025-10-01",
        f"{WRONG_U2},Nowak,Jakub,12/09/2016,M,5,5B,Y,N,N,N,E,,,",
        f"{U3},,Ellie,31/02/2018,F,3,3A,maybe,N,N,N,K,NSA,ASD,",
    )
    result = run(school, bad)
    assert Pupil.objects.count() == 0
    found = {(e.line, e.column) for e in result.errors}
    assert found == {
        (3, "upn"), (3, "primary_need"), (4, "surname"), (4, "date_of_birth"), (4, "eal"), (4, "secondary_need"),
    }  # fmt: skip
    assert result.as_json()["created"] == 0


def test_missing_required_columns_are_named(school):
    result = run(school, csv_file(f"{U1},Okafor", header="upn,surname"))
    assert [(e.line, e.column) for e in result.errors] == [(1, "forename"), (1, "date_of_birth")]


def test_usual_mis_headers_are_understood(school):
    content = csv_file(f"{U1},Okafor,Amara,14/03/2017,Year 4,4A,SEN Support".replace("SEN Support", "K") + ",SLCN",
                       header="UPN,Legal Surname,Legal Forename,DOB,NC Year,Reg,SEN Status,Primary SEN Type")  # fmt: skip
    result = run(school, content)
    assert result.ok, result.errors
    pupil = Pupil.objects.get()
    assert (pupil.surname, pupil.year_group, pupil.class_group.name, pupil.sen_provision) == ("Okafor", "4", "4A", "K")


def test_xlsx_files_are_read(school):
    book = Workbook()
    sheet = book.active
    sheet.append(["UPN", "Surname", "Forename", "Date of birth", "SEN provision", "Primary need"])
    sheet.append([U1, "Okafor", "Amara", dt.datetime(2017, 3, 14), "E", "ASD"])
    out = io.BytesIO()
    book.save(out)
    result = pupils_import(school=school, filename="export.xlsx", content=out.getvalue(), today=TODAY)
    assert result.ok, result.errors
    assert Pupil.objects.get().date_of_birth == dt.date(2017, 3, 14)


def test_duplicate_upns_in_one_file_are_refused(school):
    content = csv_file(f"{U1},A,B,2017-03-14", f"{U1},C,D,2017-03-14", header="upn,surname,forename,dob")
    result = run(school, content)
    assert [(e.line, e.message) for e in result.errors] == [(3, checking.MESSAGE_DUPLICATE_UPN.format(line=2))]


def test_down_syndrome_needs_a_start_date_from_2025(school):
    early = run(school, csv_file(f"{U1},A,B,2017-03-14,K,DS,2024-06-01", header="upn,surname,forename,dob,sen,primary_need,sen_start_date"))
    assert [e.column for e in early.errors] == ["primary_need"]
    later = run(school, csv_file(f"{U1},A,B,2017-03-14,K,DS,2025-02-01", header="upn,surname,forename,dob,sen,primary_need,sen_start_date"))
    assert later.ok


def test_historic_codes_are_accepted_and_mapped(school):
    result = run(school, csv_file(f"{U1},A,B,2017-03-14,S,ASD", header="upn,surname,forename,dob,sen,primary_need"))
    assert result.ok
    status = SenStatus.objects.get()
    assert status.provision == census.EHC_PLAN and "historic code S" in status.reason


def test_dry_run_reports_but_changes_nothing(school):
    result = run(school, GOOD, dry_run=True)
    assert result.as_json()["created"] == 3
    assert Pupil.objects.count() == 0


def test_binary_rubbish_is_rejected_with_a_message(school):
    result = pupils_import(school=school, filename="photo.csv", content=b"\x00\x01\x02\xff" * 10, today=TODAY)
    assert result.errors and result.errors[0].line == 1
    broken_xlsx = pupils_import(school=school, filename="x.xlsx", content=b"PK\x03\x04 not really", today=TODAY)
    assert broken_xlsx.errors and "could not be read" in broken_xlsx.errors[0].message


def test_windows_1252_names_survive(school):
    content = f"upn,surname,forename,dob\n{U1},Bront\xeb,Zo\xeb,2017-03-14\n".encode("cp1252")
    assert run(school, content).ok
    assert Pupil.objects.get().surname == "Brontë"


def test_every_import_change_is_in_the_audit_log(school):
    run(school, GOOD)
    amara = Pupil.objects.get(upn=U1)
    entries = LogEntry.objects.filter(additional_data__pupil_id=amara.pk)
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 3  # the pupil, the status and the need


def test_a_sen_start_before_the_current_status_is_refused(school):
    run(school, GOOD)
    earlier = csv_file(f"{U1},Okafor,Amara,2017-03-14,F,4,4A,N,Y,Y,N,E,SLCN,,2025-09-01")
    result = run(school, earlier)
    assert [e.column for e in result.errors] == ["sen_start_date"]
