"""The MIS import's pages: upload a file, follow its check, confirm or cancel it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.kernel.background import progress_poll
from sencohub.pupils.models import PupilImport, year_group_label
from sencohub.register.mis.columns import COLUMN_NAMES, COLUMNS
from sencohub.register.mis.forms import ConfirmImportForm, ImportForm
from sencohub.register.mis.tasks import import_apply, import_check, import_watch
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user
from sencohub.statutory import census


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, urn):
    school = school_for_user(request.user, urn, Action.IMPORT_PUPILS)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = PupilImport.objects.create(
            school=school, uploaded_by=request.user, filename=upload.name[:255], content=upload.read()
        )
        _queue_check(record)
        return redirect("pupils_import_preview", school.urn, record.pk)
    recent = list(PupilImport.objects.filter(school=school).select_related("uploaded_by")[:10])
    for record in recent:
        import_watch(record)  # so that one whose worker stopped shows as stopped here too
    context = school_context(request, school, "import", form=form, columns=COLUMNS, recent=recent)
    return render(request, "pupils/import_upload.html", context)


def _queue_check(record: PupilImport) -> None:
    result = import_check.enqueue(record.pk)
    PupilImport.objects.filter(pk=record.pk).update(task_id=str(result.id))


def _move_on(record: PupilImport, was: str, to: str, **also) -> bool:
    """Move the import from `was` to `to` with its progress cleared; False if it was no longer `was`.

    One conditional update, so of two presses of the button (or two tabs) only one moves it on."""
    moved = PupilImport.objects.filter(pk=record.pk, status=was).update(
        status=to, progress_stage="", progress_done=0, progress_total=0, progress_at=None, **also
    )
    return bool(moved)


def _import_for(request, school, import_id) -> PupilImport:
    record = PupilImport.objects.filter(school=school, pk=import_id).select_related("uploaded_by").first()
    if record is None:
        raise Http404
    return record


def _confirm_form(record: PupilImport, data=None) -> ConfirmImportForm:
    return ConfirmImportForm(
        data,
        leaving=bool(record.result.get("leaving_register")),
        missing=bool(record.result.get("not_in_file")),
        today=timezone.localdate(),
    )


def _named(column: str, headers: dict[str, str]) -> str:
    """A column as the file's own header spells it ("Legal Surname"); ours for one the file does not have."""
    return headers.get(column) or COLUMN_NAMES.get(column, column)


def _recorded_as(new: dict[str, str]) -> dict[str, str]:
    provision = new.get("sen_provision", "")
    need = census.SEN_TYPES.get(new.get("primary_need", ""))
    return {
        "year_group": year_group_label(new.get("year_group", "")),
        "class": new.get("class", ""),
        "sen_provision": census.PROVISIONS.get(provision, provision) + (f" ({need.code})" if need else ""),
    }


def _preview(request, school, record, form=None, status=200, worker=""):
    # Columns by the file's own headers, as the person who exported it knows them.
    headers = record.result.get("headers", {})
    changes = [
        {
            **c,
            "changes": {_named(k, headers): v for k, v in c.get("changes", {}).items()},
            "new": _recorded_as(c.get("new", {})),
        }
        for c in record.result.get("changes", [])
    ]
    errors = [
        {**e, "column": _named(e.get("column") or "", headers) if e.get("column") else ""}
        for e in record.result.get("errors", [])
    ]
    leaving = record.result.get("leaving_register", [])
    context = school_context(
        request,
        school,
        "import",
        record=record,
        errors=errors,
        created=[c for c in changes if c["kind"] == "created"],
        updated=[c for c in changes if c["kind"] == "updated"],
        leaving=leaving,
        leaving_register=[e for e in leaving if e.get("leaves_register")],
        not_in_file=record.result.get("not_in_file", []),
        form=form or (_confirm_form(record) if record.status == PupilImport.Status.CHECKED else None),
        worker=worker,
    )
    return render(request, "pupils/import_preview.html", context, status=status)


@login_required
def import_preview(request, urn, import_id):
    """The import's own page: its progress while a task works on it, then what will change or what did."""
    school = school_for_user(request.user, urn, Action.IMPORT_PUPILS)
    record = _import_for(request, school, import_id)
    worker = import_watch(record)
    context = {"school": school, "record": record, "worker": worker}
    polled = progress_poll(
        request,
        target="import-progress",
        running=record.in_progress,
        template="pupils/import_preview.html",
        context=context,
    )
    return polled or _preview(request, school, record, worker=worker)


MESSAGE_DEALT_WITH = "This file has already been dealt with; upload it again to import it."


@login_required
@require_POST
def import_confirm(request, urn, import_id):
    school = school_for_user(request.user, urn, Action.IMPORT_PUPILS)
    record = _import_for(request, school, import_id)
    import_watch(record)
    if "cancel" in request.POST:
        # A checked file, or one whose task was interrupted, can be cancelled: its content goes with it.
        cancelled = PupilImport.objects.filter(
            pk=record.pk, status__in=[PupilImport.Status.CHECKED, PupilImport.Status.INTERRUPTED]
        ).update(status=PupilImport.Status.CANCELLED, content=b"")
        if cancelled:
            messages.info(
                request, "The import was cancelled: nothing has changed and the file has been deleted."
            )
        else:
            messages.error(request, MESSAGE_DEALT_WITH)
        return redirect("pupils_import", school.urn)
    if "retry" in request.POST:
        # Check an interrupted file again from the start (nothing was changed by the interrupted task).
        retried = _move_on(record, PupilImport.Status.INTERRUPTED, PupilImport.Status.CHECKING, result={})
        if not retried:
            messages.error(request, MESSAGE_DEALT_WITH)
            return redirect("pupils_import", school.urn)
        _queue_check(record)
        return redirect("pupils_import_preview", school.urn, record.pk)
    if record.status != PupilImport.Status.CHECKED:
        messages.error(request, MESSAGE_DEALT_WITH)
        return redirect("pupils_import", school.urn)
    form = _confirm_form(record, request.POST)
    if not form.is_valid():
        return _preview(request, school, record, form=form, status=400)
    # One confirmation only, even if the button is pressed twice or in two tabs.
    started = _move_on(record, PupilImport.Status.CHECKED, PupilImport.Status.APPLYING)
    if not started:
        messages.error(request, MESSAGE_DEALT_WITH)
        return redirect("pupils_import", school.urn)
    confirmed = (
        [e["upn"] for e in record.result.get("leaving_register", [])]
        if form.cleaned_data.get("confirm_leaving")
        else []
    )
    left_on = form.cleaned_data.get("left_on") if form.cleaned_data.get("record_leavers") else None
    result = import_apply.enqueue(
        record.pk, request.user.pk, confirmed, left_on.isoformat() if left_on else None
    )
    PupilImport.objects.filter(pk=record.pk, status=PupilImport.Status.APPLYING).update(
        task_id=str(result.id)
    )
    return redirect("pupils_import_preview", school.urn, record.pk)
