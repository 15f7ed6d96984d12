"""Uploads are checked by their content and size before they are kept, and a request too large answers 413 unread."""

import datetime as dt
import functools
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sencohub.documents.models import DocumentTemplate
from sencohub.documents.rendering import KINDS
from sencohub.schools.models import Term
from sencohub.support.models import Evidence, Outcome
from sencohub.support.services import plan_start
from sencohub.workforce.models import Appointment, Qualification
from tests.reauth import sign_in_confirmed

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _content_types(main: str) -> bytes:
    return f'<Types><Override PartName="/word/document.xml" ContentType="{main}"/></Types>'.encode()


MACRO_DOCUMENT = _zip({"[Content_Types].xml": _content_types("application/vnd.ms-word.document.macroEnabled.main+xml"),
                       "word/vbaProject.bin": PROGRAM})  # fmt: skip


@functools.cache
def padded_document() -> bytes:
    """A Word document whose body unpacks to 40 MB of nothing, from a file of 40 KB."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip({"[Content_Types].xml": _content_types(main), "word/document.xml": b" " * (40 * 1024 * 1024)})


# (file name, content, what the page says): each is a program or something else under a name that is allowed.
DISGUISED = [
    ("certificate.pdf", PROGRAM, "The file's name ends .pdf, but its content is not a PDF file"),
    ("scan.png", PDF, "The file's name ends .png, but its content is not a PNG image"),
    (
        "photo.jpg",
        b"<html><script>alert(1)</script></html>",
        "The file's name ends .jpg, but its content is not a JPG image",
    ),
    ("setup.exe", PROGRAM, "as a PDF, JPG or PNG file"),
]


def test_a_program_renamed_as_a_certificate_or_evidence_is_refused(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    senco = Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=dt.date(2024, 11, 1))
    Term.objects.create(
        school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 2), ends_on=dt.date(2026, 12, 18)
    )
    plan = plan_start(pupil=world.pupil_support, starts_on=dt.date(2026, 10, 1), today=dt.date(2026, 11, 23))
    outcome = Outcome.objects.create(plan=plan, what="Reads 40 words a minute", by_when=dt.date(2026, 12, 18))
    certificate_url = f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/new/"
    certificate = {
        "kind": "npq",
        "started_on": "2025-01-06",
        "completed_on": "2026-07-01",
        "status": "completed",
    }
    evidence_url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/outcomes/{outcome.pk}/evidence/"
    evidence = {"noted_on": "2026-11-20", "note": "Score sheet."}
    client.force_login(world.people["senco"])

    for name, content, message in [
        *DISGUISED,
        ("big.pdf", PDF + b" " * (10 * 1024 * 1024), "The file is larger than 10 MB."),
    ]:
        page = client.post(
            certificate_url, {**certificate, "certificate": SimpleUploadedFile(name, content)}
        ).content.decode()
        assert message.replace("'", "&#x27;") in page, name
    for name, content, message in [
        *DISGUISED[:3],
        ("marks.docx", MACRO_DOCUMENT, "its content is not a Word document (.docx)"),
        ("marks.docx", padded_document(), "would unpack to 40 MB when opened"),
        ("setup.exe", PROGRAM, "as a PDF, JPG, PNG, Word (.docx) or Excel (.xlsx) file"),
    ]:
        page = client.post(
            evidence_url, {**evidence, "file": SimpleUploadedFile(name, content)}
        ).content.decode()
        assert message.replace("'", "&#x27;") in page, name
    assert not Qualification.objects.exists() and not Evidence.objects.exists()

    # The genuine article is kept.
    client.post(certificate_url, {**certificate, "certificate": SimpleUploadedFile("certificate.pdf", PDF)})
    client.post(evidence_url, {**evidence, "file": SimpleUploadedFile("scores.png", PNG)})
    assert Qualification.objects.get().certificate and Evidence.objects.get().file


def test_a_word_template_is_checked_for_what_it_is_before_it_is_opened(client, world):
    sign_in_confirmed(client, world.people["senco"])  # an upload asks for a recent sign-in
    kind = next(iter(KINDS))
    url = f"/schools/{world.school.urn}/documents/{kind}/upload/"
    for name, content, message in [
        ("template.docx", PROGRAM, "its content is not a Word document (.docx)"),
        ("template.docx", MACRO_DOCUMENT, "its content is not a Word document (.docx)"),
        ("template.docx", padded_document(), "would unpack to 40 MB when opened"),
    ]:
        page = client.post(url, {f"{kind}-file": SimpleUploadedFile(name, content)}).content.decode()
        assert message in page, name
    assert not DocumentTemplate.objects.exists()


@override_settings(MAX_REQUEST_BODY_BYTES=1024 * 1024)
def test_a_request_larger_than_the_limit_answers_413_before_it_is_read(client, world):
    client.force_login(world.people["senco"])
    body = b"x" * (1024 * 1024 + 1)
    for url in (f"/schools/{world.school.urn}/import/", "/accounts/login/", "/api/v1/pupils"):
        response = client.generic("POST", url, body, content_type="application/octet-stream")
        assert response.status_code == 413, url
    page = client.post(
        f"/schools/{world.school.urn}/import/", {"file": SimpleUploadedFile("pupils.csv", body)}
    )
    assert page.status_code == 413 and "The file is too large" in page.content.decode()
    assert "1 MB" in page.content.decode()
    # Within the limit, the page answers as it always has.
    small = client.post(
        f"/schools/{world.school.urn}/import/", {"file": SimpleUploadedFile("pupils.csv", b"UPN\n")}
    )
    assert small.status_code == 302
