"""Which EHC records a person sees, on top of which pupils they see (`pupils.selectors`)."""

from django.db.models import Q

from sencohub.schools.models import Role
from sencohub.schools.permissions import Action, role_allows
from sencohub.schools.selectors import memberships_for_user, roles_in_school


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
