"""Background tasks for browser imports: check a file, then apply it, writing progress as they go.

Run by the worker (`sencohub db_worker`, started by `make demo`); in tests the immediate backend runs
them inside the request. Either way a failure leaves the import marked failed and the register as it was.

A worker can also be killed mid-task (a restart, a machine running out of memory). The task then never
finishes, so nothing would ever mark the import: `import_watch` notices that its progress has stopped
moving and marks it interrupted (and the queue's record of the task failed), so the person can retry or
cancel. It runs whenever the import's page is looked at and when any import task starts.
"""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from sencohub.kernel.background import STOPPED, task_mark_failed, task_watch
from sencohub.pupils.models import PupilImport
from sencohub.register.mis.applying import pupils_import
from sencohub.register.mis.checking import STAGE_CHECKING, ImportResult

logger = logging.getLogger(__name__)

MESSAGE_FAILED = (
    "Something went wrong while {doing} this file, so nothing has changed. "
    "Try again; if it happens again, tell your sencohub administrator the time it happened."
)
MESSAGE_INTERRUPTED = (
    "The background worker stopped while {doing} this file (it may have been restarted), so nothing has "
    "changed. Try again, or cancel to delete the file."
)
# An import writes its progress every 250 rows, and before and after saving (about 10 seconds for 20,000
# rows), well inside the watch's STALLED_AFTER.


def _progress_writer(import_id: int):
    def write(stage: str, done: int, total: int) -> None:
        PupilImport.objects.filter(pk=import_id).update(
            progress_stage=stage, progress_done=done, progress_total=total, progress_at=timezone.now()
        )

    return write


def _changes(result: ImportResult) -> list[dict]:
    return [
        {"line": c.line, "upn": c.upn, "name": c.name, "kind": c.kind, "changes": c.changes, "new": c.new}
        for c in result.changes
    ]


def _fail(record: PupilImport, doing: str) -> None:
    logger.exception("Import %s failed while %s", record.pk, doing)
    record.status = PupilImport.Status.FAILED
    record.content = b""
    record.result = {**record.result, "failure": MESSAGE_FAILED.format(doing=doing), "failed_while": doing}
    record.save(update_fields=["status", "content", "result"])


def import_watch(record: PupilImport, *, now: dt.datetime | None = None) -> str:
    """How an import in progress stands: "working", "waiting" (for a worker), "no_worker" or "interrupted".

    An import whose task has stopped without finishing is marked interrupted here, keeping its file so that
    the person can retry; the queue's record of the task is marked failed.
    """
    if not record.in_progress:
        return ""
    state = task_watch(record.task_id, signs_of_life=[record.progress_at], since=record.uploaded_at, now=now)
    if state != STOPPED:
        return state
    doing = "importing" if record.status == PupilImport.Status.APPLYING else "checking"
    stopped = PupilImport.objects.filter(pk=record.pk, status=record.status).update(
        status=PupilImport.Status.INTERRUPTED,
        result={**record.result, "failure": MESSAGE_INTERRUPTED.format(doing=doing), "failed_while": doing},
    )
    if stopped:
        logger.warning("Import %s: its task %s stopped while %s", record.pk, record.task_id, doing)
        task_mark_failed(record.task_id, found_by="the import watch")
    record.refresh_from_db()
    return "interrupted"


def _watch_others(import_id: int) -> None:
    for other in PupilImport.objects.filter(status__in=PupilImport.IN_PROGRESS).exclude(pk=import_id):
        import_watch(other)


@task()
def import_check(import_id: int) -> None:
    """Check every row of an uploaded file without changing anything (the preview)."""
    _watch_others(import_id)
    record = PupilImport.objects.select_related("school", "uploaded_by").get(pk=import_id)
    if record.status != PupilImport.Status.CHECKING:
        return
    write = _progress_writer(record.pk)
    write(STAGE_CHECKING, 0, 0)  # started: the page stops saying it is waiting for the worker
    try:
        result = pupils_import(
            school=record.school,
            filename=record.filename,
            content=bytes(record.content),
            dry_run=True,
            by=record.uploaded_by,
            progress=write,
        )
    except Exception:
        _fail(record, "checking")
        raise
    record.result = {**result.as_json(), "changes": _changes(result)}
    record.status = PupilImport.Status.CHECKED if result.ok else PupilImport.Status.REJECTED
    if not result.ok:
        record.content = b""  # the file holds pupil data: keep it no longer than needed
    record.save(update_fields=["result", "status", "content"])


@task()
def import_apply(
    import_id: int, user_id: int, confirmed_leaving: list[str] | None = None, left_on: str | None = None
) -> None:
    """Import a checked file, checking it again first: the register may have changed since the preview.

    `confirmed_leaving` are the UPNs of pupils the person confirmed may leave the SEN register or lose needs;
    `left_on` (ISO date), if given, records the pupils on roll but not in the file as having left that day.
    """
    _watch_others(import_id)
    record = PupilImport.objects.select_related("school").get(pk=import_id)
    if record.status != PupilImport.Status.APPLYING:
        return
    user = get_user_model().objects.filter(pk=user_id).first()
    write = _progress_writer(record.pk)
    write(STAGE_CHECKING, 0, 0)  # started: the page stops saying it is waiting for the worker
    try:
        result = pupils_import(
            school=record.school,
            filename=record.filename,
            content=bytes(record.content),
            by=user,
            progress=write,
            allow_leaving_register=set(confirmed_leaving or []),
            record_missing_as_left_on=dt.date.fromisoformat(left_on) if left_on else None,
        )
    except Exception:
        _fail(record, "importing")
        raise
    record.result = {**record.result, **result.as_json()}
    if result.needs_confirmation:
        record.result["errors"] = [
            {
                "line": e["line"],
                "column": "sen_provision",
                "message": "This pupil would now leave the SEN register "
                f"or lose needs ({e['name']}), which was not confirmed.",
                "upn": e["upn"],
                "name": e["name"],
            }
            for e in result.leaving_register
            if e["upn"] not in set(confirmed_leaving or [])
        ]
    if not result.ok:
        record.result["changes"] = _changes(result)
        record.result["changed_since_check"] = True
    record.status = PupilImport.Status.APPLIED if result.ok else PupilImport.Status.REJECTED
    record.content = b""
    record.save(update_fields=["result", "status", "content"])
