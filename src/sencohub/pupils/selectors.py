"""The one gateway for pupil data: every view and API call asks for pupils through these functions.

Access follows the relationship, not the pupil's SEN status: whole-school roles see the school's pupils,
teachers and teaching assistants the pupils of their class groups (and of the provision groups they run), a trust SEND lead the trust's pupils,
and a local-authority officer only pupils whose EHC plan or needs assessment request the LA maintains, in
schools that share with the LA (the school's own LA or not: pupils often come from several). Anyone else
(governors, parents, external professionals, system administrators) sees no pupil here.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.http import Http404

from sencohub.kernel.audit import pupils_read
from sencohub.pupils.models import Pupil
from sencohub.schools.models import Membership, Role
from sencohub.schools.permissions import Action, role_allows
from sencohub.schools.selectors import memberships_for_user, school_for_user

WHOLE_SCHOOL_ROLES = {Role.SENCO, Role.DEPUTY_SENCO, Role.SEND_ADMIN, Role.HEAD}
CLASS_ROLES = {Role.TEACHER, Role.TEACHING_ASSISTANT}

# Further reach of teachers and teaching assistants, declared by the app that owns the relationship (the provision
# app: the groups a person runs). Each takes a membership and returns the pupils it adds, as a Q on Pupil.
_CLASS_ROLE_REACH: list[Callable[[Membership], Q]] = []


def reach_register(reach: Callable[[Membership], Q]) -> None:
    """Let teachers and teaching assistants also reach the pupils `reach(membership)` selects, in their school."""
    if reach not in _CLASS_ROLE_REACH:
        _CLASS_ROLE_REACH.append(reach)


def _pupil_q(user, action: Action) -> Q:
    q = Q(pk__in=[])
    for m in memberships_for_user(user):
        if not role_allows(m.role, action):
            continue
        if m.role in WHOLE_SCHOOL_ROLES:
            q |= Q(school_id=m.school_id)
        elif m.role in CLASS_ROLES:
            q |= Q(school_id=m.school_id, class_group__memberships=m)
            for reach in _CLASS_ROLE_REACH:
                q |= Q(school_id=m.school_id) & reach(m)
        elif m.role == Role.TRUST_SEND_LEAD:
            q |= Q(school__trust_id=m.trust_id)
        elif m.role == Role.LA_OFFICER:
            q |= Q(school__shares_with_local_authority=True) & (
                Q(ehc_plans__local_authority_id=m.local_authority_id)
                | Q(assessment_requests__local_authority_id=m.local_authority_id)
            )
    return q


def children_for_user(user) -> QuerySet[Pupil]:
    """A parent carer's own children: linked to their account, in a school where they hold the parent role."""
    schools = [m.school_id for m in memberships_for_user(user) if m.role == Role.PARENT and m.school_id]
    return Pupil.objects.filter(school_id__in=schools, parent_carers__user=user).distinct()


def child_for_user(user, upn: str) -> Pupil:
    """One of the parent carer's children by UPN, or 404; each read is audited."""
    pupil = children_for_user(user).filter(upn=upn).select_related("school").first()
    if pupil is None:
        raise Http404("No such pupil")
    pupils_read([pupil], actor=user)
    return pupil


def pupils_for_user(
    user, *, action: Action = Action.VIEW_REGISTER, with_leavers: bool = False
) -> QuerySet[Pupil]:
    """Every pupil on roll the person may see for `action` (and leavers too if asked); empty without such a role."""
    q = _pupil_q(user, action)
    if not with_leavers:
        q &= Q(left_on__isnull=True)
    # A class role's join through memberships can repeat a pupil; filter on ids to keep one row each.
    return Pupil.objects.filter(pk__in=Pupil.objects.filter(q).values("pk"))


def pupil_for_user(user, school, upn: str, *, action: Action = Action.VIEW_REGISTER) -> Pupil:
    """One pupil by UPN within a school, or 404 for anyone who may not see them. Each read is audited.

    A pupil who has left is still found, so that their record and SEN history can be read.
    """
    pupil = (
        pupils_for_user(user, action=action, with_leavers=True)
        .filter(school=school, upn=upn)
        .select_related("school", "class_group")
        .first()
    )
    if pupil is None:
        raise Http404("No such pupil")
    pupils_read(
        [pupil], actor=user
    )  # within a request loading the row already did; a command's read is logged here
    return pupil


def school_and_pupil_for_user(user, urn: str, upn: str, action: Action):
    """The school by URN and a pupil in it by UPN, both for `action`, or 404; the read of the pupil is audited."""
    school = school_for_user(user, urn, action)
    return school, pupil_for_user(user, school, upn, action=action)
