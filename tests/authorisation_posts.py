"""POSTs are scoped like GETs: every POST URL, as every outsider, against the first school's records, is refused.

Run by tests/test_guards.py (test_every_post_url_refuses_every_outsider_and_changes_nothing) on the generated trust
it builds once, so that the walk costs the posts alone.

The targets come from the URL map (tests/urlmap.py: the URL patterns filled from a generated trust) and from the
forms its pages show (the way tests/test_guards.py finds them), so a POST URL added later is walked the day it
lands. Each form is posted with the values its rightful owner was shown, blanks filled in so that the form would
be accepted; the API's posts get a valid body from its OpenAPI schema. Each outsider's post must answer 403, 404
or 405, and change nothing in the database: every statement that writes is noted, and each table written to must
read exactly as it did before (a hash of its rows), the audit trail and sessions aside. Every post is rolled back.

The outsiders, each a stranger to the records the map opens in the first school:
- the SENCo of the other school;
- an officer of an LA with no case in the first school, and one of an LA with a case for the very same pupils
  (who may act on those pupils, so is tried on their EHC records, reviews and the like, the LA's own or not);
- a parent carer of another child in the first school; its governor; an external professional there;
- a teacher there who teaches none of the pupils (tried on everything below the school itself, since a teacher may
  well post to the school's own pages: raising a concern, their own training record).
"""

import datetime as dt
import hashlib
import re
import time

import lxml.html
from django.db import connection, transaction
from django.test import Client
from django.urls import resolve

from sencohub.ehcp.models import AssessmentRequest
from sencohub.pupils.models import ParentCarer, Pupil
from sencohub.schools.models import Membership, Role, School
from tests import urlmap
from tests.factories import LocalAuthorityFactory, UserFactory

REFUSED = (403, 404, 405)
# Written on every request whoever sends it, and never a school's records.
UNWATCHED_TABLES = {
    "django_session",
    "auditlog_logentry",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}
# A route keyed by a secret in its address (the calendar feed) answers whoever holds the secret, on purpose.
KEYED_BY_SECRET = {"secret"}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
FILLER = "Posted by someone outside this record."


# ---- Who posts ---------------------------------------------------------------------------------------------


def outsiders(world, target_upns) -> dict[str, tuple[object, str]]:
    """persona -> (user, which routes: "school" = every route about a record, "below_school", "below_pupil")."""
    school = world.school
    other_school = School.objects.exclude(pk=school.pk).filter(trust=school.trust).first()
    assert other_school is not None, "the generated trust needs a second school"

    def member(email, role, **scope):
        user = UserFactory(email=email)
        Membership.objects.create(user=user, role=role, **scope)
        return user

    elsewhere_la = LocalAuthorityFactory(code="980", name="Nowhere Borough")  # codes the demo does not use (it has 991 to 994)
    sharing_la = LocalAuthorityFactory(code="981", name="Elsewhere Shire")
    # Pupils often come from several LAs: this one maintains a request for each pupil the map's records are about.
    for pupil in Pupil.objects.filter(school=school, upn__in=target_upns):
        AssessmentRequest.objects.create(
            pupil=pupil, school=school, local_authority=sharing_la, received_on=dt.date.today()
        )
    parent = member("parent@other-child.test", Role.PARENT, school=school)
    their_children = ParentCarer.objects.filter(user=world.people["parent"]).values("pupil")
    other_child = (
        Pupil.objects.filter(school=school)
        .exclude(upn__in=target_upns)
        .exclude(pk__in=their_children)
        .first()
    )
    ParentCarer.objects.create(pupil=other_child, user=parent, name="Another Parent", relationship="Mother")
    return {
        "senco_of_another_school": (member("senco@another-school.test", Role.SENCO, school=other_school), "school"),
        "la_officer_elsewhere": (member("officer@nowhere.test", Role.LA_OFFICER, local_authority=elsewhere_la), "school"),
        "la_officer_of_another_case": (member("officer@elsewhere.test", Role.LA_OFFICER, local_authority=sharing_la), "below_pupil"),
        "parent_of_another_child": (parent, "school"),
        "governor": (member("governor@posts.test", Role.GOVERNOR, school=school), "school"),
        "external_professional": (member("external@posts.test", Role.EXTERNAL, school=school), "school"),
        "teacher_not_teaching_the_pupil": (member("teacher@posts.test", Role.TEACHER, school=school), "below_school"),
    }  # fmt: skip


def applies(reach: str, record_params: set[str]) -> bool:
    if reach == "below_school":
        return bool(record_params - {"urn"})
    if reach == "below_pupil":
        return bool(record_params - {"urn", "upn"})
    return bool(record_params)


# ---- What is posted ----------------------------------------------------------------------------------------


def filled(fields, button) -> dict:
    """What the form showed its owner, with blanks filled so that it would be accepted (a valid-looking post)."""
    today = dt.date.today().isoformat()
    data = {}
    for name, kind, baseline, options in fields:
        if isinstance(baseline, list):
            # A select left on "Choose..." or radios with none chosen: the first real choice.
            chosen = [value for value in baseline if value]
            first = [o for o in options if o][:1] if kind == "choice" and len(options) > 1 else []
            if chosen or first:
                data[name] = chosen or first
        elif baseline.strip():
            data[name] = baseline
        else:
            data[name] = {"date": today, "number": "1", "hidden": ""}.get(kind, FILLER)
    return data | button


def page_posts(entries) -> dict[str, list[tuple[str, dict]]]:
    """path -> [(owner persona, data)] for every POST form the map's pages show."""
    # Forms are read the way the guards read them (imported here: test_guards imports this module).
    from tests.test_guards import fields_of, submit_button

    found, seen = {}, set()
    for entry in entries:
        if entry.status != 200 or not entry.content_type.startswith("text/html"):
            continue
        document = lxml.html.fromstring(entry.content, base_url="http://testserver" + entry.path)
        for form in document.forms:
            if (form.method or "GET").upper() != "POST":
                continue
            action = (form.get("action") or entry.path).removeprefix("http://testserver").split("?")[0]
            if not action.startswith("/") or action.startswith("/accounts/"):
                continue
            data = filled(fields_of(form), submit_button(form))
            key = (action, tuple(sorted(data)))
            if key not in seen:
                seen.add(key)
                found.setdefault(action, []).append((entry.persona, data))
    return found


def api_posts(client, entries) -> dict[str, list[tuple[str, dict]]]:
    """path -> [(owner persona, JSON body)] for every API post, its body filled from the OpenAPI schema."""
    schema = client.get("/api/v1/openapi.json").json()
    found = {}
    for template, operations in schema["paths"].items():
        if "post" not in operations:
            continue
        body = operations["post"]["requestBody"]["content"]["application/json"]["schema"]
        if "$ref" in body:
            body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
        for entry in entries:
            path = re.sub(r"{(\w+)}", lambda m, e=entry: str(e.kwargs.get(m.group(1), m.group(0))), template)
            if path == entry.path:
                upn = entry.kwargs.get("upn") or next(e.kwargs["upn"] for e in entries if "upn" in e.kwargs)
                found[path] = [
                    (entry.persona, {name: upn if name == "upn" else FILLER for name in body["properties"]})
                ]
                break
    return found


# ---- What changed ------------------------------------------------------------------------------------------


class WriteRecorder:
    """Notes the tables every INSERT, UPDATE and DELETE statement touches."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


def table_hash(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(row) for row in cursor.fetchall())
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def post(client, path, data):
    if path.startswith("/api/"):
        return client.post(path, data, content_type="application/json")
    return client.post(path, data)


def changed_by(client, path, data, baseline: dict) -> tuple[object, list[str]]:
    """Post, note which watched tables now read differently from `baseline`, and roll the post back."""
    recorder = WriteRecorder()
    with transaction.atomic():
        with connection.execute_wrapper(recorder):
            response = post(client, path, data)
        changed = sorted(t for t in recorder.tables - UNWATCHED_TABLES if table_hash(t) != baseline.get(t))
        transaction.set_rollback(True)
    return response, changed


def refused(response) -> bool:
    # Being asked to sign in again before anything is looked up (reauthentication) also lets nothing through.
    return response.status_code in REFUSED or (
        response.status_code == 302 and response["Location"].startswith("/accounts/")
    )


def walk_posts(world, clients, entries) -> None:
    """The walk itself, run by tests/test_guards.py on its generated trust (built once for both)."""
    started = time.monotonic()
    record_params = set(urlmap._records())
    targets = page_posts(entries) | api_posts(clients["senco"], entries)
    with_forms = set(targets)
    # A view that only takes posts (405 to a GET) whose form is on no page of the map is still posted to, with an
    # empty body. Any other route answers a post as it answers a get, which the GET walk already covers.
    for entry in entries:
        if entry.status == 405:
            targets.setdefault(entry.path, [(entry.persona, {})])
    target_upns = {resolve(path).kwargs.get("upn") for path in targets} - {None}
    people = outsiders(world, target_upns)
    outsider_clients = {}
    for persona, (user, _) in people.items():
        outsider_clients[persona] = Client(raise_request_exception=False)
        outsider_clients[persona].force_login(user)

    # Read before any post: every post is rolled back, so each meets the database as it is now.
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    baseline = {table: table_hash(table) for table in tables if table not in UNWATCHED_TABLES}

    problems, posted, owners_accepted, owner_posts = [], 0, 0, 0
    for path, variants in sorted(targets.items()):
        match = resolve(path)
        params = set(match.kwargs) & record_params
        if not params or params & KEYED_BY_SECRET:
            continue
        for owner, data in variants:
            if path in with_forms:
                # The same post by the person who was shown the form: does it get through? (the walk's own check)
                _, changed = changed_by(clients[owner], path, data, baseline)
                owner_posts += 1
                owners_accepted += bool(changed)
            for persona, (_, reach) in people.items():
                if not applies(reach, params):
                    continue
                response, changed = changed_by(outsider_clients[persona], path, data, baseline)
                posted += 1
                if not refused(response) or changed:
                    problems.append(f"{persona} POST {path} ({match.view_name}) answered {response.status_code}"
                                    + (f" and changed {changed}" if changed else ""))  # fmt: skip
    elapsed = time.monotonic() - started
    api = sum(path.startswith("/api/") for path in with_forms)
    print(f"\n{posted} outsider posts to {len(targets)} paths ({len(with_forms)} with a form, {api} in the API) in {elapsed:.1f} s; "
          f"the owner's own post changed something for {owners_accepted} of {owner_posts}")  # fmt: skip
    assert not problems, f"{len(problems)} posts by outsiders were not refused:\n" + "\n".join(problems)
    assert posted > 300 and len(with_forms) > 40 and api >= 1
    # The walk has teeth only if its posts would be accepted from the right person.
    assert owners_accepted > owner_posts // 2, (
        f"only {owners_accepted} of {owner_posts} owners' posts were accepted"
    )
