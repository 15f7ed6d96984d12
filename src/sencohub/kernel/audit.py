"""The audit trail of pupil data, kept in django-auditlog's LogEntry.

Changes: ordinary saves are logged by auditlog's signals. Bulk writes (imports) and guarded `QuerySet.update`s skip
signals, so they log through `log_bulk` / `log_update`, in the same transaction as the change.

Reads: every pupil row loaded while a signed-in person's request is answered is recorded as read by that person,
one ACCESS entry per pupil, written in one INSERT when the response is ready (`PupilReadsMiddleware`). The model
opts in with `ReadAudited`, so a page, partial, API call or download added later is audited without anyone
remembering to: whatever shows a pupil must first load them. Reads that load no pupil row (a stored print bundle,
a feed opened by its secret) say so with `pupils_read`.
"""

import contextlib
from collections.abc import Iterable
from contextvars import ContextVar

from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate

# Pupils loaded during the request being answered: {(model, pk): instance or None}; None outside a request.
_reads: ContextVar[dict | None] = ContextVar("sencohub_pupil_reads", default=None)
# One statement for a whole page: 4,000 rows of LogEntry's 15 columns stay under PostgreSQL's 65,535 parameters.
READS_PER_INSERT = 4_000


def entry(
    obj, action: int, *, actor=None, changes: dict | None = None, via: str = "", pupil_id=None
) -> LogEntry:
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


def created(obj, fields, *, actor=None, pupil_id=None) -> LogEntry:
    """The CREATE entry for a row inserted in bulk (which sends no signal), for `log_bulk`: each of `fields` from
    nothing to its value (a related row by its id), as auditlog's own entry for a saved row reads. A row that belongs
    to no one pupil (it has no `pupil_id`, and none is given) carries no pupil, as auditlog's entries for it do not."""
    changes = {f: ["None", shown(getattr(obj, f))] for f in fields}
    made = entry(obj, LogEntry.Action.CREATE, actor=actor, changes=changes, pupil_id=pupil_id)
    if pupil_id is None and not hasattr(obj, "pupil_id"):
        made.additional_data = None
    return made


def log_bulk(entries: Iterable[LogEntry]) -> None:
    """Write entries made for a bulk write. Given as a generator, they are not even made inside disable_auditlog."""
    if auditlog_disabled.get():  # as auditlog's own signals are, inside disable_auditlog (loaddata, the demo)
        return
    LogEntry.objects.bulk_create(list(entries), batch_size=500)


def pupil_history(pupil):
    """Every logged change of a pupil's record and the records that hang off it, newest first (reads: `pupil_reads`)."""
    return (
        _about(pupil)
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )


def pupil_reads(pupil):
    """Who read a pupil's record, one row a person a day (a busy week's register views would drown the changes)."""
    return (
        _about(pupil)
        .filter(action=LogEntry.Action.ACCESS)
        .annotate(day=TruncDate("timestamp"))
        .values("day", "actor_id", "actor_email")
        .annotate(times=Count("id"), last=Max("timestamp"))
        .order_by("-day", "-last")
    )


def _about(pupil):
    # By label, not by import: the pupil model's app sits above the kernel (docs/architecture.md).
    pupil_type = ContentType.objects.get_for_model(apps.get_model("pupils", "Pupil"))
    return LogEntry.objects.filter(
        Q(content_type=pupil_type, object_id=pupil.pk) | Q(additional_data__pupil_id=pupil.pk)
    )


class PupilAudited:
    """A model whose rows belong to one pupil: its audit entries carry the pupil's id for the History tab."""

    def get_additional_data(self):
        return {"pupil_id": self.pupil_id}


class PlanPartAudited:
    """A part of a plan (outcome, strategy, provision item): audited with the plan's pupil."""

    def get_additional_data(self):
        return {"pupil_id": self.plan.pupil_id}


def log_update(obj, before: dict, *, actor=None, via: str = "") -> None:
    """Log a change made with `QuerySet.update` (which sends no signal): `before` holds the old values of the
    fields the update set, `obj` the new ones. Nothing is logged if nothing changed."""
    changes = {f: [shown(old), shown(getattr(obj, f))] for f, old in before.items() if old != getattr(obj, f)}
    if changes:
        extra = obj.get_additional_data() if hasattr(obj, "get_additional_data") else {}
        entry_ = entry(
            obj, LogEntry.Action.UPDATE, actor=actor, changes=changes, via=via, pupil_id=extra.get("pupil_id")
        )
        entry_.remote_addr = _context().get("remote_addr")
        entry_.save()


def shown(value) -> str:
    """A value as an entry's changes show it: a related row by its id, nothing as "None"."""
    return "None" if value is None else str(getattr(value, "pk", value))


# ---- Reads ---------------------------------------------------------------------------------------------------


class ReadAudited:
    """A pupil model: every row of it loaded while a person's request is answered is recorded as read by them."""

    model = None  # the pupil model (there is one), for reads given as ids

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        ReadAudited.model = cls

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        seen = _reads.get()
        if seen is not None:
            seen.setdefault(instance.pk, instance)
        return instance


def pupils_read(pupils, *, actor=None, via: str = "") -> None:
    """Record that pupils (instances or ids) were read, for reads that load no pupil row (a stored print bundle).

    Within a request the entries are written with the page's others, as the signed-in person; elsewhere at once."""
    seen = _reads.get()
    found = {getattr(p, "pk", p): (p if hasattr(p, "pk") else None) for p in pupils}
    if seen is not None:
        for pk, instance in found.items():
            if seen.get(pk) is None:
                seen[pk] = instance
        return
    if found:
        _write_reads(found, actor=actor, via=via)


@contextlib.contextmanager
def reads_not_shown():
    """Pupils loaded inside are not recorded as read: for figures that count pupils but show none of them."""
    token = _reads.set(None)
    try:
        yield
    finally:
        _reads.reset(token)


def _write_reads(found: dict, *, actor, via: str, path: str = "") -> None:
    pupil_type = ContentType.objects.get_for_model(ReadAudited.model)
    remote_addr = _context().get("remote_addr")
    extra = {"via": via} | ({"path": path} if path else {})
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=pupil_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=_repr(instance, pk),
                action=LogEntry.Action.ACCESS,
                changes_text="",
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=remote_addr,
                additional_data={"pupil_id": pk} | extra,
            )
            for pk, instance in sorted(found.items())
        ],
        batch_size=READS_PER_INSERT,
    )


def _repr(instance, pk) -> str:
    if (
        instance is None or instance.get_deferred_fields()
    ):  # str() would fetch each missing field: one query a pupil
        return f"pupil {pk}"
    return str(instance)[:200]


def _context() -> dict:
    try:
        return auditlog_value.get()
    except LookupError:
        return {}


def act_as(user) -> None:
    """Name `user` as the person behind this request's changes (an API token's owner, known only after the
    authentication middleware has run)."""
    context = _context()
    if context:
        context["actor"] = user


class PupilReadsMiddleware:
    """Write one ACCESS entry for each pupil loaded while a signed-in person's request was answered, in one INSERT.

    Only answers that show something (2xx) count: a refused or redirected request showed no one. Requests with no
    signed-in person (a calendar feed opened by its secret) log their own reads (`pupils_read`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seen: dict = {}
        token = _reads.set(seen)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        user = getattr(request, "user", None)
        if seen and 200 <= response.status_code < 300 and user is not None and user.is_authenticated:
            _write_reads(seen, actor=user, via=_via(request), path=request.path[:200])
        return response


def _via(request) -> str:
    if request.path.startswith("/api/"):
        return f"API {request.path}"
    match = request.resolver_match
    return match.url_name.replace("_", " ") if match and match.url_name else request.path[:200]
