"""The audit trail of pupil data, kept in django-auditlog's LogEntry.

Ordinary saves are logged by auditlog's signals. Bulk writes (imports) skip signals, so they log
through `log_bulk`, in the same transaction as the change. Reads are logged with auditlog's `accessed`
signal (see pupils.selectors.pupil_for_user).
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q


def entry(obj, action: int, *, actor=None, changes: dict | None = None, via: str = "", pupil_id=None) -> LogEntry:
    extra = {"pupil_id": pupil_id if pupil_id is not None else getattr(obj, "pupil_id", obj.pk)}
    if via:
        extra["via"] = via
    return LogEntry(
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_pk=str(obj.pk),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        changes=changes or {},
        changes_text="",
        actor=actor,
        actor_email=getattr(actor, "email", None) if actor else None,
        additional_data=extra,
    )


def log_bulk(entries: list[LogEntry]) -> None:
    LogEntry.objects.bulk_create(entries, batch_size=500)


def pupil_history(pupil):
    """Every logged view and change of a pupil's record and the records that hang off it, newest first."""
    from sencohub.pupils.models import Pupil

    pupil_type = ContentType.objects.get_for_model(Pupil)
    return (
        LogEntry.objects.filter(Q(content_type=pupil_type, object_id=pupil.pk) | Q(additional_data__pupil_id=pupil.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )


class PupilAudited:
    """A model whose rows belong to one pupil: its audit entries carry the pupil's id for the History tab."""

    def get_additional_data(self):
        return {"pupil_id": self.pupil_id}


class PlanPartAudited:
    """A part of a plan (outcome, strategy, provision item): audited with the plan's pupil."""

    def get_additional_data(self):
        return {"pupil_id": self.plan.pupil_id}
