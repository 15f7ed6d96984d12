"""Which Word template a school uses for a kind of document, and the download of a finished document."""

import hashlib
import logging

from auditlog.models import LogEntry
from django.db import transaction
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from sencohub.documents.models import DocumentTemplate
from sencohub.documents.rendering import (
    DOCX_TYPE,
    KINDS,
    PDF_TYPE,
    Kind,
    TemplateProblem,
    check_template,
    render_docx,
    render_pdf,
    template_fields_check,
)
from sencohub.kernel.files import attachment

logger = logging.getLogger(__name__)

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def kind_or_404(key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


def school_template(school, kind: Kind) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(school=school, kind=kind.key).first()


def template_bytes(school, kind: Kind) -> bytes:
    own = school_template(school, kind)
    return bytes(own.content) if own else kind.build_default()


def usable_template(school, kind: Kind) -> bytes:
    """The template to render: a school's own is read again before each use, so one stored some other way than
    through the upload check (a restored backup, an older version of sencohub) is refused with the same reason."""
    own = school_template(school, kind)
    if own is None:
        return kind.build_default()
    content = bytes(own.content)
    try:
        template_fields_check(kind, content)
    except TemplateProblem as problem:
        logger.warning(
            "The %s template of school %s was refused before use: %s", kind.key, school.urn, problem
        )
        raise
    return content


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _log(record: DocumentTemplate, action: int, *, by, changes: dict) -> None:
    """Uploads and reverts of templates are audited: a template decides what every letter and plan says."""
    LogEntry.objects.log_create(
        record,
        force_log=True,
        action=action,
        changes=changes,
        actor=by,
        actor_email=getattr(by, "email", None),
        additional_data={"school": record.school.urn, "kind": record.kind},
    )


def template_upload(*, school, kind: Kind, filename: str, content: bytes, by) -> DocumentTemplate:
    """Keep a school's own template once it has rendered with example data (TemplateProblem otherwise)."""
    try:
        check_template(kind, content)
    except TemplateProblem as problem:
        logger.warning(
            "A %s template uploaded by user %s for school %s was refused: %s",
            kind.key,
            getattr(by, "pk", None),
            school.urn,
            problem,
        )
        raise
    with transaction.atomic():
        before = DocumentTemplate.objects.select_for_update().filter(school=school, kind=kind.key).first()
        old = (
            {"filename": before.filename, "sha256": _digest(bytes(before.content))}
            if before
            else {"filename": None, "sha256": None}
        )
        record, created = DocumentTemplate.objects.update_or_create(
            school=school,
            kind=kind.key,
            defaults={"filename": filename[:255], "content": content, "uploaded_by": by},
        )
        new = {"filename": record.filename, "sha256": _digest(content)}
        _log(
            record,
            LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE,
            by=by,
            changes={key: [old[key], new[key]] for key in new},
        )
    return record


def template_revert(*, school, kind: Kind, by) -> bool:
    with transaction.atomic():
        record = DocumentTemplate.objects.select_for_update().filter(school=school, kind=kind.key).first()
        if record is None:
            return False
        _log(
            record,
            LogEntry.Action.DELETE,
            by=by,
            changes={"filename": [record.filename, None], "sha256": [_digest(bytes(record.content)), None]},
        )
        record.delete()
    return True


MESSAGE_TEMPLATE_UNUSABLE = "The school's Word template for the {title} cannot be used."


def document_response(*, request, school, kind: Kind, context: dict, fmt: str, name: str) -> HttpResponse:
    if fmt == "docx":
        try:
            body, content_type = render_docx(usable_template(school, kind), context), DOCX_TYPE
        except TemplateProblem as problem:
            page = render_to_string(
                "documents/template_unusable.html",
                {
                    "heading": MESSAGE_TEMPLATE_UNUSABLE.format(title=kind.title.lower()),
                    "reason": str(problem),
                    "pdf_url": request.path.removesuffix(".docx") + ".pdf",
                },
                request=request,
            )
            return HttpResponse(page, status=409)
    elif fmt == "pdf":
        body, content_type = render_pdf(kind, context), PDF_TYPE
    else:
        raise Http404
    return attachment(body, content_type=content_type, filename=f"{slugify(name)}.{fmt}")
