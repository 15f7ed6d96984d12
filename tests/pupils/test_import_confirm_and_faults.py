"""The import pages when a file would take pupils off the register, leavers, and a background worker that dies."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sencohub.ehcp.models import EhcPlan
from sencohub.pupils.models import Pupil, PupilImport
from sencohub.register.mis.tasks import import_check
from sencohub.register.models import SenStatus

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def mis_file(*pupils, sen=None) -> bytes:
    header = "UPN,Surname,Forename,DOB" + (",SEN" if sen else "")
    lines = [f"{p.upn},{p.surname},{p.forename},{p.date_of_birth:%d/%m/%Y}" + (f",{sen}" if sen else "") for p in pupils]
    return ("\n".join([header, *lines]) + "\n").encode()


def upload(client, school, content: bytes, name="mis.csv"):
    return client.post(f"/schools/{school.urn}/import/", {"file": SimpleUploadedFile(name, content, "text/csv")})


@pytest.fixture
def senco(client, world):
    client.force_login(world.people["senco"])
    return client


def test_a_file_taking_pupils_off_the_register_says_so_first_and_needs_the_box_ticked(senco, world):
    # Ben's plan has ceased (a current one would stop the file: tests/register/test_register_follows_ehc_plans.py).
    EhcPlan.objects.filter(pupil=world.pupil_ehc).update(ceased_on=dt.date(2026, 7, 17))
    everyone = (world.pupil_support, world.pupil_ehc, world.pupil_none)
    page = senco.get(upload(senco, world.school, mis_file(*everyone, sen="N")).url).content.decode()
    record = PupilImport.objects.get()
    warning = page.index("2 pupils would leave the SEN register")
    assert warning < page.index("pupils to update")
    assert "Ben Marchbanks" in page and "Has a current EHC plan" not in page and "E → N" in page
    assert "SEN: E → N" in page and "sen_provision" not in page  # the file's own header, not the code's

    refused = senco.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/")
    assert refused.status_code == 400
    assert "Tick to confirm that these pupils should leave the SEN register" in refused.content.decode()
    assert Pupil.objects.get(pk=world.pupil_ehc.pk).sen_provision == "E"

    done = senco.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/", {"confirm_leaving": "on"})
    assert "Import complete" in senco.get(done.url).content.decode()
    assert Pupil.objects.get(pk=world.pupil_ehc.pk).sen_provision == "N"
    assert SenStatus.objects.filter(pupil=world.pupil_ehc).count() == 2  # the history is kept


def test_unrecognised_columns_are_listed_on_the_preview(senco, world):
    content = b"UPN,Surname,Forename,DOB,Shoe size\n" + mis_file(world.pupil_none).split(b"\n", 1)[1].replace(b"\n", b",5\n")
    page = senco.get(upload(senco, world.school, content).url).content.decode()
    assert "These columns were not recognised, so they were ignored" in page and "Shoe size" in page


def test_pupils_missing_from_the_file_are_listed_and_can_be_recorded_as_left(senco, world):
    page = senco.get(upload(senco, world.school, mis_file(world.pupil_support, world.pupil_ehc)).url).content.decode()
    record = PupilImport.objects.get()
    assert "1 pupil on roll but not in the file" in page and "Cara Trelawney" in page
    assert page.count("on roll but not in the file") == 1  # said once, where the names are (a users' run saw it twice)

    no_date = senco.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/", {"record_leavers": "on"})
    assert "Enter the date the pupils not in the file left." in no_date.content.decode()
    senco.post(
        f"/schools/{world.school.urn}/import/{record.pk}/confirm/", {"record_leavers": "on", "left_on": "2026-07-17"}
    )
    cara = Pupil.objects.get(pk=world.pupil_none.pk)
    assert cara.left_on == dt.date(2026, 7, 17)
    register = senco.get(f"/schools/{world.school.urn}/register/").content.decode()
    assert "Trelawney" not in register and "Quillfeather" in register
    # Off roll, but the SENCo can still open the record and its history.
    assert senco.get(f"/schools/{world.school.urn}/pupils/{cara.upn}/").status_code == 200
    assert senco.get(f"/schools/{world.school.urn}/pupils/{cara.upn}/history/").status_code == 200


def test_a_leaver_is_off_the_census_export(world):
    from sencohub.reports.census import census_rows

    Pupil.objects.filter(pk=world.pupil_support.pk).update(left_on=dt.date(2026, 7, 17))
    assert world.pupil_support.upn not in {r["upn"] for r in census_rows(school=world.school)}
    assert world.pupil_ehc.upn in {r["upn"] for r in census_rows(school=world.school)}


def _worker_died_while_running(record: PupilImport, minutes_ago: int = 5) -> None:
    """What a killed worker leaves behind: the task claimed (running), and progress that stopped moving."""
    task = DBTaskResult.objects.get(id=record.task_id)
    task.claim("worker-that-died")
    long_ago = timezone.now() - dt.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(id=task.id).update(started_at=long_ago)
    PupilImport.objects.filter(pk=record.pk).update(progress_stage="checking", progress_done=250, progress_at=long_ago)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_killed_worker_is_noticed_and_the_person_can_retry(client, world):
    client.force_login(world.people["senco"])
    url = upload(client, world.school, mis_file(world.pupil_none)).url
    record = PupilImport.objects.get()
    _worker_died_while_running(record)

    page = client.get(url).content.decode()
    assert "The check stopped part way" in page and "The background worker stopped while checking" in page
    assert DBTaskResult.objects.get(id=record.task_id).status == TaskResultStatus.FAILED
    record.refresh_from_db()
    assert record.status == PupilImport.Status.INTERRUPTED and bytes(record.content)  # kept for a retry

    client.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/", {"retry": "1"})
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    record.refresh_from_db()
    assert record.status == PupilImport.Status.CHECKED and record.result["unchanged"] == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_killed_task_can_be_cancelled_and_its_file_is_deleted(client, world):
    client.force_login(world.people["senco"])
    upload(client, world.school, mis_file(world.pupil_none))
    record = PupilImport.objects.get()
    _worker_died_while_running(record)
    # A worker starting again (here, on another file) sees the dead task as failed.
    upload(client, world.school, mis_file(world.pupil_support))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    record.refresh_from_db()
    assert record.status == PupilImport.Status.INTERRUPTED

    client.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/", {"cancel": "1"})
    record.refresh_from_db()
    assert record.status == PupilImport.Status.CANCELLED and bytes(record.content) == b""


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_with_no_worker_running_the_page_says_it_is_waiting_for_the_background_worker(client, world):
    client.force_login(world.people["senco"])
    url = upload(client, world.school, mis_file(world.pupil_none)).url
    record = PupilImport.objects.get()
    assert "Waiting for the background worker to start on this file" in client.get(url).content.decode()
    DBTaskResult.objects.filter(id=record.task_id).update(enqueued_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(url).content.decode()
    assert "no worker is running" in page and "usually takes a few seconds" not in page
    assert PupilImport.objects.get().status == PupilImport.Status.CHECKING  # still waiting, not failed
    assert import_check.get_result(record.task_id).status == TaskResultStatus.READY


def test_the_senco_finds_pupils_who_have_left_and_their_records(senco, world):
    Pupil.objects.filter(pk=world.pupil_ehc.pk).update(left_on=dt.date(2026, 7, 17))
    page = senco.get(f"/schools/{world.school.urn}/leavers/").content.decode()
    assert "Marchbanks, Ben" in page and "17 July 2026" in page and "EHC plan" in page
    assert "Quillfeather" not in page
    record = senco.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/").content.decode()
    assert "Left the school on 17 July 2026" in record


def test_leavers_are_not_shown_to_someone_without_the_history_role(client, world):
    client.force_login(world.people["teacher"])
    assert client.get(f"/schools/{world.school.urn}/leavers/").status_code == 404


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_worker_killed_while_importing_changes_nothing_and_the_file_can_be_checked_again(client, world):
    client.force_login(world.people["senco"])
    url = upload(client, world.school, mis_file(world.pupil_none)).url
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    record = PupilImport.objects.get()
    client.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/")
    record.refresh_from_db()
    assert record.status == PupilImport.Status.APPLYING
    _worker_died_while_running(record)
    page = client.get(url).content.decode()
    assert "The import stopped part way" in page and "Nothing has changed" in page
    client.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/", {"retry": "1"})
    record.refresh_from_db()
    assert record.status == PupilImport.Status.CHECKING


def test_a_file_with_everyone_on_roll_says_none_is_missing_once(senco, world):
    everyone = (world.pupil_support, world.pupil_ehc, world.pupil_none)
    page = senco.get(upload(senco, world.school, mis_file(*everyone)).url).content.decode()
    assert page.count("on roll but not in the file") == 1 and "0 pupils on roll but not in the file" in page
