"""The one gateway for pupil data: every view and API call asks for pupils through these functions.

Access follows the relationship, not the pupil's SEN status. Each app that owns a relationship between a person
and a pupil declares it as a reach in its `AppConfig.ready` (`schools/reach.py`): `pupils` the whole-school roles
(the school's pupils), teachers and teaching assistants (their class groups'), the trust SEND lead (the trust's)
and the parent carer (their own children, on the family pages only: `children_for_user`); `provision` the groups
a person runs; `ehcp` the LA officer's cases. A person sees the pupils their memberships reach in the roles the
role table (`schools/permissions.py`) allows the action for: governors, parent carers, external professionals
and system administrators see no pupil through `pupils_for_user`.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from sencohub.kernel.audit import pupils_read
from sencohub.pupils.models import Pupil
from sencohub.schools.models import Membership, Role
from sencohub.schools.permissions import Action, role_allows
from sencohub.schools.reach import any_of, reaches_of
from sencohub.schools.selectors import memberships_for_user, school_for_user


def _pupil_q(memberships) -> Q:
    """The pupils these memberships reach, by the reaches their roles declare (`schools.reach`)."""
    return any_of([reach.pupils(m) for m in memberships for reach in reaches_of(m)])


def _memberships_allowing(user, action: Action) -> list[Membership]:
    return [m for m in memberships_for_user(user) if role_allows(m.role, action)]


def children_for_user(user) -> QuerySet[Pupil]:
    """A parent carer's own children: linked to their account, in a school where they hold the parent role."""
    parent = [m for m in memberships_for_user(user) if m.role == Role.PARENT]
    return Pupil.objects.filter(_pupil_q(parent)).distinct()


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
    q = _pupil_q(_memberships_allowing(user, action))
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
