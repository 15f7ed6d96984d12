"""Forms of the workforce pages: each refuses what cannot be true, with a reason a person can act on."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from sencohub.kernel.files import JPEG, MB, PDF, PNG, check_upload
from sencohub.kernel.forms import DateInput, KeptFileInput, ModelMultipleChoiceField
from sencohub.kernel.versions import VersionedForm, carry_seen, check_seen, last_change
from sencohub.workforce.models import (
    CONFIDENCE,
    TIME_CATEGORIES,
    Appointment,
    Qualification,
    TrainingSession,
    WeekLog,
)
from sencohub.workforce.timelog import monday

MAX_CERTIFICATE_BYTES = 10 * MB
CERTIFICATE_TYPES = (PDF, JPEG, PNG)
MAX_WEEK_HOURS = Decimal(100)


class AppointmentForm(VersionedForm):
    class Meta:
        model = Appointment
        fields = [
            "name",
            "post",
            "starts_on",
            "ends_on",
            "leaving_reason",
            "qts",
            "is_head",
            "previous_senco_months",
            "fte",
            "hours_per_week",
            "protected_hours",
            "on_slt",
            "admin_hours",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "post": forms.RadioSelect}
        help_texts = {
            "qts": "A SENCo must be a qualified teacher working at the school, or the headteacher "
            "(Children and Families Act 2014, s.67; SEND Regulations 2014, reg. 49). "
            "Leave unticked if you do not know: the page will say that QTS is not recorded.",
            "is_head": "Tick if the SENCo is the school's headteacher, "
            "who may be the SENCo without QTS being recorded here.",
        }

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Someone cannot leave the role before they were appointed.")
        if data.get("ends_on") and not data.get("leaving_reason"):
            self.add_error("leaving_reason", "Say why they left the role.")
        if data.get("fte") is not None and not Decimal("0.05") <= data["fte"] <= 1:
            self.add_error("fte", "Full-time equivalent is between 0.05 and 1.0.")
        hours, protected = data.get("hours_per_week"), data.get("protected_hours")
        if hours is not None and protected is not None and protected > hours:
            self.add_error("protected_hours", "Protected hours cannot be more than the hours for the role.")
        return data


class QualificationForm(VersionedForm):
    class Meta:
        model = Qualification
        fields = [
            "kind",
            "name",
            "provider",
            "started_on",
            "expected_on",
            "completed_on",
            "status",
            "certificate",
        ]
        widgets = {
            "started_on": DateInput(),
            "expected_on": DateInput(),
            "completed_on": DateInput(),
            "kind": forms.RadioSelect,
            "certificate": KeptFileInput(),
        }
        help_texts = {"certificate": "Optional: a PDF, JPG or PNG of the certificate (at most 10 MB)."}

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if isinstance(upload, UploadedFile):  # a new file, not the one already kept
            check_upload(
                upload, kinds=CERTIFICATE_TYPES, max_bytes=MAX_CERTIFICATE_BYTES, what="the certificate"
            )
        return upload

    def clean(self):
        data = super().clean()
        if data.get("status") == Qualification.Status.COMPLETED and not data.get("completed_on"):
            self.add_error("completed_on", "Enter the date it was completed.")
        if data.get("completed_on") and data.get("status") not in (None, Qualification.Status.COMPLETED):
            self.add_error("status", "You gave a completion date: choose Completed, or remove the date.")
        if data.get("completed_on") and data.get("started_on") and data["completed_on"] < data["started_on"]:
            self.add_error("completed_on", "It cannot be completed before it started.")
        if data.get("kind") == Qualification.Kind.OTHER and not data.get("name"):
            self.add_error("name", "Enter the qualification's name.")
        return data


class ConfirmationForm(forms.Form):
    satisfied = forms.BooleanField(label="I am satisfied that the SENCo is working towards the qualification")
    note = forms.CharField(
        label="What you have seen",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: enrolled on the NPQ with a named provider; first module completed.",
    )


class WeekLogForm(forms.ModelForm):
    class Meta:
        model = WeekLog
        fields = ["week_of"] + [name for name, _, _ in TIME_CATEGORIES] + ["protected_used", "note"]
        widgets = {"week_of": DateInput()}
        help_texts = {
            "week_of": "Any day of the week will do: the log is kept by the week's Monday.",
            "protected_used": "Hours of your protected SENCo time that you actually spent on SENCo work.",
        }

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name, _, _ in TIME_CATEGORIES + [("protected_used", "", "")]:
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})
            self.fields[name].min_value = 0

    def clean_week_of(self):
        week = monday(self.cleaned_data["week_of"])
        if week > self.today:
            raise forms.ValidationError("That week has not started yet.")
        return week

    def clean(self):
        data = super().clean()
        hours = [data.get(name) for name, _, _ in TIME_CATEGORIES]
        for name, _, _ in TIME_CATEGORIES + [("protected_used", "", "")]:
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, "Hours cannot be negative.")
        if all(h is not None for h in hours):
            total = sum(hours).quantize(Decimal("0.1"))
            if total > MAX_WEEK_HOURS:
                self.add_error(None, f"That adds up to {total} hours in one week; check the figures.")
            if data.get("protected_used") is not None and data["protected_used"] > total:
                self.add_error("protected_used", "Protected time used cannot be more than the week's total.")
        return data


class TrainingSessionForm(VersionedForm):
    class Meta:
        model = TrainingSession
        fields = ["topic", "area_of_need", "held_on", "minutes", "led_by", "attendees"]
        widgets = {
            "held_on": DateInput(),
            "area_of_need": forms.RadioSelect,
            "attendees": forms.CheckboxSelectMultiple,
        }
        field_classes = {"attendees": ModelMultipleChoiceField}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        # Those who attended stay offered (and ticked) after they leave the school, so a save keeps them.
        attended = self.instance.attendees.values("pk") if self.instance.pk else staff.none().values("pk")
        self.fields["attendees"].queryset = staff.model.objects.filter(
            Q(pk__in=staff.values("pk")) | Q(pk__in=attended)
        ).order_by("last_name", "first_name", "email")
        self.fields["attendees"].required = False
        self.fields["attendees"].label = "Who attended"
        self.fields["attendees"].label_from_instance = lambda user: f"{user.get_full_name() or user.email}"

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if not 5 <= minutes <= 60 * 24 * 5:
            raise forms.ValidationError("Enter the length in minutes, between 5 and 7,200 (five days).")
        return minutes


class RatingsForm(forms.Form):
    """Confidence before and after, one pair per attendance; blank means not rated yet."""

    def __init__(self, *args, attendance, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not rated")] + [(str(v), label) for v, label in CONFIDENCE]
        select = forms.Select(attrs={"class": "govuk-select"})
        self.rows = []
        for a in attendance:
            before, after = f"before_{a.pk}", f"after_{a.pk}"
            who = a.user.get_full_name() or a.user.email
            for name, when, initial in (
                (before, "before", a.confidence_before),
                (after, "after", a.confidence_after),
            ):
                self.fields[name] = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    label=f"{who}: {when}",
                    initial=initial,
                    widget=select,
                )
            self.rows.append((a, self[before], self[after]))
        carry_seen(self)  # the SENCo and the attendee may both rate at once: a stale save is refused

    def ratings(self) -> dict[int, tuple[int | None, int | None]]:
        """The ratings given, by attendance id: (before, after), None where not rated."""
        return {
            a.pk: (self.cleaned_data.get(f"before_{a.pk}"), self.cleaned_data.get(f"after_{a.pk}"))
            for a, _, _ in self.rows
        }

    def unchanged_since_drawn(self, current) -> None:
        """StaleSave if someone saved any of the ratings (`current`, locked) after this form was drawn."""
        latest = max(
            current,
            key=lambda a: last_change(a)[1] or dt.datetime.min.replace(tzinfo=dt.timezone.utc),
        )
        check_seen(self, RatingsForm(attendance=current), latest, what="set of confidence ratings")
