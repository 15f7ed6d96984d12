from django import forms
from django.utils import timezone

from sencohub.kernel.forms import DateInput
from sencohub.kernel.versions import MAX_VERSION
from sencohub.register.models import Concern
from sencohub.statutory import census

NEED_CHOICES = [("", "None")] + [(code, f"{code} — {t.name}") for code, t in census.SEN_TYPES.items()]


class SenStatusForm(forms.Form):
    provision = forms.ChoiceField(
        label="New SEN provision", choices=list(census.PROVISIONS.items()), widget=forms.RadioSelect
    )
    start_date = forms.DateField(
        label="Start date", widget=DateInput(), help_text="For example, 3 September 2026."
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: EHC plan issued by the local authority; needs now met by ordinary teaching.",
    )
    primary_need = forms.ChoiceField(label="Primary need (rank 1)", choices=NEED_CHOICES, required=False)
    secondary_need = forms.ChoiceField(label="Secondary need (rank 2)", choices=NEED_CHOICES, required=False)
    parents_informed_on = forms.DateField(
        label="Date parents were told",
        required=False,
        widget=DateInput(),
        help_text="The Code of Practice expects parents to be told when SEN support is made (6.43).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()


class NeedsForm(forms.Form):
    seen = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64
    )  # the needs as shown (fingerprint)
    primary_need = forms.ChoiceField(label="Primary need (rank 1)", choices=NEED_CHOICES, required=False)
    primary_notes = forms.CharField(
        label="Notes on the primary need", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    secondary_need = forms.ChoiceField(label="Secondary need (rank 2)", choices=NEED_CHOICES, required=False)
    secondary_notes = forms.CharField(
        label="Notes on the secondary need", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ParentsInformedForm(forms.Form):
    informed_on = forms.DateField(label="Date parents were told", widget=DateInput())


class ConcernForm(forms.Form):
    pupil = forms.ChoiceField(label="Pupil")
    what_seen = forms.CharField(
        label="What have you noticed?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Describe what you see in class, when it happens and how often.",
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Assessment results, work samples, observations, what parents have said.",
    )
    tried = forms.CharField(
        label="What have you tried already?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [("", "Choose a pupil")] + [
            (
                p.upn,
                f"{p.surname}, {p.forename} ({p.class_group.name if p.class_group_id else p.year_group_label})",
            )
            for p in pupils
        ]


class TriageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_VERSION)
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            (Concern.Status.MONITOR, "Monitor: keep watching with the strategies in place"),
            (Concern.Status.ASSESS, "Assess: start SEN support (adds the pupil to the SEN register)"),
            (Concern.Status.NO_FURTHER_ACTION, "No further action"),
        ],
    )
    note = forms.CharField(
        label="Note for the teacher", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    primary_need = forms.ChoiceField(
        label="Primary need (needed to start SEN support)", choices=NEED_CHOICES, required=False
    )
    secondary_need = forms.ChoiceField(label="Secondary need", choices=NEED_CHOICES, required=False)


class CensusProvisionForm(forms.Form):
    has_sen_unit = forms.BooleanField(
        label="The school has an SEN unit recognised by the local authority",
        required=False,
        help_text=(
            "As listed for the school on Get Information About Schools; "
            "not a group the school runs for its own pupils."
        ),
    )
    has_resourced_provision = forms.BooleanField(
        label="The school has resourced provision recognised by the local authority",
        required=False,
        help_text="Places the local authority funds at the school for pupils with a particular kind of need.",
    )


class CensusIndicatorsForm(forms.Form):
    """The pupil's census indicators, only for the provision the school has."""

    in_sen_unit = forms.BooleanField(label="A member of the school's SEN unit", required=False)
    in_resourced_provision = forms.BooleanField(
        label="A member of the school's resourced provision", required=False
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        if not school.has_sen_unit:
            del self.fields["in_sen_unit"]
        if not school.has_resourced_provision:
            del self.fields["in_resourced_provision"]
