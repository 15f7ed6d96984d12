"""Bulk printing: every current plan or passport for a year group or class, in one file.

Used by the background task behind the print page and by `sencohub export plans` (one file per pupil).
The pupils are those the requesting person may see, so a bulk print never reaches further than the pages.
"""

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from sencohub.documents.rendering import TemplateProblem
from sencohub.documents.services import MESSAGE_TEMPLATE_UNUSABLE, usable_template
from sencohub.kernel.background import STOPPED, task_mark_failed, task_watch
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.permissions import Action
from sencohub.support.documents import (
    PUPIL_PASSPORT,
    SUPPORT_PLAN,
    bundle_docx,
    bundle_pdf,
    passport_context,
    plan_context,
)
from sencohub.support.models import Passport, PrintJob, SupportPlan

logger = logging.getLogger(__name__)


def _narrowed(found, *, year_group: str, class_group, pupils):
    """`found` (records of pupils) kept to the pupils, year group and class asked for, where asked."""
    if pupils is not None:
        found = found.filter(pupil__in=pupils)
    if year_group:
        found = found.filter(pupil__year_group=year_group)
    if class_group is not None:
        found = found.filter(pupil__class_group=class_group)
    return found


def current_plans(school, *, year_group: str = "", class_group=None, pupils=None):
    plans = (
        SupportPlan.objects.filter(school=school, status=SupportPlan.Status.CURRENT)
        .select_related("pupil__school", "pupil__class_group")
        .prefetch_related("outcomes__evidence__by", "strategies", "provisions", "pupil__needs")
        .order_by("pupil__year_group", "pupil__class_group__name", "pupil__surname", "pupil__forename")
    )
    return _narrowed(plans, year_group=year_group, class_group=class_group, pupils=pupils)


def current_passports(school, *, year_group: str = "", class_group=None, pupils=None):
    latest = {}
    found = (
        Passport.objects.filter(pupil__school=school)
        .select_related("pupil__school")
        .prefetch_related("pupil__needs")
    )
    found = _narrowed(found, year_group=year_group, class_group=class_group, pupils=pupils)
    for passport in found.order_by("pupil__surname", "pupil__forename", "-version"):
        latest.setdefault(passport.pupil_id, passport)
    return list(latest.values())


def contexts_for(what: str, school, **filters) -> tuple[object, list[tuple[str, dict]]]:
    if what == PrintJob.What.PASSPORTS:
        return PUPIL_PASSPORT, [
            (p.pupil.upn, passport_context(p)) for p in current_passports(school, **filters)
        ]
    return SUPPORT_PLAN, [(p.pupil.upn, plan_context(p)) for p in current_plans(school, **filters)]


MESSAGE_STOPPED = (
    "The background worker stopped while making this file (it may have been restarted). Try again."
)


def print_job_watch(job: PrintJob) -> str:
    """How a print in progress stands ("waiting", "no_worker", "working"); one whose worker died is marked failed."""
    if not job.in_progress:
        return ""
    state = task_watch(job.task_id, signs_of_life=[job.progress_at], since=job.created_at)
    if state != STOPPED:
        return state
    if PrintJob.objects.filter(pk=job.pk, status=job.status).update(
        status=PrintJob.Status.FAILED, message=MESSAGE_STOPPED
    ):
        logger.warning("Print job %s: its task %s stopped", job.pk, job.task_id)
        task_mark_failed(job.task_id, found_by="the print watch")
    job.status, job.message = PrintJob.Status.FAILED, MESSAGE_STOPPED
    return ""


@task()
def print_bundle(job_id: int) -> None:
    job = PrintJob.objects.select_related("school", "class_group", "requested_by").get(pk=job_id)
    if job.status != PrintJob.Status.WAITING:
        return
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.RUNNING, progress_at=timezone.now())
    try:
        user = job.requested_by or get_user_model()()
        pupils = pupils_for_user(user, action=Action.VIEW_SUPPORT).filter(school=job.school)
        kind, items = contexts_for(
            job.what, job.school, year_group=job.year_group, class_group=job.class_group, pupils=pupils
        )
        PrintJob.objects.filter(pk=job.pk).update(total=len(items), progress_at=timezone.now())

        def progress(done, total):
            PrintJob.objects.filter(pk=job.pk).update(done=done, total=total, progress_at=timezone.now())

        if job.fmt == "pdf":
            body = bundle_pdf(kind, [context for _, context in items], progress=progress)
        else:
            body = bundle_docx(usable_template(job.school, kind), items, progress=progress)
        scope = (
            f"year-{job.year_group}"
            if job.year_group
            else (f"class-{job.class_group.name}" if job.class_group else "all")
        )
        extension = "pdf" if job.fmt == "pdf" else "zip"
        pupil_ids = sorted(pupils.filter(upn__in=[upn for upn, _ in items]).values_list("pk", flat=True))
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJob.Status.DONE,
            result=body,
            done=len(items),
            pupil_ids=pupil_ids,
            filename=f"{job.what}-{scope}-{timezone.localdate().isoformat()}.{extension}",
            message="" if items else "There was nothing to print for that choice.",
        )
    except (
        TemplateProblem
    ) as problem:  # the school's own Word template, not a fault in sencohub: say why, and stop
        logger.warning("Print job %s: the school's Word template cannot be used: %s", job.pk, problem)
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJob.Status.FAILED,
            message=(
                f"{MESSAGE_TEMPLATE_UNUSABLE.format(title=kind.title.lower())} A SENCo or "
                f"SEND administrator can upload a corrected one, or go back to the standard one. {problem}"
            )[:300],
        )
    except Exception:
        logger.exception("Print job %s failed", job.pk)
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJob.Status.FAILED,
            message="Something went wrong making the file. Try again, or choose fewer pupils.",
        )
        raise
