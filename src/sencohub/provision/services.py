"""Writes to the provision map: who is in a group."""

import datetime as dt

from django.db import transaction

from sencohub.provision.models import Attendance, Enrolment, Provision


def _nothing_recorded(enrolment: Enrolment) -> bool:
    measured = enrolment.entry_value is not None or enrolment.exit_value is not None
    marked = Attendance.objects.filter(
        session__provision_id=enrolment.provision_id, pupil_id=enrolment.pupil_id
    ).exists()
    return not measured and not marked


@transaction.atomic
def provision_pupils_set(
    *, provision: Provision, pupils, today: dt.date, new: bool = False, offered=None
) -> None:
    """Make the pupils in the group exactly `pupils`, keeping every fact about those who leave.

    A pupil taken out has their enrolment ended on `today` (their last day in the group), never deleted: their
    attendance, measures and share of the cost while they were in the group stay. The one exception is a slip
    put right: an enrolment with nothing recorded against it that had not begun (the group had not started, or
    the pupil was added today) is simply taken away. A pupil ticked again on the day they were taken out carries on
    in the same enrolment; later, they start a new one from `today`. Pupils in a new provision, or added before it
    starts, are in it from its start. With `offered` (the pupils the form showed), pupils in the group who were not
    offered (the person cannot see them) are left as they are: a form never ends what it did not show.
    """
    wanted = {p.pk for p in pupils}
    current = {
        e.pupil_id: e for e in Enrolment.objects.select_for_update().filter(provision=provision).current()
    }
    shown = None if offered is None else set(offered.values_list("pk", flat=True))
    for pupil_id, enrolment in current.items():
        if pupil_id in wanted or (shown is not None and pupil_id not in shown):
            continue
        not_begun = provision.starts_on > today or enrolment.joined_on == today
        if not_begun and _nothing_recorded(enrolment):
            enrolment.delete()
        else:
            enrolment.left_on = today
            enrolment.save(update_fields=["left_on"])
    joining_on = None if new or provision.starts_on >= today else today
    for pupil_id in wanted - current.keys():
        ended_today = Enrolment.objects.filter(provision=provision, pupil_id=pupil_id, left_on=today).first()
        if ended_today is not None:
            ended_today.left_on = None
            ended_today.save(update_fields=["left_on"])
        else:
            Enrolment.objects.create(provision=provision, pupil_id=pupil_id, joined_on=joining_on)
