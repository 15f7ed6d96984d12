"""Which schools a person reaches, and in which roles. Everything that scopes data starts here.

A membership reaches its own school (a trust SEND lead's, every school of the trust), and the schools its role's
declared reaches add (`schools/reach.py`: an LA officer's are declared by `ehcp`)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from sencohub.schools.models import Membership, School
from sencohub.schools.permissions import Action, role_allows
from sencohub.schools.reach import any_of, reaches_of

_CACHE_ATTR = "_sencohub_memberships"
_REACHED_SCHOOLS_ATTR = "_sencohub_reached_schools"


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
    for attr in (_CACHE_ATTR, _REACHED_SCHOOLS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def _school_q(membership: Membership, area: bool = False) -> Q:
    if area and membership.local_authority_id:
        # Figures about a school's staff, not its pupils (the SENCo workforce): the LA's whole area.
        return Q(local_authority_id=membership.local_authority_id, shares_with_local_authority=True)
    # Its own school (a trust's, every school of the trust), and any its declared reaches add (an LA officer's:
    # the schools holding EHC cases the LA maintains).
    qs = [reach.schools(membership) for reach in reaches_of(membership) if reach.schools]
    if membership.school_id:
        qs.insert(0, Q(pk=membership.school_id))
    elif membership.trust_id:
        qs.insert(0, Q(trust_id=membership.trust_id))
    return any_of(qs)


def schools_for_user(user, action: Action | None = None, *, area: bool = False) -> QuerySet[School]:
    """Schools where at least one of the person's roles allows `action` (any role when None).

    With `area`, an LA officer reaches every school in the LA's area that shares with it, not only those
    holding EHC cases the LA maintains: for figures about staff rather than pupils.
    """
    q = Q(pk__in=[])
    for membership in memberships_for_user(user):
        if action is None or role_allows(membership.role, action):
            q |= _school_q(membership, area)
    return School.objects.filter(q).select_related("trust", "local_authority").distinct()


def school_for_user(user, urn: str, action: Action, *, area: bool = False) -> School:
    """The school with this URN if one of the person's roles there allows `action`; 404 otherwise."""
    school = schools_for_user(user, action, area=area).filter(urn=urn).first()
    if school is None:
        raise Http404("No such school")
    return school


def _reached_school_ids(user, membership: Membership) -> set[int]:
    """Schools a membership's declared reaches add (an LA officer's); looked up once per request."""
    reached = [reach.schools(membership) for reach in reaches_of(membership) if reach.schools]
    if not reached:
        return set()
    cache = getattr(user, _REACHED_SCHOOLS_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _REACHED_SCHOOLS_ATTR, cache)
    if membership.pk not in cache:
        cache[membership.pk] = set(School.objects.filter(any_of(reached)).values_list("pk", flat=True))
    return cache[membership.pk]


def reads_register_somewhere(user) -> bool:
    """Whether any of the person's roles, in any school, trust or LA, reads the SEN register: the staff the API
    serves (and so the staff the header offers the API tokens page)."""
    return any(role_allows(m.role, Action.VIEW_REGISTER) for m in memberships_for_user(user))


def roles_in_school(user, school: School) -> set[str]:
    roles = set()
    for membership in memberships_for_user(user):
        if (
            membership.school_id == school.pk
            or (membership.trust_id and membership.trust_id == school.trust_id)
            or school.pk in _reached_school_ids(user, membership)
        ):
            roles.add(membership.role)
    return roles


def user_can(user, action: Action, school: School) -> bool:
    return any(role_allows(role, action) for role in roles_in_school(user, school))
