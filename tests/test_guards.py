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

import lxml.html
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.test import override_settings
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


# ---- Authorisation of posts: every POST URL refuses every outsider -------------------------------------------


def test_every_post_url_refuses_every_outsider_and_changes_nothing(mapped):
    world, clients, entries = mapped
    authorisation_posts.walk_posts(world, clients, entries)
