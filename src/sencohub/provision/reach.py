"""The pupils a member of staff reaches because they run a provision group: the whole group, whatever classes its
pupils are in. Declared here, where the relationship lives, registered with `schools.reach` in `ProvisionConfig.ready`
and applied by `pupils.selectors.pupils_for_user`, so every page, register and audited read follows it the same
way."""

from django.db.models import Q
from django.utils import timezone


def pupils_in_groups_run_by(membership) -> Q:
    """Pupils still in a group this person runs, in their school, while the group has not ended."""
    from sencohub.provision.models import Enrolment

    groups = Enrolment.objects.current().filter(
        provision__school_id=membership.school_id,
        provision__run_by=membership.user_id,
        provision__ends_on__gte=timezone.localdate(),
    )
    return Q(school_id=membership.school_id, pk__in=groups.values("pupil_id"))
