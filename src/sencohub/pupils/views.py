"""The pupil's history of changes and views, and the pupils who have left the school."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from sencohub.kernel.audit import pupil_history, pupil_reads
from sencohub.pupils.selectors import pupil_for_user, pupils_for_user
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user

User = get_user_model()
HISTORY_PAGE = 100  # rows of changes, and of views (one a person a day), a page


@login_required
def pupil_history_view(request, urn, upn):
    school = school_for_user(request.user, urn, Action.VIEW_HISTORY)
    pupil = pupil_for_user(request.user, school, upn, action=Action.VIEW_HISTORY)
    changes = Paginator(pupil_history(pupil), HISTORY_PAGE).get_page(request.GET.get("page"))
    reads = Paginator(pupil_reads(pupil), HISTORY_PAGE).get_page(request.GET.get("views"))
    for entry in changes:  # in words, not column names: "SEN status: K – SEN support", "Added support plan"
        model = entry.content_type.model_class()
        entry.what = model._meta.verbose_name if model else entry.content_type.model
        entry.shown = entry.changes_display_dict if model else entry.changes_dict
    readers = {u.pk: u for u in User.objects.filter(pk__in={r["actor_id"] for r in reads if r["actor_id"]})}
    for row in reads:
        row["actor"] = readers.get(row["actor_id"])
    context = school_context(request, school, "register", pupil=pupil, changes=changes, reads=reads)
    return render(request, "pupils/history.html", context)


@login_required
def leavers(request, urn):
    """Pupils who have left the school (recorded by an import): off roll, but their records are kept."""
    school = school_for_user(request.user, urn, Action.VIEW_HISTORY)
    left = (
        pupils_for_user(request.user, action=Action.VIEW_HISTORY, with_leavers=True)
        .filter(school=school, left_on__isnull=False)
        .order_by("-left_on", "surname", "forename")[:1000]
    )
    context = school_context(request, school, "register", leavers=list(left))
    return render(request, "pupils/leavers.html", context)
