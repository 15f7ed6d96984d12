"""Is what section F specifies delivered? Each item beside its provision on the map, with every shortfall named."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from sencohub.provision.selectors import attendance_by_provision
from sencohub.statutory.numbers import plain_number

ATTENDANCE_FLOOR = Decimal("0.9")  # below nine in ten sessions attended, delivery is flagged


@dataclass
class Delivery:
    item: object
    weekly_hours: Decimal | None = None
    group_size: int | None = None
    attended: int = 0
    held: int = 0
    shortfalls: list[str] = field(default_factory=list)


def delivery_for(plan) -> list[Delivery]:
    out = []
    items = list(
        plan.provision_items.select_related("provision").annotate(
            pupils=Count("provision__pupils", distinct=True)
        )
    )
    # The pupil's own marks at each provision's sessions that happened: down for (`marked`), there (`present`).
    attendance = attendance_by_provision([i.provision_id for i in items if i.provision_id], pupil=plan.pupil)
    for item in items:
        d = Delivery(item)
        provision = item.provision
        if provision is None:
            d.shortfalls.append("Not on the provision map, so there is no record that it is delivered.")
            out.append(d)
            continue
        d.weekly_hours = (Decimal(provision.sessions_per_week) * provision.minutes / 60).quantize(
            Decimal("0.01")
        )
        d.group_size = item.pupils
        marks = attendance[provision.pk]
        d.held, d.attended = marks.marked, marks.present
        if item.hours_per_week is not None and d.weekly_hours < item.hours_per_week:
            d.shortfalls.append(
                f"Planned {plain_number(d.weekly_hours)} hours a week on the map; "
                f"the plan specifies {plain_number(item.hours_per_week)}."
            )
        if item.group_size is not None and d.group_size > item.group_size:
            d.shortfalls.append(
                f"Delivered in a group of {d.group_size}; the plan specifies at most {item.group_size}."
            )
        if d.held and Decimal(d.attended) / d.held < ATTENDANCE_FLOOR:
            d.shortfalls.append(f"Attended {d.attended} of {d.held} sessions held.")
        out.append(d)
    return out
