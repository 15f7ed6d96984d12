"""Word and PDF for everything people print.

Each kind of document has one context (plain strings and lists, built by the app it belongs to), an HTML
template for the PDF (WeasyPrint) and a Word template (docxtpl). The standard Word template is built here
with python-docx, so it can be read in the source; a school may download it, edit it in Word and upload its
own, which is checked by rendering it with example data before it is accepted.

A Word template is a Jinja template, and plain Jinja lets a template reach Python itself (for example
`cycler.__init__.__globals__`), so a school's template could run commands as the server. Every Word document
is therefore rendered in Jinja's immutable sandbox, which refuses attributes starting with `_` and anything
that changes a value, with only `range` among Jinja's globals; and the context holds only plain text, lists,
dictionaries, numbers and true/false, never a model, so nothing in it leads to the database. On top of that
`template_fields_check` reads a template before it is used and refuses, naming the field, any field that
reaches a name starting with `_` or a name that is not one of the document's fields.
"""

import difflib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from docx import Document
from docx.oxml import parse_xml
from docx.shared import Pt
from docxtpl import DocxTemplate, Listing
from jinja2 import TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

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


PLAIN = (str, bool, int, float, type(None))


def _for_word(value):
    """Text with line breaks becomes a docxtpl Listing (kept as breaks); lists and dicts are converted inside.

    Anything but plain values is refused: a model or queryset in the context would give a template the database."""
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, list | tuple):
        return [_for_word(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _for_word(v) for k, v in value.items()}
    if isinstance(value, PLAIN):
        return value
    raise TypeError(f"A document's context holds only plain values, not {type(value).__name__}")


def word_environment() -> ImmutableSandboxedEnvironment:
    """A fresh sandbox for each document (docxtpl sets autoescape on the environment it is given)."""
    env = ImmutableSandboxedEnvironment(autoescape=True)
    env.globals = {
        "range": env.globals["range"]
    }  # the sandbox's own, capped range; not cycler, joiner, lipsum
    return env


def render_docx(template: bytes, context: dict) -> bytes:
    plain = _for_word(context)
    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.render(plain, jinja_env=word_environment(), autoescape=True)
    except (
        Exception
    ) as problem:  # a school's own template: whatever goes wrong inside it is the template's problem
        raise TemplateProblem(_explain(problem)) from problem
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _explain(problem: Exception) -> str:
    if isinstance(problem, zipfile.BadZipFile | KeyError):
        return "This is not a Word document (.docx). Save it from Word as a .docx file and upload it again."
    if isinstance(problem, SecurityError):
        return (
            f"A field in the template tries to reach something a template may not use ({problem}). "
            "Use only the fields listed for this document."
        )
    if not isinstance(problem, TemplateError | ValueError | ArithmeticError | LookupError | TypeError):
        problem = type(problem).__name__
    return (
        f"Word could read the file, but a field in it is not right: {problem}. "
        "Check the {{ }} fields against the list."
    )


# Reading a template before it is used -------------------------------------------------------------------


def _template_sources(template: bytes) -> list[str]:
    """Every part docxtpl renders, as the Jinja source it renders: the body, headers, footers, footnotes and the
    document's properties (title, subject, author and so on)."""
    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError) as problem:
        raise TemplateProblem(_explain(problem)) from problem
    sources = [doc.patch_xml(doc.get_xml())]
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        sources += [doc.patch_xml(doc.get_part_xml(part)) for _, part in doc.get_headers_footers(uri)]
    for part in doc.docx.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            sources.append(doc.patch_xml(doc.xml_to_string(parse_xml(part.blob))))
    props = doc.docx.core_properties
    sources += [
        getattr(props, name) or ""
        for name in ("author", "comments", "identifier", "language", "subject", "title")
    ]
    return sources


SHOWN_LENGTH = 120


def _field(node: nodes.Node) -> str:
    shown = _shown(node)
    return shown if len(shown) <= SHOWN_LENGTH else shown[: SHOWN_LENGTH - 1] + "…"


def _shown(node: nodes.Node) -> str:
    """A field as a person wrote it, near enough to find it in Word."""
    match node:
        case nodes.Name():
            return node.name
        case nodes.Const():
            return repr(node.value)
        case nodes.Getattr():
            return f"{_shown(node.node)}.{node.attr}"
        case nodes.Getitem():
            return f"{_shown(node.node)}[{_shown(node.arg)}]"
        case nodes.Call():
            args = [_shown(a) for a in node.args] + [f"{k.key}={_shown(k.value)}" for k in node.kwargs]
            return f"{_shown(node.node)}({', '.join(args)})"
        case nodes.Filter() | nodes.Test():
            args = f"({', '.join(_shown(a) for a in node.args)})" if node.args else ""
            return f"{_shown(node.node) if node.node else ''}|{node.name}{args}"
        case _:
            return "…"


def _outermost_expressions(tree: nodes.Node):
    for child in tree.iter_child_nodes():
        if isinstance(child, nodes.Expr):
            yield child
        else:
            yield from _outermost_expressions(child)


def _private_reach(expr: nodes.Expr) -> str | None:
    for node in [expr, *expr.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter))]:
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        elif (
            isinstance(node, nodes.Filter)
            and node.name == "attr"
            and node.args
            and isinstance(node.args[0], nodes.Const)
        ):
            name = node.args[0].value
        else:
            continue
        if isinstance(name, str) and name.startswith("_"):
            return name
    return None


def template_fields_check(kind: Kind, template: bytes) -> None:
    """Refuse, naming the field, a template whose fields reach a name starting with `_` or a name that is not
    one of the kind's documented fields (loop variables and `loop` itself are the template's own)."""
    env = word_environment()
    allowed = {name for name, _ in kind.fields}
    for source in _template_sources(template):
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as problem:
            raise TemplateProblem(_explain(problem)) from problem
        unknown = meta.find_undeclared_variables(tree) - allowed
        for expr in _outermost_expressions(tree):
            private = _private_reach(expr)
            if private:
                raise TemplateProblem(
                    f"The field “{_field(expr)}” reaches “{private}”: a template may not use names that start with _. "
                    "Use only the fields listed for this document."
                )
            names = [
                n.name
                for n in [expr, *expr.find_all(nodes.Name)]
                if isinstance(n, nodes.Name) and n.ctx == "load"
            ]
            outside = [name for name in names if name in unknown]
            if outside:
                raise TemplateProblem(_not_a_field(_field(expr), outside[0], kind, allowed))
        if unknown:  # a name outside any expression we could show (there should be none)
            raise TemplateProblem(
                f"The field “{sorted(unknown)[0]}” is not one of the fields of the {kind.title.lower()}."
            )


def _not_a_field(field: str, name: str, kind: Kind, allowed: set[str]) -> str:
    """The message for a field that uses a name the document does not have, with the nearest field named."""
    where = f"“{field}”, which uses “{name}”" if field != name else f"“{field}”"
    title = (
        kind.title[0].lower() + kind.title[1:] if kind.title[1:2].islower() else kind.title
    )  # "EHC plan" stays
    message = f"The template has the field {where}, and the {title} has no field of that name."
    attribute = (
        field[len(name) + 1 :].split(".")[0].split("|")[0].strip() if field.startswith(name + ".") else ""
    )
    nearest = difflib.get_close_matches(attribute or name, sorted(allowed), n=1, cutoff=0.6)
    if nearest:
        message += f" Did you mean {{{{ {nearest[0]} }}}}?"
    return message + " The fields you can use are listed on the Word templates page."


def check_template(kind: Kind, template: bytes) -> None:
    """Read an uploaded template's fields, then render it with example data; TemplateProblem if it cannot be used."""
    template_fields_check(kind, template)
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
