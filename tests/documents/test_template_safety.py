"""A school's Word template is a Jinja template: it may fill in the document's fields and nothing else.

Each attack is one a SEND administrator could upload: reaching Python through Jinja's globals or a string's class,
or reaching the database through something in the context. Each is refused at upload, naming the field; and one
stored without the upload check (a restored backup, an older version) renders nothing, with a reason, not a 500.
"""

import datetime as dt
import hashlib
import html
import io

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from sencohub.documents import services
from sencohub.documents.models import DocumentTemplate
from sencohub.documents.rendering import KINDS, TemplateProblem, check_template, render_docx
from sencohub.support.documents import SUPPORT_PLAN
from sencohub.support.models import Outcome, PrintJob
from sencohub.support.printing import print_bundle
from sencohub.support.services import plan_start
from tests.reauth import sign_in_confirmed


def attacks(marker) -> list[tuple[str, str]]:
    """(the field as written in Word, the part of it the refusal must name)."""
    secret = "cycler.__init__.__globals__.os.sys.modules['django.conf'].settings.SECRET_KEY"
    return [
        (f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}", "cycler.__init__.__globals__.os.popen("),
        (f"{{{{ {secret} }}}}", "cycler.__init__.__globals__"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "''.__class__.__mro__"),
        ("{{ pupil_name.__class__.__base__.__subclasses__() }}", "pupil_name.__class__"),
        # The database through the context: the context is plain text, so there is no pupil, school or model in it to
        # follow; names that are not the document's fields are refused, and so is a way round through a list.
        ("{{ pupil.objects.all() }}", "pupil.objects.all()"),
        ("{{ school.pupils.all()|list }}", "school.pupils.all()"),
        ("{% for n in needs %}{{ n.__class__.objects.all() }}{% endfor %}", "n.__class__.objects.all()"),
        ("{{ needs|attr('__class__') }}", "needs|attr('__class__')"),
        ("{{ outcomes['__class__'] }}", "outcomes['__class__']"),
        ("{{ lipsum.__globals__ }}", "lipsum.__globals__"),
    ]


def with_field(text: str, *, where: str = "body", kind=SUPPORT_PLAN) -> bytes:
    doc = Document(io.BytesIO(kind.build_default()))
    if where == "body":
        doc.add_paragraph(text)
    elif where == "header":
        doc.sections[0].header.paragraphs[0].text = text
    else:
        doc.core_properties.title = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def plan(world):
    plan = plan_start(pupil=world.pupil_support, starts_on=dt.date(2026, 10, 1), today=dt.date(2026, 11, 23))
    Outcome.objects.create(plan=plan, what="Reads 40 words a minute", by_when=dt.date(2026, 12, 18))
    return plan


def test_templates_that_reach_python_or_the_database_are_refused_at_upload_naming_the_field(client, world, tmp_path):
    marker = tmp_path / "ran"
    sign_in_confirmed(client, world.people["send_admin"])
    url = f"/schools/{world.school.urn}/documents/support_plan/upload/"
    cases = [(field, named, "body") for field, named in attacks(marker)]
    cases += [(attacks(marker)[0][0], attacks(marker)[0][1], "header"), (attacks(marker)[0][0], attacks(marker)[0][1], "title")]
    for field, named, where in cases:
        response = client.post(url, {"support_plan-file": SimpleUploadedFile("ours.docx", with_field(field, where=where))})
        page = html.unescape(response.content.decode())
        assert response.status_code == 200, field
        assert named in page, (field, where)
        assert settings.SECRET_KEY not in page
    assert not marker.exists()
    assert not DocumentTemplate.objects.exists()


def test_every_standard_template_and_the_fields_people_use_still_pass():
    for kind in KINDS.values():
        check_template(kind, kind.build_default())
    fine = ("{%p for o in outcomes %}", "{{ loop.index }}. {{ o.what|upper }} by {{ o.by_when }}", "{%p endfor %}",
            "{% for i in range(2) %}{{ i }}{% endfor %}{% set who = pupil_name %}{{ who }}", "{{r upn }} {{ needs|length }}")  # fmt: skip
    doc = Document(io.BytesIO(SUPPORT_PLAN.build_default()))
    for text in fine:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    check_template(SUPPORT_PLAN, out.getvalue())
    assert "1. READS 40 WPM by 18 December 2026" in docx_text(render_docx(out.getvalue(), SUPPORT_PLAN.example()))


def test_a_context_holds_plain_values_only(world):
    with pytest.raises(TypeError):
        render_docx(SUPPORT_PLAN.build_default(), {**SUPPORT_PLAN.example(), "pupil": world.pupil_support})


@pytest.mark.parametrize("read_first", [True, False], ids=["read-before-use", "sandbox-alone"])
def test_a_harmful_template_already_stored_renders_nothing_and_says_why(client, world, plan, tmp_path, settings, monkeypatch, read_first):
    if not read_first:  # the sandbox on its own, as if the template had slipped past every reading of it
        monkeypatch.setattr(services, "template_fields_check", lambda kind, template: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    marker = tmp_path / "ran"
    plan_url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}"
    client.force_login(world.people["teacher"])
    for field, _ in attacks(marker)[:4]:
        DocumentTemplate.objects.update_or_create(school=world.school, kind=SUPPORT_PLAN.key,
                                                  defaults={"filename": "x.docx", "content": with_field(field)})  # fmt: skip
        response = client.get(plan_url + ".docx")
        page = response.content.decode()
        assert response.status_code == 409 and response["Content-Type"].startswith("text/html"), field
        assert "Word template for the support plan cannot be used" in page and f'href="{plan_url}.pdf"' in page
        assert settings.SECRET_KEY not in page

    # The bulk print and the command, with the template that would run a command and the one that would read the key.
    sign_in_confirmed(client, world.people["senco"])
    for field, _ in attacks(marker)[:2]:
        DocumentTemplate.objects.filter(school=world.school).update(content=with_field(field))
        client.post(f"/schools/{world.school.urn}/print/", {"what": "plans", "year_group": "", "fmt": "docx"})
        job = PrintJob.objects.latest("pk")
        print_bundle.call(job.pk)
        job.refresh_from_db()
        assert job.status == PrintJob.Status.FAILED and "Word template for the support plan cannot be used" in job.message
        assert not job.result and settings.SECRET_KEY not in job.message
        assert "cannot be used" in client.get(f"/schools/{world.school.urn}/print/{job.pk}/").content.decode()
        with pytest.raises(CommandError, match="cannot be used"):
            call_command("export", "plans", "--school", world.school.urn, "--format", "docx", "--out", str(tmp_path / "out"))
    assert not marker.exists()
    assert not list((tmp_path / "out").glob("*.docx"))


def test_uploads_and_reverts_of_templates_are_audited(client, world):
    admin = world.people["send_admin"]
    sign_in_confirmed(client, admin)
    base = f"/schools/{world.school.urn}/documents/support_plan/"
    first = with_field("Alder Primary")
    for content in (first, with_field("Alder Primary, 2027")):
        assert client.post(base + "upload/", {"support_plan-file": SimpleUploadedFile("ours.docx", content)}).status_code == 302
    client.post(base + "reset/")
    entries = list(LogEntry.objects.get_for_model(DocumentTemplate).order_by("pk"))
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE]
    assert all(e.actor == admin and e.additional_data == {"school": world.school.urn, "kind": "support_plan"} for e in entries)
    assert entries[0].changes_dict["sha256"] == [None, hashlib.sha256(first).hexdigest()]
    assert entries[2].changes_dict["filename"] == ["ours.docx", None]


def test_a_template_problem_is_never_a_server_error():
    for field in ("{{ range(200000)|length }}", "{{ 1/0 }}", "{{ outcomes.append(1) }}", "{{ pupil_name + 1 }}"):
        with pytest.raises(TemplateProblem):
            render_docx(with_field(field), SUPPORT_PLAN.example())


def test_a_field_typed_wrong_is_refused_with_the_field_it_most_likely_meant():
    for typed, meant in [("{{ pupil_nmae }}", "{{ pupil_name }}"), ("{{ pupil.date_of_birth }}", "{{ date_of_birth }}")]:
        with pytest.raises(TemplateProblem) as refused:
            check_template(SUPPORT_PLAN, with_field(typed))
        assert f"Did you mean {meant}?" in str(refused.value), typed
