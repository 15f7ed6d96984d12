"""Word and PDF for everything people print.

Each kind of document has one context (plain strings and lists, built by the app it belongs to), an HTML
template for the PDF (WeasyPrint) and a Word template (docxtpl). The standard Word template is built here
with python-docx, so it can be read in the source; a school may download it, edit it in Word and upload its
own, which is checked by rendering it with example data before it is accepted.
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate, Listing
from jinja2 import TemplateError

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


class TemplateProblem(ValueError):
    """An uploaded Word template that cannot be used, with a reason a person can act on."""


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    description: str
    pdf_template: str
    build_default: Callable[[], bytes]
    example: Callable[[], dict]
    fields: list[tuple[str, str]]  # (name, meaning) for people editing the Word template


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


def _for_word(value):
    """Text with line breaks becomes a docxtpl Listing (kept as breaks); lists and dicts are converted inside."""
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, list):
        return [_for_word(v) for v in value]
    if isinstance(value, dict):
        return {k: _for_word(v) for k, v in value.items()}
    return value


def render_docx(template: bytes, context: dict) -> bytes:
    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.render(_for_word(context), autoescape=True)
    except (TemplateError, zipfile.BadZipFile, KeyError, ValueError) as problem:
        raise TemplateProblem(_explain(problem)) from problem
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _explain(problem: Exception) -> str:
    if isinstance(problem, zipfile.BadZipFile | KeyError):
        return "This is not a Word document (.docx). Save it from Word as a .docx file and upload it again."
    return f"Word could read the file, but a field in it is not right: {problem}. Check the {{{{ }}}} fields against the list."


def check_template(kind: Kind, template: bytes) -> None:
    """Render an uploaded template with example data; raise TemplateProblem if it cannot be used."""
    render_docx(template, kind.example())


def render_pdf(kind: Kind, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: it loads system libraries, which only document pages need

    # PDF/UA: a tagged PDF, so that screen readers can follow headings, tables and reading order.
    return HTML(string=render_to_string(kind.pdf_template, context)).write_pdf(pdf_variant="pdf/ua-1")


# Building standard Word templates ---------------------------------------------------------------------


class WordBuilder:
    """A small writer for standard templates: headings, paragraphs and docxtpl tags, in order."""

    def __init__(self, title: str):
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(11)
        self.doc.add_heading(title, level=0)

    def heading(self, text: str, level: int = 1) -> "WordBuilder":
        self.doc.add_heading(text, level=level)
        return self

    def para(self, text: str, bold_label: str = "") -> "WordBuilder":
        p = self.doc.add_paragraph()
        if bold_label:
            p.add_run(bold_label + " ").bold = True
        p.add_run(text)
        return self

    def tag(self, text: str) -> "WordBuilder":
        """A paragraph holding only a docxtpl block tag such as {%p for x in xs %}: it disappears when rendered."""
        self.doc.add_paragraph(text)
        return self

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
