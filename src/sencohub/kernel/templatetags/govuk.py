"""Render Django form fields as GOV.UK Frontend form groups (labels, hints, errors and all)."""

from django import forms, template
from django.template.loader import render_to_string

from sencohub.statutory.numbers import plain_number as _plain_number

register = template.Library()


def _kind(widget) -> str:
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first, or a multiple choice is drawn as radios
    # and saving the form unchanged keeps only one of the choices.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.simple_tag
def govuk_field(field, label_size="s", classes=""):
    if field.is_hidden:
        return str(field)  # a version counter or fingerprint the form carries; nothing for a person to read
    kind = _kind(field.field.widget)
    css = {
        "input": "govuk-input",
        "select": "govuk-select",
        "textarea": "govuk-textarea",
        "file": "govuk-file-upload",
    }.get(kind, "")
    if field.errors and css:
        css += f" {css}--error"
    if classes:
        css += f" {classes}"
    attrs = {"class": css.strip()} if css else {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    widget_html = field.as_widget(attrs=attrs) if kind not in ("radios", "checkboxes", "checkbox") else ""
    return render_to_string(
        "includes/field.html",
        {"field": field, "kind": kind, "widget_html": widget_html, "label_size": label_size},
    )


@register.filter
def pounds(pence) -> str:
    """Money is integer pence in data and pounds with a £ sign on pages."""
    if pence is None:
        return ""
    return f"£{pence / 100:,.2f}"


@register.filter
def plain_number(value) -> str:
    """A count as people write it: "3", not "3.0"; "1.5" stays (statutory.numbers.plain_number)."""
    return _plain_number(value)


@register.filter
def error_anchor(field) -> str:
    """Where an error summary link takes the person: the first box of a group of radios or checkboxes."""
    kind = _kind(field.field.widget)
    if kind in ("radios", "checkboxes"):
        # A required radio's blank choice ("---------") is not drawn (includes/field.html): the first box is the next.
        first = next(iter(getattr(field.field, "choices", [])), None)
        skipped = kind == "radios" and field.field.required and first is not None and str(first[0]) == ""
        return f"{field.auto_id}_{1 if skipped else 0}"
    return field.auto_id


@register.filter
def error_named(error, field) -> str:
    """A bare "This field is required." in the error summary says which field, for someone hearing the list read out."""
    if error == str(forms.Field.default_error_messages["required"]):
        return f"{field.label}: enter or choose an answer."
    return error


def _has_errors(value) -> bool:
    """Whether a form (or formset) the page shows came back with errors. Only one already checked counts: the
    title never runs a form's checks itself (a form shown again on purpose, with its messages held back, stays
    unchecked)."""
    if isinstance(value, forms.BaseForm | forms.BaseFormSet):
        if not value.is_bound or getattr(value, "_errors", None) is None:
            return False
        if isinstance(value, forms.BaseForm):
            return bool(value._errors)
        return any(value._errors) or bool(value._non_form_errors)
    return False


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        title = self.nodelist.render(context).strip()
        if title.startswith("Error:") or not any(_has_errors(v) for v in context.flatten().values()):
            return title
        return f"Error: {title}"


@register.tag
def page_title(parser, token):
    """The page's title, starting "Error: " when a form on the page was sent back with errors, so that someone
    using a screen reader hears at once that the save failed (every page, without each one opting in)."""
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)
