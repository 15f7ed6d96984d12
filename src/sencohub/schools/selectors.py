"""Which schools a person reaches, and in which roles. Everything that scopes data starts here."""

from django.db.models import Q, QuerySet
from django.http import Http404

from sencohub.schools.models import Membership, Role, School
from sencohub.schools.permissions import Action, role_allows

_CACHE_ATTR = "_sencohub_memberships"


def memberships_for_user(user) -> list[Membership]:
    """The person's memberships, fetched once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("school", "trust", "local_authority")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _school_q(membership: Membership) -> Q:
    if membership.role == Role.TRUST_SEND_LEAD:
        return Q(trust_id=membership.trust_id)
    if membership.role == Role.LA_OFFICER:
        return Q(local_authority_id=membership.local_authority_id, shares_with_local_authority=True)
    return Q(pk=membership.school_id)


def schools_for_user(user, action: Action | None = None) -> QuerySet[School]:
    """Schools where at least one of the person's roles allows `action` (any role when None)."""
    q = Q(pk__in=[])
    for membership in memberships_for_user(user):
        if action is None or role_allows(membership.role, action):
            q |= _school_q(membership)
    return School.objects.filter(q).select_related("trust", "local_authority").distinct()


def school_for_user(user, urn: str, action: Action) -> School:
    """The school with this URN if one of the person's roles there allows `action`; 404 otherwise."""
    school = schools_for_user(user, action).filter(urn=urn).first()
    if school is None:
        raise Http404("No such school")
    return school


def roles_in_school(user, school: School) -> set[str]:
    roles = set()
    for membership in memberships_for_user(user):
        if membership.school_id == school.pk:
            roles.add(membership.role)
        elif membership.role == Role.TRUST_SEND_LEAD and membership.trust_id and membership.trust_id == school.trust_id:
            roles.add(membership.role)
        elif (
            membership.role == Role.LA_OFFICER
            and membership.local_authority_id == school.local_authority_id
            and school.shares_with_local_authority
        ):
            roles.add(membership.role)
    return roles


def user_can(user, action: Action, school: School) -> bool:
    return any(role_allows(role, action) for role in roles_in_school(user, school))
