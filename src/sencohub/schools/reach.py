"""Which pupils, and which schools beyond their own, a membership reaches: declared by the app that owns the
relationship, in its `AppConfig.ready`, the way apps add document kinds to `documents`.

- `pupils`: the whole-school roles reach the school's pupils, teachers and teaching assistants their class groups',
  the trust SEND lead the trust's, and a parent carer their own children (`pupils/reach.py`);
- `provision`: teachers and teaching assistants also reach the pupils of the groups they run (`provision/reach.py`);
- `ehcp`: an LA officer reaches the pupils whose EHC plan or needs assessment request their LA maintains, in schools
  that share with LAs, and those schools (`ehcp/reach.py`).

`pupils.selectors` and `schools.selectors` ask here; nothing below an app names its relationships. A reach may end
(an outside professional's access for the length of a referral): after its last day it reaches nobody. Which
*actions* a role allows is said once, in `permissions.py`; a reach says only *whom*.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from sencohub.schools.models import Membership

QFor = Callable[[Membership], Q]


@dataclass(frozen=True)
class Reach:
    role: str
    pupils: QFor  # a Q on Pupil
    schools: QFor | None = None  # a Q on School: schools reached beyond the membership's own school or trust
    ends_on: dt.date | Callable[[Membership], dt.date | None] | None = None  # the last day it holds

    def holds(self, membership: Membership, today: dt.date) -> bool:
        ends_on = self.ends_on(membership) if callable(self.ends_on) else self.ends_on
        return ends_on is None or today <= ends_on


_REACHES: dict[str, list[Reach]] = {}


def reach_register(
    role: str,
    *,
    pupils: QFor,
    schools: QFor | None = None,
    ends_on: dt.date | Callable[[Membership], dt.date | None] | None = None,
) -> None:
    """Let a membership in `role` reach the pupils `pupils(membership)` selects (and the schools `schools(membership)`
    selects), until `ends_on` if given: a date, or a function of the membership. Registering twice is harmless."""
    reach = Reach(role, pupils, schools, ends_on)
    reaches = _REACHES.setdefault(role, [])
    if reach not in reaches:
        reaches.append(reach)


def reaches_of(membership: Membership, today: dt.date | None = None) -> list[Reach]:
    """The reaches a membership holds today: none for a role nobody declared a reach for."""
    today = today or timezone.localdate()
    return [reach for reach in _REACHES.get(membership.role, ()) if reach.holds(membership, today)]


def any_of(qs: list[Q]) -> Q:
    """The Qs joined by OR; a Q that matches nothing when there are none."""
    if not qs:
        return Q(pk__in=[])
    q = qs[0]
    for each in qs[1:]:
        q |= each
    return q
