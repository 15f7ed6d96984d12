"""Which Word template a school uses for a kind of document, and the download of a finished document."""

from django.http import Http404, HttpResponse
from django.utils.text import slugify

from sencohub.documents.models import DocumentTemplate
from sencohub.documents.rendering import (
    DOCX_TYPE,
    KINDS,
    PDF_TYPE,
    Kind,
    check_template,
    render_docx,
    render_pdf,
)

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


def template_upload(*, school, kind: Kind, filename: str, content: bytes, by) -> DocumentTemplate:
    """Keep a school's own template once it has rendered with example data (TemplateProblem otherwise)."""
    check_template(kind, content)
    record, _ = DocumentTemplate.objects.update_or_create(
        school=school, kind=kind.key, defaults={"filename": filename[:255], "content": content, "uploaded_by": by}
    )
    return record


def template_revert(*, school, kind: Kind) -> bool:
    return DocumentTemplate.objects.filter(school=school, kind=kind.key).delete()[0] > 0


def document_response(*, school, kind: Kind, context: dict, fmt: str, name: str) -> HttpResponse:
    if fmt == "docx":
        body, content_type = render_docx(template_bytes(school, kind), context), DOCX_TYPE
    elif fmt == "pdf":
        body, content_type = render_pdf(kind, context), PDF_TYPE
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response
