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
    for attr in (_CACHE_ATTR, "_sencohub_la_schools"):
        if hasattr(user, attr):
            delattr(user, attr)


def _school_q(membership: Membership, area: bool = False) -> Q:
    if membership.role == Role.TRUST_SEND_LEAD:
        return Q(trust_id=membership.trust_id)
    if membership.role == Role.LA_OFFICER:
        la = membership.local_authority_id
        if area:
            # Figures about a school's staff, not its pupils (the SENCo workforce): the LA's whole area.
            return Q(local_authority_id=la, shares_with_local_authority=True)
        # Schools that share with LAs, holding pupils whose EHC work this LA maintains.
        return Q(shares_with_local_authority=True) & Q(
            pk__in=School.objects.filter(
                Q(ehc_plans__local_authority_id=la) | Q(assessment_requests__local_authority_id=la)
            ).values("pk")
        )
    return Q(pk=membership.school_id)


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


def _la_school_ids(user, membership: Membership) -> set[int]:
    """Schools holding EHC work the officer's LA maintains; looked up once per request."""
    cache = getattr(user, "_sencohub_la_schools", None)
    if cache is None:
        cache = {}
        user._sencohub_la_schools = cache
    la = membership.local_authority_id
    if la not in cache:
        cache[la] = set(School.objects.filter(_school_q(membership)).values_list("pk", flat=True))
    return cache[la]


def roles_in_school(user, school: School) -> set[str]:
    roles = set()
    for membership in memberships_for_user(user):
        if membership.school_id == school.pk:
            roles.add(membership.role)
        elif (
            membership.role == Role.TRUST_SEND_LEAD
            and membership.trust_id
            and membership.trust_id == school.trust_id
        ):
            roles.add(membership.role)
        elif (
            membership.role == Role.LA_OFFICER
            and school.shares_with_local_authority
            and school.pk in _la_school_ids(user, membership)
        ):
            roles.add(membership.role)
    return roles


def user_can(user, action: Action, school: School) -> bool:
    return any(role_allows(role, action) for role in roles_in_school(user, school))
