from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from sencohub.core.audit import pupil_history
from sencohub.core.navigation import school_context
from sencohub.pupils.forms import ImportForm
from sencohub.pupils.importing import COLUMNS
from sencohub.pupils.models import PupilImport
from sencohub.pupils.selectors import pupil_for_user
from sencohub.pupils.tasks import import_apply, import_check
from sencohub.register.models import Concern, Need, SenStatus
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, user_can


@login_required
def pupil(request, urn, upn):
    school = school_for_user(request.user, urn, Action.VIEW_REGISTER)
    pupil = pupil_for_user(request.user, school, upn)
    statuses = list(SenStatus.objects.filter(pupil=pupil).select_related("recorded_by"))
    concerns = list(Concern.objects.filter(pupil=pupil).select_related("raised_by", "triaged_by"))
    timeline = sorted(
        [("status", s.start_date, s) for s in statuses] + [("concern", c.raised_at.date(), c) for c in concerns],
        key=lambda item: item[1],
        reverse=True,
    )
    context = school_context(
        request, school, "register", pupil=pupil,
        needs=list(Need.objects.filter(pupil=pupil).order_by("rank")),
        current_status=next((s for s in statuses if s.end_date is None), None),
        timeline=timeline,
        can_edit=user_can(request.user, Action.EDIT_REGISTER, school),
        can_raise=user_can(request.user, Action.RAISE_CONCERN, school),
        can_history=user_can(request.user, Action.VIEW_HISTORY, school),
        can_ehc=user_can(request.user, Action.VIEW_EHC, school),
        can_support=user_can(request.user, Action.VIEW_SUPPORT, school),
        parent_carers=list(pupil.parent_carers.all()) if user_can(request.user, Action.EDIT_REGISTER, school) else [],
    )  # fmt: skip
    return render(request, "pupils/pupil.html", context)


@login_required
def pupil_history_view(request, urn, upn):
    school = school_for_user(request.user, urn, Action.VIEW_HISTORY)
    pupil = pupil_for_user(request.user, school, upn, action=Action.VIEW_HISTORY)
    entries = list(pupil_history(pupil)[:500])
    context = school_context(request, school, "register", pupil=pupil, entries=entries)
    return render(request, "pupils/history.html", context)


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
        import_check.enqueue(record.pk)
        return redirect("pupils_import_preview", school.urn, record.pk)
    recent = PupilImport.objects.filter(school=school).select_related("uploaded_by")[:10]
    context = school_context(request, school, "import", form=form, columns=COLUMNS, recent=recent)
    return render(request, "pupils/import_upload.html", context)


def _import_for(request, school, import_id) -> PupilImport:
    record = PupilImport.objects.filter(school=school, pk=import_id).select_related("uploaded_by").first()
    if record is None:
        raise Http404
    return record


@login_required
def import_preview(request, urn, import_id):
    """The import's own page: its progress while a task works on it, then what will change or what did."""
    school = school_for_user(request.user, urn, Action.IMPORT_PUPILS)
    record = _import_for(request, school, import_id)
    if request.htmx and request.htmx.target == "import-progress":
        if not record.in_progress:
            return HttpResponseClientRefresh()
        return render(request, "pupils/import_preview.html#progress", {"school": school, "record": record})
    changes = record.result.get("changes", [])
    context = school_context(
        request, school, "import", record=record, errors=record.result.get("errors", []),
        created=[c for c in changes if c["kind"] == "created"], updated=[c for c in changes if c["kind"] == "updated"],
    )  # fmt: skip
    return render(request, "pupils/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request, urn, import_id):
    school = school_for_user(request.user, urn, Action.IMPORT_PUPILS)
    record = _import_for(request, school, import_id)
    if "cancel" in request.POST:
        cancelled = PupilImport.objects.filter(pk=record.pk, status=PupilImport.Status.CHECKED).update(
            status=PupilImport.Status.CANCELLED, content=b""
        )
        if cancelled:
            messages.info(request, "The import was cancelled: nothing has changed.")
        else:
            messages.error(request, "This file has already been dealt with; upload it again to import it.")
        return redirect("pupils_import", school.urn)
    # One confirmation only, even if the button is pressed twice or in two tabs.
    started = PupilImport.objects.filter(pk=record.pk, status=PupilImport.Status.CHECKED).update(
        status=PupilImport.Status.APPLYING, progress_stage="", progress_done=0, progress_total=0
    )
    if not started:
        messages.error(request, "This file has already been dealt with; upload it again to import it.")
        return redirect("pupils_import", school.urn)
    import_apply.enqueue(record.pk, request.user.pk)
    return redirect("pupils_import_preview", school.urn, record.pk)
