"""The last stage of an MIS import: the checked file written to the register, all or nothing.

`pupils_import` is the import's one entry point (the browser's tasks, `sencohub import-pupils`): it reads
and checks the file, and unless it is a dry run or any row is bad, writes it in one transaction. A file that
would take pupils off the SEN register, move them from E to K, or remove needs is applied only when that is
confirmed. SEN status and needs are written through register.services, the one writer of the register; every
pupil written has its audit entry, in the same transaction.
"""

import datetime as dt
from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import dataclass

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone

from sencohub.kernel import audit
from sencohub.pupils.models import Pupil
from sencohub.register import services as register
from sencohub.register.mis.checking import (
    PUPIL_FIELDS,
    STAGE_SAVING,
    ImportError_,
    ImportResult,
    Progress,
    Row,
    needs_of,
    pupils_check,
    sen_wanted,
)
from sencohub.register.models import Need, SenStatus
from sencohub.schools.models import ClassGroup, School
from sencohub.statutory import census

MESSAGE_CHANGED_WHILE_IMPORTING = (
    "{name}'s SEN record was changed by someone else while the file was being imported, so nothing has "
    "changed. Check the file again."
)
MESSAGE_ADDED_WHILE_IMPORTING = (
    "{name} was added by someone else while the file was being imported, so nothing has changed. "
    "Check the file again."
)


class RegisterChanged(Exception):
    """The register changed between the comparison and the write: nothing is written."""


def pupils_import(
    *,
    school: School,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    by=None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    allow_leaving_register: bool | Collection[str] = False,
    record_missing_as_left_on: dt.date | None = None,
) -> ImportResult:
    """Check a whole file, then (unless `dry_run` or any row is bad) apply it in one transaction.

    A file that takes pupils off the SEN register, moves them from E to K, or removes needs is applied only
    with `allow_leaving_register`: True for all, or the UPNs that were confirmed (a pupil who would leave
    but was not confirmed stops the import). Pupils on roll but not in the file are listed; with
    `record_missing_as_left_on` they are recorded as having left on that date.

    `progress`, if given, is told each stage as it goes; it is never called inside the transaction,
    so whatever it writes is visible to others straight away.
    """
    today = today or timezone.localdate()
    plan = pupils_check(
        school=school,
        filename=filename,
        content=content,
        today=today,
        progress=progress,
        record_missing_as_left_on=record_missing_as_left_on,
    )
    result, to_create, to_update = plan.result, plan.to_create, plan.to_update
    if result.errors or dry_run:
        return result
    losses = result.leaving_register
    confirmed = allow_leaving_register
    if losses and not (confirmed is True or (confirmed and {e["upn"] for e in losses} <= set(confirmed))):
        result.needs_confirmation = True
        return result
    leavers = [entry["upn"] for entry in result.not_in_file] if record_missing_as_left_on else []
    if not (to_create or to_update or leavers):
        return result

    if progress:
        progress(STAGE_SAVING, 0, len(to_create) + len(to_update) + len(leavers))
    try:
        with set_actor(by) if by is not None else nullcontext():
            _apply(
                school,
                to_create,
                to_update,
                plan.needs_seen,
                leavers,
                by=by,
                today=today,
                left_on=record_missing_as_left_on,
            )
    except (RegisterChanged, ValidationError) as changed:
        message = str(changed) if isinstance(changed, RegisterChanged) else "; ".join(changed.messages)
        result.errors = [ImportError_(0, "", message)]
        result.changes = []
        return result
    result.applied = True
    result.left_on = record_missing_as_left_on if leavers else None
    return result


@dataclass
class _Prepared:
    """The new rows of an import, built and turned into SQL before the write lock is taken."""

    statements: list[tuple[str, tuple]]
    groups: dict[str, int]  # class name -> id, new ones included
    new_group_names: list[str]
    reserved: dict[type, int]  # model -> the first id reserved for it


def _reserve_ids(model, n: int) -> list[int]:
    """Ids for `n` new rows. PostgreSQL hands them out from the sequence; on SQLite they follow the highest id,
    which `_still_free` checks again once the write lock is held (a clash means preparing again)."""
    if not n:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [i for (i,) in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a model's table)
        first = (cursor.fetchone()[0] or 0) + 1
    return list(range(first, first + n))


def _still_free(reserved: dict[type, int]) -> bool:
    if connection.vendor == "postgresql":
        return True
    with connection.cursor() as cursor:
        for model, first in reserved.items():
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            if (cursor.fetchone()[0] or 0) >= first:
                return False
    return True


def _insert_statements(model, objs: list) -> list[tuple[str, tuple]]:
    """The INSERT statements bulk_create would run for `objs` (whose ids are set), compiled now."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    if objs and objs[0].pk is None:
        fields = [f for f in fields if not f.primary_key]
    size = min(500, connection.ops.bulk_batch_size(fields, objs) or 500)
    statements = []
    for start in range(0, len(objs), size):
        query = InsertQuery(model)
        query.insert_values(fields, objs[start : start + size])
        # The connection itself, not the thread-local proxy: its lookups cost a third of the compiling.
        statements += query.get_compiler(connection=connections[DEFAULT_DB_ALIAS]).as_sql()
    return statements


def _prepare(school, to_create, to_update, *, by, today) -> _Prepared:
    groups = dict(ClassGroup.objects.filter(school=school).values_list("name", "pk"))
    names = {r.class_name for r in to_create if "class" in r.present} | {
        r.class_name for _, r, d in to_update if "class" in d
    }
    new_names = sorted(names - set(groups) - {""})
    new_groups = [
        ClassGroup(pk=pk, school=school, name=name)
        for pk, name in zip(_reserve_ids(ClassGroup, len(new_names)), new_names, strict=True)
    ]
    groups.update({g.name: g.pk for g in new_groups})

    pupils, starts, log = [], [], []
    for pk, row in zip(_reserve_ids(Pupil, len(to_create)), to_create, strict=True):
        provision, primary, secondary = sen_wanted(row, census.NO_SEN, {})
        pupil = Pupil(
            pk=pk,
            school=school,
            upn=row.upn,
            surname=row.surname,
            forename=row.forename,
            date_of_birth=row.date_of_birth,
            gender=row.gender,
            year_group=row.year_group,
            class_group_id=groups.get(row.class_name),
            eal=row.eal,
            fsm=row.fsm,
            pupil_premium=row.pupil_premium,
            looked_after=row.looked_after,
        )
        pupils.append(pupil)
        log.append(
            audit.entry(
                pupil,
                LogEntry.Action.CREATE,
                actor=by,
                via="import",
                pupil_id=pupil.pk,
                changes={"upn": ["None", pupil.upn], "name": ["None", pupil.full_name]},
            )
        )
        starts.append(
            register.ImportedStart(
                pupil=pupil,
                provision=provision,
                start_date=row.sen_start_date or today,
                primary_need=primary,
                secondary_need=secondary,
                reason=_reason("Imported from the school's MIS.", row),
            )
        )
    first = register.sen_register_for_new_pupils(starts=starts, by=by, reserve_ids=_reserve_ids)
    log += first.log
    statements = (
        _insert_statements(ClassGroup, new_groups)
        + _insert_statements(Pupil, pupils)
        + _insert_statements(SenStatus, first.statuses)
        + _insert_statements(Need, first.needs)
        + _insert_statements(LogEntry, log)
    )
    reserved = {
        model: objs[0].pk
        for model, objs in (
            (ClassGroup, new_groups),
            (Pupil, pupils),
            (SenStatus, first.statuses),
            (Need, first.needs),
        )
        if objs
    }
    return _Prepared(statements, groups, new_names, reserved)


def _apply(school, to_create, to_update, needs_seen, leavers, *, by, today, left_on) -> None:
    """Write the import all or nothing. The new rows are built and compiled first, so that the transaction
    (which on SQLite holds the database's one write lock) only runs ready statements and the few updates."""
    for _attempt in range(3):
        prepared = _prepare(school, to_create, to_update, by=by, today=today)
        with transaction.atomic():
            if _still_free(prepared.reserved):
                _write(
                    school,
                    prepared,
                    to_create,
                    to_update,
                    needs_seen,
                    leavers,
                    by=by,
                    today=today,
                    left_on=left_on,
                )
                return
    raise RegisterChanged("The register was busy with other changes; try the import again.")


def _write(
    school, prepared: _Prepared, to_create, to_update, needs_seen, leavers, *, by, today, left_on
) -> None:
    # Whatever the register said when the file was compared must still hold: a status or need changed by
    # someone else since then is never overwritten by the file (the rows are locked until the end).
    sen_changes = [
        (p, r, d) for p, r, d in to_update if {"sen_provision", "primary_need", "secondary_need"} & set(d)
    ]
    if sen_changes:
        ids = [p.pk for p, _, _ in sen_changes]
        locked = dict(Pupil.objects.select_for_update().filter(pk__in=ids).values_list("pk", "sen_provision"))
        needs_now = needs_of(ids)
        for pupil, _, _ in sen_changes:
            if locked.get(pupil.pk) != pupil.sen_provision or needs_now.get(pupil.pk, {}) != needs_seen.get(
                pupil.pk, {}
            ):
                raise RegisterChanged(MESSAGE_CHANGED_WHILE_IMPORTING.format(name=pupil.full_name))
    added = Pupil.objects.filter(school=school, upn__in=[r.upn for r in to_create]).first()
    if added is not None:
        raise RegisterChanged(MESSAGE_ADDED_WHILE_IMPORTING.format(name=added.full_name))
    if ClassGroup.objects.filter(school=school, name__in=prepared.new_group_names).exists():
        raise RegisterChanged(
            "A class in the file was added by someone else while importing; try the import again."
        )
    with connection.cursor() as cursor:
        for sql, params in prepared.statements:
            cursor.execute(sql, params)

    log: list[LogEntry] = []
    updated_pupils = []
    fields = {"updated_at"}
    for pupil, row, diff in to_update:
        for name in PUPIL_FIELDS:
            if name in diff:
                setattr(pupil, name, getattr(row, name))
                fields.add(name)
        if "class" in diff:
            pupil.class_group_id = prepared.groups.get(row.class_name)
            fields.add("class_group")
        if "left_on" in diff:
            pupil.left_on = None
            fields.add("left_on")
        pupil.updated_at = timezone.now()
        updated_pupils.append(pupil)
        log.append(
            audit.entry(
                pupil,
                LogEntry.Action.UPDATE,
                actor=by,
                via="import",
                pupil_id=pupil.pk,
                changes={k: list(v) for k, v in diff.items()},
            )
        )
    # sen_provision is not among the fields: register.services writes it, below.
    Pupil.objects.bulk_update(updated_pupils, sorted(fields), batch_size=500)
    for pupil, row, diff in sen_changes:
        provision, primary, secondary = sen_wanted(row, pupil.sen_provision, needs_seen.get(pupil.pk, {}))
        if "sen_provision" in diff:
            register.sen_status_change(
                pupil=pupil,
                provision=provision,
                start_date=row.sen_start_date or today,
                primary_need=primary,
                secondary_need=secondary,
                by=by,
                today=today,
                reason=_reason("Changed by an import from the school's MIS.", row),
            )
        else:
            register.needs_replace(pupil=pupil, primary_need=primary, secondary_need=secondary)

    if leavers:
        left = list(Pupil.objects.filter(school=school, upn__in=leavers, left_on__isnull=True))
        for pupil in left:
            pupil.left_on = left_on
            pupil.updated_at = timezone.now()
            log.append(
                audit.entry(
                    pupil,
                    LogEntry.Action.UPDATE,
                    actor=by,
                    via="import",
                    pupil_id=pupil.pk,
                    changes={"left_on": ["None", left_on.isoformat()]},
                )
            )
        Pupil.objects.bulk_update(left, ["left_on", "updated_at"], batch_size=500)
    audit.log_bulk(log)


def _reason(reason: str, row: Row) -> str:
    if row.historic_note:
        reason = f"{reason} {row.historic_note}"
    if row.sen_start_date is None:
        reason = f"{reason} No SEN start date in the file, so the import date is used."
    return reason
