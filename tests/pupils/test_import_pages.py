"""The browser import as a SENCo sees it: upload, progress while a background task works, preview, confirm."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from sencohub.pupils.models import Pupil, PupilImport
from sencohub.register.mis import applying
from sencohub.register.mis.tasks import import_apply, import_check
from sencohub.statutory import upn

HEADER = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg,SEN provision,Primary need\n"
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def pupils_csv(n: int) -> bytes:
    rows = [f"{upn.make(801, 3001, 24, i)},Rowe{i},Sam,03/04/2016,5,5R,{'K' if i % 5 == 0 else 'N'},{'SLCN' if i % 5 == 0 else ''}" for i in range(n)]
    return (HEADER + "\n".join(rows) + "\n").encode()


def upload(client, school, content: bytes):
    return client.post(
        f"/schools/{school.urn}/import/", {"file": SimpleUploadedFile("pupils.csv", content, "text/csv")}
    )


def poll(client, school, record):
    return client.get(
        f"/schools/{school.urn}/import/{record.pk}/", headers={"HX-Request": "true", "HX-Target": "import-progress"}
    )


@pytest.fixture
def senco(client, world):
    client.force_login(world.people["senco"])
    return client


@override_settings(TASKS=QUEUE_ONLY)
def test_the_page_shows_progress_until_the_check_is_done(senco, world):
    response = upload(senco, world.school, pupils_csv(600))
    record = PupilImport.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/import/{record.pk}/")
    page = senco.get(response.url).content.decode()
    assert "Checking the file" in page and "Waiting for the background worker" in page
    assert 'hx-trigger="every 1s"' in page

    PupilImport.objects.filter(pk=record.pk).update(progress_stage="checking", progress_done=250, progress_total=600)
    partial = poll(senco, world.school, record)
    assert partial.status_code == 200
    assert "Checked 250 of 600 rows." in partial.content.decode()
    assert 'value="250"' in partial.content.decode() and "<html" not in partial.content.decode()

    import_check.call(record.pk)
    record.refresh_from_db()
    assert record.status == PupilImport.Status.CHECKED
    assert (record.progress_stage, record.progress_done, record.progress_total) == ("comparing", 600, 600)
    done = poll(senco, world.school, record)
    assert done.headers["HX-Refresh"] == "true"
    page = senco.get(response.url).content.decode()
    assert "Check what will change" in page and "600 pupils to add" in page
    assert not Pupil.objects.filter(surname__startswith="Rowe").exists()


def test_the_check_reports_progress_every_few_hundred_rows(world):
    seen = []
    applying.pupils_import(
        school=world.school, filename="p.csv", content=pupils_csv(600), dry_run=True,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )  # fmt: skip
    assert seen == [("checking", 0, 600), ("checking", 250, 600), ("checking", 500, 600), ("comparing", 600, 600)]


def test_confirming_imports_and_says_what_changed(senco, world):
    response = upload(senco, world.school, pupils_csv(3))
    record = PupilImport.objects.get()
    confirm = senco.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/")
    assert confirm.url == response.url
    page = senco.get(confirm.url).content.decode()
    assert "Import complete" in page and "3 pupils added, 0 updated, 0 unchanged" in page
    assert Pupil.objects.filter(surname__startswith="Rowe").count() == 3
    record.refresh_from_db()
    assert record.status == PupilImport.Status.APPLIED and bytes(record.content) == b""


@override_settings(TASKS=QUEUE_ONLY)
def test_confirming_twice_imports_once(senco, world):
    upload(senco, world.school, pupils_csv(3))
    record = PupilImport.objects.get()
    import_check.call(record.pk)
    first = senco.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/")
    second = senco.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/", follow=True)
    assert first.url.endswith(f"/import/{record.pk}/")
    assert "already been dealt with" in second.content.decode()
    page = senco.get(first.url).content.decode()
    assert "Importing the file" in page
    import_apply.call(record.pk, world.people["senco"].pk)
    import_apply.call(record.pk, world.people["senco"].pk)  # a repeated task does nothing
    assert Pupil.objects.filter(surname__startswith="Rowe").count() == 3


def test_a_failure_while_importing_changes_nothing_and_says_so(senco, world):
    upload(senco, world.school, pupils_csv(3))
    record = PupilImport.objects.get()
    real_apply = applying._apply

    def fails_after_writing(*args, **kwargs):
        with transaction.atomic():
            real_apply(*args, **kwargs)
            raise RuntimeError("the disk is full")

    with mock.patch.object(applying, "_apply", fails_after_writing):
        senco.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/")
    record.refresh_from_db()
    assert record.status == PupilImport.Status.FAILED
    assert not Pupil.objects.filter(surname__startswith="Rowe").exists()
    page = senco.get(f"/schools/{world.school.urn}/import/{record.pk}/").content.decode()
    assert "The file could not be imported" in page and "nothing has changed" in page


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_worker_runs_queued_imports(client, world):
    client.force_login(world.people["senco"])
    upload(client, world.school, pupils_csv(5))
    record = PupilImport.objects.get()
    assert record.status == PupilImport.Status.CHECKING
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    record.refresh_from_db()
    assert record.status == PupilImport.Status.CHECKED and record.result["created"] == 5
    client.post(f"/schools/{world.school.urn}/import/{record.pk}/confirm/")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    record.refresh_from_db()
    assert record.status == PupilImport.Status.APPLIED
    assert Pupil.objects.filter(surname__startswith="Rowe").count() == 5
