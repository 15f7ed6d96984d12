"""What every form page does with a posted form: validate, save through a service, or show why not."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

from sencohub.kernel.versions import Duplicate, StaleSave, show_stale
from sencohub.statutory.numbers import plain_number


class DateInput(forms.DateInput):
    """A date field as the browser's own date picker, in the ISO form it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlainNumberInput(forms.NumberInput):
    """A number box that shows a stored 3.0 as "3" (1.5 stays), as people write it; what was typed is kept."""

    def format_value(self, value):
        if isinstance(value, (int, float, Decimal)):
            return plain_number(value)
        return super().format_value(value)


class KeptFileInput(forms.ClearableFileInput):
    """A file field that names the file already kept without linking to where it is stored (files are served
    only through pages that check who is asking), with a box to remove it and a control to replace it."""

    template_name = "kernel/kept_file_input.html"
    initial_text = "Current file"
    input_text = "Replace it with"
    clear_checkbox_label = "Remove the file"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["file_name"] = str(value.name).rsplit("/", 1)[-1]
        return context


def errors_onto(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field where the form has one, above it otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def saved(request, form, save, message, *, stale=show_stale) -> bool:
    """True once a valid posted form has been saved by `save(form)`, with `message` shown on the next page.

    `message` may be a function of what `save` returned, for a message that depends on what was done, or empty for
    none; what `save` returned is kept as `form.saved_as` for the page that follows. A save refused as stale keeps
    the form as typed, with the other person's version beside it (`stale(form, error)` does that for a page that
    shows it its own way); an action whose record already exists goes on to that record (`form.instance`) with the
    service's message, and `form.saved_as` is None."""
    if request.method != "POST" or not form.is_valid():
        return False
    form.saved_as = None
    try:
        result = save(form)
    except StaleSave as error:
        stale(form, error)
        return False
    except Duplicate as duplicate:
        # A double click, or two people at once: the record exists, so go on to it as if this save had made it.
        form.instance = duplicate.existing
        messages.info(request, duplicate.message)
        return True
    except ValidationError as error:
        errors_onto(form, error)
        return False
    form.saved_as = result
    if callable(message):
        message = message(result)
    if message:
        messages.success(request, message)
    return True


# No record has an id beyond BigAutoField's range; SQLite cannot even compare one (OverflowError).
LARGEST_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an id no record could have is refused as an invalid choice before any query."""

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = not 0 < int(str(pk)) <= LARGEST_ID
            except ValueError:
                continue  # not a number at all: Django's own check refuses it
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


# Django's own messages name no field, so a page with eight empty fields says "This field is required." eight
# times. Every form says instead what to do with which field (field_messages_name, run for every form).
_DJANGO_DEFAULTS = {
    "required": (str(forms.Field.default_error_messages["required"]),),
    "invalid_choice": (
        str(forms.ChoiceField.default_error_messages["invalid_choice"]),
        str(forms.ModelChoiceField.default_error_messages["invalid_choice"]),
        str(forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"]),
    ),
    "invalid": (
        str(forms.DateField.default_error_messages["invalid"]),
        str(forms.DateTimeField.default_error_messages["invalid"]),
        str(forms.TimeField.default_error_messages["invalid"]),
        str(forms.IntegerField.default_error_messages["invalid"]),
        str(forms.DecimalField.default_error_messages["invalid"]),
        str(forms.FloatField.default_error_messages["invalid"]),
    ),
}
# A label that already starts like this reads on after "Enter" or "Select" without "the" (a clause such as
# "What you saw" too: "Enter what you saw").
_DETERMINERS = frozenset(
    "the a an your their his her its this that these those any each every all some".split()
    + "what who whom whose when where which why how".split()
)


def _chooses(field) -> bool:
    """Whether a person picks the answer (from a list, a box or a file) rather than types it."""
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField, forms.FileField))


def _named(label: str) -> str:
    """A field's label as the object of a sentence: "Start date" becomes "the start date", "SEN provision"
    stays "the SEN provision" and "Your email address" "your email address"."""
    label = label.strip().rstrip(":").strip()
    first = label.split(" ", 1)[0]
    if not first[1:2].isupper():  # an abbreviation such as UPN or SEN keeps its capitals
        label = label[:1].lower() + label[1:]
    if first.lower() in _DETERMINERS:
        return label
    return f"the {label}"


def field_messages(field, label: str) -> dict[str, str]:
    """The messages for a field left empty or filled in wrongly, naming it by its label."""
    if label.strip().endswith("?"):  # a question: "Did the parent carer attend?"
        answer = "Select an answer to" if _chooses(field) else "Enter an answer to"
        return {"required": f"{answer} ‘{label.strip()}’"}
    named = _named(label)
    if _chooses(field):
        return {"required": f"Select {named}", "invalid_choice": f"Select {named} from the choices given"}
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return {"required": f"Enter {named}", "invalid": f"Enter {named} as a real date"}
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return {"required": f"Enter {named}", "invalid": f"Enter {named} as a number"}
    if isinstance(field, forms.EmailField):
        return {
            "required": f"Enter {named}",
            "invalid": f"Enter {named} in the right form, like name@example.com",
        }
    return {"required": f"Enter {named}"}


def field_messages_name(form) -> None:
    """Give each of the form's fields its own messages, where it still has Django's nameless defaults (a message
    a form sets for itself is kept)."""
    for name, field in form.fields.items():
        label = str(field.label if field.label is not None else pretty_name(name))
        if not label.strip():
            continue
        for code, message in field_messages(field, label).items():
            current = field.error_messages.get(code)
            if current is None:
                # Only an email field gets here: its "invalid" is its validator's, which Django replaces with
                # the field's own message of the same code.
                field.error_messages[code] = message
            elif str(current) in _DJANGO_DEFAULTS[code]:
                field.error_messages[code] = message
