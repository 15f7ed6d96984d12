"""Generic guard C: every edit page, saved in Chromium without touching a field, changes no row of any table.

What counts as an edit page (the rule, so that a page added later is covered the day it lands): a route in the
URL map (tests/urlmap.py: every URL pattern, filled from a generated trust) whose address ends with the id of the
record it edits (`.../<int:..._id>/`) or with `edit/`, that opens as a page for the first person in the generated
trust who may open it, and that shows a form posting back to its own address. Creation pages (`new/`) and pages
that record something new on a record (`register/`, `review/`, `parents-informed/`) end otherwise and are not
edit pages.

The person who may open it signs in, opens it, presses the form's Save button (else the first button they can see)
and waits for the next page. A
snapshot of every model's rows before and after must match, leaving aside what a save may rightly touch:
audit entries, sessions, sign-in lock-out records, background tasks, version counters, and timestamps with the
"last saved by" stamp that goes with them (every DateTimeField, and `updated_by`).
"""

import re

import pytest
from django.apps import apps
from django.db import models

from tests import urlmap
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IGNORED_APPS = {"auditlog", "sessions", "axes", "django_tasks", "django_tasks_db", "contenttypes", "admin"}
IGNORED_FIELDS = {"version", "updated_by"}  # version counters and the "last saved by" stamp beside the timestamp
EDIT_ROUTE = re.compile(r"(<int:\w+_id>/|edit/)$")


def snapshot() -> dict:
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in IGNORED_APPS:
            continue
        names = [f.attname for f in model._meta.concrete_fields
                 if f.name not in IGNORED_FIELDS and not isinstance(f, models.DateTimeField)]  # fmt: skip
        rows[model._meta.label] = sorted(model.objects.values_list(*names), key=repr)
    return rows


def differences(before: dict, after: dict) -> list[str]:
    found = []
    for label, rows in before.items():
        if rows != after[label]:
            gone = [r for r in rows if r not in after[label]]
            added = [r for r in after[label] if r not in rows]
            found.append(f"{label}: {len(gone)} row(s) gone or changed, {len(added)} new or changed; "
                         f"before {gone[:3]!r:.600}; after {added[:3]!r:.600}")
    return found


def test_every_edit_page_saved_unchanged_changes_no_row(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = urlmap.build_world(media_root=tmp_path)
    clients = urlmap.clients(world)
    edit_routes = [r for r in urlmap.routes() if EDIT_ROUTE.search(r.pattern) and not r.pattern.startswith("api/")]
    entries = [e for e in urlmap.url_map(world, clients, edit_routes) if e.status == 200 and e.content_type.startswith("text/html")]
    checked, problems, signed_in = [], [], None
    for entry in entries:
        if signed_in != entry.persona:
            page.context.clear_cookies()
            sign_in(page, world.people[entry.persona].email, password=world.extras["demo_password"] if entry.persona != "system_admin" else "correct-horse-battery")
            signed_in = entry.persona
        page.goto(entry.path)
        forms = page.locator(f'form[method="post" i]:not([action]), form[method="post" i][action=""], form[method="post" i][action="{entry.path}"]')
        if forms.count() == 0:
            continue  # not an edit page: nothing on it posts back to it
        before = snapshot()
        # The button a person would press to save: a visible one saying "Save", else the first one they can see.
        buttons = forms.first.locator("button[type=submit]:visible, button:not([type]):visible, input[type=submit]:visible")
        saving = buttons.filter(has_text=re.compile(r"^\s*Save"))
        with page.expect_navigation():
            (saving if saving.count() else buttons).first.click()
        after = snapshot()
        checked.append(entry.path)
        problems += [f"{entry.path}: {d}" for d in differences(before, after)]
    assert not problems, "Saved unchanged, these edit pages changed rows:\n" + "\n".join(problems)
    # The rule must find the edit pages we know of; a page that stops being found is a gap in the guard.
    for known in ("/provision/groups/", "/training/", "/ehc/plans/", "/support/", "/senco/", "/passport/edit/"):
        assert any(known in path for path in checked), f"no edit page under {known} was saved: {checked}"
