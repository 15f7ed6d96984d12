"""Whether a background task is still alive, for pages that show its progress.

A worker can be killed mid-task (a restart, a machine running out of memory). The task then never finishes,
so nothing marks the record it was working on: a page asking `task_watch` learns that its progress has
stopped moving and can say so, and `task_mark_failed` marks the queue's record of it failed so that it is
not left "running" for ever.
"""

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends

# A task writes its progress at least every few seconds while it works; silence this long means its worker
# has gone.
STALLED_AFTER = dt.timedelta(minutes=2)
# Waiting this long for a worker to pick a task up means no worker is running.
NO_WORKER_AFTER = dt.timedelta(seconds=30)

WAITING, NO_WORKER, WORKING, STOPPED = "waiting", "no_worker", "working", "stopped"


def task_result(task_id: str):
    """The queue's record of a task, or None where the backend keeps none (the tests' immediate backend)."""
    if not task_id:
        return None
    try:
        return task_backends[DEFAULT_TASK_BACKEND_ALIAS].get_result(task_id)
    except Exception:  # a backend that keeps no results (the immediate one), or a result it no longer holds
        return None


def task_watch(
    task_id: str, *, signs_of_life: list, since: dt.datetime, now: dt.datetime | None = None
) -> str:
    """WAITING or NO_WORKER before a worker has taken the task, WORKING while it shows signs of life, else STOPPED.

    `signs_of_life` are the times the task last wrote its progress (None where it has not); `since` is when
    the work was asked for.
    """
    now = now or timezone.now()
    result = task_result(task_id)
    if result is not None and result.status == TaskResultStatus.READY:
        return NO_WORKER if now - result.enqueued_at > NO_WORKER_AFTER else WAITING
    seen = [t for t in (*signs_of_life, getattr(result, "started_at", None)) if t is not None]
    last = max(seen) if seen else since
    finished = result is not None and result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    if not finished and now - last < STALLED_AFTER:
        return WORKING if seen or result is not None else WAITING
    return STOPPED


def task_mark_failed(task_id: str, *, found_by: str) -> None:
    """Mark the queue's record of a task whose worker stopped as failed (the database backend only)."""
    from django_tasks_db import DatabaseBackend

    if not task_id or not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="builtins.SystemExit",
        traceback=f"The worker stopped while running this task (found by {found_by}).",
    )


def progress_poll(request, *, target: str, running: bool, template: str, context: dict):
    """The answer to a page's HTMX poll of a long job (`target` is the element polling): the job's progress
    (the `progress` partial of `template`) while it runs, then a refresh of the whole page once it has stopped.
    None for any other request, which draws the whole page as usual."""
    if not (request.htmx and request.htmx.target == target):
        return None
    if not running:
        return HttpResponseClientRefresh()
    return render(request, f"{template}#progress", context)
