"""Background tasks for browser imports: check a file, then apply it, writing progress as they go.

Run by the worker (`sencohub db_worker`, started by `make demo`); in tests the immediate backend runs
them inside the request. Either way a failure leaves the import marked failed and the register as it was.
"""

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from sencohub.pupils.importing import ImportResult, pupils_import
from sencohub.pupils.models import PupilImport

logger = logging.getLogger(__name__)

MESSAGE_FAILED = (
    "Something went wrong while {doing} this file, so nothing has changed. "
    "Try again; if it happens again, tell your sencohub administrator the time it happened."
)


def _progress_writer(import_id: int):
    def write(stage: str, done: int, total: int) -> None:
        PupilImport.objects.filter(pk=import_id).update(
            progress_stage=stage, progress_done=done, progress_total=total, progress_at=timezone.now()
        )

    return write


def _changes(result: ImportResult) -> list[dict]:
    return [{"line": c.line, "upn": c.upn, "name": c.name, "kind": c.kind, "changes": c.changes} for c in result.changes]


def _fail(record: PupilImport, doing: str) -> None:
    logger.exception("Import %s failed while %s", record.pk, doing)
    record.status = PupilImport.Status.FAILED
    record.content = b""
    record.result = {**record.result, "failure": MESSAGE_FAILED.format(doing=doing), "failed_while": doing}
    record.save(update_fields=["status", "content", "result"])


@task()
def import_check(import_id: int) -> None:
    """Check every row of an uploaded file without changing anything (the preview)."""
    record = PupilImport.objects.select_related("school", "uploaded_by").get(pk=import_id)
    if record.status != PupilImport.Status.CHECKING:
        return
    try:
        result = pupils_import(
            school=record.school, filename=record.filename, content=bytes(record.content), dry_run=True,
            by=record.uploaded_by, progress=_progress_writer(record.pk),
        )  # fmt: skip
    except Exception:
        _fail(record, "checking")
        raise
    record.result = {**result.as_json(), "changes": _changes(result)}
    record.status = PupilImport.Status.CHECKED if result.ok else PupilImport.Status.REJECTED
    if not result.ok:
        record.content = b""  # the file holds pupil data: keep it no longer than needed
    record.save(update_fields=["result", "status", "content"])


@task()
def import_apply(import_id: int, user_id: int) -> None:
    """Import a checked file, checking it again first: the register may have changed since the preview."""
    record = PupilImport.objects.select_related("school").get(pk=import_id)
    if record.status != PupilImport.Status.APPLYING:
        return
    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        result = pupils_import(
            school=record.school, filename=record.filename, content=bytes(record.content), by=user,
            progress=_progress_writer(record.pk),
        )  # fmt: skip
    except Exception:
        _fail(record, "importing")
        raise
    record.result = {**record.result, **result.as_json()}
    if not result.ok:
        record.result["changes"] = _changes(result)
        record.result["changed_since_check"] = True
    record.status = PupilImport.Status.APPLIED if result.ok else PupilImport.Status.REJECTED
    record.content = b""
    record.save(update_fields=["result", "status", "content"])
