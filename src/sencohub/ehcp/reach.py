"""The LA officer's reach: the pupils whose EHC plan or needs assessment request their LA maintains, in schools
that share with LAs (the school's own LA or not: pupils often come from several), and those schools. Declared
here, where the plans and requests live, and registered with `schools.reach` in `EhcpConfig.ready`; what the
officer sees of a school's EHC records is narrowed further by `selectors.ehc_scope`."""

from django.db.models import Q

from sencohub.schools.models import Membership, School


def pupils_with_la_cases(membership: Membership) -> Q:
    la = membership.local_authority_id
    return Q(school__shares_with_local_authority=True) & (
        Q(ehc_plans__local_authority_id=la) | Q(assessment_requests__local_authority_id=la)
    )


def schools_with_la_cases(membership: Membership) -> Q:
    la = membership.local_authority_id
    return Q(shares_with_local_authority=True) & Q(
        pk__in=School.objects.filter(
            Q(ehc_plans__local_authority_id=la) | Q(assessment_requests__local_authority_id=la)
        ).values("pk")
    )
