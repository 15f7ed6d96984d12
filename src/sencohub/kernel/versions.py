"""Two people, or one double click: a save made from a stale page is refused, never silently applied.

One mechanism for every record that two people may edit at once:

- the model carries a `version` counter (`Versioned`), and its form a hidden copy of it (`VersionedForm`);
- the service calls `claim(instance)` in the transaction that saves it: one conditional UPDATE moves the counter
  on only if it still holds the version the person opened, so of two saves from the same version exactly one
  wins, on SQLite and on PostgreSQL alike; the other gets `StaleSave`;
- `kernel.forms.saved` (or `show_stale`) keeps what the person typed and puts the other person's version beside it.

A record whose model has no counter (a provision, the date parents were told) or a set of rows edited on one form
(a pupil's needs) is guarded by a `fingerprint` of what the form showed instead: `carry_seen` puts it in the form,
and `check_seen` compares it, under the record's `lock`, with what the form would show now.

Creating actions (arranging a review, raising a concern) take `lock` on the parent row before they check for an
existing record and insert, so five simultaneous posts make one record; the losers get `Duplicate`, naming the
record there is.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django import forms
from django.db import models, transaction
from django.db.models import F

MESSAGE_STALE = (
    "Not saved: {who} saved this {what} while you were editing it. Their version is shown below and your changes "
    "are still in the form. Save again to replace theirs with yours, or change the form first."
)
MAX_VERSION = 2**31 - 1


class Versioned(models.Model):
    """A record with an edit counter: each save moves it on by one (see `claim`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StaleSave(Exception):
    """Someone saved the record after this person opened it; nothing of theirs was overwritten.

    `current` is the record as saved now (or None for a set of rows), `values` what it holds by form field name."""

    def __init__(
        self,
        current=None,
        *,
        values: dict | None = None,
        token: str = "",
        who=None,
        when=None,
        what: str = "record",
    ):
        super().__init__(f"The {what} was changed by someone else.")
        self.current, self.values, self.token, self.who, self.when, self.what = (
            current,
            values,
            token,
            who,
            when,
            what,
        )


class Duplicate(Exception):
    """The record this action would make already exists (a double click, or two people at once)."""

    def __init__(self, existing, message: str):
        super().__init__(message)
        self.existing, self.message = existing, message


def lock(model, pk):
    """Lock the row until the transaction ends, for a check-then-insert under it.

    PostgreSQL: SELECT ... FOR UPDATE, so a second transaction waits here and then sees the first's rows. SQLite
    (run with transaction_mode IMMEDIATE) holds the database's write lock from the start of every transaction,
    which serialises the same checks; the lock clause is ignored there."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() only means something inside a transaction")
    return model._base_manager.select_for_update().get(pk=pk)


def claim(instance, *, what: str = "record") -> None:
    """Move the record's version on, in the transaction that saves it; StaleSave if someone saved it meanwhile."""
    if instance.pk is None:
        return
    model = type(instance)
    expected = instance.version
    if not model._base_manager.filter(pk=instance.pk, version=expected).update(version=F("version") + 1):
        current = model._base_manager.filter(pk=instance.pk).first()
        if current is None:
            raise StaleSave(None, values={}, what=what)
        who, when = last_change(current)
        raise StaleSave(current, who=who, when=when, what=what)
    instance.version = expected + 1


def claimed(what: str, save=None):
    """For `kernel.forms.saved`: the form's own save (or `save(form)`), in one transaction with `claim`."""

    @transaction.atomic
    def run(form):
        claim(form.instance, what=what)
        return save(form) if save is not None else form.save()

    return run


def last_change(obj) -> tuple[object, dt.datetime | None]:
    """Who last changed a record and when, from the audit trail (None, None if it has none)."""
    entry = (
        LogEntry.objects.get_for_object(obj)
        .filter(action__in=[LogEntry.Action.UPDATE, LogEntry.Action.CREATE])
        .select_related("actor")
        .order_by("-timestamp", "-id")
        .first()
    )
    return (entry.actor, entry.timestamp) if entry else (None, None)


def _key(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return sorted((_key(v) for v in value), key=str)
    return str(value)


def fingerprint(rows) -> str:
    """A short digest of what a form showed, for records with no counter of their own."""
    text = json.dumps(rows, sort_keys=True, default=_key, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


SEEN = "seen"


def _showing(form) -> dict:
    return {name: _key(form[name].initial) for name in form.fields if name != SEEN}


def carry_seen(form) -> None:
    """For a record with no version counter (its model is not `Versioned`): the form carries a fingerprint of what
    it showed, in a hidden field, for `check_seen` to compare with what it would show now."""
    form.fields[SEEN] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    if not form.is_bound:
        form.initial[SEEN] = fingerprint(_showing(form))


def check_seen(form, fresh, current, *, what: str = "record") -> None:
    """Inside the transaction, with `current` locked (`lock`): StaleSave if the record, drawn on an unbound form
    `fresh`, now shows something other than what the person was shown."""
    seen = form.cleaned_data.get(SEEN)
    now = fingerprint(_showing(fresh))
    if seen and seen != now:
        who, when = last_change(current)
        values = {name: fresh[name].initial for name in fresh.fields if name != SEEN}
        raise StaleSave(current, values=values, token=now, who=who, when=when, what=what)


class VersionedForm(forms.ModelForm):
    """A ModelForm for a `Versioned` model: carries the version the person opened, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_VERSION)

    def __new__(cls, *args, **kwargs):
        # Kept so that a refused save can draw the record as saved now through this same form (`show_stale`), fields
        # the form works out itself (pounds from pence, say) included; otherwise a difference could go unshown and
        # a second save would overwrite it unseen.
        form = super().__new__(cls)
        form.made_with = {
            k: v for k, v in kwargs.items() if k not in ("data", "files", "instance", "initial", "prefix")
        }
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        super()._post_clean()
        seen = self.cleaned_data.get("version")
        if seen is not None and self.instance.pk is not None:
            self.instance.version = seen  # an old page without the field saves against the version loaded now


@dataclass
class Conflict:
    """What the page shows beside the kept form: who saved, when, and what their version holds."""

    who: object
    when: dt.datetime | None
    what: str
    rows: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def save_unless_changed(form, model, pk, *, drawn, what: str, write):
    """Save `form` onto row `pk` of `model` unless someone saved another value since the page was drawn
    (StaleSave): `drawn(current)` is the form as the page would draw it from the row now; `write(current)` saves."""
    current = lock(model, pk)
    check_seen(form, drawn(current), current, what=what)
    return write(current)


def _plain(value):
    if isinstance(value, models.Manager) or isinstance(value, models.QuerySet):
        return sorted(value.all(), key=lambda obj: obj.pk)
    if isinstance(value, (list, tuple)) and all(isinstance(v, models.Model) for v in value):
        return sorted(value, key=lambda obj: obj.pk)
    return value


def _shown(form_field, value) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(form_field, v) for v in value) or "(empty)"
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(form_field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        value = form_field.queryset.filter(pk=value).first() or value
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
        labels = {str(k): v for k, v in form_field.choices if not isinstance(v, (list, tuple))}
        return str(labels.get(str(value), value))
    if isinstance(value, models.fields.files.FieldFile):
        return value.name.rsplit("/", 1)[-1]
    return str(value)


def _same(mine, theirs) -> bool:
    mine, theirs = (
        _key(mine) if isinstance(mine, models.Model) else mine,
        _key(theirs) if isinstance(theirs, models.Model) else theirs,
    )
    if isinstance(mine, list) and isinstance(theirs, list):
        return _key(mine) == _key(theirs)
    if isinstance(mine, (int, float)) or isinstance(theirs, (int, float)):
        return str(mine) == str(theirs) or _number(mine) == _number(theirs)
    if isinstance(mine, str) and isinstance(theirs, str):
        return mine.replace("\r\n", "\n").strip() == theirs.replace("\r\n", "\n").strip()
    if isinstance(mine, models.fields.files.FieldFile) or isinstance(theirs, models.fields.files.FieldFile):
        return (getattr(mine, "name", mine) or "") == (getattr(theirs, "name", theirs) or "")
    return mine == theirs or (mine in (None, "") and theirs in (None, ""))


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def show_stale(form, stale: StaleSave) -> None:
    """Keep what the person typed, show the other person's version beside it, and let a second save win."""
    current = stale.current
    values = stale.values
    if values is None and current is not None and hasattr(form, "made_with"):
        fresh = type(form)(instance=current, prefix=form.prefix, **form.made_with)
        values = {name: fresh[name].initial for name in fresh.fields if name not in ("version", SEEN)}
    if values is None:
        values = {
            name: getattr(current, name)
            for name in form.fields
            if name != "version" and hasattr(current, name)
        }
    rows = []
    for name, theirs in values.items():
        form_field = form.fields.get(name)
        if form_field is None:
            continue
        theirs, mine = _plain(theirs), _plain(form.cleaned_data.get(name))
        if not _same(mine, theirs):
            rows.append((str(form_field.label or name), _shown(form_field, theirs)))
    form.data = form.data.copy()
    if current is not None and "version" in form.fields:
        form.data[form.add_prefix("version")] = current.version
    if stale.token and "seen" in form.fields:
        form.data[form.add_prefix("seen")] = stale.token
    who = stale.who or "Someone"
    form.conflict = Conflict(who=who, when=stale.when, what=stale.what, rows=rows)
    form.add_error(None, MESSAGE_STALE.format(who=who, what=stale.what))
