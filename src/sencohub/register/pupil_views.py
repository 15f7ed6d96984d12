"""The pupil's page: their SEN status, needs, concerns and parent carers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sencohub.pupils.selectors import pupil_for_user
from sencohub.register.models import Need, SenStatus
from sencohub.register.selectors import concerns_about_pupil
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, user_can


@login_required
def pupil(request, urn, upn):
    school = school_for_user(request.user, urn, Action.VIEW_REGISTER)
    pupil = pupil_for_user(request.user, school, upn)
    statuses = list(SenStatus.objects.filter(pupil=pupil).select_related("recorded_by"))
    concerns = list(concerns_about_pupil(user=request.user, pupil=pupil))
    timeline = sorted(
        [("status", s.start_date, s) for s in statuses]
        + [("concern", c.raised_at.date(), c) for c in concerns],
        key=lambda item: item[1],
        reverse=True,
    )
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        needs=list(Need.objects.filter(pupil=pupil).order_by("rank")),
        current_status=next((s for s in statuses if s.end_date is None), None),
        timeline=timeline,
        can_edit=user_can(request.user, Action.EDIT_REGISTER, school),
        can_raise=user_can(request.user, Action.RAISE_CONCERN, school),
        can_history=user_can(request.user, Action.VIEW_HISTORY, school),
        can_ehc=user_can(request.user, Action.VIEW_EHC, school),
        can_support=user_can(request.user, Action.VIEW_SUPPORT, school),
        parent_carers=list(pupil.parent_carers.all())
        if user_can(request.user, Action.EDIT_REGISTER, school)
        else [],
    )
    return render(request, "pupils/pupil.html", context)
