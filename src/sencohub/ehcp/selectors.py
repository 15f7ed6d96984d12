"""Which EHC records a person sees, on top of which pupils they see (`pupils.selectors`)."""

from django.db.models import Q
from django.http import Http404

from sencohub.ehcp import milestones
from sencohub.ehcp.models import AssessmentRequest, EhcPlan
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.models import Role
from sencohub.schools.permissions import Action, role_allows
from sencohub.schools.selectors import memberships_for_user, roles_in_school
from sencohub.statutory import census


def limited_to_authorities(user, school) -> list[int] | None:
    """None when the person sees all of a school's EHC records; an LA officer's authorities otherwise."""
    roles = roles_in_school(user, school)
    if any(role_allows(r, Action.VIEW_EHC) for r in roles if r != Role.LA_OFFICER):
        return None
    return [m.local_authority_id for m in memberships_for_user(user) if m.role == Role.LA_OFFICER]


def ehc_scope(user, school) -> Q:
    """All of a school's EHC records for its staff and trust; for an LA officer only those their LA maintains."""
    authorities = limited_to_authorities(user, school)
    return Q() if authorities is None else Q(local_authority_id__in=authorities)


def assessment_request_for_user(user, school, pupil, request_id) -> AssessmentRequest:
    """The pupil's request for an EHC needs assessment, if the person sees it; 404 for anyone else."""
    record = milestones.request_queryset().filter(ehc_scope(user, school), pupil=pupil, pk=request_id).first()
    if record is None:
        raise Http404
    return record


PLAN_NOT_RECORDED = "EHC plan not recorded: annual review date unknown"


def plans_not_recorded(user, schools, *, action: Action = Action.VIEW_COMPLIANCE):
    """Pupils the person sees in `schools`, recorded as E (EHC plan) with no current EHC plan record.

    sencohub works out every annual review date from the plan, so such a pupil has no statutory date at all: they
    would fall through the deadlines pages and the digest unless flagged."""
    current = EhcPlan.objects.filter(ceased_on__isnull=True).values("pupil_id")
    return (
        pupils_for_user(user, action=action)
        .filter(school__in=schools, sen_provision=census.EHC_PLAN)
        .exclude(pk__in=current)
        .select_related("school")
        .order_by("school__name", "surname", "forename", "upn")
    )


def current_plans_of(pupil_ids) -> dict[int, str]:
    """Each of these pupils with a current EHC plan, with the plan as a person names it ("issued 3 March 2025 by
    Leeds"): the register asks here before moving a pupil off E (`register.services.current_ehc_plans`)."""
    plans = EhcPlan.objects.filter(pupil_id__in=pupil_ids, ceased_on__isnull=True)
    return {
        pupil_id: f"issued {issued:%-d %B %Y} by {authority}"
        for pupil_id, issued, authority in plans.values_list("pupil_id", "issued_on", "local_authority__name")
    }
