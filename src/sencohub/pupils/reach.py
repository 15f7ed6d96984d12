"""The pupils a membership reaches through the school itself: declared here, where the pupil and their parent
carers live, and registered with `schools.reach` in `PupilsConfig.ready`. Other apps declare the reaches they own
(`provision`: the groups a person runs; `ehcp`: the LA officer's cases)."""

from django.db.models import Q

from sencohub.schools.models import Membership, Role
from sencohub.schools.reach import reach_register

WHOLE_SCHOOL_ROLES = (Role.SENCO, Role.DEPUTY_SENCO, Role.SEND_ADMIN, Role.HEAD)
CLASS_ROLES = (Role.TEACHER, Role.TEACHING_ASSISTANT)


def pupils_of_school(membership: Membership) -> Q:
    return Q(school_id=membership.school_id)


def pupils_of_class_groups(membership: Membership) -> Q:
    """Pupils in a class group the teacher or teaching assistant is linked to, in their school."""
    return Q(school_id=membership.school_id, class_group__memberships=membership)


def pupils_of_trust(membership: Membership) -> Q:
    return Q(school__trust_id=membership.trust_id)


def own_children(membership: Membership) -> Q:
    """A parent carer's own children: linked to their account, in the school where they hold the parent role."""
    return Q(school_id=membership.school_id, parent_carers__user=membership.user_id)


def reaches_register() -> None:
    for role in WHOLE_SCHOOL_ROLES:
        reach_register(role, pupils=pupils_of_school)
    for role in CLASS_ROLES:
        reach_register(role, pupils=pupils_of_class_groups)
    reach_register(Role.TRUST_SEND_LEAD, pupils=pupils_of_trust)
    reach_register(Role.PARENT, pupils=own_children)
