"""Forms of the provision pages: the catalogue, pay bands, a provision and its pupils, a session's attendance."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from sencohub.kernel.dates import REGISTER_TAKEN
from sencohub.kernel.forms import DateInput, ModelMultipleChoiceField
from sencohub.provision.models import WEEKDAYS, Enrolment, Intervention, PayBand, Provision
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.models import STAFF_ROLES, Membership
from sencohub.schools.permissions import Action
from sencohub.statutory import census


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = [
            "name",
            "area",
            "evidence",
            "evidence_note",
            "sessions_per_week",
            "minutes",
            "group_size",
            "measure",
        ]
        widgets = {"evidence": forms.RadioSelect}


class PayBandForm(forms.ModelForm):
    hourly_pounds = forms.DecimalField(
        label="Hourly cost, £",
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text="Pay plus on-costs, for example 15.40.",
    )

    class Meta:
        model = PayBand
        fields = ["name"]


NO_STAFF = "Tick the staff who run it, or write who delivers it."
NO_DAYS = "Select the days the group meets."
NO_MINUTES = "Enter the minutes a session."
NOTES_GIVE_TIMING = (
    "Notes about timing cannot give days, times or lengths: use the days, start time and minutes above, "
    "so the timetable says it once."
)
# Days, clock times, lengths and counts a week in free text: what the timetable fields already hold.
TIMING_WORDS = re.compile(
    r"\b(mon|tue|tues|wed|weds|thu|thur|thurs|fri)(day)?s?\b"
    r"|\b(daily|weekly|every day)\b"
    r"|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*(am|pm)\b"
    r"|\b\d+\s*(min|mins|minutes|hr|hrs|hours?)\b"
    r"|\b(\d+|once|twice)\s*(x\s*|times\s*)?(a|per)\s*week\b",
    re.IGNORECASE,
)


class ProvisionForm(forms.ModelForm):
    other_costs_pounds = forms.DecimalField(
        label="Other costs, £",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text="Resources, licences, training: for the whole group and period.",
    )
    pupils = ModelMultipleChoiceField(
        label="Pupils", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    days_of_week = forms.MultipleChoiceField(
        label="Days",
        widget=forms.CheckboxSelectMultiple,
        choices=[(str(i), name) for i, name in enumerate(WEEKDAYS)],
        help_text="Select every day the group meets: one session a day. This gives its sessions a week.",
        error_messages={"required": NO_DAYS},
    )

    class Meta:
        model = Provision
        fields = [
            "intervention",
            "name",
            "wave",
            "run_by",
            "staff",
            "pay_band",
            "starts_at",
            "when",
            "starts_on",
            "ends_on",
            "minutes",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "wave": forms.RadioSelect,
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "run_by": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "run_by": ModelMultipleChoiceField
        }  # an id beyond any record's is a form error, not a 500
        labels = {
            "when": "Notes about timing",
            "run_by": "Staff who run it",
            "staff": "Delivered by (staff without a sencohub account)",
        }
        error_messages = {"minutes": {"required": NO_MINUTES}}
        help_texts = {
            "starts_at": "With the days and minutes, this lets sencohub spot clashes.",
            "run_by": "They see every pupil in the group and take its register, whichever classes the pupils are in.",
            "staff": "For example, a visiting specialist. Leave it empty if the staff ticked above run it.",
        }

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = Intervention.objects.filter(school=school)
        self.fields["pay_band"].queryset = PayBand.objects.filter(school=school)
        running = (
            self.instance.run_by.values("pk")
            if self.instance.pk
            else get_user_model().objects.none().values("pk")
        )
        staff = Membership.objects.filter(school=school, role__in=STAFF_ROLES).values("user_id")
        self.fields["run_by"].queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=staff, is_active=True) | Q(pk__in=running))
            .order_by("last_name", "first_name", "email")
        )
        self.fields["run_by"].label_from_instance = lambda user: user.get_full_name() or user.email
        visible = pupils_for_user(user, action=Action.EDIT_PROVISION).filter(school=school)
        # The pupils in the group now; those who have left keep their ended enrolments and are not ticked.
        chosen = (
            visible.model.objects.filter(
                pk__in=Enrolment.objects.current().filter(provision=self.instance).values("pupil_id")
            )
            if self.instance.pk
            else visible.none()
        )
        self.fields["pupils"].queryset = (
            (
                visible.filter(sen_provision__in=[census.SEN_SUPPORT, census.EHC_PLAN])
                | visible.filter(pk__in=chosen)
            )
            .distinct()
            .order_by("year_group", "surname", "forename")
        )
        self.fields["pupils"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.year_group_label}, {p.get_sen_provision_display()})"
        )
        self.order_fields(
            [
                "intervention",
                "name",
                "wave",
                "run_by",
                "staff",
                "pay_band",
                "days_of_week",
                "starts_at",
                "minutes",
            ]
        )
        if self.instance.pk and not self.instance.days:
            # Recorded before days were asked for: it keeps its sessions a week (so its costs) until days are ticked.
            self.fields["days_of_week"].required = False
            self.fields["days_of_week"].help_text = (
                f"Its days are not recorded yet: it is costed at {self.instance.sessions_per_week} "
                f"session{'s' if self.instance.sessions_per_week != 1 else ''} a week until you select them. "
                "Select every day the group meets: one session a day."
            )
        if self.instance.pk:
            self.initial["days_of_week"] = list(self.instance.days)
            self.initial["pupils"] = list(chosen)
            self.initial["other_costs_pounds"] = self.instance.other_costs_pence / 100

    def clean_when(self):
        notes = self.cleaned_data["when"]
        # Notes kept from before the timetable fields stand until someone changes them.
        if notes != (self.instance.when if self.instance.pk else "") and TIMING_WORDS.search(notes):
            raise forms.ValidationError(NOTES_GIVE_TIMING)
        return notes

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The provision cannot end before it starts.")
        if not data.get("run_by") and not (data.get("staff") or "").strip():
            self.add_error("run_by", NO_STAFF)
        return data


class AttendanceForm(forms.Form):
    """A session's attendance register: one box a pupil in the group, ticked for present."""

    held_on = forms.DateField(label="Date", widget=DateInput(), validators=[REGISTER_TAKEN])
    cancelled = forms.BooleanField(label="The session did not happen", required=False)
    note = forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args, pupils, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = pupils
        for pupil in pupils:
            self.fields[f"p{pupil.pk}"] = forms.BooleanField(
                label=pupil.full_name, required=False, initial=marks.get(pupil.pk, True)
            )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Take the register on the day or after it, not before.")
        return day


class MeasureForm(forms.ModelForm):
    """A pupil's entry and exit measures in a provision."""

    class Meta:
        model = Enrolment
        fields = ["measure", "entry_value", "entry_on", "exit_value", "exit_on"]
        widgets = {"entry_on": DateInput(), "exit_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("entry_on") and data.get("exit_on") and data["exit_on"] < data["entry_on"]:
            self.add_error("exit_on", "The exit measure cannot be before the entry measure.")
        return data


MeasureFormSet = forms.modelformset_factory(Enrolment, form=MeasureForm, extra=0)
